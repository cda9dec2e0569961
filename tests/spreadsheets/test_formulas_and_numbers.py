"""A figure never vanishes: formulas without a saved result or with an error are
refused by cell; what people type for a number is read as they meant it; and a
figure beyond any plausible month is refused before it reaches the database."""

import io
from datetime import date

import pytest
from django.utils import translation
from openpyxl import load_workbook

from reporting.checks import ReportContext, check_report
from reporting.models import MonthlyReport, ReportValue
from reporting.spreadsheets.bulk import bulk_import_file
from reporting.spreadsheets.reader import (
    UnreadableCell,
    ValueProblem,
    read_sheets,
    whole_number,
)
from reporting.spreadsheets.services import (
    UploadRejected,
    upload_confirm,
    upload_preview,
)
from tests.reporting.helpers import check_context

from .builders import ods_number, ods_with, xlsx_with
from .conftest import (
    FEB,
    FEB_SPENDING,
    FEB_VALUES,
    fill,
    kst,
    layout_cells,
    template_bytes,
)
from .test_bulk import long_xlsx, month_rows

NOW = kst(2019, 3, 5, 10)

FORMULA_CELLS = xlsx_with(
    '<row r="18">'
    '<c r="A18"><f>1+1</f><v>2</v></c>'  # saved result: read as usual
    '<c r="B18" t="e"><f>1/0</f><v>#DIV/0!</v></c>'  # saved result is an error
    '<c r="C18"><f>SUM(A1:A3)</f></c>'  # no saved result
    '<c r="D18"><v>5</v></c>'
    '<c r="E18" t="str"><f>IF(D18&gt;9,"x","")</f><v></v></c>'  # saved result is empty text
    "</row>"
)


def test_a_formula_with_a_saved_value_is_read_as_that_value():
    sheet = read_sheets(FORMULA_CELLS, "xlsx")["실적"]
    assert whole_number(sheet.at("A18")) == 2
    assert whole_number(sheet.at("D18")) == 5


def test_a_formula_whose_saved_result_is_empty_text_is_blank():
    assert whole_number(read_sheets(FORMULA_CELLS, "xlsx")["실적"].at("E18")) is None


def test_a_formula_without_a_saved_value_is_refused_not_read_as_blank():
    sheet = read_sheets(FORMULA_CELLS, "xlsx")["실적"]
    assert isinstance(sheet.at("C18"), UnreadableCell)
    with pytest.raises(ValueProblem) as problem:
        whole_number(sheet.at("C18"))
    assert problem.value.en == (
        "this cell holds a formula with no saved value; open and save the file in Excel "
        "or LibreOffice, or type the number."
    )
    assert problem.value.ko.startswith("이 셀에는 저장된 결과값이 없는 수식이 있습니다")


def test_a_formula_whose_saved_value_is_an_error_is_refused_saying_the_error():
    sheet = read_sheets(FORMULA_CELLS, "xlsx")["실적"]
    with pytest.raises(ValueProblem) as problem:
        whole_number(sheet.at("B18"))
    assert "this cell's formula gives the error #DIV/0!" in problem.value.en
    assert "오류(#DIV/0!)" in problem.value.ko


def test_unreadable_formulas_in_an_ods_are_found_too():
    data = ods_with(
        "<table:table-row>"
        '<table:table-cell table:formula="of:=1+1"/>'
        '<table:table-cell table:formula="of:=1/0" office:value-type="string" office:string-value="" '
        'calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>'
        '<table:table-cell table:formula="of:=1+1" office:value-type="float" office:value="2"><text:p>2</text:p>'
        f"</table:table-cell>{ods_number(4)}</table:table-row>"
    )
    sheet = read_sheets(data, "ods")["실적"]
    assert sheet.at("A1") == UnreadableCell("no_saved_value")
    assert sheet.at("B1") == UnreadableCell("error_value", "#DIV/0!")
    assert whole_number(sheet.at("C1")) == 2 and whole_number(sheet.at("D1")) == 4


def test_an_unreadable_formula_is_text_to_nobody():
    # A comment or narrative cell with a broken formula is blank text, never "UnreadableCell(...)".
    assert str(UnreadableCell("no_saved_value")) == ""


def test_an_uploaded_template_with_an_unsaved_formula_names_its_cell(
    bupyeong_project, bupyeong_officer
):
    cells = layout_cells(
        load_workbook(io.BytesIO(template_bytes(bupyeong_project, FEB)))
    )
    # openpyxl, like any program, writes the formula without computing it.
    data = fill(
        bupyeong_project,
        FEB,
        values={**FEB_VALUES, "visits.total": "=150*2"},
        spending=FEB_SPENDING,
    )
    result = upload_preview(
        data=data,
        filename="feb.xlsx",
        actor=bupyeong_officer,
        project=bupyeong_project,
        period=FEB,
        now=NOW,
    )
    [problem] = [p for p in result.errors if p.cell == cells["visits.total"]]
    with translation.override("en"):
        assert (
            "formula with no saved value" in problem.message and problem.sheet == "실적"
        )
    with pytest.raises(UploadRejected):
        upload_confirm(
            data=data,
            filename="feb.xlsx",
            actor=bupyeong_officer,
            project=bupyeong_project,
            period=FEB,
            now=NOW,
        )
    assert not MonthlyReport.objects.filter(project=bupyeong_project).exists()


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("-", 0),
        ("–", 0),
        ("—", 0),
        ("3명", 3),
        ("3 명", 3),
        ("1,000원", 1000),
        ("₩1,000", 1000),
        ("￦1,000", 1000),
        ("\\1,000", 1000),
        ("1 234", 1234),
        ("１，２３４", 1234),
        ("１２명", 12),
        ("2,634회", 2634),
        ("961가구", 961),
        (" 7 ", 7),
        ("7.0", 7),
        (12.0, 12),
        (3, 3),
    ],
)
def test_numbers_as_people_type_them_are_read_as_meant(typed, meant):
    assert whole_number(typed) == meant


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("2.5", "2.5 is not a whole number"),
        (2.5, "2.5 is not a whole number"),
        ("3.3e2", "'3.3e2' is not a number"),
        ("12 34", "'12 34' is not a number"),
        ("삼십", "'삼십' is not a number"),
        ("-3", "-3: must be 0 or more"),
        ("3-4", "'3-4' is not a number"),
        ("1,00", "'1,00' is not a number"),
    ],
)
def test_what_is_not_a_whole_count_is_refused_saying_why(typed, said):
    with pytest.raises(ValueProblem) as problem:
        whole_number(typed)
    assert problem.value.en == said


def _context() -> ReportContext:
    return check_context(
        period=date(2019, 2, 1),
        period_start=date(2019, 1, 1),
        period_end=date(2019, 12, 1),
        today=date(2019, 3, 5),
        target_groups={"women": ("경력단절여성", "Career-interrupted women", 10)},
        outputs={"households": 900},
        budget_lines={"personnel": ("인건비", "Personnel", 50_000_000)},
    )


@pytest.mark.django_db
def test_figures_beyond_any_plausible_month_are_refused_by_the_shared_checks():
    values = {
        "new_hires": {"women": 10_000_001},
        "households": {"total": 10**20},
        "spending": {"personnel": 10**12 + 1},
    }
    result = check_report(context=_context(), values=values, for_submission=False)
    assert set(result.errors) == {
        "new_hires.women",
        "households.total",
        "spending.personnel",
    }
    assert result.codes()["new_hires.women"] == ["figure_too_large"]
    assert result.errors["new_hires.women"][0].startswith(
        "신규 채용(경력단절여성): 10,000,001은(는)"
    )
    with translation.override("en"):
        result = check_report(context=_context(), values=values, for_submission=False)
    assert (
        "Jobs created (new hires) (Career-interrupted women): 10,000,001 is more than any month's figure can be "
        "(at most 10,000,000)" in result.errors["new_hires.women"][0]
    )
    assert result.errors["spending.personnel"][0].startswith(
        "Spending (Personnel): 1,000,000,000,001 KRW is more"
    )
    assert result.values["households"] == {}


@pytest.mark.django_db
def test_figures_at_the_ceiling_are_accepted():
    values = {"new_hires": {"women": 10_000_000}, "spending": {"personnel": 10**12}}
    assert check_report(
        context=_context(), values=values, for_submission=False
    ).is_valid


@pytest.mark.django_db
def test_the_ceiling_comes_from_settings(settings):
    settings.SANGSAENG_MAX_PEOPLE_COUNT = 100
    result = check_report(
        context=_context(), values={"new_hires": {"women": 101}}, for_submission=False
    )
    assert result.codes()["new_hires.women"] == ["figure_too_large"]
    assert "(최대 100)" in result.errors["new_hires.women"][0]


def test_an_upload_of_ten_to_the_twentieth_households_is_refused_at_its_cell(
    bupyeong_project, bupyeong_officer
):
    """It used to pass the preview and fail in the database at confirmation (HTTP 500)."""
    cells = layout_cells(
        load_workbook(io.BytesIO(template_bytes(bupyeong_project, FEB)))
    )
    data = fill(
        bupyeong_project,
        FEB,
        values={**FEB_VALUES, "households.total": 10**20},
        spending=FEB_SPENDING,
    )
    with translation.override("en"):
        result = upload_preview(
            data=data,
            filename="feb.xlsx",
            actor=bupyeong_officer,
            project=bupyeong_project,
            period=FEB,
            now=NOW,
        )
    [problem] = result.errors
    assert problem.cell == cells["households.total"]
    assert problem.code == "figure_too_large"
    assert (
        "100,000,000,000,000,000,000 is more than any month's figure can be"
        in problem.message_en
    )
    with pytest.raises(UploadRejected):
        upload_confirm(
            data=data,
            filename="feb.xlsx",
            actor=bupyeong_officer,
            project=bupyeong_project,
            period=FEB,
            now=NOW,
        )
    assert not ReportValue.objects.exists()


def test_the_bulk_import_refuses_an_implausible_figure_at_its_row(
    bupyeong_project, city_manager
):
    rows = month_rows(bupyeong_project.code, "2019-01")
    rows = [
        row if row[2:4] != ("households", "total") else (*row[:4], 10**15)
        for row in rows
    ]
    outcome = bulk_import_file(
        long_xlsx(rows), "past.xlsx", actor=city_manager, dry_run=False
    )
    assert not outcome.applied
    [error] = outcome.plan.errors
    assert error.column == "E" and error.code == "figure_too_large"
    assert "한 달 실적으로 가능한 값" in error.message  # the importer's language
    assert not ReportValue.objects.exists()


def test_a_korean_reader_gets_korean_refusals_for_numbers():
    with translation.override("ko"), pytest.raises(ValueProblem) as problem:
        whole_number("2.5")
    assert problem.value.ko == "2.5는 정수가 아닙니다"


def test_the_web_form_refuses_an_implausible_figure_beside_its_field(
    client, bupyeong_project, bupyeong_officer
):
    """The same ceiling as the upload: the form used to save 10^20 households
    only to fail in the database."""
    from django.urls import reverse

    from tests.reporting.test_admin_flow import form_data

    client.force_login(bupyeong_officer)
    url = reverse("reporting_report_form", args=[bupyeong_project.pk, "2019-01"])
    response = client.post(
        url, {**form_data(households__total=str(10**20)), "action-submit": "1"}
    )
    assert response.status_code == 200
    assert (
        "100,000,000,000,000,000,000은(는) 한 달 실적으로 가능한 값"
        in response.content.decode()
    )
    assert not MonthlyReport.objects.exists()
