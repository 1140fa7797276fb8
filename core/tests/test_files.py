"""Uploads are judged by their content, and core's file store keeps content safely."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest

from openregie_core.files import LocalFolderStore
from openregie_sdk.files import UploadRefused, check_upload, file_store

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\x00" * 32


def test_a_pdf_is_accepted_and_its_type_comes_from_the_content():
    checked = check_upload("brief.pdf", PDF)
    assert (checked.filename, checked.content_type, checked.size) == (
        "brief.pdf",
        "application/pdf",
        len(PDF),
    )


def test_a_png_named_pdf_is_stored_as_the_image_it_is():
    assert check_upload("scan.pdf", PNG).content_type == "image/png"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),  # a Windows program
        ("brief.pdf", b"<html><script>alert(1)</script></html>"),
        ("notities.txt", b"gewone tekst"),
    ],
)
def test_content_that_is_not_an_allowed_document_is_refused_whatever_its_name(name, content):
    with pytest.raises(UploadRefused, match="niet toegestaan"):
        check_upload(name, content)


def test_an_empty_or_too_large_file_is_refused():
    with pytest.raises(UploadRefused, match="leeg"):
        check_upload("leeg.pdf", b"")
    with pytest.raises(UploadRefused, match="te groot"):
        check_upload("groot.pdf", PDF + b"0" * 2048, max_bytes=1024)


def test_folders_in_an_uploaded_name_are_dropped():
    assert check_upload("../../etc/passwd.pdf", PDF).filename == "passwd.pdf"
    assert check_upload("C:\\Users\\x\\brief.pdf", PDF).filename == "brief.pdf"


def test_the_local_store_round_trips_content_in_owner_only_files(tmp_path):
    store = LocalFolderStore(tmp_path / "files")
    key = store.put(PDF)
    assert store.get(key) == PDF
    path = next((tmp_path / "files").rglob(key))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    store.delete(key)
    with pytest.raises(KeyError):
        store.get(key)
    store.delete(key)  # deleting again is no error


def test_the_store_refuses_keys_that_could_escape_its_folder(tmp_path):
    store = LocalFolderStore(tmp_path / "files")
    with pytest.raises(KeyError):
        store.get("../../secret_key")


def test_modules_reach_the_installations_store_in_the_instance_folder_through_the_sdk(app):
    with app.app_context():
        key = file_store().put(b"inhoud")
        assert file_store().get(key) == b"inhoud"
    instance = app.extensions["openregie"].settings.instance_path
    assert next((instance / "files").rglob(key)).read_bytes() == b"inhoud"


def _archive(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


WORD = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:t>Hallo</w:t>"}


def test_an_ordinary_word_document_is_accepted():
    checked = check_upload("brief.docx", _archive(WORD))
    assert checked.content_type.endswith("wordprocessingml.document")


def test_a_word_document_that_unpacks_a_hundredfold_is_refused_as_a_zip_bomb():
    bomb = _archive({**WORD, "word/document.xml": b"\0" * 8_000_000})
    assert len(bomb) < 100_000
    with pytest.raises(UploadRefused, match="pakt uit"):
        check_upload("brief.docx", bomb)


def test_a_plain_zip_bomb_is_refused_as_a_type_that_is_not_allowed():
    with pytest.raises(UploadRefused, match="niet toegestaan"):
        check_upload("archief.zip", _archive({"nullen.bin": b"\0" * 8_000_000}))


def test_a_damaged_word_document_is_refused():
    truncated = _archive(WORD)[:-40]  # the table of contents is cut off
    with pytest.raises(UploadRefused, match=r"beschadigd|niet toegestaan"):
        check_upload("brief.docx", truncated)
