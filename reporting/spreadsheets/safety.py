"""What a spreadsheet must be before anything reads it.

A file is typed by its content (magic bytes and zip structure), never by its
name; a name that disagrees with the content is refused. Zip containers (.xlsx,
.ods) are inflated entry by entry against a hard limit before a parser sees
them, so a zip bomb costs us at most the limit. Macros are refused wherever
they hide (``vbaProject.bin``, a macro-enabled content type, an ODF ``Basic/``
library, an ``_VBA_PROJECT_CUR`` stream in an .xls). Every refusal is one
sentence in the reader's language (the active one; a parsing child shares it)
with a stable ``code``.
"""

import codecs
import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from itertools import chain

from defusedxml import ElementTree
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from common.personal_data import find_personal_data, personal_data_names

# Formats the reader accepts, by the extension a user gives them.
EXTENSIONS = {"xlsx": "xlsx", "xls": "xls", "ods": "ods", "csv": "csv"}
MACRO_EXTENSIONS = {"xlsm", "xltm", "xlsb", "xlam", "ods#macro"}

# A monthly report is a few dozen cells; a historical import is big.
MONTHLY_MAX_BYTES = 2 * 1024 * 1024
BULK_MAX_BYTES = 50 * 1024 * 1024
MONTHLY_MAX_UNCOMPRESSED = 20 * 1024 * 1024
BULK_MAX_UNCOMPRESSED = 400 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for the whole archive
MAX_ENTRIES = 2_000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
MACRO_CONTENT_TYPES = (
    "application/vnd.ms-office.vbaproject",
    "application/vnd.ms-excel.sheet.macroenabled",
    "application/vnd.ms-excel.template.macroenabled",
    "application/vnd.ms-excel.addin.macroenabled",
    "application/vnd.ms-excel.sheet.binary.macroenabled",
)


class SpreadsheetRefused(Exception):
    """The file as a whole is refused; ``message`` is in the reader's language,
    ``code`` names the refusal (tests and programs match on it)."""

    def __init__(self, message: str, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.code = getattr(message, "code", None) or code

    def __reduce__(self):
        # Raised in the parsing child: keep the code across the pipe.
        return (SpreadsheetRefused, (self.message, self.code))


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_uncompressed: int

    @classmethod
    def monthly(cls) -> "Limits":
        return cls(MONTHLY_MAX_BYTES, MONTHLY_MAX_UNCOMPRESSED)

    @classmethod
    def bulk(cls) -> "Limits":
        return cls(BULK_MAX_BYTES, BULK_MAX_UNCOMPRESSED)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def extension_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def inspect_file(data: bytes, filename: str, *, limits: Limits) -> str:
    """The file's kind ("xlsx", "xls", "ods" or "csv") once it has passed every
    check; ``SpreadsheetRefused`` otherwise."""
    extension = extension_of(filename)
    if extension in MACRO_EXTENSIONS:
        raise SpreadsheetRefused(
            _(
                "Macro-enabled files (.%(extension)s) are not accepted; save the file as .xlsx."
            )
            % {"extension": extension},
            "macro_extension",
        )
    if extension not in EXTENSIONS:
        raise SpreadsheetRefused(
            _("Unsupported file type (.%(extension)s); use .xlsx, .xls, .ods or .csv.")
            % {"extension": extension or "?"},
            "unsupported_type",
        )
    if len(data) > limits.max_bytes:
        raise SpreadsheetRefused(
            _("The file is too large (%(size)s; at most %(limit)s).")
            % {"size": _mb(len(data)), "limit": _mb(limits.max_bytes)},
            "too_large",
        )
    if not data:
        raise SpreadsheetRefused(_("The file is empty."), "empty")
    kind = _kind_by_content(data, limits)
    if kind != EXTENSIONS[extension]:
        raise SpreadsheetRefused(_mismatch_message(kind, extension), "type_mismatch")
    return kind


def _what_it_is(kind: str) -> str | None:
    """What a person would call a file of a recognised kind that is not a spreadsheet."""
    return {
        "pdf": _("a PDF document"),
        "image": _("an image"),
        "word": _("a Word document"),
        "hwp": _("a Hangul (HWP/HWPX) document"),
        "powerpoint": _("a PowerPoint presentation"),
        "odt": _("an OpenDocument text or presentation"),
        "html": _("a web page (HTML)"),
        "zip": _("a zip archive"),
        "xlsb": _("an Excel binary workbook (.xlsb)"),
    }.get(kind)


SPREADSHEET_NAMES = {
    "xlsx": "Excel (.xlsx)",
    "xls": "Excel 97–2003 (.xls)",
    "ods": "OpenDocument (.ods)",
    "csv": "CSV (.csv)",
}


def _mismatch_message(kind: str, extension: str) -> str:
    """Say what the file really is and what to do, not just that it differs."""
    if kind in SPREADSHEET_NAMES:
        return _(
            "This file is a spreadsheet in the %(real)s format, but its name ends in .%(extension)s; rename it "
            "to .%(kind)s (or save it again as .%(extension)s) and upload it again."
        ) % {"real": SPREADSHEET_NAMES[kind], "extension": extension, "kind": kind}
    what = _what_it_is(kind)
    if what is not None:
        return _(
            "This file is %(what)s, not an Excel workbook; upload the filled-in report as .xlsx "
            "(or .xls, .ods, .csv)."
        ) % {"what": what}
    return _(
        "This file is not a spreadsheet (its content is neither Excel, OpenDocument nor CSV text); upload "
        "the filled-in report as .xlsx (or .xls, .ods, .csv)."
    )


IMAGE_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",
    b"MM\x00*",
    b"BM",
)


def _kind_by_content(data: bytes, limits: Limits) -> str:
    if data.startswith(ZIP_MAGIC):
        return _zip_kind(data, limits)
    if data.startswith(OLE_MAGIC):
        return _ole_kind(data)
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    return _text_kind(data)


def _zip_kind(data: bytes, limits: Limits) -> str:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise SpreadsheetRefused(_damaged("zip"), "damaged") from None
    if len(entries) > MAX_ENTRIES:
        raise SpreadsheetRefused(
            _("The archive has too many entries (%(count)s).")
            % {"count": f"{len(entries):,}"},
            "too_many_entries",
        )
    _check_expansion(archive, entries, len(data), limits)
    names = {entry.filename for entry in entries}
    lowered = {name.lower() for name in names}
    if any(
        name.endswith("vbaproject.bin") or name.startswith("basic/") for name in lowered
    ):
        raise SpreadsheetRefused(_macro_message(), "macro")
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        content_types = archive.read("[Content_Types].xml")
        _refuse_macro_content_types(content_types)
        return "xlsx"
    mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
    if mimetype == ODS_MIMETYPE:
        manifest = "META-INF/manifest.xml"
        if manifest in names and b"basic" in archive.read(manifest).lower():
            raise SpreadsheetRefused(_macro_message(), "macro")
        return "ods"
    if "word/document.xml" in names:
        return "word"
    if "ppt/presentation.xml" in names:
        return "powerpoint"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if mimetype.startswith(b"application/hwp") or "Contents/content.hpf" in names:
        return "hwp"
    if mimetype.startswith(b"application/vnd.oasis.opendocument."):
        return "odt"
    return "zip"


def _check_expansion(
    archive: zipfile.ZipFile, entries, compressed: int, limits: Limits
) -> None:
    """Inflate every entry, counting real bytes (headers can lie), and stop at
    the limit: the whole archive, and its ratio to the file's size."""
    declared = sum(entry.file_size for entry in entries)
    too_big = SpreadsheetRefused(
        _("The archive expands beyond the limit (%(limit)s).")
        % {"limit": _mb(limits.max_uncompressed)},
        "zip_bomb",
    )
    if (
        declared > limits.max_uncompressed
        or declared > MAX_RATIO * max(compressed, 1) + 1_000_000
    ):
        raise too_big
    total = 0
    for entry in entries:
        try:
            with archive.open(entry) as stream:
                while chunk := stream.read(1 << 20):
                    total += len(chunk)
                    if total > limits.max_uncompressed:
                        raise too_big
        except (
            zipfile.BadZipFile,
            OSError,
            EOFError,
            NotImplementedError,
            RuntimeError,
        ):
            raise SpreadsheetRefused(_damaged("zip"), "damaged") from None
    if total > MAX_RATIO * max(compressed, 1) + 1_000_000:
        raise too_big


def _refuse_macro_content_types(content_types: bytes) -> None:
    try:
        root = ElementTree.fromstring(content_types)
    except Exception:
        raise SpreadsheetRefused(_damaged("xlsx"), "damaged") from None
    for element in root.iter():
        content_type = (element.attrib.get("ContentType") or "").lower()
        if content_type.startswith(MACRO_CONTENT_TYPES):
            raise SpreadsheetRefused(_macro_message(), "macro")


def _damaged(kind: str) -> str:
    return _("The file is damaged (%(kind)s).") % {"kind": kind}


def _macro_message() -> str:
    return _(
        "Files with macros are not accepted; save the file as .xlsx without macros."
    )


def _ole_kind(data: bytes) -> str:
    # An OLE compound file is an .xls when it holds a "Workbook" (BIFF8) or
    # "Book" (BIFF5) stream; directory entry names are UTF-16.
    if "_VBA_PROJECT_CUR".encode("utf-16-le") in data:
        raise SpreadsheetRefused(_macro_message(), "macro")
    # Other programs' compound files first: their text (UTF-16 too) may say "Book".
    if (
        "HwpSummaryInformation".encode("utf-16-le") in data
        or b"HWP Document File" in data[:65536]
    ):
        return "hwp"
    if "WordDocument".encode("utf-16-le") in data:
        return "word"
    if "PowerPoint Document".encode("utf-16-le") in data:
        return "powerpoint"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise SpreadsheetRefused(
            _("Password-protected files cannot be read."), "password_protected"
        )
    return "ole"


def _text_kind(data: bytes) -> str:
    head = data[:65536]
    if b"\x00" in head:
        return "binary"
    try:
        decode_text(head, final=False)
    except UnicodeDecodeError:
        return "binary"
    # Systems that "export to Excel" often write a web page named .xls.
    if (
        head.lstrip(b"\xef\xbb\xbf \t\r\n")[:15]
        .lower()
        .startswith((b"<!doctype html", b"<html", b"<table"))
    ):
        return "html"
    return "csv"


def decode_text(data: bytes, *, final: bool = True) -> str:
    """CSV text: UTF-8 (with or without BOM), else CP949 as Korean Excel saves it."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return codecs.getincrementaldecoder(encoding)().decode(data, final=final)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("utf-8", data[:1], 0, 1, "neither UTF-8 nor CP949")


# --- personal data --------------------------------------------------------


def reader_is_english() -> bool:
    """Whether the person reading (the active language) reads English; Korean
    is the default."""
    return (get_language() or "ko").startswith("en")


@dataclass(frozen=True)
class CellProblem:
    """A message about one cell: sheet, address, and its text in each language."""

    sheet: str
    cell: str
    message_ko: str
    message_en: str
    code: str = ""

    @classmethod
    def shown(cls, sheet: str, cell: str, text: str, code: str = "") -> "CellProblem":
        """A problem whose text is already in the reader's language (a check's
        message); its code is the message's when it has one."""
        return cls(sheet, cell, text, text, getattr(text, "code", "") or code)

    @property
    def message(self) -> str:
        """The problem with its sheet and cell, in the reader's language."""
        if reader_is_english():
            where = (
                f"sheet {self.sheet}, cell {self.cell}: "
                if self.cell
                else f"sheet {self.sheet}: "
            )
            return f"{where}{self.message_en}"
        where = (
            f"{self.sheet} 시트 {self.cell}: " if self.cell else f"{self.sheet} 시트: "
        )
        return f"{where}{self.message_ko}"

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "cell": self.cell,
            "message": self.message,
            "code": self.code,
        }


PERSONAL_DATA = "personal_data"

# Cheap first look: an "@" or ten digits close together; only then the full patterns.
_MAYBE_PERSONAL = re.compile(r"@|(?:\d\D{0,3}){10}")


def personal_data_problems(sheets) -> list[CellProblem]:
    """Every text cell of every sheet (hidden ones too) that looks like personal
    data, named by its cell. Long files repeat the same texts, so distinct
    texts are looked at first and cells are searched only when one is found."""
    from .reader import cell_address

    suspicious = set()
    for sheet in sheets.values():
        distinct = set(chain.from_iterable(sheet.rows))
        suspicious |= {
            value
            for value in distinct
            if type(value) is str
            and _MAYBE_PERSONAL.search(value)
            and find_personal_data(value)
        }
    if not suspicious:
        return []
    problems = []
    for sheet in sheets.values():
        for row_index, row in enumerate(sheet.rows):
            for column_index, value in enumerate(row):
                if type(value) is str and value in suspicious:
                    ko, en = personal_data_names(find_personal_data(value))
                    problems.append(
                        CellProblem(
                            sheet.name,
                            cell_address(row_index, column_index),
                            f"개인정보({ko})로 보이는 내용이 있습니다. 보고에는 건수만 적습니다.",
                            f"this looks like personal data ({en}); reports carry counts only.",
                            PERSONAL_DATA,
                        )
                    )
    return problems
