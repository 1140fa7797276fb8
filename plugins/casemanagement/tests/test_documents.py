"""Documents of a case: uploads are checked by their content (not their name), stored
through the file store with their hash, shared with residents or not, and every download
is authorised and audited."""

from __future__ import annotations

import hashlib
import io
import uuid

import pytest
from sqlalchemy import text

from openregie_casemanagement.models import Document
from openregie_casemanagement.services import records
from openregie_sdk.capabilities.casemanagement import NotFound, Refused
from openregie_sdk.testing.plugin import csrf_token_in, personal_token

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 44
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def _subjects(world) -> list[str]:
    return sorted([str(world.anna.id), str(world.tim.id)])


def _audit(db, action: str) -> list[str]:
    return sorted(
        db.execute(
            text("SELECT data_subject_id FROM core_audit_record WHERE action = :action"),
            {"action": action},
        ).scalars()
    )


def _upload(actor, case, content=PDF, filename="verslag.pdf", **fields):
    return records.upload_document(
        actor,
        case.id,
        filename=filename,
        content=content,
        description=fields.pop("description", ""),
        shared_with_resident=fields.pop("shared_with_resident", False),
    )


# -- the checks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"", "leeg.pdf"),
        (ELF, "rapport.pdf"),
        (EXE, "rapport.pdf"),
        (HTML, "rapport.pdf"),
        (b"gewoon wat tekst", "brief.docx"),
    ],
    ids=["empty", "elf-renamed-pdf", "exe-renamed-pdf", "html-renamed-pdf", "text-renamed-docx"],
)
def test_an_upload_that_is_not_an_allowed_document_is_refused_on_the_file(
    app, db, world, new_case, actor_of, content, filename
):
    case = new_case()
    with pytest.raises(Refused) as refused:
        _upload(actor_of(world.manager), case, content, filename)
    assert refused.value.field == "file"
    assert db.query(Document).filter_by(case_id=case.id).count() == 0


def test_an_upload_larger_than_the_configured_maximum_is_refused(
    app, db, world, new_case, actor_of, monkeypatch
):
    case = new_case()
    monkeypatch.setattr(records, "max_upload_bytes", lambda: 64)
    with pytest.raises(Refused) as refused:
        _upload(actor_of(world.manager), case, PDF + b" " * 64)
    assert refused.value.field == "file"
    assert "te groot" in str(refused.value)


def test_the_maximum_comes_from_the_module_settings(app, db):
    assert records.max_upload_bytes() == 10 * 1024 * 1024


def test_a_png_named_pdf_is_stored_as_a_png(app, db, world, new_case, actor_of):
    case = new_case()
    document = _upload(actor_of(world.manager), case, PNG, "scan.pdf")
    assert document.content_type == "image/png"


def test_a_pdf_is_stored_with_its_hash_size_and_type_through_the_file_store(
    app, db, world, new_case, actor_of
):
    case = new_case()
    manager = actor_of(world.manager)
    document = _upload(manager, case, PDF, "../../etc/verslag.pdf", description="Intake")
    db.commit()
    assert document.filename == "verslag.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF)
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert document.uploaded_by_user_id == world.manager.id
    assert document.shared_with_resident is False
    opened, content = records.open_document(manager, document.id)
    assert opened.id == document.id and content == PDF


def test_control_characters_are_removed_from_the_file_name(app, db, world, new_case, actor_of):
    case = new_case()
    document = _upload(actor_of(world.manager), case, PDF, "rap\r\nport.pdf")
    assert document.filename == "rap port.pdf"


def test_a_document_of_another_teams_case_cannot_be_opened_or_shared(
    app, db, world, new_case, actor_of
):
    case = new_case()
    document = _upload(actor_of(world.manager), case)
    db.commit()
    with pytest.raises(NotFound):
        records.open_document(actor_of(world.outsider), document.id)
    with pytest.raises(NotFound):
        records.set_document_shared(actor_of(world.outsider), document.id, True)
    with pytest.raises(NotFound):
        records.open_document(actor_of(world.manager), uuid.uuid4())


# -- residents --------------------------------------------------------------------------------


def test_residents_get_only_shared_documents_and_their_own_uploads(
    app, db, world, new_case, actor_of
):
    case = new_case()
    manager = actor_of(world.manager)
    private = _upload(manager, case, PDF, "intern.pdf")
    shared = _upload(manager, case, PDF, "plan.pdf", shared_with_resident=True)
    own = records.resident_upload_document(case, world.anna, filename="foto.png", content=PNG)
    db.commit()

    assert own.uploaded_by_person_id == world.anna.id and own.shared_with_resident
    assert {d.filename for d in records.resident_documents(case)} == {"plan.pdf", "foto.png"}
    with pytest.raises(NotFound):
        records.open_resident_document(private.id)
    assert records.open_resident_document(shared.id)[1] == PDF

    records.set_document_shared(manager, private.id, True)
    records.set_document_shared(manager, shared.id, False)
    db.commit()
    assert {d.filename for d in records.resident_documents(case)} == {"intern.pdf", "foto.png"}
    with pytest.raises(NotFound):
        records.open_resident_document(shared.id)


def test_a_residents_upload_is_checked_by_content_too(app, db, world, new_case):
    case = new_case()
    with pytest.raises(Refused) as refused:
        records.resident_upload_document(case, world.anna, filename="cv.pdf", content=HTML)
    assert refused.value.field == "file"


# -- pages ------------------------------------------------------------------------------------


def _page(client, case):
    return client.get(f"/casussen/{case.id}/documenten").get_data(as_text=True)


def test_a_pdf_uploaded_on_the_page_is_downloaded_with_the_same_bytes_and_safe_headers(
    app, client, db, world, new_case, act_as
):
    case = new_case()
    act_as(world.manager)
    page = _page(client, case)
    assert 'enctype="multipart/form-data"' in page
    response = client.post(
        f"/casussen/{case.id}/documenten",
        data={
            "csrf_token": csrf_token_in(page),
            "file": (io.BytesIO(PDF), "Verslag één.pdf", "text/html"),
            "description": "Verslag intake",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    document = db.query(Document).filter_by(case_id=case.id).one()
    assert document.content_type == "application/pdf"  # not the browser's text/html

    download = client.get(f"/casussen/{case.id}/documenten/{document.id}/bestand")
    assert download.status_code == 200
    assert download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Verslag%20%C3%A9%C3%A9n.pdf" in disposition
    assert _audit(db, "download") == _subjects(world)


@pytest.mark.parametrize(
    ("content", "filename"),
    [(b"", "leeg.pdf"), (ELF, "virus.pdf"), (HTML, "pagina.pdf"), (PDF + b" " * 64, "groot.pdf")],
    ids=["empty", "elf", "html", "too-large"],
)
def test_a_bad_upload_on_the_page_is_a_400_naming_the_file(
    app, client, db, world, new_case, act_as, monkeypatch, content, filename
):
    monkeypatch.setattr(records, "max_upload_bytes", lambda: 64)
    case = new_case()
    act_as(world.manager)
    response = client.post(
        f"/casussen/{case.id}/documenten",
        data={
            "csrf_token": csrf_token_in(_page(client, case)),
            "file": (io.BytesIO(content), filename, "application/pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'id="file-error">{filename}:' in html
    assert db.query(Document).filter_by(case_id=case.id).count() == 0


def test_a_download_by_a_professional_of_another_team_is_404_and_not_audited(
    app, client, db, world, new_case, act_as, actor_of
):
    case = new_case()
    document = _upload(actor_of(world.manager), case)
    db.commit()
    act_as(world.outsider)
    assert client.get(f"/casussen/{case.id}/documenten/{document.id}/bestand").status_code == 404
    assert _audit(db, "download") == []


def test_a_document_cannot_be_downloaded_through_another_case(
    app, client, db, world, new_case, act_as, actor_of
):
    case = new_case()
    other = new_case(title="Andere casus")
    document = _upload(actor_of(world.manager), case)
    db.commit()
    act_as(world.manager)
    assert client.get(f"/casussen/{other.id}/documenten/{document.id}/bestand").status_code == 404


def test_sharing_a_document_on_the_page_makes_it_visible_to_the_resident(
    app, client, db, world, new_case, act_as, actor_of
):
    case = new_case()
    document = _upload(actor_of(world.manager), case)
    db.commit()
    act_as(world.colleague)
    page = _page(client, case)
    response = client.post(
        f"/casussen/{case.id}/documenten/{document.id}/delen",
        data={"csrf_token": csrf_token_in(page), "shared": "1"},
    )
    assert response.status_code == 303
    db.expire_all()
    assert [d.id for d in records.resident_documents(case)] == [document.id]


# -- API --------------------------------------------------------------------------------------


@pytest.fixture
def bearer(app, actor_of):
    """`bearer(user)`: the Authorization header of a personal token of `user`."""
    return lambda user: personal_token(
        app, user, ["casemanagement.case.read", "casemanagement.case.write"]
    )


def test_the_api_uploads_lists_and_downloads_a_document(app, db, world, new_case, bearer):
    case = new_case()
    headers = bearer(world.manager)
    api = app.test_client()
    refused = api.post(
        f"/api/v1/casemanagement/cases/{case.id}/documents",
        data={"file": (io.BytesIO(HTML), "brief.pdf", "application/pdf")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    assert refused.get_json()["error"]["fields"][0]["field"] == "file"
    created = api.post(
        f"/api/v1/casemanagement/cases/{case.id}/documents",
        data={
            "file": (io.BytesIO(PDF), "brief.pdf", "text/plain"),
            "description": "Brief",
            "shared_with_resident": "true",
        },
        headers=headers,
        content_type="multipart/form-data",
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["content_type"] == "application/pdf" and body["shared_with_resident"] is True
    listed = api.get(f"/api/v1/casemanagement/cases/{case.id}/documents", headers=headers)
    assert [d["filename"] for d in listed.get_json()["items"]] == ["brief.pdf"]
    download = api.get(f"/api/v1/casemanagement/documents/{body['id']}/content", headers=headers)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    other = api.get(
        f"/api/v1/casemanagement/documents/{body['id']}/content", headers=bearer(world.outsider)
    )
    assert other.status_code == 404


def test_the_api_records_contact_moments_notes_and_handles_appointment_requests(
    app, db, world, new_case, bearer
):
    case = new_case()
    request = records.request_appointment(
        case, world.anna, subject="Gesprek", channel="phone", preferred_moments=""
    )
    db.commit()
    headers = bearer(world.manager)
    api = app.test_client()
    base = f"/api/v1/casemanagement/cases/{case.id}"
    moment = api.post(
        f"{base}/contact-moments",
        json={
            "occurred_at": "2026-03-02T14:30:00+01:00",
            "channel": "phone",
            "summary": "Gebeld",
            "visible_to_resident": True,
        },
        headers=headers,
    )
    assert moment.status_code == 201, moment.get_json()
    assert moment.get_json()["occurred_at"].startswith("2026-03-02T13:30:00")
    naive = api.post(
        f"{base}/contact-moments",
        json={"occurred_at": "2026-03-02T14:30:00", "channel": "phone", "summary": "x"},
        headers=headers,
    )
    assert naive.status_code == 400
    assert naive.get_json()["error"]["fields"][0]["field"] == "occurred_at"
    assert len(api.get(f"{base}/contact-moments", headers=headers).get_json()["items"]) == 1

    note = api.post(
        f"{base}/notes", json={"text": "Geheim", "confidentiality": "case_manager"}, headers=headers
    )
    assert note.status_code == 201
    colleague = api.get(f"{base}/notes", headers=bearer(world.colleague)).get_json()
    assert colleague["items"] == []

    listed = api.get(f"{base}/appointment-requests", headers=headers).get_json()["items"]
    assert [(r["id"], r["status"]) for r in listed] == [(str(request.id), "open")]
    handled = api.patch(
        f"/api/v1/casemanagement/appointment-requests/{request.id}",
        json={"status": "closed"},
        headers=headers,
    )
    assert handled.status_code == 200 and handled.get_json()["status"] == "closed"
