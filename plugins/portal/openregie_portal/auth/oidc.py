"""DigiD through an OpenID Connect broker (authorization code flow with PKCE, authlib).

`start` stores state, nonce and the PKCE verifier in the session and redirects to the
broker; `callback` checks the state, exchanges the code (client_secret_basic), verifies the
ID token's signature against the broker's JWKS and its issuer, audience, expiry and nonce,
and returns the BSN from the configured claim. Any failure is `AuthenticationRefused` with
a Dutch message that reveals nothing about the cause beyond "it did not work".
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
import time
import urllib.parse
import urllib.request
from typing import Any

from authlib.common.security import generate_token
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from flask import redirect, request, session
from flask_babel import gettext as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from openregie_portal.settings import PortalSettings
from openregie_sdk.contributions import AuthenticationRefused, ResidentAuthenticator

log = logging.getLogger("openregie.portal")

ID = "digid"
SESSION_KEY = "digid_oidc"
TIMEOUT = 10  # seconds per call to the broker
METADATA_TTL = 3600
ALGORITHMS = ["RS256", "PS256", "ES256"]
_metadata_cache: dict[str, tuple[float, dict[str, Any]]] = {}


def _fetch(url: str, data: dict[str, str] | None = None, auth: str | None = None) -> Any:
    """GET (or POST a form to) the broker and decode its JSON answer."""
    if not url.startswith(("https://", "http://")):
        raise AuthenticationRefused(_("Inloggen is nu niet mogelijk."))
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    headers = {"Accept": "application/json"}
    if auth:
        headers["Authorization"] = auth
    call = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 - checked above
    try:
        with urllib.request.urlopen(call, timeout=TIMEOUT) as answer:  # noqa: S310
            return json.loads(answer.read())
    except (OSError, ValueError) as error:
        log.warning("DigiD broker call to %s failed: %s", url, error)
        raise AuthenticationRefused(
            _("Inloggen met DigiD lukte niet. Probeer het opnieuw.")
        ) from None


def metadata(settings: PortalSettings) -> dict[str, Any]:
    """The broker's discovery document, kept for an hour."""
    url = settings.oidc_metadata_url
    cached = _metadata_cache.get(url)
    if cached is not None and time.monotonic() - cached[0] < METADATA_TTL:
        return cached[1]
    document = _fetch(url)
    if not isinstance(document, dict) or not {
        "issuer",
        "authorization_endpoint",
        "token_endpoint",
        "jwks_uri",
    } <= set(document):
        raise AuthenticationRefused(_("Inloggen is nu niet mogelijk."))
    _metadata_cache[url] = (time.monotonic(), document)
    return document


def start(settings: PortalSettings, callback_url: str) -> Any:
    meta = metadata(settings)
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    session[SESSION_KEY] = {
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "redirect_uri": callback_url,
    }
    url = prepare_grant_uri(
        meta["authorization_endpoint"],
        settings.oidc_client_id,
        "code",
        redirect_uri=callback_url,
        scope=settings.oidc_scopes,
        state=state,
        nonce=nonce,
        code_challenge=create_s256_code_challenge(verifier),
        code_challenge_method="S256",
    )
    return redirect(url, 303)


def _basic(settings: PortalSettings) -> str:
    quote = urllib.parse.quote
    pair = f"{quote(settings.oidc_client_id, safe='')}:"
    pair += quote(settings.oidc_client_secret.get_secret_value(), safe="")
    return "Basic " + base64.b64encode(pair.encode()).decode()


def callback(settings: PortalSettings) -> str:
    refused = _("Inloggen met DigiD lukte niet. Probeer het opnieuw.")
    pending = session.pop(SESSION_KEY, None)
    if not isinstance(pending, dict):
        raise AuthenticationRefused(_("Uw inlogpoging is verlopen. Begin opnieuw."))
    if request.args.get("error"):
        raise AuthenticationRefused(_("U hebt het inloggen afgebroken, of DigiD weigerde het."))
    state = request.args.get("state", "")
    if not hmac.compare_digest(state.encode(), pending["state"].encode()):
        raise AuthenticationRefused(refused)
    code = request.args.get("code", "")
    if not code:
        raise AuthenticationRefused(refused)
    meta = metadata(settings)
    tokens = _fetch(
        meta["token_endpoint"],
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": pending["redirect_uri"],
            "code_verifier": pending["verifier"],
        },
        auth=_basic(settings),
    )
    raw = tokens.get("id_token") if isinstance(tokens, dict) else None
    if not isinstance(raw, str):
        raise AuthenticationRefused(refused)
    try:
        keys = KeySet.import_key_set(_fetch(meta["jwks_uri"]))
        token = jwt.decode(raw, keys, algorithms=ALGORITHMS)
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": meta["issuer"]},
            aud={"essential": True, "value": settings.oidc_client_id},
            nonce={"essential": True, "value": pending["nonce"]},
            exp={"essential": True},
        ).validate(token.claims)
    except (JoseError, ValueError, TypeError, KeyError) as error:
        log.warning("DigiD ID token refused: %s", error)
        raise AuthenticationRefused(refused) from None
    bsn = token.claims.get(settings.oidc_bsn_claim)
    if not isinstance(bsn, str | int):
        raise AuthenticationRefused(refused)
    # Some brokers prefix the sector ("s00000000:123456789").
    return str(bsn).rsplit(":", 1)[-1].strip()


def authenticator(settings: PortalSettings) -> ResidentAuthenticator:
    return ResidentAuthenticator(
        id=ID,
        label=settings.oidc_label,
        start=lambda callback_url: start(settings, callback_url),
        callback=lambda: callback(settings),
        order=10,
    )
