"""Uploads waiting for confirmation, kept in private storage by content hash.

The preview stores the file and hands the browser a signed token (who, which
report, which hash); confirming reads the same bytes back, so what is saved is
exactly what was previewed. No model is needed.
"""

import hashlib

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import storages

SALT = "reporting.spreadsheets.upload"
MAX_AGE = 24 * 3600
FOLDER = "spreadsheet-uploads"


def _storage():
    return storages["private"]


def stored_upload_save(data: bytes, filename: str) -> str:
    """Store the bytes under their hash (same content, same name); returns the name."""
    digest = hashlib.sha256(data).hexdigest()
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    name = f"{FOLDER}/{digest}.{extension[:8]}"
    storage = _storage()
    if not storage.exists(name):
        storage.save(name, ContentFile(data))
    return name


def stored_upload_read(name: str) -> bytes:
    if not name.startswith(f"{FOLDER}/") or ".." in name:
        raise FileNotFoundError(name)
    with _storage().open(name, "rb") as stored:
        return stored.read()


def stored_upload_delete(name: str) -> None:
    storage = _storage()
    if storage.exists(name):
        storage.delete(name)


def upload_token(*, user_id: int, stored_name: str, filename: str, **extra) -> str:
    return signing.dumps({"u": user_id, "s": stored_name, "f": filename, **extra}, salt=SALT)


def read_upload_token(token: str, *, user_id: int) -> dict:
    """The token's content; ``signing.BadSignature`` when forged, expired or another user's."""
    payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    if payload.get("u") != user_id:
        raise signing.BadSignature("another user's upload")
    return payload
