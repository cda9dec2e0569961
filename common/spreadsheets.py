"""The one writer for every spreadsheet and CSV file the system emits.

A text a district typed (a title, a narrative, an output's unit) must never run
as a formula when someone opens the file: text starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is written as text (CSV and formula
injection, OWASP). Every export goes through one of these:

* ``safe_cell(value)`` — for output-only rows (``worksheet.append``, tablib,
  CSV): formula-like text gets a leading apostrophe, numbers stay numbers;
* ``write_text(cell, value)`` — for cells whose text comes back on upload (the
  monthly template): the text is kept exactly, stored as a string and marked
  with Excel's quote prefix, so it shows and edits as text;
* ``own_formula(cell, formula)`` — a formula the system itself writes;
* ``workbook_bytes(workbook)`` — saves a workbook after a last pass that turns
  every formula not written by ``own_formula`` into text (a forgotten write
  site cannot let one through);
* ``csv_writer(stream)`` / ``csv_text(rows)`` — CSV with a UTF-8 byte-order mark
  (Korean Excel reads UTF-8 only with one) and every field through
  ``safe_cell``;
* ``dataset_export(dataset, fmt)`` — a tablib Dataset (django-import-export)
  as xlsx or CSV, every value through ``safe_cell``.

And for workbooks with many styled cells: ``styled(cell, **styles)`` and
``merged(sheet, …)``, which set a style (a merge) once per workbook and copy
it after, with exactly the outcome of setting it the slow way.
"""

import csv
import io
from copy import copy
from decimal import Decimal

from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange

# Text a spreadsheet program would read as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# UTF-8's byte-order mark: Excel opens a CSV as UTF-8 only when it starts with one.
CSV_BOM = "\ufeff"

_OWN_FORMULAS = "_sangsaeng_own_formulas"


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_cell(value):
    """Numbers stay numbers; text that starts like a formula is neutralised with
    a leading apostrophe, as OWASP recommends, so a project title such as
    "=HYPERLINK(…)" is shown, never run."""
    if isinstance(value, Decimal):
        return float(value)
    if is_formula_like(value):
        return "'" + value
    return value


# --- xlsx (openpyxl) ------------------------------------------------------------


def write_text(cell, value):
    """Put ``value`` in ``cell`` unchanged; a text is always a string cell, and
    a formula-like one carries the quote prefix (shown and edited as text).
    Used where the text comes back on upload, so it must not gain a character."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    return cell


def own_formula(cell, formula: str):
    """A formula the system writes itself (never one built from typed text)."""
    cell.value = formula
    sheet = cell.parent
    marks = getattr(sheet, _OWN_FORMULAS, None)
    if marks is None:
        marks = set()
        setattr(sheet, _OWN_FORMULAS, marks)
    marks.add(cell.coordinate)
    return cell


def neutralise_workbook(workbook) -> None:
    """Every formula cell not marked by ``own_formula`` becomes text; every
    formula-like text gets the quote prefix."""
    for sheet in workbook.worksheets:
        own = getattr(sheet, _OWN_FORMULAS, set())
        # The cells that exist (iter_rows would create the empty ones too).
        for cell in list(sheet._cells.values()):
            if cell.data_type == "f" and cell.coordinate not in own:
                cell.data_type = "s"
                cell.quotePrefix = True
            elif cell.data_type == "s" and is_formula_like(cell.value):
                cell.quotePrefix = True


def workbook_bytes(workbook) -> bytes:
    """Save a (normal, not write-only) workbook after ``neutralise_workbook``."""
    neutralise_workbook(workbook)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- xlsx styles, set once per workbook -------------------------------------------
#
# openpyxl looks every style object it is given up in the workbook's style lists,
# hashing it field by field, and a merge does so again for each edge cell; the
# monthly template sets some 2,500 styles, which was most of its time. A cell's
# style is a short array of indexes into those lists, so a style worked out once
# in a workbook is copied after (openpyxl copies styles the same way). What a cell
# ends up with is exactly what the slow way gives: the key is the cell's style
# before and what is set.


def _style_of(cell) -> tuple | None:
    return None if cell._style is None else tuple(cell._style)


def _kept(workbook, kind: str) -> dict:
    kept = workbook.__dict__.setdefault("_sangsaeng_styles", {})
    return kept.setdefault(kind, {})


def styled(cell, **attributes):
    """``cell`` with ``attributes`` (font, fill, border, alignment, protection,
    number_format) set, as setting them one by one would."""
    kept = _kept(cell.parent.parent, "cells")
    # The objects' identities; the entry holds the objects, so an identity is
    # never reused for another while the workbook is being built.
    key = (
        _style_of(cell),
        tuple((name, id(value)) for name, value in attributes.items()),
    )
    found = kept.get(key)
    if found is None:
        for name, value in attributes.items():
            setattr(cell, name, value)
        kept[key] = (copy(cell._style), tuple(attributes.values()))
    else:
        cell._style = copy(found[0])
    return cell


def merged(ws, *, start_row: int, start_column: int, end_row: int, end_column: int):
    """``ws.merge_cells`` whose outcome (the start cell's style, each merged
    cell's borders and protection) is worked out once per shape and style."""
    start = ws.cell(row=start_row, column=start_column)
    end = ws._cells.get((end_row, end_column))
    key = (
        _style_of(start),
        "none" if end is None else _style_of(end),
        end_row - start_row,
        end_column - start_column,
    )
    kept = _kept(ws.parent, "merges")
    cells = [
        (row, column)
        for row in range(start_row, end_row + 1)
        for column in range(start_column, end_column + 1)
    ]
    found = kept.get(key)
    if found is None:
        ws.merge_cells(
            start_row=start_row,
            start_column=start_column,
            end_row=end_row,
            end_column=end_column,
        )
        kept[key] = [copy(ws._cells[place]._style) for place in cells]
        return
    coordinate = (
        f"{get_column_letter(start_column)}{start_row}:"
        f"{get_column_letter(end_column)}{end_row}"
    )
    ws.merged_cells.add(MergedCellRange(ws, coordinate))
    start._style = copy(found[0])
    for (row, column), style in zip(cells[1:], found[1:], strict=True):
        merged = MergedCell(ws, row=row, column=column)
        merged._style = copy(style)
        ws._cells[(row, column)] = merged


# --- CSV ---------------------------------------------------------------------------


class SafeCSVWriter:
    """``csv.writer`` whose every field goes through ``safe_cell``."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row):
        # ``safe_cell`` inlined: a city-wide CSV has hundreds of thousands of
        # fields, most of them numbers, and a call per field was half its time.
        return self._writer.writerow(
            [
                (("'" + value) if value.startswith(FORMULA_STARTS) else value)
                if type(value) is str
                else value
                if type(value) is int
                else safe_cell(value)
                for value in row
            ]
        )

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(stream, *, bom: bool = True, **options) -> SafeCSVWriter:
    """A safe CSV writer on ``stream``; writes the byte-order mark first."""
    if bom:
        stream.write(CSV_BOM)
    return SafeCSVWriter(stream, **options)


def csv_text(rows, *, bom: bool = True) -> str:
    out = io.StringIO()
    csv_writer(out, bom=bom).writerows(rows)
    return out.getvalue()


# --- tablib (django-import-export) ---------------------------------------------------


def dataset_export(dataset, fmt: str):
    """A tablib Dataset as ``xlsx`` (bytes) or ``csv`` (text with the BOM),
    every value through ``safe_cell``."""
    from tablib import Dataset

    safe = Dataset(
        headers=[safe_cell(str(header)) for header in (dataset.headers or [])]
    )
    for row in dataset:
        safe.append([safe_cell(value) for value in row])
    if fmt == "csv":
        return CSV_BOM + safe.export("csv")
    if fmt == "xlsx":
        return safe.export("xlsx")
    raise ValueError(f"unknown format: {fmt}")
