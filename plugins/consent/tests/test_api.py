"""The JSON API at /api/v1/consent: in the one OpenAPI document, records and withdraws
with the age rules, refuses bad input naming the field, and hides persons the caller may
not see."""

from __future__ import annotations

from openregie_sdk.testing.plugin import personal_token

API = "/api/v1/consent"
SCOPES = (
    "consent.record.read",
    "consent.record.manage",
    "core.person.read",
    "core.registry.manage",  # without case management no case relates staff to persons
)


def _body(family, **fields):
    body = {
        "purpose": "team_partner",
        "recipient_kind": "organisation",
        "recipient_id": str(family.organisation.id),
        "status": "given",
        "given_by_person_ids": [str(family.parent.id)],
        "obtained": "written",
    }
    body.update(fields)
    return body


def test_the_operations_are_in_the_openapi_document(app, client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert f"{API}/persons/{{person_id}}/consents" in paths
    assert f"{API}/consents/{{consent_id}}/withdrawal" in paths
    assert f"{API}/purposes" in paths


def test_record_list_decide_and_withdraw(app, client, family, staff):
    headers = personal_token(app, staff, SCOPES)
    url = f"{API}/persons/{family.teen.id}/consents"
    both = [str(family.teen.id), str(family.parent.id)]
    created = client.post(url, json=_body(family, given_by_person_ids=both), headers=headers)
    assert created.status_code == 201, created.get_json()
    consent = created.get_json()
    assert consent["in_force"] is True and consent["status"] == "given"
    decision = client.get(
        f"{API}/persons/{family.teen.id}/decision?recipient_id={family.organisation.id}"
        "&purpose=team_partner",
        headers=headers,
    ).get_json()
    assert decision["granted"] is True
    withdrawn = client.post(
        f"{API}/consents/{consent['id']}/withdrawal",
        json={"given_by_person_ids": [str(family.teen.id)], "obtained": "verbal"},
        headers=headers,
    )
    assert withdrawn.status_code == 201
    listed = client.get(f"{url}?history=true", headers=headers).get_json()["items"]
    assert [c["status"] for c in listed] == ["withdrawn", "given"]


def test_bad_input_is_a_400_naming_the_field(app, client, family, staff):
    headers = personal_token(app, staff, SCOPES)
    url = f"{API}/persons/{family.parent.id}/consents"

    def field_of(**fields):
        answer = client.post(url, json=_body(family, **fields), headers=headers)
        assert answer.status_code == 400, answer.get_json()
        return [f["field"] for f in answer.get_json()["error"]["fields"]]

    assert field_of(purpose="onbekend") == ["purpose"]
    assert field_of(given_by_person_ids=[str(family.teen.id)]) == ["given_by_person_ids"]
    assert field_of(
        valid_from="2026-05-01T00:00:00+02:00", valid_until="2026-04-01T00:00:00+02:00"
    ) == ["valid_until"]
    assert "valid_from" in field_of(valid_from="2026-05-01T00:00:00")
    assert client.get(url, headers=headers).get_json()["items"] == []


def test_a_person_the_caller_may_not_see_is_404(app, client, family, make_user):
    outsider = make_user("professional")
    headers = personal_token(app, outsider, SCOPES)
    answer = client.get(f"{API}/persons/{family.parent.id}/consents", headers=headers)
    assert answer.status_code == 404
