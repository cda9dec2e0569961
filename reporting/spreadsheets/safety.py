"""What a spreadsheet must be before anything reads it.

A file is typed by its content (magic bytes and zip structure), never by its
name; a name that disagrees with the content is refused. Zip containers (.xlsx,
.ods) are inflated entry by entry against a hard limit before a parser sees
them, so a zip bomb costs us at most the limit. Macros are refused wherever
they hide (``vbaProject.bin``, a macro-enabled content type, an ODF ``Basic/``
library, an ``_VBA_PROJECT_CUR`` stream in an .xls). Every refusal is one
bilingual sentence, "한국어 / English".
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
    """The file as a whole is refused; ``message`` is bilingual."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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
            f"매크로가 들어 있을 수 있는 형식(.{extension})은 받지 않습니다. .xlsx로 저장해 주세요. "
            f"/ Macro-enabled files (.{extension}) are not accepted; save the file as .xlsx."
        )
    if extension not in EXTENSIONS:
        raise SpreadsheetRefused(
            f"지원하지 않는 파일 형식입니다(.{extension or '?'}). .xlsx, .xls, .ods, .csv만 받습니다. "
            f"/ Unsupported file type (.{extension or '?'}); use .xlsx, .xls, .ods or .csv."
        )
    if len(data) > limits.max_bytes:
        raise SpreadsheetRefused(
            f"파일이 너무 큽니다({_mb(len(data))}, 최대 {_mb(limits.max_bytes)}). "
            f"/ The file is too large ({_mb(len(data))}; at most {_mb(limits.max_bytes)})."
        )
    if not data:
        raise SpreadsheetRefused("빈 파일입니다. / The file is empty.")
    kind = _kind_by_content(data, limits)
    if kind != EXTENSIONS[extension]:
        raise SpreadsheetRefused(_mismatch_message(kind, extension))
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
        raise SpreadsheetRefused(
            "손상된 파일입니다(zip). / The file is damaged (zip)."
        ) from None
    if len(entries) > MAX_ENTRIES:
        raise SpreadsheetRefused(
            f"압축 파일 항목이 너무 많습니다({len(entries)}개). / The archive has too many entries ({len(entries)})."
        )
    _check_expansion(archive, entries, len(data), limits)
    names = {entry.filename for entry in entries}
    lowered = {name.lower() for name in names}
    if any(
        name.endswith("vbaproject.bin") or name.startswith("basic/") for name in lowered
    ):
        raise SpreadsheetRefused(_macro_message())
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        content_types = archive.read("[Content_Types].xml")
        _refuse_macro_content_types(content_types)
        return "xlsx"
    mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
    if mimetype == ODS_MIMETYPE:
        manifest = "META-INF/manifest.xml"
        if manifest in names and b"basic" in archive.read(manifest).lower():
            raise SpreadsheetRefused(_macro_message())
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
        f"압축을 풀면 너무 커지는 파일입니다(최대 {_mb(limits.max_uncompressed)}). "
        f"/ The archive expands beyond the limit ({_mb(limits.max_uncompressed)})."
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
            raise SpreadsheetRefused(
                "손상된 파일입니다(zip). / The file is damaged (zip)."
            ) from None
    if total > MAX_RATIO * max(compressed, 1) + 1_000_000:
        raise too_big


def _refuse_macro_content_types(content_types: bytes) -> None:
    try:
        root = ElementTree.fromstring(content_types)
    except Exception:
        raise SpreadsheetRefused(
            "손상된 파일입니다(xlsx). / The file is damaged (xlsx)."
        ) from None
    for element in root.iter():
        content_type = (element.attrib.get("ContentType") or "").lower()
        if content_type.startswith(MACRO_CONTENT_TYPES):
            raise SpreadsheetRefused(_macro_message())


def _macro_message() -> str:
    return (
        "매크로가 들어 있는 파일은 받지 않습니다. 매크로 없이 .xlsx로 저장해 주세요. "
        "/ Files with macros are not accepted; save the file as .xlsx without macros."
    )


def _ole_kind(data: bytes) -> str:
    # An OLE compound file is an .xls when it holds a "Workbook" (BIFF8) or
    # "Book" (BIFF5) stream; directory entry names are UTF-16.
    if "_VBA_PROJECT_CUR".encode("utf-16-le") in data:
        raise SpreadsheetRefused(_macro_message())
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
            "암호가 걸린 파일은 읽을 수 없습니다. / Password-protected files cannot be read."
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
        return {"sheet": self.sheet, "cell": self.cell, "message": self.message}


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
                        )
                    )
    return problems
