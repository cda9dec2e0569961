"""The template sets styles once per workbook and copies them after
(``common.spreadsheets.styled``, ``merged``): the file must be exactly what setting every style
and merging the slow way gives, so an openpyxl upgrade that changes how styles
are kept shows here, not in a district's spreadsheet."""

import io
import zipfile

from openpyxl import Workbook

from common.spreadsheets import merged, styled
from reporting.spreadsheets.template import (
    _BOX,
    _DATE,
    _FACT_FILL,
    _HEADER_FILL,
    _UNLOCKED,
    _WHOLE,
    _WRAP,
)


def _sheets(workbook) -> dict[str, bytes]:
    output = io.BytesIO()
    workbook.save(output)
    archive = zipfile.ZipFile(output)
    return {
        name: archive.read(name)
        for name in archive.namelist()
        if name.startswith("xl/")
    }


# What each cell gets, in order: the same style on many cells, styles laid on
# top of one another, a date value's own format replaced, merges of cells
# styled before and after, and a merge whose end cell has a border of its own.
STEPS = [
    ("style", 1, 1, {"fill": _HEADER_FILL, "border": _BOX}),
    ("style", 1, 2, {"fill": _HEADER_FILL, "border": _BOX}),
    ("merge", 1, 2, (2, 2)),
    ("style", 3, 1, {"alignment": _WRAP}),
    ("style", 3, 1, {"number_format": _WHOLE, "fill": _FACT_FILL}),
    ("style", 4, 1, {"alignment": _WRAP}),
    ("style", 4, 1, {"number_format": _WHOLE, "fill": _FACT_FILL}),
    ("merge", 5, 1, (5, 4)),
    ("style", 5, 1, {"protection": _UNLOCKED}),
    ("merge", 6, 1, (6, 4)),
    ("style", 7, 3, {"border": _BOX}),
    ("style", 7, 1, {"fill": _FACT_FILL}),
    ("merge", 7, 1, (7, 3)),
    ("style", 8, 3, {"border": _BOX}),
    ("style", 8, 1, {"fill": _FACT_FILL}),
    ("merge", 8, 1, (8, 3)),
    # The same style laid on a cell with a fill and on one without.
    ("style", 20, 1, {"fill": _FACT_FILL}),
    ("style", 20, 1, {"border": _BOX}),
    ("style", 21, 1, {"border": _BOX}),
    *(
        ("style", row, 2, {"protection": _UNLOCKED, "number_format": _DATE})
        for row in range(9, 20)
    ),
]


def _built(fast: bool) -> Workbook:
    from datetime import date

    workbook = Workbook()
    sheet = workbook.active
    for row in range(9, 20, 2):
        sheet.cell(row=row, column=2, value=date(2019, 10, row))
    for kind, row, column, what in STEPS:
        if kind == "style":
            cell = sheet.cell(row=row, column=column)
            if fast:
                styled(cell, **what)
            else:
                for name, value in what.items():
                    setattr(cell, name, value)
        else:
            end_row, end_column = what
            if fast:
                merged(
                    sheet,
                    start_row=row,
                    start_column=column,
                    end_row=end_row,
                    end_column=end_column,
                )
            else:
                sheet.merge_cells(
                    start_row=row,
                    start_column=column,
                    end_row=end_row,
                    end_column=end_column,
                )
    return workbook


def test_copied_styles_write_the_same_file_as_styles_set_one_by_one():
    slow, fast = _sheets(_built(fast=False)), _sheets(_built(fast=True))
    assert slow.keys() == fast.keys()
    different = [name for name in slow if slow[name] != fast[name]]
    assert different == []


def test_the_merged_ranges_and_their_cells_are_kept():
    sheet = _built(fast=True).active
    assert {str(merged) for merged in sheet.merged_cells.ranges} == {
        "B1:B2",
        "A5:D5",
        "A6:D6",
        "A7:C7",
        "A8:C8",
    }
    # The merged cell's right edge keeps the box's border, as Excel shows it.
    assert sheet["C7"].border.right.style == "thin"
    assert sheet["B2"].border.bottom.style == "thin"
