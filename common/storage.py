"""Stored files, whichever node asks: the storage API only, never a local path.

Private files live in ``storages["private"]`` and public media in
``storages["default"]``: a folder (on one machine, or a NAS mount every node
shares) or S3-compatible object storage, as ``SANGSAENG_STORAGE`` says
(config/settings/base.py). Nothing here knows which: it opens, lists, saves and
deletes through the storage, so a file saved by the worker on one node is
downloaded from another.
"""

from collections.abc import Iterator

from django.conf import settings
from django.core.files.storage import Storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header


def stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in the storage under ``folder``, depth first: what a
    backup copies. An absent folder (a fresh installation) has none."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for child in sorted(folders):
        yield from stored_names(storage, f"{folder}/{child}" if folder else child)


def signs_addresses(storage: Storage) -> bool:
    """Whether the storage can hand out a short-lived signed address of a
    private object (S3 with query-string signatures), which a folder cannot."""
    return bool(getattr(storage, "querystring_auth", False)) and hasattr(
        storage, "bucket_name"
    )


def stored_file_response(
    field_file, *, filename: str | None = None
) -> HttpResponseBase:
    """The answer to a download of a private file, for a view that has already
    asked the access module (``accounts.access``) — never before.

    Streams the file through the application (the default), or, with S3 and
    ``SANGSAENG_S3_SIGNED_REDIRECT``, redirects to a signed address valid for
    ``SANGSAENG_S3_SIGNED_SECONDS`` (60 s) that names the download the same
    way. A file missing from the storage is a 404, not an error page."""
    if not field_file:
        raise Http404
    name = filename or field_file.name.rsplit("/", 1)[-1]
    storage = field_file.storage
    if settings.SANGSAENG_S3_SIGNED_REDIRECT and signs_addresses(storage):
        if not storage.exists(field_file.name):
            raise Http404
        address = storage.url(
            field_file.name,
            parameters={
                "ResponseContentDisposition": content_disposition_header(True, name)
            },
            expire=settings.SANGSAENG_S3_SIGNED_SECONDS,
        )
        response = HttpResponseRedirect(address)
        # The address is this person's, for a minute: no cache keeps it.
        response["Cache-Control"] = "private, no-store"
        return response
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=name)
