"""Reading spreadsheets into cell-addressed values, and cleaning what people type.

python-calamine reads .xlsx, .xls and .ods (several times faster than openpyxl,
which only writes here); .csv goes through the csv module. Formulas are never
evaluated: a formula cell gives the value its program cached when it saved the
file (and is empty when nothing was cached). Rows keep their place from A1 on,
so row ``r`` and column ``c`` of a sheet are always the cell the user sees.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from .safety import SpreadsheetRefused, decode_text

CellValue = str | int | float | bool | date | datetime | None


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


def read_sheets(data: bytes, kind: str) -> dict[str, Sheet]:
    """Every sheet of the file, hidden ones included, in workbook order."""
    if kind == "csv":
        text = decode_text(data)
        rows = [list(row) for row in csv.reader(io.StringIO(text))]
        return {"csv": Sheet("csv", rows)}
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = {}
        for meta in workbook.sheets_metadata:
            sheet = workbook.get_sheet_by_name(meta.name)
            sheets[meta.name] = Sheet(
                meta.name,
                sheet.to_python(skip_empty_area=False),
                hidden=meta.visible != SheetVisibleEnum.Visible,
            )
        workbook.close()
    except (CalamineError, ValueError, OSError) as error:
        raise SpreadsheetRefused(
            f"파일을 읽을 수 없습니다({type(error).__name__}). / The file cannot be read ({type(error).__name__})."
        ) from None
    return sheets


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


_DIGIT_HAS_FINAL = {"0": True, "1": True, "2": False, "3": True, "4": False, "5": False, "6": True,
                    "7": True, "8": True, "9": False}


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
    """A cell's value cannot be used; the messages say why, in both languages."""

    def __init__(self, ko: str, en: str):
        super().__init__(en)
        self.ko = ko
        self.en = en


def repr_text(text) -> str:
    return f"'{text}'"


_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_GROUPED_NUMBER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
FLOAT_TOLERANCE = 1e-9  # a cached formula result such as 2.9999999999999996


def whole_number(raw) -> int | None:
    """A cell as a whole number ≥ 0, or None when blank.

    Takes numbers stored as text, thousands separators ("1,234"), full-width
    digits and stray spaces; raises ``ValueProblem`` for anything else."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool | date):
        shown = clean_text(raw)
        raise ValueProblem(f"{topic(repr_text(shown))} 숫자가 아닙니다", f"'{shown}' is not a number")
    if isinstance(raw, int):
        number = raw
    elif isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ValueProblem(f"{topic(repr_text(raw))} 숫자가 아닙니다", f"'{raw}' is not a number")
        nearest = round(raw)
        if abs(raw - nearest) > FLOAT_TOLERANCE:
            raise ValueProblem(f"{topic(str(raw))} 정수가 아닙니다", f"{raw} is not a whole number")
        number = int(nearest)
    else:
        text = clean_text(raw)
        if not text:
            return None
        compact = text.replace(" ", "")
        if _GROUPED_NUMBER.match(compact):
            compact = compact.replace(",", "")
        elif not _PLAIN_NUMBER.match(compact):
            raise ValueProblem(f"{topic(repr_text(text))} 숫자가 아닙니다", f"'{text}' is not a number")
        try:
            decimal = Decimal(compact)
        except InvalidOperation:
            raise ValueProblem(f"{topic(repr_text(text))} 숫자가 아닙니다", f"'{text}' is not a number") from None
        if decimal != decimal.to_integral_value():
            raise ValueProblem(f"{topic(text)} 정수가 아닙니다", f"{text} is not a whole number")
        number = int(decimal)
    if number < 0:
        raise ValueProblem(f"{number}: 0 이상이어야 합니다", f"{number}: must be 0 or more")
    return number


_DATE_TEXT = re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})\.?$")


def day_value(raw) -> date | None:
    """A date cell, or text such as 2019-03-04, 2019.3.4 or 2019/03/04."""
    if raw is None or raw == "":
        return None
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
        f"{topic(repr_text(text))} 날짜가 아닙니다(YYYY-MM-DD)", f"'{text}' is not a date (YYYY-MM-DD)"
    )


_MONTH_TEXT = re.compile(r"^(\d{4})[-./]?(\d{1,2})(?:[-./]0?1)?\.?$")


def month_value(raw) -> date:
    """A month cell: a date (any day of the month) or text 2019-03 / 2019.03 / 201903."""
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        return raw.replace(day=1)
    text = clean_text(raw).replace(" ", "")
    match = _MONTH_TEXT.match(text)
    if match and 1 <= int(match.group(2)) <= 12:
        return date(int(match.group(1)), int(match.group(2)), 1)
    raise ValueProblem(f"{topic(repr_text(text))} 월이 아닙니다(YYYY-MM)", f"'{text}' is not a month (YYYY-MM)")
