"""The settlement statement's workbook and PDF: the records' text never runs as
a formula, the statement's own formulas do, and the PDF prints the system's
figures and the rule in the reader's language."""

from datetime import date
from io import BytesIO

from openpyxl import load_workbook
from pypdf import PdfReader

from funding.settlement_rules import (
    INTEREST_BY_RATIO,
    RatioPeriod,
    SettlementInputs,
    SpentLine,
    compute_settlement,
)
from funding.statement import StatementHeader, statement_workbook
from funding.statement_pdf import statement_pdf
from tests.documents.helpers import PdfText

INPUTS = SettlementInputs(
    periods=(
        RatioPeriod(date(2019, 1, 1), 60_000_000, 100_000_000),
        RatioPeriod(date(2019, 7, 1), 35_123_457, 70_000_001),
    ),
    spending=(
        SpentLine(date(2019, 3, 1), "personnel", 33_333_331),
        SpentLine(date(2019, 8, 1), "supplies", 7_777_777),
    ),
    city_received=45_000_000,
    district_contributed=30_000_000,
    interest=100_001,
    interest_rule=INTEREST_BY_RATIO,
)
RESULT = compute_settlement(INPUTS)


def header(language="ko", **changes):
    values = {
        "project_code": "2019-NDG-01",
        "title": '=HYPERLINK("http://evil.example","click")',
        "district": "-남동구",
        "call": "@2019 일자리 공모",
        "agreement_versions": "1, 2",
        "signed_dates": "2019-01-15, 2019-06-20",
        "interest_rule": INTEREST_BY_RATIO,
        "language": language,
        "category_names": {"personnel": "인건비", "supplies": "+SUM(A1:A9)"},
    }
    return StatementHeader(**{**values, **changes})


def _cells(data: bytes):
    workbook = load_workbook(BytesIO(data))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]


def test_the_records_text_is_shown_never_run_as_a_formula():
    cells = _cells(statement_workbook(header(), INPUTS, RESULT))
    typed = {
        '=HYPERLINK("http://evil.example","click")',
        "-남동구",
        "@2019 일자리 공모",
        "+SUM(A1:A9)",
    }
    found = [cell for cell in cells if cell.value in typed]
    assert {cell.value for cell in found} == typed
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in found)


def test_the_statements_own_figures_are_formulas_the_auditor_can_follow():
    cells = _cells(statement_workbook(header(), INPUTS, RESULT))
    formulas = [cell.value for cell in cells if cell.data_type == "f"]
    assert "=SUM('집행내역'!E4:E4)" in formulas
    assert any("ROUNDDOWN(F" in formula for formula in formulas)
    assert any(formula.startswith("=MAX(0,") for formula in formulas)
    # by_ratio interest: the city's part of the money deposited, guarded for 0
    assert any(f.startswith("=IF(C") and "ROUNDDOWN(C" in f for f in formulas)
    money = [cell for cell in cells if cell.data_type == "f"]
    assert all(cell.number_format == "#,##0" for cell in money)


def test_the_workbook_speaks_the_chosen_language():
    korean = load_workbook(BytesIO(statement_workbook(header("ko"), INPUTS, RESULT)))
    english = load_workbook(BytesIO(statement_workbook(header("en"), INPUTS, RESULT)))
    assert korean.sheetnames == ["정산서", "집행내역"]
    assert english.sheetnames == ["Settlement statement", "Spending"]
    assert str(english.active.page_setup.paperSize) == english.active.PAPERSIZE_A4
    assert english.active.sheet_properties.pageSetUpPr.fitToPage


def _text(data: bytes) -> PdfText:
    reader = PdfReader(BytesIO(data))
    return PdfText("\n".join(page.extract_text() for page in reader.pages))


def test_the_pdf_prints_the_systems_figures_and_the_rule_in_korean():
    text = _text(statement_pdf(header("ko"), INPUTS, RESULT))
    assert "정산서" in text
    for amount in (
        RESULT.city_spent,
        RESULT.city_unspent,
        RESULT.interest_returned,
        RESULT.returned,
        RESULT.periods[1].city_spent,
    ):
        assert f"{amount:,}원" in text
    assert "원 미만 절사" in text or "원 단위 미만" in text or "절사" in text
    assert "인건비" in text


def test_the_pdf_in_english():
    text = _text(statement_pdf(header("en"), INPUTS, RESULT))
    assert "Settlement statement" in text
    assert f"KRW {RESULT.returned:,}" in text
    assert "Returned to the city" in text
    assert "rounded down to the won" in text
