"""The consent pages: the person panel and page, recording with the age rules, withdrawing
(audited, sharing stops), errors on the field, and the evidence document."""

from __future__ import annotations

import io

from sqlalchemy import select, text

from openregie_consent.models import ConsentRecord
from openregie_sdk.testing.plugin import csrf_token_in

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _form(family, **fields):
    data = {
        "purpose": "team_partner",
        "recipient": f"organisation:{family.organisation.id}",
        "status": "given",
        "obtained": "written",
        "given_by": [str(family.parent.id)],
        "valid_from": "",
        "valid_until": "",
        "note": "",
    }
    data.update(fields)
    return data


def test_the_person_panel_shows_consents_and_links_to_the_page(
    app, db, client, act_as_staff, family
):
    html = client.get(f"/personen/{family.parent.id}").get_data(as_text=True)
    assert "Toestemmingen" in html and "Er is nog geen toestemming vastgelegd." in html
    assert f"/toestemming/personen/{family.parent.id}" in html


def test_recording_a_consent_on_the_page_stores_a_version_and_audits_it(
    app, db, client, act_as_staff, family
):
    page = client.get(f"/toestemming/personen/{family.parent.id}")
    assert page.status_code == 200
    data = _form(family, csrf_token=csrf_token_in(page.get_data(as_text=True)))
    data["evidence"] = (io.BytesIO(PDF), "verklaring.pdf")
    done = client.post(
        f"/toestemming/personen/{family.parent.id}",
        data=data,
        content_type="multipart/form-data",
    )
    assert done.status_code == 303
    row = db.scalar(select(ConsentRecord).where(ConsentRecord.subject_id == family.parent.id))
    assert (row.status, row.obtained, row.recipient_name) == (
        "given",
        "written",
        family.organisation.name,
    )
    assert row.recorded_by_name == "Rosa Regie" and row.evidence_filename == "verklaring.pdf"
    html = client.get(f"/toestemming/personen/{family.parent.id}").get_data(as_text=True)
    assert "gegeven" in html and "verklaring.pdf" in html
    evidence = client.get(f"/toestemming/personen/{family.parent.id}/{row.id}/bewijs")
    assert evidence.status_code == 200 and evidence.data == PDF
    creates = db.execute(
        text(
            "SELECT data_subject_id FROM core_audit_record "
            "WHERE module = 'consent' AND action = 'create'"
        )
    ).all()
    assert [r.data_subject_id for r in creates] == [str(family.parent.id)]


def test_a_child_under_twelve_cannot_consent_alone_the_page_says_so_on_the_field(
    app, db, client, act_as_staff, family
):
    page = client.get(f"/toestemming/personen/{family.child.id}").get_data(as_text=True)
    refused = client.post(
        f"/toestemming/personen/{family.child.id}",
        data=_form(family, given_by=[str(family.child.id)], csrf_token=csrf_token_in(page)),
    )
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "Een kind onder de 12 jaar beslist niet zelf" in html
    assert 'id="record-given_by-error"' in html
    assert db.scalar(select(ConsentRecord.id)) is None


def test_valid_until_before_valid_from_is_refused_on_the_field(
    app, db, client, act_as_staff, family
):
    page = client.get(f"/toestemming/personen/{family.parent.id}").get_data(as_text=True)
    refused = client.post(
        f"/toestemming/personen/{family.parent.id}",
        data=_form(
            family,
            valid_from="2026-05-01",
            valid_until="2026-04-01",
            csrf_token=csrf_token_in(page),
        ),
    )
    assert refused.status_code == 400
    assert 'id="record-valid_until-error"' in refused.get_data(as_text=True)


def test_withdrawing_on_the_page_adds_a_version_and_ends_the_consent(
    app, db, client, act_as_staff, family
):
    page = client.get(f"/toestemming/personen/{family.parent.id}").get_data(as_text=True)
    client.post(
        f"/toestemming/personen/{family.parent.id}",
        data=_form(family, csrf_token=csrf_token_in(page)),
    )
    given = db.scalar(select(ConsentRecord))
    page = client.get(f"/toestemming/personen/{family.parent.id}").get_data(as_text=True)
    done = client.post(
        f"/toestemming/personen/{family.parent.id}/{given.id}/intrekken",
        data={
            "csrf_token": csrf_token_in(page),
            "given_by": [str(family.parent.id)],
            "obtained": "verbal",
            "note": "Wil het zelf regelen",
        },
    )
    assert done.status_code == 303
    db.expire_all()
    statuses = [
        r.status for r in db.scalars(select(ConsentRecord).order_by(ConsentRecord.recorded_at))
    ]
    assert statuses == ["given", "withdrawn"]


def test_the_page_is_404_for_a_person_the_actor_may_not_see(app, client, login_as, family):
    login_as("professional")  # no relation to the family without case management
    assert client.get(f"/toestemming/personen/{family.parent.id}").status_code == 404


def test_a_policy_officer_may_not_open_consents(app, client, login_as, family):
    login_as("policy_officer")
    assert client.get(f"/toestemming/personen/{family.parent.id}").status_code == 403
