"""The prefilled template: identity, protection, validation, prefilled facts."""

import io

from openpyxl import load_workbook

from reporting.spreadsheets.template import TEMPLATE_VERSION

from .conftest import FEB, JAN, accept_month, figures, layout_cells, template_bytes


def test_template_carries_its_project_month_and_version_in_a_hidden_sheet(
    bupyeong_project,
):
    workbook = load_workbook(io.BytesIO(template_bytes(bupyeong_project, FEB)))
    meta = workbook["_sangsaeng"]
    assert meta.sheet_state == "veryHidden"
    assert (meta["B2"].value, meta["B3"].value, meta["B4"].value) == (
        bupyeong_project.code,
        "2019-02",
        TEMPLATE_VERSION,
    )
    assert set(workbook.defined_names) >= {
        "SANGSAENG_PROJECT",
        "SANGSAENG_PERIOD",
        "SANGSAENG_TEMPLATE_VERSION",
    }
    assert workbook.sheetnames[:2] == ["실적", "명단"]


def test_facts_are_locked_and_inputs_unlocked_with_validation(bupyeong_project):
    workbook = load_workbook(io.BytesIO(template_bytes(bupyeong_project, FEB)))
    sheet = workbook["실적"]
    cells = layout_cells(workbook)
    assert sheet.protection.sheet
    assert sheet["B4"].value == bupyeong_project.code and sheet["B4"].protection.locked
    women = cells["new_hires.women"]
    assert not sheet[women].protection.locked
    assert sheet[f"E{women[1:]}"].protection.locked  # the target beside it
    validations = {dv.type: dv for dv in sheet.data_validations.dataValidation}
    assert (
        validations["whole"].operator == "greaterThanOrEqual"
        and validations["whole"].formula1 == "0"
    )
    assert women in str(validations["whole"].sqref)
    assert validations["list"].formula1 == "=BudgetCategories"
    roster = workbook["명단"]
    roster_lists = [
        dv for dv in roster.data_validations.dataValidation if dv.type == "list"
    ]
    assert roster_lists[0].formula1 == "=TargetGroups"
    assert not roster["A3"].protection.locked


def test_headers_are_in_the_readers_language_only(bupyeong_project):
    workbook = load_workbook(io.BytesIO(template_bytes(bupyeong_project, FEB)))
    sheet = workbook["실적"]
    # One header, two rows tall (the cells below keep their addresses).
    assert (sheet["D13"].value, sheet["D14"].value) == ("이번 달 실적", None)
    assert "D13:D14" in {str(merged) for merged in sheet.merged_cells.ranges}
    roster = workbook["명단"]
    assert roster["A1"].value.startswith("가명 코드만 적습니다")
    assert (roster["A2"].value, roster["A3"].value) == ("참여자 코드", None)


def test_targets_and_totals_so_far_are_prefilled(
    bupyeong_project, bupyeong_officer, city_manager
):
    accept_month(
        bupyeong_project,
        bupyeong_officer,
        city_manager,
        JAN,
        values=figures(households=100, women=3),
    )
    workbook = load_workbook(io.BytesIO(template_bytes(bupyeong_project, FEB)))
    sheet = workbook["실적"]
    row = layout_cells(workbook)["households.total"][1:]
    assert sheet[f"E{row}"].value == 960  # target
    assert sheet[f"F{row}"].value == 100  # total to last month
    assert sheet[f"G{row}"].value == 100  # last month
    assert sheet[f"D{row}"].value is None  # this month: to be filled
