"""Uploading a filled template: exact values, what people type, refusals with
their cells, atomicity, idempotence, identity."""

import io
import zipfile
from pathlib import Path

import pytest
from django.utils import translation

from reporting.models import MonthlyReport, ReportValue, ReportVersion
from reporting.selectors import version_roster, version_values
from reporting.spreadsheets.safety import SpreadsheetRefused
from reporting.spreadsheets.services import (
    UploadRejected,
    upload_confirm,
    upload_preview,
)

from .conftest import FEB, FEB_SPENDING, FEB_VALUES, JAN, MAR, fill, kst, template_bytes

FIXTURES = Path(__file__).parent / "fixtures"
NOW = kst(2019, 3, 5, 10)


def preview(data, project, officer, *, filename="feb.xlsx", period=FEB, **kwargs):
    return upload_preview(
        data=data,
        filename=filename,
        actor=officer,
        project=project,
        period=period,
        now=NOW,
        **kwargs,
    )


def confirm(data, project, officer, *, filename="feb.xlsx", period=FEB, **kwargs):
    return upload_confirm(
        data=data,
        filename=filename,
        actor=officer,
        project=project,
        period=period,
        now=NOW,
        **kwargs,
    )


def messages(result) -> list[str]:
    return [error.message for error in result.errors]


def test_filled_template_is_stored_with_exact_values(
    bupyeong_project, bupyeong_officer, filled_feb
):
    outcome = confirm(filled_feb, bupyeong_project, bupyeong_officer)
    assert outcome.changed
    stored = version_values(outcome.version)
    assert stored["new_hires"] == {"women": 2, "seniors": 0}
    assert stored["employed"] == {"women": 2, "seniors": 0}
    assert (stored["households"], stored["visits"]) == ({"total": 110}, {"total": 300})
    assert stored["spending"] == {"personnel": 7_000_000, "operations": 3_000_000}
    assert outcome.version.narrative == "코칭 활동가 2명 채용"


def test_preview_shows_the_changes_against_the_current_version_and_saves_nothing(
    bupyeong_project, bupyeong_officer, filled_feb
):
    confirm(filled_feb, bupyeong_project, bupyeong_officer)
    changed = fill(
        bupyeong_project,
        FEB,
        values={**FEB_VALUES, "households.total": 150},
        spending=FEB_SPENDING,
        narrative="코칭 활동가 2명 채용",
    )
    result = preview(changed, bupyeong_project, bupyeong_officer)
    assert result.is_valid
    assert [(c.label, c.old, c.new) for c in result.changes] == [
        ("방문 가구", 110, 150)
    ]
    version = MonthlyReport.objects.get(
        project=bupyeong_project, period=FEB
    ).current_version
    assert version_values(version)["households"]["total"] == 110


def test_uploading_the_same_content_twice_changes_nothing(
    bupyeong_project, bupyeong_officer, filled_feb
):
    first = confirm(filled_feb, bupyeong_project, bupyeong_officer)
    updated_at = ReportVersion.objects.get(pk=first.version.pk).updated_at
    second = confirm(filled_feb, bupyeong_project, bupyeong_officer)
    assert not second.changed
    assert preview(filled_feb, bupyeong_project, bupyeong_officer).unchanged
    assert ReportVersion.objects.filter(report__project=bupyeong_project).count() == 1
    assert ReportVersion.objects.get(pk=first.version.pk).updated_at == updated_at


def test_values_typed_as_people_type_them_are_accepted(
    bupyeong_project, bupyeong_officer
):
    data = fill(
        bupyeong_project,
        FEB,
        values={
            **FEB_VALUES,
            "new_hires.women": " 2 ",
            "employed.women": "２",
            "households.total": "1,234",
            "visits.total": "３００",
        },
        spending={"인건비 (personnel)": "7,000,000", "operations": " 3000000 "},
        roster=[
            ("P-001", "경력단절여성 (women)", "2019-02-04", None),
            ("P-002", "women", "2019.02.11", None),
            (None, None, None, None),
            (" ", "", "", ""),
        ],
    )
    outcome = confirm(data, bupyeong_project, bupyeong_officer)
    stored = version_values(outcome.version)
    assert (stored["households"], stored["visits"]) == ({"total": 1234}, {"total": 300})
    assert stored["new_hires"]["women"] == 2 and stored["employed"]["women"] == 2
    assert stored["spending"] == {"personnel": 7_000_000, "operations": 3_000_000}
    assert [r["participant_code"] for r in version_roster(outcome.version)] == [
        "P-001",
        "P-002",
    ]


@pytest.mark.parametrize(
    "name",
    [
        "feb_resaved_by_libreoffice.xlsx",
        "feb_saved_by_libreoffice.ods",
        "feb_saved_by_libreoffice.xls",
    ],
)
def test_a_file_saved_by_libreoffice_is_accepted_with_cached_formula_values(
    bupyeong_project, bupyeong_officer, name
):
    """The fixture was filled with a formula (=150*2) for coaching visits and the
    text "110" for households, then saved by LibreOffice (soffice --convert-to)."""
    data = (FIXTURES / name).read_bytes()
    outcome = confirm(data, bupyeong_project, bupyeong_officer, filename=name)
    stored = version_values(outcome.version)
    assert (stored["households"], stored["visits"]) == ({"total": 110}, {"total": 300})
    assert stored["spending"] == {"personnel": 7_000_000, "operations": 3_000_000}
    assert outcome.version.narrative == "LibreOffice로 다시 저장한 파일"


def test_a_word_instead_of_a_number_is_named_by_sheet_and_cell(
    bupyeong_project, bupyeong_officer
):
    data = fill(
        bupyeong_project,
        FEB,
        values={**FEB_VALUES, "visits.total": "삼십"},
        spending=FEB_SPENDING,
    )
    result = preview(data, bupyeong_project, bupyeong_officer)
    assert "실적 시트 D20: '삼십'은 숫자가 아닙니다" in messages(result)
    with translation.override("en"):
        assert "sheet 실적, cell D20: '삼십' is not a number" in messages(result)
    with pytest.raises(UploadRejected):
        confirm(data, bupyeong_project, bupyeong_officer)
    assert not MonthlyReport.objects.filter(project=bupyeong_project).exists()


def test_fractions_and_negative_numbers_are_named_by_cell(
    bupyeong_project, bupyeong_officer
):
    data = fill(
        bupyeong_project,
        FEB,
        values={**FEB_VALUES, "new_hires.women": 2.5, "households.total": -3},
        spending=FEB_SPENDING,
    )
    found = messages(preview(data, bupyeong_project, bupyeong_officer))
    assert any(m.startswith("실적 시트 D15: 2.5는 정수가 아닙니다") for m in found)
    assert any(m.startswith("실적 시트 D19: -3: 0 이상이어야 합니다") for m in found)


def test_a_rule_of_the_monthly_report_is_reported_at_its_cell(
    bupyeong_project, bupyeong_officer
):
    data = fill(
        bupyeong_project,
        FEB,
        values={**FEB_VALUES, "employed.women": 9},
        spending=FEB_SPENDING,
    )
    result = preview(data, bupyeong_project, bupyeong_officer)
    [error] = result.errors
    assert (error.sheet, error.cell) == ("실적", "D17")
    assert "누적 채용 인원" in error.message
    # The rule's message is the city's, written in the language of the upload.
    with translation.override("en"):
        [error] = preview(data, bupyeong_project, bupyeong_officer).errors
        assert "exceeds all hires to date" in error.message


def test_personal_data_anywhere_is_refused_and_named_by_cell(
    bupyeong_project, bupyeong_officer
):
    def edit(workbook, cells):
        workbook["명단"]["A3"] = "900101-1234567"
        workbook["실적"]["K40"] = "담당 010-1234-5678"

    data = fill(
        bupyeong_project,
        FEB,
        values=FEB_VALUES,
        spending=FEB_SPENDING,
        narrative="문의 hong@example.com",
        edit=edit,
    )
    found = messages(preview(data, bupyeong_project, bupyeong_officer))
    assert any(m.startswith("명단 시트 A3: 개인정보(주민등록번호)") for m in found)
    assert any(m.startswith("실적 시트 K40: 개인정보(휴대전화 번호)") for m in found)
    assert any("전자우편 주소" in m for m in found)
    with translation.override("en"):
        assert any(
            "e-mail" in m.lower() and "cell B" in m
            for m in messages(preview(data, bupyeong_project, bupyeong_officer))
        )
    with pytest.raises(UploadRejected):
        confirm(data, bupyeong_project, bupyeong_officer)
    assert not ReportValue.objects.exists()


def _rezip(
    data: bytes,
    *,
    add: dict[str, bytes] | None = None,
    replace: dict[str, bytes] | None = None,
) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = (replace or {}).get(item.filename, source.read(item.filename))
            target.writestr(item.filename, content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return output.getvalue()


def test_macros_are_refused(bupyeong_project, bupyeong_officer, filled_feb):
    with_macro = _rezip(
        filled_feb, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 fake vba"}
    )
    with pytest.raises(SpreadsheetRefused) as refused:
        preview(with_macro, bupyeong_project, bupyeong_officer)
    assert refused.value.code == "macro"
    assert refused.value.message.startswith("매크로가 들어 있는 파일은 받지 않습니다")
    types = (
        zipfile.ZipFile(io.BytesIO(filled_feb))
        .read("[Content_Types].xml")
        .replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        )
    )
    with pytest.raises(SpreadsheetRefused) as refused:
        preview(
            _rezip(filled_feb, replace={"[Content_Types].xml": types}),
            bupyeong_project,
            bupyeong_officer,
        )
    assert refused.value.code == "macro"
    with (
        translation.override("en"),
        pytest.raises(SpreadsheetRefused, match=r"\.xlsm") as refused,
    ):
        preview(filled_feb, bupyeong_project, bupyeong_officer, filename="feb.xlsm")
    assert refused.value.code == "macro_extension"


@pytest.mark.parametrize(
    ("content", "filename", "said"),
    [
        (
            "xlsx",
            "feb.xls",
            "is a spreadsheet in the Excel (.xlsx) format, but its name ends in .xls; rename it",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "feb.xlsx",
            "This file is an image, not an Excel workbook",
        ),
        (
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
            "feb.xlsx",
            "This file is a PDF document, not an Excel workbook",
        ),
        (
            b"project code,period\n",
            "feb.xlsx",
            "is a spreadsheet in the CSV (.csv) format, but its name ends in .xlsx",
        ),
        (
            b"<html><body><table><tr><td>1</td></tr></table>",
            "feb.xls",
            "This file is a web page (HTML), not an Excel",
        ),
        (b"\x00\x01\x02\x03binary", "feb.xlsx", "This file is not a spreadsheet"),
        (b"PK\x03\x04 not really a zip", "feb.xlsx", "damaged"),
    ],
)
def test_a_file_that_is_not_what_its_extension_says_is_refused(
    bupyeong_project, bupyeong_officer, filled_feb, content, filename, said
):
    data = filled_feb if content == "xlsx" else content
    with translation.override("en"), pytest.raises(SpreadsheetRefused) as refused:
        preview(data, bupyeong_project, bupyeong_officer, filename=filename)
    assert said in refused.value.message


def test_an_archive_that_expands_beyond_the_limit_is_refused(
    bupyeong_project, bupyeong_officer, filled_feb
):
    bomb = _rezip(filled_feb, add={"xl/media/padding.bin": b"\0" * (30 * 1024 * 1024)})
    assert len(bomb) < 2 * 1024 * 1024
    with pytest.raises(SpreadsheetRefused) as refused:
        preview(bomb, bupyeong_project, bupyeong_officer)
    assert refused.value.code == "zip_bomb"
    assert refused.value.message == "압축을 풀면 너무 커지는 파일입니다(최대 20 MB)."


def test_a_file_over_the_size_limit_is_refused(bupyeong_project, bupyeong_officer):
    with translation.override("en"), pytest.raises(SpreadsheetRefused) as refused:
        preview(
            b"a,b\n" * 700_000, bupyeong_project, bupyeong_officer, filename="big.csv"
        )
    assert refused.value.code == "too_large"
    assert refused.value.message == "The file is too large (3 MB; at most 2 MB)."


def test_an_error_in_the_last_row_saves_nothing(
    bupyeong_project, bupyeong_officer, filled_feb
):
    first = confirm(filled_feb, bupyeong_project, bupyeong_officer)
    before = version_values(first.version)
    roster = [(f"P-{n:03d}", "women", "2019-02-01", None) for n in range(1, 3)] + [
        ("P-999", "women", "2019-02-30", None)
    ]
    data = fill(
        bupyeong_project,
        FEB,
        values={**FEB_VALUES, "households.total": 999},
        spending=FEB_SPENDING,
        roster=roster,
    )
    with pytest.raises(UploadRejected) as rejected:
        confirm(data, bupyeong_project, bupyeong_officer)
    assert [(e.sheet, e.cell) for e in rejected.value.preview.errors] == [
        ("명단", "C5")
    ]
    version = ReportVersion.objects.get(pk=first.version.pk)
    assert version_values(version) == before
    assert not version.roster.exists()
    assert ReportVersion.objects.filter(report__project=bupyeong_project).count() == 1


def refused_in(language: str, data, project, officer, **kwargs) -> str:
    """The whole-file refusal as a reader of ``language`` sees it."""
    with translation.override(language), pytest.raises(SpreadsheetRefused) as refused:
        preview(data, project, officer, **kwargs)
    return refused.value.message


def test_a_file_for_another_project_is_refused_saying_which(
    bupyeong_project, seogu_project, bupyeong_officer
):
    data = template_bytes(seogu_project, FEB)
    english = refused_in("en", data, bupyeong_project, bupyeong_officer)
    korean = refused_in("ko", data, bupyeong_project, bupyeong_officer)
    assert english == (
        f"This file is for another project ({seogu_project.code}); "
        f"this report is for project {bupyeong_project.code}."
    )
    assert (
        korean
        == f"다른 사업({seogu_project.code})의 파일입니다. 이 보고는 {bupyeong_project.code} 사업의 것입니다."
    )


def test_a_file_for_another_month_is_refused_saying_which(
    bupyeong_project, bupyeong_officer
):
    message = refused_in(
        "en",
        template_bytes(bupyeong_project, JAN),
        bupyeong_project,
        bupyeong_officer,
        period=MAR,
    )
    assert "another month (2019-01); this report is for 2019-03" in message


def test_an_outdated_template_is_refused_saying_which_version(
    bupyeong_project, bupyeong_officer
):
    def old(workbook, cells):
        workbook["_sangsaeng"]["B4"] = 0

    data = fill(bupyeong_project, FEB, values=FEB_VALUES, edit=old)
    assert (
        "outdated template (version 0); download the current template (version 2)"
        in refused_in("en", data, bupyeong_project, bupyeong_officer)
    )
    assert refused_in("ko", data, bupyeong_project, bupyeong_officer).startswith(
        "지난 양식(버전 0)입니다."
    )


def test_a_workbook_that_is_not_a_template_is_refused(
    bupyeong_project, bupyeong_officer
):
    from openpyxl import Workbook

    output = io.BytesIO()
    Workbook().save(output)
    assert "not a Sangsaeng monthly report template" in refused_in(
        "en", output.getvalue(), bupyeong_project, bupyeong_officer
    )


def test_warnings_are_listed_with_their_cell_and_whether_they_are_answered(
    bupyeong_project, bupyeong_officer
):
    zero = {key: 0 for key in FEB_VALUES}
    data = fill(bupyeong_project, FEB, values=zero, spending={})
    [warning] = preview(data, bupyeong_project, bupyeong_officer).warnings
    assert warning.key == "no_activity" and not warning.answered
    assert warning.sheet == "실적" and warning.cell.startswith("D")

    def explain(workbook, cells):
        workbook["실적"][cells["comment:no_activity"]] = "설 연휴로 활동이 없었습니다."

    answered = fill(bupyeong_project, FEB, values=zero, spending={}, edit=explain)
    [warning] = preview(answered, bupyeong_project, bupyeong_officer).warnings
    assert warning.answered
    outcome = confirm(answered, bupyeong_project, bupyeong_officer)
    assert outcome.version.comments == {"no_activity": "설 연휴로 활동이 없었습니다."}


def test_a_one_month_csv_in_long_format_is_accepted(bupyeong_project, bupyeong_officer):
    code = bupyeong_project.code
    text = (
        "project code,period,indicator,disaggregation,value\n"
        f"{code},2019-02,new_hires,women,2\n{code},2019-02,employed,women,2\n"
        f'{code},2019-02,output,households,"1,234"\n{code},2019-02,spending,personnel,7000000\n\n\n'
    )
    outcome = confirm(
        text.encode("utf-8-sig"), bupyeong_project, bupyeong_officer, filename="feb.csv"
    )
    assert version_values(outcome.version)["households"] == {"total": 1234}


@pytest.fixture
def contexts_read(monkeypatch):
    """The months whose checking context (plan, earlier totals, rules) is
    read from the database from now on, by the preview or by the save."""
    import reporting.services.reports as reports
    import reporting.spreadsheets.services as spreadsheet_services

    months = []
    read = reports.report_context

    def reading(**kwargs):
        months.append(kwargs["period"])
        return read(**kwargs)

    monkeypatch.setattr(reports, "report_context", reading)
    monkeypatch.setattr(spreadsheet_services, "report_context", reading)
    return months


def test_a_confirmed_upload_reads_what_it_is_checked_against_once(
    bupyeong_project, bupyeong_officer, filled_feb, contexts_read
):
    # The save checks the figures against what the preview read a moment
    # before in the same transaction, rather than reading it all again.
    outcome = confirm(filled_feb, bupyeong_project, bupyeong_officer)
    assert outcome.changed
    assert version_values(outcome.version)["new_hires"] == {"women": 2, "seniors": 0}
    assert contexts_read == [FEB]


def test_a_draft_is_never_checked_against_another_months_context(
    bupyeong_project, bupyeong_officer, contexts_read, monkeypatch
):
    import reporting.services.reports as reports
    from reporting.selectors import report_context
    from reporting.services import report_save_draft

    checked = []
    check = reports.check_report

    def checking(**kwargs):
        checked.append(kwargs["context"].period)
        return check(**kwargs)

    monkeypatch.setattr(reports, "check_report", checking)
    january = report_context(project=bupyeong_project, period=JAN, today=NOW.date())
    report_save_draft(
        project=bupyeong_project,
        period=FEB,
        actor=bupyeong_officer,
        values={"new_hires": {"women": 1}},
        now=NOW,
        context=january,
    )
    assert checked == [FEB]
    assert contexts_read == [FEB]
