"""What a zip container (DOCX, XLSX, HWPX) must be before anything keeps it.

The same rules as the spreadsheet upload (reporting/spreadsheets/safety.py),
with messages in the reader's language: every entry is inflated against a
hard limit, counting real bytes (headers can lie), so a zip bomb costs at most
the limit; the archive's expansion ratio is bounded; macros are refused
wherever they hide (``vbaProject.bin``, a macro-enabled or VBA content type).
"""

import zipfile
from dataclasses import dataclass

from defusedxml import ElementTree
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_RATIO = 200  # uncompressed / compressed, for the whole archive
RATIO_ALLOWANCE = 1_000_000  # small archives of tiny parts inflate a lot, harmlessly
MAX_ENTRIES = 5_000
CHUNK = 1 << 20
MACRO_CONTENT_TYPE_MARKS = ("macroenabled", "vbaproject", "vbadata", "activex")


class FileRefused(Exception):
    """The file is refused; ``message`` is one sentence in the active language
    that says what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ZipLimits:
    max_uncompressed: int
    max_ratio: int = MAX_RATIO
    max_entries: int = MAX_ENTRIES


def _too_big(name: str, limits: ZipLimits) -> FileRefused:
    return FileRefused(
        _(
            "%(name)s unpacks to more than %(limit)s, which a real document of this kind "
            "never does. Save it again from the program that made it, or attach it as PDF."
        )
        % {"name": name, "limit": filesizeformat(limits.max_uncompressed)}
    )


def _damaged(name: str) -> FileRefused:
    return FileRefused(
        _(
            "%(name)s is damaged and cannot be opened. Save it again from the program "
            "that made it and attach the new file."
        )
        % {"name": name}
    )


def _macros(name: str) -> FileRefused:
    return FileRefused(
        _(
            "%(name)s contains macros, which are not accepted. Save it without macros "
            "(as .docx or .xlsx, not .docm or .xlsm) or as PDF, and attach it again."
        )
        % {"name": name}
    )


def open_checked_zip(
    fileobj, *, name: str, size: int, limits: ZipLimits
) -> zipfile.ZipFile:
    """The archive, once it has passed the expansion and macro checks;
    ``FileRefused`` otherwise. Reading its parts afterwards is bounded by
    the limit already proven."""
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise _damaged(name) from None
    if len(entries) > limits.max_entries:
        raise FileRefused(
            _(
                "%(name)s holds %(count)s parts, far more than a document has. Save it "
                "again from the program that made it, or attach it as PDF."
            )
            % {"name": name, "count": len(entries)}
        )
    ratio_limit = limits.max_ratio * max(size, 1) + RATIO_ALLOWANCE
    declared = sum(entry.file_size for entry in entries)
    if declared > limits.max_uncompressed or declared > ratio_limit:
        raise _too_big(name, limits)
    total = 0
    for entry in entries:
        try:
            with archive.open(entry) as stream:
                while chunk := stream.read(CHUNK):
                    total += len(chunk)
                    if total > limits.max_uncompressed or total > ratio_limit:
                        raise _too_big(name, limits)
        except (
            zipfile.BadZipFile,
            OSError,
            EOFError,
            NotImplementedError,
            RuntimeError,
            ValueError,
        ):
            raise _damaged(name) from None
    names = {entry.filename.lower() for entry in entries}
    if any(
        part.endswith("vbaproject.bin") or part.endswith("vbadata.xml")
        for part in names
    ):
        raise _macros(name)
    content_types = next(
        (
            entry.filename
            for entry in entries
            if entry.filename.lower() == "[content_types].xml"
        ),
        None,
    )
    if content_types is not None:
        _refuse_macro_content_types(archive.read(content_types), name)
    return archive


def _refuse_macro_content_types(content_types: bytes, name: str) -> None:
    try:
        root = ElementTree.fromstring(content_types)
    except Exception:
        raise _damaged(name) from None
    for element in root.iter():
        content_type = (element.attrib.get("ContentType") or "").lower()
        if any(mark in content_type for mark in MACRO_CONTENT_TYPE_MARKS):
            raise _macros(name)
