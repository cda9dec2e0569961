"""The template's layout is verified, not trusted: a filled workbook whose rows,
columns or sheets were moved is either read correctly (every figure where it
belongs) or refused naming the sheet and the row or column — never read from
the wrong cell, never silently short of what the officer typed."""

import io
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.utils.protection import hash_password

from reporting.selectors import version_roster, version_values
from reporting.spreadsheets.safety import SpreadsheetRefused
from reporting.spreadsheets.services import upload_confirm, upload_preview

from .conftest import FEB, FEB_SPENDING, FEB_VALUES, fill, kst, template_bytes

FIXTURES = Path(__file__).parent / "fixtures"
NOW = kst(2019, 3, 5, 10)
NARRATIVE = "코칭 활동가 2명 채용"
EXPECTED = {
    "new_hires": {"women": 2, "seniors": 0},
    "employed": {"women": 2, "seniors": 0},
    "households": {"total": 110},
    "visits": {"total": 300},
    "spending": {"personnel": 7_000_000, "operations": 3_000_000},
}


def altered(project, edit, **kwargs) -> bytes:
    kwargs = {
        "values": FEB_VALUES,
        "spending": FEB_SPENDING,
        "narrative": NARRATIVE,
        **kwargs,
    }
    return fill(project, FEB, edit=edit, **kwargs)


def confirm(data, project, officer, *, filename="feb.xlsx"):
    return upload_confirm(
        data=data,
        filename=filename,
        actor=officer,
        project=project,
        period=FEB,
        now=NOW,
    )


def refusal(data, project, officer, *, language="en", filename="feb.xlsx") -> str:
    with translation.override(language), pytest.raises(SpreadsheetRefused) as refused:
        upload_preview(
            data=data,
            filename=filename,
            actor=officer,
            project=project,
            period=FEB,
            now=NOW,
        )
    return refused.value.message


def row_of(cells, key) -> int:
    return int(cells[key][1:])


# --- moved rows and columns are followed ----------------------------------


def test_a_blank_row_inserted_in_the_figures_table_is_followed(
    bupyeong_project, bupyeong_officer
):
    def insert(workbook, cells):
        workbook["실적"].insert_rows(row_of(cells, "employed.women"))

    outcome = confirm(
        altered(bupyeong_project, insert), bupyeong_project, bupyeong_officer
    )
    assert version_values(outcome.version) == EXPECTED
    assert outcome.version.narrative == NARRATIVE


def test_a_deleted_unit_column_does_not_read_the_targets_as_figures(
    bupyeong_project, bupyeong_officer
):
    def delete_unit(workbook, cells):
        workbook["실적"].delete_cols(3)

    outcome = confirm(
        altered(bupyeong_project, delete_unit), bupyeong_project, bupyeong_officer
    )
    assert version_values(outcome.version) == EXPECTED


def test_a_row_inserted_above_the_narrative_keeps_the_narrative(
    bupyeong_project, bupyeong_officer
):
    def insert(workbook, cells):
        workbook["실적"].insert_rows(row_of(cells, "narrative"))

    outcome = confirm(
        altered(bupyeong_project, insert), bupyeong_project, bupyeong_officer
    )
    assert outcome.version.narrative == NARRATIVE
    assert version_values(outcome.version) == EXPECTED


ROSTER = [(f"P-{n:03d}", "women", f"2019-02-{n:02d}", None) for n in range(1, 29)]
NO_COUNTS = {k: v for k, v in FEB_VALUES.items() if k.endswith(".total")}


def test_a_renamed_roster_sheet_is_still_read_whole(bupyeong_project, bupyeong_officer):
    def rename(workbook, cells):
        workbook["명단"].title = "참여자"

    data = altered(bupyeong_project, rename, values=NO_COUNTS, roster=ROSTER)
    outcome = confirm(data, bupyeong_project, bupyeong_officer)
    assert len(version_roster(outcome.version)) == 28
    assert version_values(outcome.version)["new_hires"]["women"] == 28


def test_a_roster_moved_to_the_front_and_down_is_followed(
    bupyeong_project, bupyeong_officer
):
    def move(workbook, cells):
        roster = workbook["명단"]
        roster.insert_rows(1, amount=3)
        workbook.move_sheet(roster, offset=-1)

    data = altered(bupyeong_project, move, values=NO_COUNTS, roster=ROSTER)
    outcome = confirm(data, bupyeong_project, bupyeong_officer)
    assert [r["participant_code"] for r in version_roster(outcome.version)][:2] == [
        "P-001",
        "P-002",
    ]
    assert len(version_roster(outcome.version)) == 28


def test_a_renamed_figures_sheet_is_read_and_named_as_it_is_now(
    bupyeong_project, bupyeong_officer
):
    def rename(workbook, cells):
        workbook["실적"].title = "2월 실적"

    outcome = confirm(
        altered(bupyeong_project, rename), bupyeong_project, bupyeong_officer
    )
    assert version_values(outcome.version) == EXPECTED

    def rename_and_break(workbook, cells):
        rename(workbook, cells)
        workbook["2월 실적"][cells["visits.total"]] = "삼십"

    preview = upload_preview(
        data=altered(bupyeong_project, rename_and_break),
        filename="feb.xlsx",
        actor=bupyeong_officer,
        project=bupyeong_project,
        period=FEB,
        now=NOW,
    )
    assert [(e.sheet, e.cell) for e in preview.errors] == [("2월 실적", "D20")]


# --- what cannot be followed is refused, naming the sheet and row or column ---


def test_a_row_inserted_with_a_figure_in_it_is_refused_naming_the_row(
    bupyeong_project, bupyeong_officer
):
    def insert_and_type(workbook, cells):
        row = row_of(cells, "households.total")
        workbook["실적"].insert_rows(row)
        workbook["실적"][f"B{row}"] = "추가 항목"
        workbook["실적"][f"D{row}"] = 40

    message = refusal(
        altered(bupyeong_project, insert_and_type), bupyeong_project, bupyeong_officer
    )
    assert message == (
        'The layout of sheet "실적" was changed (row 19 was inserted?). Download the template again and '
        "copy your figures into it."
    )


def test_a_deleted_figures_column_is_refused_naming_the_column(
    bupyeong_project, bupyeong_officer
):
    def delete_figures(workbook, cells):
        workbook["실적"].delete_cols(4)

    message = refusal(
        altered(bupyeong_project, delete_figures), bupyeong_project, bupyeong_officer
    )
    assert (
        'sheet "실적"' in message and 'the column "This month" was deleted?' in message
    )


def test_a_column_inserted_with_values_in_it_is_refused_naming_the_column(
    bupyeong_project, bupyeong_officer
):
    def insert_column(workbook, cells):
        workbook["실적"].insert_cols(5)
        workbook["실적"][f"E{row_of(cells, 'visits.total')}"] = 12

    message = refusal(
        altered(bupyeong_project, insert_column), bupyeong_project, bupyeong_officer
    )
    assert "column E was inserted?" in message


def test_a_deleted_figure_row_is_refused_naming_the_measure(
    bupyeong_project, bupyeong_officer
):
    def delete(workbook, cells):
        workbook["실적"].delete_rows(row_of(cells, "employed.women"))

    message = refusal(
        altered(bupyeong_project, delete), bupyeong_project, bupyeong_officer
    )
    # The row is named as the template (downloaded in Korean) showed it.
    assert 'was changed (the row "월말 재직 · 경력단절여성" was deleted?)' in message


def test_rows_sorted_without_their_hidden_keys_are_refused(
    bupyeong_project, bupyeong_officer
):
    """Sorting A:H leaves the hidden key column where it was: the labels tell."""

    def sort_visible_part(workbook, cells):
        sheet = workbook["실적"]
        first, second = (
            row_of(cells, "new_hires.women"),
            row_of(cells, "employed.women"),
        )
        for column in "ABCDEFGH":
            sheet[f"{column}{first}"].value, sheet[f"{column}{second}"].value = (
                sheet[f"{column}{second}"].value,
                sheet[f"{column}{first}"].value,
            )

    message = refusal(
        altered(bupyeong_project, sort_visible_part), bupyeong_project, bupyeong_officer
    )
    assert "row 15 shows" in message and "were rows moved or sorted?" in message


def test_a_deleted_roster_sheet_is_refused_naming_it(
    bupyeong_project, bupyeong_officer
):
    def delete(workbook, cells):
        del workbook["명단"]

    message = refusal(
        altered(bupyeong_project, delete), bupyeong_project, bupyeong_officer
    )
    assert message.startswith('The sheet "명단" of the template is missing')


def test_a_copy_of_the_figures_sheet_is_refused_naming_both(
    bupyeong_project, bupyeong_officer
):
    def copy(workbook, cells):
        workbook.copy_worksheet(workbook["실적"]).title = "실적 (2)"

    message = refusal(
        altered(bupyeong_project, copy), bupyeong_project, bupyeong_officer
    )
    assert '("실적" and "실적 (2)")' in message


def test_a_layout_refusal_is_in_the_readers_language(
    bupyeong_project, bupyeong_officer
):
    def delete(workbook, cells):
        workbook["실적"].delete_rows(row_of(cells, "employed.women"))

    data = altered(bupyeong_project, delete)
    korean = refusal(data, bupyeong_project, bupyeong_officer, language="ko")
    english = refusal(data, bupyeong_project, bupyeong_officer, language="en")
    assert (
        "실적" in korean
        and "양식을 다시 내려받아" in korean
        and "Download" not in korean
    )
    assert english.isascii() is False  # the sheet's own name stays as it is
    assert "양식" not in english and "Download the template again" in english


# --- the protection ---------------------------------------------------------


@override_settings(SPREADSHEET_TEMPLATE_PASSWORD="casual-edits-only")
def test_the_template_protection_has_the_password_from_settings(bupyeong_project):
    workbook = load_workbook(io.BytesIO(template_bytes(bupyeong_project, FEB)))
    for sheet in workbook.worksheets:
        assert sheet.protection.sheet and sheet.protection.password == hash_password(
            "casual-edits-only"
        )
    assert workbook.security.lockStructure
    assert workbook.security.workbookPassword == hash_password("casual-edits-only")


def test_libreoffice_keeps_the_hidden_keys_and_the_figures_are_read(
    bupyeong_project, bupyeong_officer
):
    """The .ods fixture was saved by LibreOffice itself (make_libreoffice_fixtures.py)."""
    data = (FIXTURES / "feb_saved_by_libreoffice.ods").read_bytes()
    outcome = confirm(data, bupyeong_project, bupyeong_officer, filename="feb.ods")
    stored = version_values(outcome.version)
    assert (stored["households"], stored["visits"]) == ({"total": 110}, {"total": 300})


def test_rows_columns_and_sheets_moved_in_libreoffice_are_followed(
    bupyeong_project, bupyeong_officer
):
    """LibreOffice itself removed the protection, inserted a row in the figures
    table and one above the narrative, deleted the unit column, renamed the
    roster sheet and moved it first (make_libreoffice_fixtures.py)."""
    data = (
        FIXTURES / "feb_rows_columns_and_sheets_moved_by_libreoffice.xlsx"
    ).read_bytes()
    outcome = confirm(data, bupyeong_project, bupyeong_officer)
    assert version_values(outcome.version) == EXPECTED
    assert outcome.version.narrative == "LibreOffice로 행과 열을 옮긴 파일"
    assert [r["participant_code"] for r in version_roster(outcome.version)] == [
        "P-001",
        "P-002",
    ]


def test_a_row_with_a_figure_inserted_in_libreoffice_is_refused_naming_it(
    bupyeong_project, bupyeong_officer
):
    data = (
        FIXTURES / "feb_row_with_a_figure_inserted_by_libreoffice.xlsx"
    ).read_bytes()
    assert refusal(data, bupyeong_project, bupyeong_officer, language="ko") == (
        '"실적" 시트의 배치가 바뀌었습니다(19행을 삽입했나요?). 양식을 다시 내려받아 입력한 실적을 옮겨 적어 주세요.'
    )
