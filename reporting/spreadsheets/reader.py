"""Reading spreadsheets into cell-addressed values, and cleaning what people type.

python-calamine reads .xlsx, .xls and .ods (several times faster than openpyxl,
which only writes here); .csv goes through the csv module. Formulas are never
evaluated: a formula cell gives the value its program cached when it saved the
file. A formula with no cached value, or whose cached value is an error, is an
``UnreadableCell``: reading it as a number, date or month says which and why,
instead of the figure silently vanishing. Rows keep their place from A1 on, so
row ``r`` and column ``c`` of a sheet are always the cell the user sees.

Reading is bounded: each sheet's extent is measured from the file's XML
(``bounds``) and refused when too large before calamine materialises it, and
the parse runs in a memory- and time-capped child process (``isolation``), so
no file can take the web process or the worker down with it.
"""

import csv
import io
import re
import unicodedata
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from django.utils import translation
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from indicators.models import TOTAL_KEY

from .bounds import (
    ERROR_VALUE,
    ReadBounds,
    SheetExtent,
    ods_extents,
    refuse_oversized,
    too_large_message,
    xls_extents,
    xlsx_extents,
)
from .isolation import IsolatedFailure, run_isolated
from .safety import SpreadsheetRefused, decode_text

CellValue = str | int | float | bool | date | datetime | None
T = TypeVar("T")


class UnreadableCell:
    """A formula cell whose value cannot be used: ``why`` is
    ``bounds.NO_SAVED_VALUE`` or ``bounds.ERROR_VALUE`` (then ``shown`` is the
    error, e.g. "#DIV/0!"). As text it is empty, so it is never mistaken for
    something typed; as a number, date or month it is a ``ValueProblem``."""

    __slots__ = ("why", "shown")

    def __init__(self, why: str, shown: str = ""):
        self.why = why
        self.shown = shown

    def __str__(self) -> str:
        return ""

    def __repr__(self) -> str:
        return f"UnreadableCell({self.why!r}, {self.shown!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, UnreadableCell) and (self.why, self.shown) == (
            other.why,
            other.shown,
        )

    def __hash__(self) -> int:
        return hash((UnreadableCell, self.why, self.shown))

    def __reduce__(self):
        return (UnreadableCell, (self.why, self.shown))

    def problem(self) -> "ValueProblem":
        if self.why == ERROR_VALUE:
            return ValueProblem.translated(
                lambda: (
                    _(
                        "this cell's formula gives the error %(error)s; correct the formula or type the number, "
                        "then save the file again."
                    )
                    % {"error": self.shown}
                ),
                "formula_error",
            )
        return ValueProblem.translated(
            lambda: _(
                "this cell holds a formula with no saved value; open and save the file in Excel or "
                "LibreOffice, or type the number."
            ),
            "formula_without_value",
        )


@dataclass
class Sheet:
    name: str
    rows: list[list]
    hidden: bool = False

    def value(self, row_index: int, column_index: int):
        """The raw value at a 0-based position ('' when outside the data)."""
        if row_index < len(self.rows):
            row = self.rows[row_index]
            if column_index < len(row):
                return row[column_index]
        return ""

    def at(self, address: str):
        row_index, column_index = parse_address(address)
        return self.value(row_index, column_index)


def column_letter(column_index: int) -> str:
    letters, number = "", column_index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_address(row_index: int, column_index: int) -> str:
    """0-based indices → "D7"."""
    return f"{column_letter(column_index)}{row_index + 1}"


_ADDRESS = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def parse_address(address: str) -> tuple[int, int]:
    match = _ADDRESS.match(address.upper())
    if not match:
        raise ValueError(address)
    column = 0
    for letter in match.group(1):
        column = column * 26 + (ord(letter) - 64)
    return int(match.group(2)) - 1, column - 1


def read_sheets(
    data: bytes,
    kind: str,
    *,
    bounds: ReadBounds | None = None,
    check: Callable[[dict[str, Sheet]], dict[str, Sheet]] | None = None,
) -> dict[str, Sheet]:
    """Every sheet of the file, hidden ones included, in workbook order.

    ``bounds`` (a monthly report's by default; the bulk import passes
    ``ReadBounds.bulk()``) limit each sheet's size and the memory and time of
    the child process that parses it; a file beyond them is refused with
    ``SpreadsheetRefused`` naming the sheet and its size. ``check(sheets)``,
    when given, runs in that child too, after the parse: it may refuse the
    file, and the sheets it returns are the ones sent back."""
    bounds = bounds or ReadBounds.monthly()
    if check is None:
        return _unpack(_isolated(bounds, _read_and_pack, data, kind, bounds))
    return _unpack(
        _isolated(
            bounds, _read_and_convert, data, kind, bounds, lambda s: _pack(check(s))
        )
    )


def read_sheets_into(
    data: bytes,
    kind: str,
    convert: Callable[[dict[str, Sheet]], T],
    *,
    bounds: ReadBounds | None = None,
) -> T:
    """``convert(sheets)`` of the file's sheets, computed in the capped child
    that parses them, so that only its result crosses back: the bulk import
    turns half a million cells into its rows there, instead of packing every
    cell for the pipe and unpacking it here (a third of the read). ``convert``
    runs under the child's limits (refusals it raises reach the caller) and
    must not touch the database; its result must pickle."""
    bounds = bounds or ReadBounds.monthly()
    return _isolated(bounds, _read_and_convert, data, kind, bounds, convert)


def _isolated(bounds: ReadBounds, function: Callable, *args):
    try:
        return run_isolated(
            function,
            *args,
            memory_bytes=bounds.memory_mb * 1024 * 1024,
            cpu_seconds=bounds.cpu_seconds,
            wall_seconds=bounds.wall_seconds,
        )
    except IsolatedFailure as failure:
        if failure.reason == "memory":
            raise SpreadsheetRefused(
                _(
                    "The file needs more than %(memory)s MB to read, more than a spreadsheet of this kind "
                    "ever should: a sheet probably has data or formatting far beyond your figures. Delete the "
                    "rows and columns after your data (or copy the data into a fresh file) and save again."
                )
                % {"memory": bounds.memory_mb},
                "needs_too_much_memory",
            ) from None
        if failure.reason == "time":
            raise SpreadsheetRefused(
                _(
                    "Reading the file took longer than %(seconds)s seconds, far longer than a spreadsheet of "
                    "this kind should: delete what is not needed (extra sheets, rows, columns) and save again."
                )
                % {"seconds": bounds.cpu_seconds},
                "too_slow",
            ) from None
        raise SpreadsheetRefused(
            _(
                "The file cannot be read; save it again from Excel or LibreOffice as .xlsx and upload that."
            ),
            "unreadable",
        ) from None


def _read_and_pack(data: bytes, kind: str, bounds: ReadBounds) -> list[tuple]:
    return _pack(_read_sheets_bounded(data, kind, bounds))


def _read_and_convert(data: bytes, kind: str, bounds: ReadBounds, convert: Callable):
    return convert(_read_sheets_bounded(data, kind, bounds))


def _pack(sheets: dict[str, Sheet]) -> list[tuple]:
    """Sheets as compact data for the pipe: each distinct value once, and the
    cells as an array of indices into them. A 100,000-row sheet repeats a few
    hundred values; pickling its half a million cell objects one by one took
    longer than reading the file."""
    packed = []
    for sheet in sheets.values():
        distinct: dict = {}
        lengths = array("I")
        cells = array("I")
        add_length, add_cell, setdefault = (
            lengths.append,
            cells.append,
            distinct.setdefault,
        )
        for row in sheet.rows:
            add_length(len(row))
            for value in row:
                # 1, 1.0 and True are equal keys: tell them apart by type.
                add_cell(
                    setdefault(
                        value if type(value) is str else (type(value), value),
                        len(distinct),
                    )
                )
        values = [key if type(key) is str else key[1] for key in distinct]
        packed.append((sheet.name, sheet.hidden, values, lengths, cells))
    return packed


def _unpack(packed: list[tuple]) -> dict[str, Sheet]:
    sheets = {}
    for name, hidden, values, lengths, cells in packed:
        flat = list(map(values.__getitem__, cells))
        rows, start = [], 0
        for length in lengths:
            rows.append(flat[start : start + length])
            start += length
        sheets[name] = Sheet(name, rows, hidden=hidden)
    return sheets


def _read_sheets_bounded(
    data: bytes, kind: str, bounds: ReadBounds
) -> dict[str, Sheet]:
    """Runs in the isolated child: measure, refuse what is too large, then parse."""
    if kind == "csv":
        return {"csv": Sheet("csv", _csv_rows(data, bounds))}
    try:
        if kind == "xlsx":
            extents = xlsx_extents(data)
        elif kind == "ods":
            extents = ods_extents(data)
        else:
            extents = xls_extents(data)
        refuse_oversized(extents, bounds)
        by_name = {extent.name: extent for extent in extents}
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = {}
        cells = 0
        for meta in workbook.sheets_metadata:
            sheet = workbook.get_sheet_by_name(meta.name)
            end = sheet.end
            extent = (
                SheetExtent(meta.name, end[0] + 1, end[1] + 1)
                if end
                else SheetExtent(meta.name)
            )
            cells += extent.rows * extent.columns
            if (
                extent.rows > bounds.max_rows
                or extent.columns > bounds.max_columns
                or cells > bounds.max_cells
            ):
                raise SpreadsheetRefused(too_large_message(extent, bounds))
            rows = sheet.to_python(skip_empty_area=False)
            scanned = by_name.get(meta.name)
            if scanned is not None and scanned.unreadable:
                _mark_unreadable(rows, scanned)
            sheets[meta.name] = Sheet(
                meta.name, rows, hidden=meta.visible != SheetVisibleEnum.Visible
            )
        workbook.close()
    except (CalamineError, ValueError, OSError) as error:
        raise SpreadsheetRefused(
            _("The file cannot be read (%(error)s).") % {"error": type(error).__name__},
            "unreadable",
        ) from None
    return sheets


def _mark_unreadable(rows: list[list], extent: SheetExtent) -> None:
    for (row_index, column_index), (why, shown) in extent.unreadable.items():
        while len(rows) <= row_index:
            rows.append([])
        row = rows[row_index]
        if len(row) <= column_index:
            row.extend([""] * (column_index + 1 - len(row)))
        row[column_index] = UnreadableCell(why, shown)


def _csv_rows(data: bytes, bounds: ReadBounds) -> list[list[str]]:
    """The rows of a CSV, refused (naming the line) past the bounds: a line
    with too many columns or a field longer than any line should be."""
    text = decode_text(data)
    # A cell longer than a whole row of the widest sheet is not a figure (the
    # child's own limit; set here, in the parsing process only).
    csv.field_size_limit(max(bounds.max_columns * 1_000, 10_000))
    rows = []
    reader = csv.reader(io.StringIO(text))
    try:
        for row in reader:
            if len(row) > bounds.max_columns:
                raise SpreadsheetRefused(
                    _(
                        "Sheet “csv”, line %(line)s has %(columns)s columns; this upload reads at most "
                        "%(max_columns)s. Check that the file uses commas only between the columns, and save it "
                        "again."
                    )
                    % {
                        "line": f"{reader.line_num:,}",
                        "columns": f"{len(row):,}",
                        "max_columns": f"{bounds.max_columns:,}",
                    }
                )
            rows.append(row)
            if len(rows) > bounds.max_rows:
                raise SpreadsheetRefused(
                    too_large_message(SheetExtent("csv", len(rows), len(row)), bounds)
                )
    except csv.Error:
        raise SpreadsheetRefused(
            _(
                "Sheet “csv”, line %(line)s is too long to be a row of figures (a value longer than %(chars)s "
                "characters, or a quotation mark that is never closed). Correct that line and save again."
            )
            % {"line": f"{reader.line_num:,}", "chars": f"{csv.field_size_limit():,}"}
        ) from None
    return rows


# --- cleaning values ------------------------------------------------------


def clean_text(raw) -> str:
    """Text as typed, made plain: full-width forms to ASCII (NFKC), non-breaking
    and ideographic spaces to spaces, stripped."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    text = str(raw)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).replace("\xa0", " ")
    return text.strip()


_DIGIT_HAS_FINAL = {
    "0": True,
    "1": True,
    "2": False,
    "3": True,
    "4": False,
    "5": False,
    "6": True,
    "7": True,
    "8": True,
    "9": False,
}


def topic(word: str) -> str:
    """The word with its topic particle, 은 or 는 by its last sound ("'삼십'은",
    "2.5는"); 은(는) when the last character does not tell."""
    last = word.rstrip("'\" ")[-1:] or " "
    if "가" <= last <= "힣":
        return f"{word}{'은' if (ord(last) - 0xAC00) % 28 else '는'}"
    if last in _DIGIT_HAS_FINAL:
        return f"{word}{'은' if _DIGIT_HAS_FINAL[last] else '는'}"
    return f"{word}은(는)"


class ValueProblem(ValueError):
    """A cell's value cannot be used. Its message is kept in each language
    (``ko``, ``en``), for a preview that shows the reader's and the bulk
    import's downloadable error report; ``code`` names the problem."""

    def __init__(self, ko: str, en: str, code: str = "bad_value"):
        super().__init__(en)
        self.ko = ko
        self.en = en
        self.code = code

    def __reduce__(self):
        return (ValueProblem, (self.ko, self.en, self.code))

    @classmethod
    def translated(cls, message: Callable[[], str], code: str) -> "ValueProblem":
        """From one gettext message (English msgid, Korean in the catalogue),
        rendered in each language: ``message`` is called once per language."""
        with translation.override("ko"):
            ko = message()
        with translation.override("en"):
            en = message()
        return cls(ko, en, code)


def repr_text(text) -> str:
    return f"'{text}'"


_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_GROUPED_NUMBER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
FLOAT_TOLERANCE = 1e-9  # a cached formula result such as 2.9999999999999996
# Korean official sheets write a dash for "none".
ZERO_DASHES = frozenset("-–—−―‐")
# What people put around a count or an amount: "3명", "1,000원", "₩1,000"
# ("\" is how the won sign shows in Korean fonts of code page 949).
_CURRENCY_PREFIX = re.compile(r"^(₩|\\|KRW)\s*", re.IGNORECASE)
_UNIT_SUFFIX = re.compile(
    r"\s*(원|명|건|회|개소|개|가구|세대|곳|시간|권|대|KRW|won)$", re.IGNORECASE
)
_SPACES = re.compile(r"[\s\u2009\u202f\u00a0\u3000]+")


def _unreadable(raw: UnreadableCell):
    raise raw.problem()


def whole_number(raw) -> int | None:
    """A cell as a whole number ≥ 0, or None when blank.

    Takes numbers stored as text, thousands separators ("1,234", "1 234"),
    full-width digits, a unit or the won sign around the number ("3명",
    "1,000원", "₩1,000") and a lone dash for zero; raises ``ValueProblem`` for
    anything else, and for a formula cell without a usable saved value."""
    if raw is None or raw == "":
        return None
    if type(raw) is UnreadableCell:
        _unreadable(raw)
    if isinstance(raw, bool | date):
        shown = clean_text(raw)
        raise ValueProblem(
            f"{topic(repr_text(shown))} 숫자가 아닙니다",
            f"'{shown}' is not a number",
            "not_a_number",
        )
    if isinstance(raw, int):
        number = raw
    elif isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ValueProblem(
                f"{topic(repr_text(raw))} 숫자가 아닙니다",
                f"'{raw}' is not a number",
                "not_a_number",
            )
        nearest = round(raw)
        if abs(raw - nearest) > FLOAT_TOLERANCE:
            raise ValueProblem(
                f"{topic(str(raw))} 정수가 아닙니다",
                f"{raw} is not a whole number",
                "not_whole_number",
            )
        number = int(nearest)
    else:
        text = clean_text(raw)
        if not text:
            return None
        if text in ZERO_DASHES:
            return 0
        # Spaces group thousands as commas do ("1 234"); anywhere else they are a typo.
        compact = _SPACES.sub(",", _CURRENCY_PREFIX.sub("", _UNIT_SUFFIX.sub("", text)))
        if _GROUPED_NUMBER.match(compact):
            compact = compact.replace(",", "")
        elif not _PLAIN_NUMBER.match(compact):
            raise ValueProblem(
                f"{topic(repr_text(text))} 숫자가 아닙니다",
                f"'{text}' is not a number",
                "not_a_number",
            )
        try:
            decimal = Decimal(compact)
        except InvalidOperation:
            raise ValueProblem(
                f"{topic(repr_text(text))} 숫자가 아닙니다",
                f"'{text}' is not a number",
                "not_a_number",
            ) from None
        if decimal != decimal.to_integral_value():
            raise ValueProblem(
                f"{topic(text)} 정수가 아닙니다",
                f"{text} is not a whole number",
                "not_whole_number",
            )
        number = int(decimal)
    if number < 0:
        raise ValueProblem(
            f"{number}: 0 이상이어야 합니다",
            f"{number}: must be 0 or more",
            "negative_number",
        )
    return number


_DATE_TEXT = re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})\.?$")


def day_value(raw) -> date | None:
    """A date cell, or text such as 2019-03-04, 2019.3.4 or 2019/03/04."""
    if raw is None or raw == "":
        return None
    if type(raw) is UnreadableCell:
        _unreadable(raw)
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = clean_text(raw).replace(" ", "")
    if not text:
        return None
    match = _DATE_TEXT.match(text)
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass
    raise ValueProblem(
        f"{topic(repr_text(text))} 날짜가 아닙니다(YYYY-MM-DD)",
        f"'{text}' is not a date (YYYY-MM-DD)",
        "not_a_date",
    )


_MONTH_TEXT = re.compile(r"^(\d{4})[-./]?(\d{1,2})(?:[-./]0?1)?\.?$")


def month_value(raw) -> date:
    """A month cell: a date (any day of the month) or text 2019-03 / 2019.03 / 201903."""
    if type(raw) is UnreadableCell:
        _unreadable(raw)
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        return raw.replace(day=1)
    text = clean_text(raw).replace(" ", "")
    match = _MONTH_TEXT.match(text)
    if match and 1 <= int(match.group(2)) <= 12:
        return date(int(match.group(1)), int(match.group(2)), 1)
    raise ValueProblem(
        f"{topic(repr_text(text))} 월이 아닙니다(YYYY-MM)",
        f"'{text}' is not a month (YYYY-MM)",
        "not_a_month",
    )


# The indicator of an output in files of the old format: the disaggregation
# column named the output, which is now an indicator of its own.
LEGACY_OUTPUT = "output"


def legacy_output(measure: str, key: str) -> tuple[str, str]:
    """An old-format output row ("output", indicator code) as the figure it
    is now: (indicator code, "total"). Other rows are unchanged."""
    if measure == LEGACY_OUTPUT and key:
        return key, TOTAL_KEY
    return measure, key
