"""The settlement statement's formulas give the system's numbers: each case is
built by ``statement_workbook``, recalculated by LibreOffice headless (its own
profile directory, so runs never share a lock) and read back; every formula
cell must equal the figure ``compute_settlement`` gives."""

import os
import shutil
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook

from funding.settlement_rules import (
    INTEREST_BY_RATIO,
    INTEREST_KEPT,
    INTEREST_TO_CITY,
    RatioPeriod,
    SettlementInputs,
    SpentLine,
    compute_settlement,
)
from funding.statement import StatementHeader, build_statement, statement_workbook

SOFFICE = shutil.which("soffice")
INSTALL = "apt-get install -y --no-install-recommends libreoffice-calc-nogui"


@pytest.fixture
def soffice():
    """LibreOffice, or a skip on a developer machine without it; on CI (``CI``
    set) a missing LibreOffice fails the check instead of skipping it."""
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail(f"LibreOffice (soffice) is missing on CI: {INSTALL}")
        pytest.skip(f"LibreOffice (soffice) is not installed: {INSTALL}")
    return SOFFICE


def P(month: int, city: int, total: int) -> RatioPeriod:
    return RatioPeriod(date(2019, month, 1), city, total)


def S(month: int, amount: int, category: str = "personnel") -> SpentLine:
    return SpentLine(date(2019, month, 1), category, amount)


CASES = {
    "odd won": SettlementInputs(
        periods=(P(1, 50_000_001, 100_000_003),),
        spending=(S(3, 33_333_331), S(4, 7_777_777, "supplies"), S(9, 1)),
        city_received=40_000_000,
        district_contributed=30_000_000,
        interest=12_345,
    ),
    "mid-year ratio change": SettlementInputs(
        periods=(P(1, 60_000_000, 100_000_000), P(7, 35_123_457, 70_000_001)),
        spending=tuple(S(m, 4_166_667) for m in range(1, 13))
        + (S(8, 999_999, "travel"), S(2, 1_234_567, "supplies")),
        city_received=60_000_000,
        district_contributed=40_000_000,
        interest=48_211,
    ),
    "by_ratio interest, odd amounts": SettlementInputs(
        periods=(P(1, 70_000_003, 100_000_007),),
        spending=(S(5, 45_678_901), S(6, 12_345_679, "supplies")),
        city_received=70_000_003,
        district_contributed=29_999_997,
        interest=100_001,
        interest_rule=INTEREST_BY_RATIO,
    ),
    "nothing spent": SettlementInputs(
        periods=(P(1, 50_000_000, 100_000_000),),
        spending=(),
        city_received=25_000_000,
        district_contributed=0,
        interest=7,
        interest_rule=INTEREST_BY_RATIO,
    ),
    "city shortfall, interest kept": SettlementInputs(
        periods=(P(1, 80_000_000, 100_000_000), P(10, 0, 0)),
        spending=(S(2, 90_000_001), S(11, 5_000_000)),
        city_received=50_000_000,
        district_contributed=20_000_000,
        interest=3_333,
        interest_rule=INTEREST_KEPT,
    ),
}

HEADER = StatementHeader(
    project_code="2019-JG-01",
    title='=HYPERLINK("http://evil")',
    district="남동구",
    call="2019 일자리 공모",
    interest_rule=INTEREST_TO_CITY,
    category_names={"personnel": "인건비", "supplies": "+SUM(1)"},
)


def recalculate(soffice: str, folder, files: list) -> dict:
    """Each workbook as LibreOffice computes it (values only), converted in one
    run with a profile directory of its own (no lock shared with other runs)."""
    out = folder / "recalculated"
    out.mkdir()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{folder / 'lo-profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return {path.stem: load_workbook(out / path.name, data_only=True) for path in files}


def _key(case: str, language: str) -> str:
    return f"{case.replace(' ', '_').replace(',', '')}-{language}"


@pytest.fixture(scope="module")
def statements(tmp_path_factory):
    """Every case in both languages: the layout and LibreOffice's values."""
    if SOFFICE is None:
        return None
    folder = tmp_path_factory.mktemp("statements")
    layouts, files = {}, []
    for case, inputs in CASES.items():
        result = compute_settlement(inputs)
        for language in ("ko", "en"):
            header = StatementHeader(**{**HEADER.__dict__, "language": language})
            workbook, layout = build_statement(header, inputs, result)
            path = folder / f"{_key(case, language)}.xlsx"
            path.write_bytes(statement_workbook(header, inputs, result))
            layouts[path.stem] = (workbook.worksheets[0].title, layout)
            files.append(path)
    values = recalculate(SOFFICE, folder, files)
    return {
        key: (values[key][title], layout) for key, (title, layout) in layouts.items()
    }


pytestmark = pytest.mark.xdist_group("libreoffice")


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_formula_gives_the_systems_number(soffice, statements, case, language):
    result = compute_settlement(CASES[case])
    values, layout = statements[_key(case, language)]

    for row, period in zip(layout.period_rows, result.periods, strict=True):
        assert values[f"F{row}"].value == period.spent
        assert values[f"G{row}"].value == period.city_spent
        assert values[f"H{row}"].value == period.district_spent
    totals = layout.totals_row
    assert values[f"F{totals}"].value == result.spent
    assert values[f"G{totals}"].value == result.city_spent
    assert values[f"H{totals}"].value == result.district_spent
    expected = {
        "received": result.city_received,
        "contributed": result.district_contributed,
        "city_spent": result.city_spent,
        "district_spent": result.district_spent,
        "unspent": result.city_unspent,
        "shortfall": result.city_shortfall,
        "district_unspent": result.district_unspent,
        "interest": result.interest,
        "interest_returned": result.interest_returned,
        "returned": result.returned,
    }
    got = {name: values[f"C{row}"].value for name, row in layout.money_rows.items()}
    assert got == expected
