"""Core's file store: a local folder (the SDK's `FileStore`), `<instance>/files` by default
or `OPENREGIE_FILES_PATH`. Content is stored under a random key, fanned out over
sub-folders, written to a temporary file first and renamed, so a half-written file never
appears under its key. Folders are created owner-only (0700), files 0600."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

KEY_PATTERN = re.compile(r"^[0-9a-f]{32}$")


class LocalFolderStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not KEY_PATTERN.fullmatch(key):
            raise KeyError(key)
        return self.root / key[:2] / key

    def put(self, content: bytes) -> str:
        key = secrets.token_hex(16)
        path = self._path(key)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_suffix(".part")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
        temporary.replace(path)
        return key

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as exc:
            raise KeyError(key) from exc

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except KeyError:
            return
