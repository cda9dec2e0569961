"""The template is written in the language of the person downloading it, and a
template downloaded in either language is read back with exactly the figures
typed into it (issue 21: one language at a time)."""

import io
import re
from datetime import date

import pytest
from django.utils import translation
from openpyxl import load_workbook

from reporting.selectors import version_roster, version_values
from reporting.spreadsheets.safety import SpreadsheetRefused
from reporting.spreadsheets.services import upload_confirm, upload_preview
from reporting.spreadsheets.template import KEY_COLUMN, build_template

from .conftest import FEB, FEB_VALUES, kst, layout_cells

NOW = kst(2019, 3, 5, 10)
HANGUL = re.compile("[가-힣]")
LATIN_WORD = re.compile("[A-Za-z]{3,}")


def template_in(language: str, project) -> bytes:
    with translation.override(language):
        return build_template(project=project, period=FEB)


def fill_any(data: bytes, *, values: dict, spending: dict, roster=()) -> bytes:
    """Fill a template in whichever language: its sheets by position (the
    figures first, the roster second), its cells by the hidden layout."""
    workbook = load_workbook(io.BytesIO(data))
    figures, roster_sheet = workbook.worksheets[:2]
    cells = layout_cells(workbook)
    for key, value in values.items():
        figures[cells[key]] = value
    for index, (category, amount) in enumerate(spending.items(), start=1):
        category_cell, amount_cell, _comment = cells[f"spending#{index}"]
        figures[category_cell] = category
        figures[amount_cell] = amount
    figures[cells["narrative"]] = "코칭 활동가 2명 채용"
    for offset, row in enumerate(roster):
        for column, value in enumerate(row, start=1):
            roster_sheet.cell(row=3 + offset, column=column, value=value)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def visible_labels(data: bytes) -> list[str]:
    """Every text a person reads in the template: the visible sheets' names
    and cells (not the typed-in figures, not the hidden key column), and the
    data-validation titles and messages."""
    workbook = load_workbook(io.BytesIO(data))
    texts = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        texts.append(sheet.title)
        for row in sheet.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str) or cell.coordinate.startswith(
                    KEY_COLUMN
                ):
                    continue
                texts.append(cell.value)
        for validation in sheet.data_validations.dataValidation:
            texts += [validation.errorTitle or "", validation.error or ""]
    return [text for text in texts if text]


def test_a_template_for_a_korean_reader_has_korean_labels_only(bupyeong_project):
    labels = visible_labels(template_in("ko", bupyeong_project))
    assert "이번 달 실적" in labels and "This month" not in labels
    assert "0 이상의 정수를 입력하세요." in labels
    # Latin letters only in codes, units and names that are Latin in Korean too.
    for label in labels:
        assert " / " not in label, label
        assert "\n" not in label or not LATIN_WORD.search(label), label


def test_a_template_for_an_english_reader_has_english_labels_only(bupyeong_project):
    labels = visible_labels(template_in("en", bupyeong_project))
    assert "This month" in labels and "이번 달 실적" not in labels
    assert "Enter a whole number, 0 or more." in labels
    korean = [label for label in labels if HANGUL.search(label)]
    # The project's own Korean title is data it has no English for: nothing else.
    assert korean == [bupyeong_project.title] * len(korean), korean


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_template_downloaded_in_either_language_reads_back_exactly(
    bupyeong_project, bupyeong_officer, language
):
    categories = (
        {"인건비 (personnel)": 7_000_000, "운영비 (operations)": 3_000_001}
        if language == "ko"
        else {"Personnel (personnel)": 7_000_000, "Operations (operations)": 3_000_001}
    )
    group = (
        "경력단절여성 (women)"
        if language == "ko"
        else "Career-interrupted women (women)"
    )
    data = fill_any(
        template_in(language, bupyeong_project),
        values={**FEB_VALUES, "visits.total": 301},
        spending=categories,
        roster=[
            ("BP-19-001", group, date(2019, 2, 4), None),
            ("BP-19-002", group, date(2019, 2, 11), None),
        ],
    )
    # Read by an officer in the other language: the file, not the reader, decides.
    reader = "en" if language == "ko" else "ko"
    with translation.override(reader):
        outcome = upload_confirm(
            data=data,
            filename="feb.xlsx",
            actor=bupyeong_officer,
            project=bupyeong_project,
            period=FEB,
            now=NOW,
        )
    stored = version_values(outcome.version)
    assert stored["new_hires"] == {"women": 2, "seniors": 0}
    assert stored["employed"] == {"women": 2, "seniors": 0}
    assert (stored["households"], stored["visits"]) == ({"total": 110}, {"total": 301})
    assert stored["spending"] == {"personnel": 7_000_000, "operations": 3_000_001}
    assert [row["participant_code"] for row in version_roster(outcome.version)] == [
        "BP-19-001",
        "BP-19-002",
    ]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_changed_layout_is_still_refused_in_either_language(
    bupyeong_project, bupyeong_officer, language
):
    def sorted_rows(workbook):
        # Two measures' labels swapped as if rows were sorted without the key column.
        figures = workbook.worksheets[0]
        cells = layout_cells(workbook)
        first = int(cells["households.total"][1:])
        second = int(cells["visits.total"][1:])
        for column in "ABC":
            a, b = figures[f"{column}{first}"], figures[f"{column}{second}"]
            a.value, b.value = b.value, a.value

    workbook = load_workbook(io.BytesIO(template_in(language, bupyeong_project)))
    sorted_rows(workbook)
    output = io.BytesIO()
    workbook.save(output)
    with pytest.raises(SpreadsheetRefused) as refused:
        upload_preview(
            data=output.getvalue(),
            filename="feb.xlsx",
            actor=bupyeong_officer,
            project=bupyeong_project,
            period=FEB,
            now=NOW,
        )
    assert refused.value.code == "layout_changed"


def test_a_deleted_column_header_is_refused_in_an_english_template(
    bupyeong_project, bupyeong_officer
):
    workbook = load_workbook(io.BytesIO(template_in("en", bupyeong_project)))
    figures = workbook.worksheets[0]
    header = next(
        cell
        for row in figures.iter_rows()
        for cell in row
        if cell.value == "This month"
    )
    header.value = "Whatever"
    output = io.BytesIO()
    workbook.save(output)
    with pytest.raises(SpreadsheetRefused) as refused:
        upload_preview(
            data=output.getvalue(),
            filename="feb.xlsx",
            actor=bupyeong_officer,
            project=bupyeong_project,
            period=FEB,
            now=NOW,
        )
    assert refused.value.code == "layout_changed"
