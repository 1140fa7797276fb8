"""Stored files (documents) and the check every upload passes.

Modules keep file *content* behind core's file store, never in their own tables or folders:
`file_store()` gives the installation's store (a local folder by default; a deployment may
configure another implementation of `FileStore`). Keep the key it returns in your table.

Every upload goes through `check_upload` first: the type is decided by the content's magic
bytes, never by the file name or the browser's content type, and size limits apply.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import Protocol, runtime_checkable

import filetype

from openregie_sdk.runtime import runtime

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# The document types a case file may hold: content type -> what a person calls it.
DOCUMENT_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG-afbeelding",
    "image/png": "PNG-afbeelding",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word-document",
    "application/vnd.oasis.opendocument.text": "OpenDocument-tekst",
}
FILENAME_MAX = 200
# Documents that are zip archives (Word, OpenDocument) are judged by their table of contents,
# never unpacked here: an archive that would unpack to more than this, or a member that
# compresses better than the ratio (a "zip bomb"), is refused. (Since SDK 1.2.)
ZIP_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
        "application/zip",
    }
)
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 10_000
MAX_COMPRESSION_RATIO = 100


@runtime_checkable
class FileStore(Protocol):
    """Where file content lives. Keys are opaque strings chosen by the store."""

    def put(self, content: bytes) -> str:
        """Store `content`; return its key."""
        ...

    def get(self, key: str) -> bytes:
        """The content under `key`; KeyError when there is none."""
        ...

    def delete(self, key: str) -> None:
        """Remove the content under `key` (no error when it is already gone)."""
        ...


class UploadRefused(ValueError):
    """An upload that may not be stored; the message says why, in Dutch, for the user."""


@dataclass(frozen=True, slots=True)
class CheckedUpload:
    filename: str
    content_type: str
    size: int


def check_upload(
    filename: str,
    content: bytes,
    *,
    allowed: dict[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> CheckedUpload:
    """Decide whether an upload may be stored. Returns the cleaned file name (no folders),
    the content type found in the content and the size. Raises `UploadRefused` for an empty
    file, one larger than `max_bytes`, or content that is not one of `allowed` (by default
    `DOCUMENT_TYPES`) — whatever its name or declared type say — and (since 1.2) a damaged
    zip-based document or a zip bomb (see `MAX_UNPACKED_BYTES`)."""
    allowed = DOCUMENT_TYPES if allowed is None else allowed
    name = PurePath((filename or "").replace("\\", "/")).name.strip()[:FILENAME_MAX]
    if not content:
        raise UploadRefused("Het bestand is leeg.")
    if len(content) > max_bytes:
        raise UploadRefused(
            f"Het bestand is te groot ({len(content) // 1024} kB); "
            f"het maximum is {max_bytes // (1024 * 1024)} MB."
        )
    kind = filetype.guess(content)
    if kind is None or kind.mime not in allowed:
        names = ", ".join(sorted(set(allowed.values())))
        raise UploadRefused(f"Dit soort bestand is niet toegestaan. Toegestaan: {names}.")
    if kind.mime in ZIP_TYPES:
        _check_archive(content)
    return CheckedUpload(
        filename=name or f"document.{kind.extension}", content_type=kind.mime, size=len(content)
    )


def _check_archive(content: bytes) -> None:
    """Refuse a damaged archive or one that unpacks to far more than it is (read from its
    table of contents only; nothing is decompressed)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise UploadRefused("Het bestand is beschadigd en kan niet worden gelezen.") from error
    unpacked = sum(member.file_size for member in members)
    bomb = any(
        member.file_size > 1024 * 1024
        and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if len(members) > MAX_ARCHIVE_MEMBERS or unpacked > MAX_UNPACKED_BYTES or bomb:
        raise UploadRefused(
            "Het bestand pakt uit tot veel meer dan het groot is en wordt daarom niet opgeslagen."
        )


def file_store() -> FileStore:
    """The installation's file store (RuntimeError outside an application)."""
    return runtime().file_store()
