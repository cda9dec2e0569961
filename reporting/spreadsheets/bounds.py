"""How far a sheet reaches, measured before any parser materialises it.

calamine keeps a sheet as a dense rectangle from its first to its last cell:
a 1.5 KB .xlsx with one value in A1 and one in XFD1048576 asks for 17 billion
cells, and an .ods row "repeated" a million times over a thousand columns for
a billion. So each sheet's extent is read from the file's own XML first — the
``r`` of every row and cell of an .xlsx, the ``number-rows-repeated`` /
``number-columns-repeated`` of an .ods, counted only up to the last cell that
holds something — and a sheet beyond the bounds is refused with its name and
size before calamine is called. (The parse also runs in a memory-capped child,
``isolation``: this scan is what gives the person a useful message.)

The same pass finds the cells calamine would silently read as blank: a
formula whose result was never saved (a workbook written by a program, or
Excel set to manual calculation) and a formula whose saved result is an error
(``#DIV/0!``). They are returned by position, so the reader can put a marker
there and whoever reads that cell says which cell and why.

Everything here works on the bytes with regular expressions over the XML
(C speed: a 100,000-row sheet in a few tens of milliseconds); the per-cell
walk runs only on sheets that have formulas or cells without an address.
"""

import html
import re
import struct
import zipfile
from dataclasses import dataclass, field
from io import BytesIO

import olefile
from django.conf import settings
from django.utils.translation import gettext as _

from .safety import SpreadsheetRefused

# calamine keeps each cell of the rectangle in 16–32 bytes, and the reader a
# Python list slot (8 bytes) per cell on top: the cell bounds keep a monthly
# file within a few tens of MB.
MONTHLY_BOUNDS = {
    "max_rows": 5_000,
    "max_columns": 100,
    "max_cells": 250_000,
    "memory_mb": 100,
    "cpu_seconds": 2,
    "wall_seconds": 6,
}
BULK_BOUNDS = {
    "max_rows": 1_048_576,
    "max_columns": 50,
    "max_cells": 6_000_000,
    "memory_mb": 2_048,
    "cpu_seconds": 120,
    "wall_seconds": 240,
}


@dataclass(frozen=True)
class ReadBounds:
    """The largest sheet a reader accepts and the limits of the child that parses it.

    ``max_rows``/``max_columns`` per sheet, ``max_cells`` for the rectangles of
    all sheets together; ``memory_mb`` of address space the parsing child may add,
    ``cpu_seconds`` of CPU it may use, ``wall_seconds`` before it is killed.
    Overridden by the settings ``SANGSAENG_SPREADSHEET_MONTHLY_BOUNDS`` and
    ``SANGSAENG_SPREADSHEET_BULK_BOUNDS`` (dicts of the same keys)."""

    max_rows: int
    max_columns: int
    max_cells: int
    memory_mb: int
    cpu_seconds: int
    wall_seconds: float
    purpose: str = "monthly"

    @classmethod
    def monthly(cls) -> "ReadBounds":
        values = MONTHLY_BOUNDS | getattr(
            settings, "SANGSAENG_SPREADSHEET_MONTHLY_BOUNDS", {}
        )
        return cls(**values, purpose="monthly")

    @classmethod
    def bulk(cls) -> "ReadBounds":
        values = BULK_BOUNDS | getattr(
            settings, "SANGSAENG_SPREADSHEET_BULK_BOUNDS", {}
        )
        return cls(**values, purpose="bulk")


# Why a cell cannot be read: its formula has no saved result, or the result is an error.
NO_SAVED_VALUE = "no_saved_value"
ERROR_VALUE = "error_value"


@dataclass
class SheetExtent:
    """A sheet's reach: rows and columns up to its last cell holding something,
    and the cells that hold a formula calamine would read as blank."""

    name: str
    rows: int = 0
    columns: int = 0
    unreadable: dict[tuple[int, int], tuple[str, str]] = field(
        default_factory=dict
    )  # (row, col) → (why, shown)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (letter - 64)
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def refuse_oversized(extents: list[SheetExtent], bounds: ReadBounds) -> None:
    """Refuse, naming the sheet, when one reaches past the row or column bound,
    or all together past the cell bound."""
    for extent in extents:
        if extent.rows > bounds.max_rows or extent.columns > bounds.max_columns:
            raise SpreadsheetRefused(too_large_message(extent, bounds))
    if sum(extent.rows * extent.columns for extent in extents) > bounds.max_cells:
        largest = max(extents, key=lambda extent: extent.rows * extent.columns)
        raise SpreadsheetRefused(too_large_message(largest, bounds))


def too_large_message(extent: SheetExtent, bounds: ReadBounds) -> str:
    last = (
        f"{_column_letters(extent.columns)}{extent.rows}"
        if extent.rows and extent.columns
        else "?"
    )
    advice = (
        _(
            "Delete the rows and columns after your data (or copy the data into a fresh template) and save again."
        )
        if bounds.purpose == "monthly"
        else _(
            "Delete the rows and columns after your data, or split the file, and save again."
        )
    )
    return _(
        "Sheet “%(sheet)s” reaches cell %(last)s (%(rows)s rows × %(columns)s columns); "
        "this upload reads at most %(max_rows)s rows and %(max_columns)s columns, "
        "%(max_cells)s cells in all. %(advice)s"
    ) % {
        "sheet": extent.name,
        "last": last,
        "rows": f"{extent.rows:,}",
        "columns": f"{extent.columns:,}",
        "max_rows": f"{bounds.max_rows:,}",
        "max_columns": f"{bounds.max_columns:,}",
        "max_cells": f"{bounds.max_cells:,}",
        "advice": advice,
    }


def _damaged() -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _(
            "The file is damaged and cannot be read; save it again from Excel or LibreOffice."
        )
    )


# --- .xlsx -----------------------------------------------------------------

_XLSX_TAG = re.compile(rb"<((?:[\w.-]+:)?)(row|c)\b([^>]*?)(/?)>")
_REF = re.compile(rb'\br="\$?([A-Z]{1,3})\$?(\d{1,7})"')
_ROW_NUMBER = re.compile(rb'\br="(\d{1,7})"')
_ERROR_TYPE = re.compile(rb'\bt="e"')
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v\b[^>/]*>([^<]*)<")
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f\b")
_TEXT_TYPE = re.compile(rb'\bt="str"')
_SHEET_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?sheet\b([^>]*?)/?>")
_RELATIONSHIP = re.compile(rb"<(?:[\w.-]+:)?Relationship\b([^>]*?)/?>")
_ATTRIBUTE = re.compile(rb'([\w:.-]+)\s*=\s*"([^"]*)"')


def _attributes(raw: bytes) -> dict[str, str]:
    return {
        name.decode(): html.unescape(value.decode("utf-8", "replace"))
        for name, value in _ATTRIBUTE.findall(raw)
    }


def _xlsx_sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part path) of every sheet, in workbook order."""
    try:
        workbook = archive.read("xl/workbook.xml")
        relations = archive.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, OSError):
        raise _damaged() from None
    targets = {}
    for raw in _RELATIONSHIP.findall(relations):
        attributes = _attributes(raw)
        target = attributes.get("Target", "")
        target = target[1:] if target.startswith("/") else f"xl/{target}"
        targets[attributes.get("Id")] = target
    parts = []
    for raw in _SHEET_ELEMENT.findall(workbook):
        attributes = _attributes(raw)
        relation = next(
            (value for name, value in attributes.items() if name.endswith(":id")), None
        )
        parts.append((attributes.get("name", "?"), targets.get(relation, "")))
    return parts


def xlsx_extents(data: bytes) -> list[SheetExtent]:
    archive = zipfile.ZipFile(BytesIO(data))
    names = set(archive.namelist())
    extents = []
    for name, part in _xlsx_sheet_parts(archive):
        extent = SheetExtent(name)
        extents.append(extent)
        if part not in names:
            continue
        xml = archive.read(part)
        if not _measure_plain_xlsx(xml, extent):
            _walk_xlsx_cells(xml, extent)
    return extents


def _measure_plain_xlsx(xml: bytes, extent: SheetExtent) -> bool:
    """The extent of a sheet as Excel, LibreOffice and openpyxl write it (no
    namespace prefix, every cell's ``r`` first, no formulas, no errors), from
    a few substring counts and searches over the bytes, a 100,000-row sheet
    in tens of milliseconds: the last cell written gives the likely extent,
    and one search each proves that no cell names a later row or column.
    Every cell's address is looked at; nothing is taken from ``<dimension>``
    or from the order of the cells. False when the sheet is not of that kind
    (the cell-by-cell walk then measures it)."""
    start = xml.find(b"<sheetData")
    if start < 0:
        return False
    end = xml.rfind(b"</sheetData>")
    end = end if end > start else len(xml)
    cells = xml.count(b'<c r="', start, end)
    if (
        # Each element among the cells whose name begins with "c" is a cell
        # with its address first (a cell without one lands after the one
        # before it; rich text's <color> or <charset> send the sheet to the walk).
        xml.count(b"<c", start, end) != cells
        # A formula may have no saved value, a result may be an error: the
        # walk finds which cells.
        or xml.find(b"<f", start, end) >= 0
        or xml.find(b't="e"', start, end) >= 0
        # A cell under a namespace prefix (<x:c>) is a cell to calamine too.
        or xml.find(b":c", start, end) >= 0
    ):
        return False
    if cells == 0:
        return True
    last = _ANY_REF.match(xml, xml.rfind(b'<c r="', start, end))
    if last is None:
        return False
    rows, columns = last.group(2).lstrip(b"0") or b"0", last.group(1)
    # One search for both (the usual answer is "none"); each on its own after.
    beyond = re.compile(
        rb'<c r="\$?(?:'
        + _greater(columns, 65, 90)
        + rb"\$?\d|[A-Z]+\$?0*"
        + _greater(rows, 48, 57)
        + b'")'
    )
    if beyond.search(xml, start, end) is not None:
        rows = _furthest(rows, _later_row, xml, start, end)
        columns = _furthest(columns, _later_column, xml, start, end)
    extent.rows = int(rows or _largest(_ALL_ROWS, xml, start, end, int))
    extent.columns = (
        _column_number(columns)
        if columns
        else _largest(_ALL_COLUMNS, xml, start, end, _column_number)
    )
    return True


_ANY_REF = re.compile(rb'<c r="\$?([A-Z]+)\$?(\d+)"')
_ALL_ROWS = re.compile(rb'<c r="\$?[A-Z]+\$?(\d+)"')
_ALL_COLUMNS = re.compile(rb'<c r="\$?([A-Z]+)\$?\d')
# Cells in Excel's own order need no second search; a few more rounds follow
# a sheet whose last row is not its widest; past them, every address is read.
_ROUNDS = 3


def _furthest(candidate: bytes, later, xml: bytes, start: int, end: int):
    """The furthest row number (or column letters) of the cells, starting from
    ``candidate`` and searching for a cell beyond it; None after ``_ROUNDS``
    searches that each found one further still."""
    for _round in range(_ROUNDS):
        found = later(candidate).search(xml, start, end)
        if found is None:
            return candidate
        candidate = found.group(1).lstrip(b"0") or b"0"
    return None


def _largest(pattern: re.Pattern, xml: bytes, start: int, end: int, number) -> int:
    return max(map(number, set(pattern.findall(xml, start, end))), default=0)


def _greater(shown: bytes, first: int, last: int) -> bytes:
    """A pattern for the strings of symbols ``first``..``last`` (digits or
    capital letters) that come after ``shown`` in the order of numbers or of
    column letters: longer, or as long and greater at the first difference."""
    symbols = b"[%c-%c]" % (first, last)
    options = [symbols + b"{%d,}" % (len(shown) + 1)]
    for position, symbol in enumerate(shown):
        if symbol < last:
            options.append(
                re.escape(shown[:position])
                + b"[%c-%c]" % (symbol + 1, last)
                + symbols
                + b"{%d}" % (len(shown) - position - 1)
            )
    return b"(" + b"|".join(options) + b")"


def _later_row(digits: bytes) -> re.Pattern:
    return re.compile(rb'<c r="\$?[A-Z]+\$?0*' + _greater(digits, 48, 57) + b'"')


def _later_column(letters: bytes) -> re.Pattern:
    return re.compile(rb'<c r="\$?' + _greater(letters, 65, 90) + rb"\$?\d")


def _walk_xlsx_cells(xml: bytes, extent: SheetExtent) -> None:
    """Cell by cell, as calamine places them: a row or cell without ``r``
    follows the one before it."""
    row, column = 0, 0
    for match in _XLSX_TAG.finditer(xml):
        prefix, tag, attributes, self_closing = match.groups()
        if tag == b"row":
            number = _ROW_NUMBER.search(attributes)
            row = int(number.group(1)) if number else row + 1
            column = 0
            continue
        reference = _REF.search(attributes)
        if reference:
            column = _column_number(reference.group(1))
            row = int(reference.group(2))
        else:
            column += 1
        extent.rows = max(extent.rows, row)
        extent.columns = max(extent.columns, column)
        if self_closing:
            continue
        end = xml.find(b"</" + prefix + b"c>", match.end())
        body = xml[match.end() : end if end >= 0 else len(xml)]
        value = _VALUE.search(body)
        if _ERROR_TYPE.search(attributes):
            shown = (
                html.unescape(value.group(1).decode("utf-8", "replace"))
                if value
                else "#N/A"
            )
            extent.unreadable[(row - 1, column - 1)] = (ERROR_VALUE, shown)
        elif (
            _FORMULA.search(body)
            and (value is None or not value.group(1))
            and not _TEXT_TYPE.search(attributes)
        ):
            # No value, or an empty one (openpyxl writes <v />); but an empty
            # value of a text cell (t="str") is a formula that gave "".
            extent.unreadable[(row - 1, column - 1)] = (NO_SAVED_VALUE, "")


# --- .ods ------------------------------------------------------------------

_ODS_TAG = re.compile(
    rb"<(table:table|/table:table|table:table-row|/table:table-row|table:table-cell|table:covered-table-cell)"
    rb"(?=[\s/>])()([^>]*?)(/?)>"
)
_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="(\d+)"')
_COLUMNS_REPEATED = re.compile(rb'table:number-columns-repeated="(\d+)"')
_TABLE_NAME = re.compile(rb'table:name="([^"]*)"')
_VALUE_TYPE = re.compile(rb"office:value-type=")
_ODS_FORMULA = re.compile(rb"table:formula=")
_ODS_ERROR = re.compile(rb'calcext:value-type="error"')
_ODS_TEXT = re.compile(rb"<text:p[^>]*>([^<]*)")
# A row repeated more than this with a formula in it is refused anyway; the cap
# only keeps the list of unreadable cells small.
_UNREADABLE_CAP = 1_000


def ods_extents(data: bytes) -> list[SheetExtent]:
    """Sheets of an .ods by their last cell with content. Empty rows and cells
    may be repeated any number of times (LibreOffice ends every sheet with a
    million empty rows): they count only when something comes after them."""
    archive = zipfile.ZipFile(BytesIO(data))
    try:
        xml = archive.read("content.xml")
    except (KeyError, zipfile.BadZipFile, OSError):
        raise _damaged() from None
    extents: list[SheetExtent] = []
    extent = None
    row = 0  # rows before the current one
    row_repeat = 1
    column = 0  # columns before the current cell
    row_has_content = False
    position = 0
    for match in _ODS_TAG.finditer(xml):
        if match.start() < position:
            continue  # inside a cell already looked at
        tag, after_name, attributes, self_closing = match.groups()
        attributes = after_name + attributes
        if tag == b"table:table":
            name = _TABLE_NAME.search(attributes)
            extent = SheetExtent(
                html.unescape(name.group(1).decode("utf-8", "replace")) if name else "?"
            )
            extents.append(extent)
            row = 0
            continue
        if extent is None:
            continue
        if tag == b"/table:table":
            extent = None
            continue
        if tag == b"table:table-row":
            repeated = _ROWS_REPEATED.search(attributes)
            row_repeat = int(repeated.group(1)) if repeated else 1
            column, row_has_content = 0, False
            if self_closing:
                row += row_repeat
            continue
        if tag == b"/table:table-row":
            if row_has_content:
                extent.rows = max(extent.rows, row + row_repeat)
            row += row_repeat
            continue
        repeated = _COLUMNS_REPEATED.search(attributes)
        column_repeat = int(repeated.group(1)) if repeated else 1
        body = b""
        if not self_closing:
            end = xml.find(b"</" + tag + b">", match.end())
            end = end if end >= 0 else len(xml)
            body = xml[match.end() : end]
            position = end
        has_content = bool(
            _VALUE_TYPE.search(attributes)
            or _ODS_FORMULA.search(attributes)
            or (body and _ODS_TEXT.search(body))
        )
        if has_content:
            row_has_content = True
            extent.columns = max(extent.columns, column + column_repeat)
            why = None
            if _ODS_ERROR.search(attributes):
                text = _ODS_TEXT.search(body)
                why = (
                    ERROR_VALUE,
                    html.unescape(text.group(1).decode("utf-8", "replace"))
                    if text
                    else "#N/A",
                )
            elif _ODS_FORMULA.search(attributes) and not _VALUE_TYPE.search(attributes):
                why = (NO_SAVED_VALUE, "")
            if why is not None and len(extent.unreadable) < _UNREADABLE_CAP:
                for row_offset in range(min(row_repeat, _UNREADABLE_CAP)):
                    for column_offset in range(min(column_repeat, _UNREADABLE_CAP)):
                        extent.unreadable[
                            (row + row_offset, column + column_offset)
                        ] = why
        column += column_repeat
    return extents


# --- .xls ------------------------------------------------------------------

# BIFF records that place a cell: (row, column) are their first four bytes.
_XLS_CELL_RECORDS = frozenset(
    {
        0x0006,  # FORMULA
        0x00FD,  # LABELSST
        0x0203,  # NUMBER
        0x027E,  # RK
        0x00BD,  # MULRK: its last column is in its last two bytes
        0x0201,  # BLANK
        0x00BE,  # MULBLANK: likewise
        0x0205,  # BOOLERR
        0x0204,  # LABEL
        0x00D6,  # RSTRING
    }
)
_XLS_MULTIPLE = frozenset({0x00BD, 0x00BE})
_XLS_BOUNDSHEET, _XLS_EOF = 0x0085, 0x000A
_RECORD_HEADER = struct.Struct("<HH")


def xls_extents(data: bytes) -> list[SheetExtent]:
    """Sheets of an .xls by the cell records of each sheet's BIFF substream
    (the DIMENSIONS record may lie; the cells are what calamine places)."""
    try:
        with olefile.OleFileIO(data) as ole:
            stream = ole.openstream(
                "Workbook" if ole.exists("Workbook") else "Book"
            ).read()
    except (OSError, ValueError, struct.error, IndexError):
        raise _damaged() from None
    unpack, size = _RECORD_HEADER.unpack_from, len(stream)
    sheets = []
    position = 0
    while position + 4 <= size:
        kind, length = unpack(stream, position)
        body = position + 4
        if kind == _XLS_BOUNDSHEET and length >= 8:
            offset, characters, flags = (
                struct.unpack_from("<I", stream, body)[0],
                stream[body + 6],
                stream[body + 7],
            )
            if flags & 1:
                name = stream[body + 8 : body + 8 + 2 * characters].decode(
                    "utf-16-le", "replace"
                )
            else:
                name = stream[body + 8 : body + 8 + characters].decode("latin-1")
            sheets.append((offset, name))
        elif kind == _XLS_EOF:
            break
        position = body + length
    extents = []
    for offset, name in sheets:
        extent = SheetExtent(name)
        extents.append(extent)
        rows = columns = 0
        position = offset
        while position + 4 <= size:
            kind, length = unpack(stream, position)
            body = position + 4
            if kind in _XLS_CELL_RECORDS and length >= 4:
                row, column = unpack(stream, body)
                if kind in _XLS_MULTIPLE and length >= 6:
                    column = struct.unpack_from("<H", stream, body + length - 2)[0]
                rows = max(rows, row + 1)
                columns = max(columns, column + 1)
            elif kind == _XLS_EOF:
                break
            position = body + length
        extent.rows, extent.columns = rows, columns
    return extents
