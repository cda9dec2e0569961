"""What a proposal attachment may be: PDF, HWP, HWPX, DOCX or XLSX, judged by
its content (not its name), and no larger than the configured limit."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

ALLOWED_EXTENSIONS = ("pdf", "hwp", "hwpx", "docx", "xlsx")
DEFAULT_MAX_SIZE = 20 * 1024 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
HWP_SIGNATURE = b"HWP Document File"
HWP_FILEHEADER_ENTRY = "FileHeader".encode("utf-16-le")


def max_attachment_size() -> int:
    return getattr(settings, "PROPOSAL_ATTACHMENT_MAX_SIZE", DEFAULT_MAX_SIZE)


def _zip_names(uploaded) -> set[str]:
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            return set(archive.namelist())
    except zipfile.BadZipFile:
        return set()


def _hwpx_mimetype(uploaded) -> bytes:
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            return archive.read("mimetype")[:64]
    except (zipfile.BadZipFile, KeyError):
        return b""


def detect_kind(uploaded) -> str | None:
    """The kind of document the bytes are, or None when none we accept."""
    uploaded.seek(0)
    head = uploaded.read(8)
    kind = None
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(OLE_MAGIC):
        # HWP 5 is an OLE compound file with a FileHeader stream holding the
        # signature; the small stream and its directory entry sit near the start.
        uploaded.seek(0)
        start = uploaded.read(2 * 1024 * 1024)
        if HWP_SIGNATURE in start or HWP_FILEHEADER_ENTRY in start:
            kind = "hwp"
    elif head.startswith(ZIP_MAGIC):
        names = _zip_names(uploaded)
        if "word/document.xml" in names:
            kind = "docx"
        elif "xl/workbook.xml" in names:
            kind = "xlsx"
        elif "Contents/content.hpf" in names or _hwpx_mimetype(uploaded).startswith(
            b"application/hwp+zip"
        ):
            kind = "hwpx"
    uploaded.seek(0)
    return kind


def validate_attachment(value) -> None:
    # Files already stored were checked when they came in.
    if getattr(value, "_committed", False):
        return
    uploaded = getattr(value, "file", value)
    size = getattr(value, "size", None)
    if size is not None and size > max_attachment_size():
        raise ValidationError(
            _("The file is %(size)s; attachments may be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_attachment_size())}
        )
    extension = value.name.rsplit(".", 1)[-1].lower() if "." in value.name else ""
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("Only PDF, HWP, HWPX, DOCX and XLSX files may be attached.")
        )
    kind = detect_kind(uploaded)
    if kind != extension:
        raise ValidationError(
            _("The content of %(name)s is not a %(extension)s document.")
            % {"name": value.name.rsplit("/", 1)[-1], "extension": extension.upper()}
        )
