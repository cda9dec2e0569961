"""Messages an officer can act on: one refused cell gives one message at that
cell (no knock-on errors elsewhere), and a CSV copy of the template is told
to upload the workbook itself."""

from pathlib import Path

import pytest
from django.utils import translation

from reporting.spreadsheets.safety import SpreadsheetRefused
from reporting.spreadsheets.services import upload_preview

from .conftest import FEB, FEB_SPENDING, FEB_VALUES, fill, kst

FIXTURES = Path(__file__).parent / "fixtures"
NOW = kst(2019, 3, 5, 10)


def preview(data, project, officer, *, filename="feb.xlsx"):
    return upload_preview(
        data=data,
        filename=filename,
        actor=officer,
        project=project,
        period=FEB,
        now=NOW,
    )


def test_a_refused_hires_figure_gives_no_knock_on_error_on_employed(
    bupyeong_project, bupyeong_officer
):
    data = fill(
        bupyeong_project,
        FEB,
        values={**FEB_VALUES, "new_hires.women": "삼십"},
        spending=FEB_SPENDING,
    )
    result = preview(data, bupyeong_project, bupyeong_officer)
    assert [(e.sheet, e.cell) for e in result.errors] == [("실적", "D15")]


def test_employed_above_hires_is_still_an_error_when_hires_were_read(
    bupyeong_project, bupyeong_officer
):
    data = fill(
        bupyeong_project,
        FEB,
        values={**FEB_VALUES, "employed.women": 9, "visits.total": "삼십"},
        spending=FEB_SPENDING,
    )
    result = preview(data, bupyeong_project, bupyeong_officer)
    assert [(e.sheet, e.cell) for e in result.errors] == [
        ("실적", "D20"),
        ("실적", "D17"),
    ]


def test_a_refused_roster_row_gives_no_knock_on_error_on_the_counts(
    bupyeong_project, bupyeong_officer
):
    roster = [
        ("P-001", "women", "2019-02-04", None),
        ("P-002", "women", "2019-02-30", None),
    ]
    data = fill(
        bupyeong_project, FEB, values=FEB_VALUES, spending=FEB_SPENDING, roster=roster
    )
    result = preview(data, bupyeong_project, bupyeong_officer)
    assert [(e.sheet, e.cell) for e in result.errors] == [("명단", "C4")]


def test_no_activity_is_not_claimed_when_a_figure_was_refused(
    bupyeong_project, bupyeong_officer
):
    zero = {key: 0 for key in FEB_VALUES}
    data = fill(
        bupyeong_project, FEB, values={**zero, "visits.total": "삼십"}, spending={}
    )
    result = preview(data, bupyeong_project, bupyeong_officer)
    assert [(e.sheet, e.cell) for e in result.errors] == [("실적", "D20")]
    assert result.warnings == []


def test_a_csv_copy_of_the_template_saved_by_libreoffice_is_told_to_upload_the_xlsx(
    bupyeong_project, bupyeong_officer
):
    """The fixture is the filled template saved as CSV by LibreOffice itself."""
    data = (FIXTURES / "feb_template_saved_as_csv_by_libreoffice.csv").read_bytes()
    with translation.override("en"), pytest.raises(SpreadsheetRefused) as refused:
        preview(data, bupyeong_project, bupyeong_officer, filename="feb.csv")
    assert refused.value.message.startswith("This is a CSV copy of the template")
    assert "Upload the .xlsx file itself" in refused.value.message
    with translation.override("ko"), pytest.raises(SpreadsheetRefused) as refused:
        preview(data, bupyeong_project, bupyeong_officer, filename="feb.csv")
    assert refused.value.message.startswith("양식을 CSV로 저장한 사본입니다.")


def test_warnings_and_changes_are_shown_in_the_readers_language(
    bupyeong_project, bupyeong_officer
):
    zero = {key: 0 for key in FEB_VALUES}
    data = fill(bupyeong_project, FEB, values=zero, spending={})
    with translation.override("en"):
        result = preview(data, bupyeong_project, bupyeong_officer)
    [warning] = result.warnings
    assert warning.code == "no_activity"
    assert warning.text.startswith("Nobody was hired") and "/" not in warning.text
    assert any(c.text == "Households visited" for c in result.changes)
    with translation.override("ko"):
        result = preview(data, bupyeong_project, bupyeong_officer)
    [warning] = result.warnings
    assert warning.text.startswith("이번 달 신규 채용") and "Nobody" not in warning.text
    assert any(c.text == "방문 가구" for c in result.changes)


def test_a_template_outside_the_project_period_is_refused_in_one_language(
    bupyeong_project,
):
    from datetime import date

    from reporting.spreadsheets.services import template_for

    with translation.override("en"), pytest.raises(SpreadsheetRefused) as refused:
        template_for(actor=None, project=bupyeong_project, period=date(2020, 1, 1))
    assert refused.value.message == (
        "2020-01 is outside the project period (2019-01 to 2019-12); choose a month within it."
    )
    with translation.override("ko"), pytest.raises(SpreadsheetRefused) as refused:
        template_for(actor=None, project=bupyeong_project, period=date(2020, 1, 1))
    assert (
        refused.value.message
        == "2020-01은(는) 사업 기간(2019-01~2019-12) 밖입니다. 기간 안의 달을 고르세요."
    )


def test_an_unknown_budget_category_is_named_at_its_cell_in_each_language(
    bupyeong_project, bupyeong_officer
):
    data = fill(bupyeong_project, FEB, values=FEB_VALUES, spending={"간식비": 10_000})
    [error] = preview(data, bupyeong_project, bupyeong_officer).errors
    assert (error.sheet, error.cell) == ("실적", "B24")
    assert (
        error.message_ko
        == "'간식비'은(는) 이 사업의 예산 항목이 아닙니다. 목록에서 고르세요"
    )
    assert (
        error.message_en
        == "'간식비' is not a budget category of this project; choose one from the list"
    )


def test_a_one_month_csv_with_the_same_item_twice_is_named_at_its_row(
    bupyeong_project, bupyeong_officer
):
    code = bupyeong_project.code
    text = (
        f"project code,period,indicator,disaggregation,value\n{code},2019-02,output,households,110\n"
        f"{code},2019-02,output,households,120\n"
    )
    [error] = preview(
        text.encode(), bupyeong_project, bupyeong_officer, filename="feb.csv"
    ).errors
    assert (error.sheet, error.cell) == ("csv", "D3")
    assert error.message_en == "the same item appears twice; keep one row for it"
    assert error.message_ko == "같은 항목이 두 번 있습니다. 한 행만 남겨 주세요"
