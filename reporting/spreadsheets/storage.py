"""Uploads waiting for confirmation, kept in private storage by content hash.

The preview stores the file and hands the browser a signed token (who, which
report, which hash); confirming reads the same bytes back, so what is saved is
exactly what was previewed. No model is needed. Uploads older than a day
are deleted by ``stale_uploads_delete`` (hourly, Celery beat).

Only the storage API is used (``storages["private"]``: a shared folder or
S3-compatible storage), so a preview made on one node is confirmed on another.
"""

import hashlib
from datetime import timedelta

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
    if storage.exists(name):
        return name
    # Two nodes storing the same bytes at once: the second copy gets a name of
    # its own (never an overwrite), and the token names the copy this one saved.
    return storage.save(name, ContentFile(data))


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
    return signing.dumps(
        {"u": user_id, "s": stored_name, "f": filename, **extra}, salt=SALT
    )


def read_upload_token(token: str, *, user_id: int) -> dict:
    """The token's content; ``signing.BadSignature`` when forged, expired or another user's."""
    payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    if payload.get("u") != user_id:
        raise signing.BadSignature("another user's upload")
    return payload


def stale_uploads_delete(
    *, now, max_age: timedelta = timedelta(seconds=MAX_AGE)
) -> list[str]:
    """Delete uploads older than ``max_age`` (a day: the token's life), so a file
    previewed and never confirmed does not stay in private storage (and its
    backups) forever. A file a pending or running background job still needs
    is kept. Returns the names deleted."""
    from common.models import BackgroundJob

    storage = _storage()
    try:
        _folders, files = storage.listdir(FOLDER)
    except FileNotFoundError:
        return []
    in_use = {
        job.parameters.get("stored_name")
        for job in BackgroundJob.objects.filter(
            status__in=[BackgroundJob.Status.PENDING, BackgroundJob.Status.RUNNING]
        ).only("parameters")
    }
    deleted = []
    for filename in files:
        name = f"{FOLDER}/{filename}"
        if name in in_use:
            continue
        try:
            if now - storage.get_modified_time(name) <= max_age:
                continue
            storage.delete(name)
        except FileNotFoundError:
            continue  # confirmed and deleted meanwhile
        deleted.append(name)
    return deleted
