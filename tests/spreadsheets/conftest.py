"""Spreadsheet fixtures: the reporting fixtures, and helpers to fill a template."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.projects.fixtures import bupyeong_project, seogu_project  # noqa: F401
from tests.reporting.helpers import accept_month, figures, file_month, kst  # noqa: F401

JAN, FEB, MAR = date(2019, 1, 1), date(2019, 2, 1), date(2019, 3, 1)


def template_bytes(project, period) -> bytes:
    from reporting.spreadsheets.template import build_template

    return build_template(project=project, period=period)


def layout_cells(workbook) -> dict[str, str]:
    """'new_hires.women' → 'D15', 'spending#1' → 'B25|D25|H25', 'narrative' → 'B30', …"""
    meta = workbook["_sangsaeng"]
    cells, spending = {}, 0
    for row in meta.iter_rows(min_row=6, values_only=True):
        kind = row[0]
        if kind == "figure":
            cells[f"{row[1]}.{row[2]}"] = row[3]
            cells[f"comment:{row[1]}.{row[2]}"] = row[4]
        elif kind == "spending":
            spending += 1
            cells[f"spending#{spending}"] = (row[3], row[4], row[5])
        elif kind == "narrative":
            cells["narrative"] = row[3]
        elif kind == "comment":
            cells[f"comment:{row[2]}"] = row[3]
    return cells


def fill(
    project,
    period,
    *,
    values=None,
    spending=None,
    narrative="",
    roster=(),
    edit=None,
    base=None,
) -> bytes:
    """A template filled in with openpyxl as a user would: ``values`` maps
    'new_hires.women' → what is typed; ``spending`` maps a category label or
    code to an amount; ``edit(workbook, cells)`` does anything else."""
    workbook = load_workbook(io.BytesIO(base or template_bytes(project, period)))
    sheet = workbook["실적"]
    cells = layout_cells(workbook)
    for key, value in (values or {}).items():
        sheet[cells[key]] = value
    if spending is not None:
        for index in range(1, 10):
            if f"spending#{index}" not in cells:
                break
            category, amount, _comment = cells[f"spending#{index}"]
            sheet[category] = None
            sheet[amount] = None
        for index, (category, amount) in enumerate(spending.items(), start=1):
            category_cell, amount_cell, _comment = cells[f"spending#{index}"]
            sheet[category_cell] = category
            sheet[amount_cell] = amount
    if narrative:
        sheet[cells["narrative"]] = narrative
    roster_sheet = workbook["명단"]
    for offset, row in enumerate(roster):
        for column, value in enumerate(row, start=1):
            roster_sheet.cell(row=3 + offset, column=column, value=value)
    if edit is not None:
        edit(workbook, cells)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


FEB_VALUES = {
    "new_hires.women": 2,
    "new_hires.seniors": 0,
    "employed.women": 2,
    "employed.seniors": 0,
    "households.total": 110,
    "visits.total": 300,
}
FEB_SPENDING = {"인건비 (personnel)": 7_000_000, "운영비 (operations)": 3_000_000}


@pytest.fixture
def filled_feb(bupyeong_project):  # noqa: F811
    return fill(
        bupyeong_project,
        FEB,
        values=FEB_VALUES,
        spending=FEB_SPENDING,
        narrative="코칭 활동가 2명 채용",
    )
