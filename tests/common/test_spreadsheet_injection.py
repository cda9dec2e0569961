"""Text that a spreadsheet program would run as a formula is written as text in
every workbook the system produces."""

import pytest
from openpyxl import Workbook

from common.spreadsheets import safe_cell


@pytest.mark.parametrize(
    "text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", '=HYPERLINK("http://x")']
)
def test_formula_like_text_is_neutralised(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["부평구", "Seo-gu", 42, -5, None])
def test_ordinary_values_are_left_alone(value):
    assert safe_cell(value) == value


def test_the_evaluation_workbook_writes_a_formula_like_title_as_text():
    from reporting.evaluation.exports.workbook import HEADER_ROW, _table

    worksheet = Workbook().active
    _table(worksheet, ["title", "jobs"], [['=HYPERLINK("http://x")', 3]], [None, None])
    title = worksheet.cell(row=HEADER_ROW + 1, column=1)
    assert title.data_type == "s"
    assert title.value == '\'=HYPERLINK("http://x")'
    assert worksheet.cell(row=HEADER_ROW + 1, column=2).value == 3
