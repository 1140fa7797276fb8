"""DigiD through an OIDC broker: the portal's authenticator against a fake OpenID
Connect provider served in-process over real HTTP (no network): discovery, the
authorisation redirect with state, nonce and PKCE, the code exchange with client
authentication, and the ID token's signature, issuer, audience, expiry and nonce."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, jsonify, request
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

_spec = importlib.util.spec_from_file_location(
    "openregie_portal_test_login_o", Path(__file__).with_name("test_login.py")
)
_login = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_login)
csrf = _login.csrf

CLIENT_ID = "openregie-test"
CLIENT_SECRET = "geheim-van-de-broker"


class FakeBroker:
    """An OpenID Connect provider in a thread: codes map to the claims it will sign."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
        self.codes: dict[str, dict[str, Any]] = {}
        self.app = Flask("fake_broker")
        self.server = make_server("127.0.0.1", 0, self.app)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.override: dict[str, Any] = {}
        self.sign_with: RSAKey | None = None
        self._routes()
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _routes(self) -> None:
        app = self.app

        @app.get("/.well-known/openid-configuration")
        def discovery() -> Any:
            return jsonify(
                issuer=self.issuer,
                authorization_endpoint=f"{self.issuer}/authorize",
                token_endpoint=f"{self.issuer}/token",
                jwks_uri=f"{self.issuer}/jwks",
            )

        @app.get("/jwks")
        def jwks() -> Any:
            return jsonify(keys=[self.key.as_dict(private=False)])

        @app.post("/token")
        def token() -> Any:
            expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if request.headers.get("Authorization") != f"Basic {expected}":
                return jsonify(error="invalid_client"), 401
            grant = self.codes.pop(request.form.get("code", ""), None)
            if grant is None:
                return jsonify(error="invalid_grant"), 400
            verifier = request.form.get("code_verifier", "")
            challenge = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                .rstrip(b"=")
                .decode()
            )
            if challenge != grant["challenge"]:
                return jsonify(error="invalid_grant"), 400
            now = int(time.time())
            claims = {
                "iss": self.issuer,
                "aud": CLIENT_ID,
                "sub": uuid.uuid4().hex,
                "iat": now,
                "exp": now + 300,
                "nonce": grant["nonce"],
                "bsn": grant["bsn"],
                **self.override,
            }
            key = self.sign_with or self.key
            id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key)
            return jsonify(access_token="x", token_type="Bearer", id_token=id_token)

    def authorize(self, url: str, bsn: str) -> dict[str, str]:
        """What the broker does when the resident logs in with DigiD: returns the
        parameters it sends back to the callback."""
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
        assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
        assert query["code_challenge_method"] == "S256" and "openid" in query["scope"]
        code = uuid.uuid4().hex
        self.codes[code] = {
            "nonce": query["nonce"],
            "challenge": query["code_challenge"],
            "bsn": bsn,
        }
        return {"code": code, "state": query["state"]}

    def stop(self) -> None:
        self.server.shutdown()


@pytest.fixture(scope="module")
def broker() -> Iterator[FakeBroker]:
    fake = FakeBroker()
    yield fake
    fake.stop()


@pytest.fixture
def app(make_app, broker) -> Any:
    broker.override = {}
    broker.sign_with = None
    config = {
        "portal": {
            "oidc_metadata_url": f"{broker.issuer}/.well-known/openid-configuration",
            "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": CLIENT_SECRET,
            "oidc_scopes": "openid bsn",
        }
    }
    return make_app(["portal", "casemanagement"], module_config=config)


def _start(client) -> str:
    page = client.get("/mijn/inloggen").get_data(as_text=True)
    assert "Inloggen met DigiD" in page
    answer = client.post("/mijn/inloggen/digid", data={"csrf_token": csrf(page)})
    assert answer.status_code == 303
    assert answer.headers["Location"].startswith("http://127.0.0.1:")
    return answer.headers["Location"]


def test_a_resident_logs_in_with_digid_through_the_broker(app, client, world, broker):
    back = broker.authorize(_start(client), world.parent.bsn)
    answer = client.get("/mijn/inloggen/digid/terug", query_string=back)
    assert answer.status_code == 303
    with client.session_transaction() as session:
        assert session["resident_id"] == str(world.parent.id)
        assert session["resident_method"] == "digid"
    assert client.get("/mijn/").status_code == 200


def test_a_wrong_state_is_refused(app, client, world, broker):
    back = broker.authorize(_start(client), world.parent.bsn)
    answer = client.get("/mijn/inloggen/digid/terug", query_string={**back, "state": "vals"})
    assert answer.status_code == 401
    assert client.get("/mijn/").status_code == 302


def test_a_cancelled_login_is_refused_with_a_clear_message(app, client, world, broker):
    _start(client)
    answer = client.get("/mijn/inloggen/digid/terug", query_string={"error": "access_denied"})
    assert answer.status_code == 401
    assert "afgebroken" in answer.get_data(as_text=True)


@pytest.mark.parametrize(
    "override", [{"aud": "someone-else"}, {"iss": "http://evil.example"}, {"nonce": "replayed"}]
)
def test_an_id_token_for_another_client_issuer_or_nonce_is_refused(
    app, client, world, broker, override
):
    back = broker.authorize(_start(client), world.parent.bsn)
    broker.override = override
    answer = client.get("/mijn/inloggen/digid/terug", query_string=back)
    assert answer.status_code == 401
    assert client.get("/mijn/").status_code == 302


def test_an_id_token_signed_with_another_key_is_refused(app, client, world, broker):
    back = broker.authorize(_start(client), world.parent.bsn)
    broker.sign_with = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    answer = client.get("/mijn/inloggen/digid/terug", query_string=back)
    assert answer.status_code == 401


def test_an_unknown_bsn_from_digid_gets_the_no_access_page(app, client, world, broker):
    back = broker.authorize(_start(client), "111222333")
    answer = client.get("/mijn/inloggen/digid/terug", query_string=back)
    assert answer.status_code == 403
    assert "Geen toegang tot Mijn Regie" in answer.get_data(as_text=True)


def test_without_configuration_there_is_no_digid_button(make_app):
    app = make_app(["portal", "casemanagement"])
    page = app.test_client().get("/mijn/inloggen").get_data(as_text=True)
    assert "Inloggen met DigiD" not in page
    assert app.test_client().post("/mijn/inloggen/digid").status_code in (400, 404)
