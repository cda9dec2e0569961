"""What a proposal attachment may be: PDF, HWP, HWPX, DOCX or XLSX, judged by
its content (not its name), whole (the parts each format needs), without
macros, not a zip bomb, and no larger than the configured limit.

Zip containers go through ``common.file_checks`` (the spreadsheet upload's
rules: inflation against a hard limit and a ratio, macro parts and content
types) before their parts are looked at. Every refusal says what to do, in
the reader's language."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from common.file_checks import FileRefused, ZipLimits, open_checked_zip

ALLOWED_EXTENSIONS = ("pdf", "hwp", "hwpx", "docx", "xlsx")
DEFAULT_MAX_SIZE = 20 * 1024 * 1024
DEFAULT_MAX_UNCOMPRESSED = 200 * 1024 * 1024
PDF_TAIL = 2048  # %%EOF closes the file; some writers add a few bytes after it

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
HWP_SIGNATURE = b"HWP Document File"
HWP_FILEHEADER_ENTRY = "FileHeader".encode("utf-16-le")
HWPX_MIMETYPE = b"application/hwp+zip"

# The parts without which a container is not a document of its kind.
REQUIRED_PARTS = {
    "docx": ("[Content_Types].xml", "word/document.xml"),
    "xlsx": ("[Content_Types].xml", "xl/workbook.xml"),
    "hwpx": ("mimetype", "Contents/"),
}


def max_attachment_size() -> int:
    return getattr(settings, "PROPOSAL_ATTACHMENT_MAX_SIZE", DEFAULT_MAX_SIZE)


def max_uncompressed_size() -> int:
    return getattr(
        settings, "PROPOSAL_ATTACHMENT_MAX_UNCOMPRESSED", DEFAULT_MAX_UNCOMPRESSED
    )


class _Incomplete(Exception):
    def __init__(self, kind: str, part: str):
        self.kind, self.part = kind, part


def _zip_kind(archive: zipfile.ZipFile) -> str | None:
    names = set(archive.namelist())
    if "word/document.xml" in names:
        kind = "docx"
    elif "xl/workbook.xml" in names:
        kind = "xlsx"
    elif "mimetype" in names or any(name.startswith("Contents/") for name in names):
        kind = "hwpx"
    else:
        return None
    for part in REQUIRED_PARTS[kind]:
        present = (
            any(name.startswith(part) for name in names)
            if part.endswith("/")
            else part in names
        )
        if not present:
            raise _Incomplete(kind, part)
    if kind == "hwpx" and not archive.read("mimetype")[:64].strip().startswith(
        HWPX_MIMETYPE
    ):
        raise _Incomplete(kind, "mimetype application/hwp+zip")
    return kind


def _pdf_is_whole(uploaded, size: int) -> bool:
    uploaded.seek(max(size - PDF_TAIL, 0))
    return b"%%EOF" in uploaded.read(PDF_TAIL)


def detect_kind(uploaded, *, name: str = "", size: int | None = None) -> str | None:
    """The kind of document the bytes are, or None when none we accept.
    Raises ``FileRefused`` for a zip bomb, macros or a damaged container, and
    ``_Incomplete`` for a document missing a part its format needs."""
    if size is None:
        uploaded.seek(0, 2)
        size = uploaded.tell()
    uploaded.seek(0)
    head = uploaded.read(8)
    kind = None
    if head.startswith(b"%PDF-"):
        if not _pdf_is_whole(uploaded, size):
            raise _Incomplete("pdf", "%%EOF")
        kind = "pdf"
    elif head.startswith(OLE_MAGIC):
        # HWP 5 is an OLE compound file with a FileHeader stream holding the
        # signature; the small stream and its directory entry sit near the start.
        uploaded.seek(0)
        start = uploaded.read(2 * 1024 * 1024)
        if HWP_SIGNATURE in start or HWP_FILEHEADER_ENTRY in start:
            kind = "hwp"
    elif head.startswith(ZIP_MAGIC):
        archive = open_checked_zip(
            uploaded, name=name, size=size, limits=ZipLimits(max_uncompressed_size())
        )
        kind = _zip_kind(archive)
    uploaded.seek(0)
    return kind


def validate_attachment(value) -> None:
    # Files already stored were checked when they came in.
    if getattr(value, "_committed", False):
        return
    uploaded = getattr(value, "file", value)
    name = value.name.rsplit("/", 1)[-1]
    size = getattr(value, "size", None)
    if size == 0:
        raise ValidationError(
            _("%(name)s is empty. Attach the document itself, saved with its content.")
            % {"name": name}
        )
    if size is not None and size > max_attachment_size():
        raise ValidationError(
            _(
                "%(name)s is %(size)s; attachments may be at most %(limit)s. Make it smaller "
                "(for example, lower the resolution of its images or split it in parts) and "
                "attach it again."
            )
            % {
                "name": name,
                "size": filesizeformat(size),
                "limit": filesizeformat(max_attachment_size()),
            }
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _(
                "%(name)s cannot be attached: only PDF, HWP, HWPX, DOCX and XLSX files are "
                "accepted. Save it in one of these formats and attach it again."
            )
            % {"name": name}
        )
    try:
        kind = detect_kind(uploaded, name=name, size=size)
    except FileRefused as refusal:
        raise ValidationError(refusal.message) from None
    except _Incomplete as incomplete:
        raise ValidationError(
            _(
                "%(name)s is not a complete %(kind)s document (%(part)s is missing). Save it "
                "again from the program that made it and attach the new file."
            )
            % {"name": name, "kind": incomplete.kind.upper(), "part": incomplete.part}
        ) from None
    if kind != extension:
        raise ValidationError(
            _(
                "The content of %(name)s is not a %(extension)s document. Check that you "
                "chose the right file, or save it again as %(extension)s."
            )
            % {"name": name, "extension": extension.upper()}
        )
