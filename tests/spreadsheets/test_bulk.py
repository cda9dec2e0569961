"""The city's bulk historical import: summary, row-linked errors, locked months,
one transaction, the django-import-export resource and the Celery job."""

import gc
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from openpyxl import Workbook
from tablib import Dataset

from common.models import BackgroundJob
from common.services import job_start
from indicators.models import Indicator
from reporting.models import MonthlyReport, ReportCorrection, ReportStatus, ReportValue
from reporting.selectors import month_figures
from reporting.services import report_reopen
from reporting.spreadsheets.bulk import (
    PersonalDataRefused,
    bulk_import_file,
    read_long_file,
    read_long_rows,
)
from reporting.spreadsheets.reader import Sheet
from reporting.spreadsheets.resources import HistoricalFigureResource
from reporting.spreadsheets.safety import SpreadsheetRefused
from reporting.spreadsheets.storage import stored_upload_save
from reporting.spreadsheets.tasks import import_historical_figures

from .conftest import FEB, JAN, MAR, accept_month, figures, kst

HEADER = [
    "사업 코드 / project code",
    "보고 월 / period",
    "지표 코드 / indicator",
    "세부 구분 / disaggregation",
    "값 / value",
]


def long_xlsx(rows, header=HEADER) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("figures")
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def month_rows(code, month, *, women=3, households=100):
    return [
        (code, month, "new_hires", "women", women),
        (code, month, "employed", "women", women),
        (code, month, "households", "total", households),
        (code, month, "spending", "personnel", 7_000_000),
    ]


def run(data, actor, *, dry_run=False, skip_rejected=False, filename="past.xlsx"):
    return bulk_import_file(
        data, filename, actor=actor, dry_run=dry_run, skip_rejected=skip_rejected
    )


def test_past_months_come_in_accepted_and_locked(bupyeong_project, city_manager):
    code = bupyeong_project.code
    outcome = run(
        long_xlsx(month_rows(code, "2019-01") + month_rows(code, "2019-02", women=2)),
        city_manager,
    )
    assert outcome.applied
    assert outcome.plan.summary == {
        "new": 8,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
    }
    report = MonthlyReport.objects.get(project=bupyeong_project, period=FEB)
    assert report.status == ReportStatus.ACCEPTED and report.is_locked
    assert report.accepted_version == report.current_version
    assert [t.action for t in report.transitions.all()] == ["import"]
    assert month_figures(project=bupyeong_project, period=FEB)["new_hires"] == {
        "women": 2
    }
    assert month_figures(project=bupyeong_project, period=JAN)["spending"] == {
        "personnel": 7_000_000
    }


def test_an_import_leaves_one_audit_entry_with_its_file_counts_and_months(
    bupyeong_project, city_manager
):
    from auditlog.models import LogEntry

    code = bupyeong_project.code
    before = set(LogEntry.objects.values_list("pk", flat=True))
    run(
        long_xlsx(month_rows(code, "2019-01") + month_rows(code, "2019-02")),
        city_manager,
        filename="history.xlsx",
    )

    [entry] = LogEntry.objects.exclude(pk__in=before).filter(
        additional_data__kind="bulk_import"
    )
    assert entry.actor == city_manager
    assert entry.additional_data["filename"] == "history.xlsx"
    assert entry.additional_data["months"] == {code: ["2019-01", "2019-02"]}
    assert entry.additional_data["counts"]["new"] == 8
    assert entry.additional_data["counts"]["months_created"] == 2


def test_a_refused_import_leaves_no_audit_entry(bupyeong_project, city_manager):
    from auditlog.models import LogEntry

    rows = month_rows(bupyeong_project.code, "2019-01")[:-1] + [
        (bupyeong_project.code, "2019-01", "spending", "personnel", "삼십")
    ]
    assert not run(long_xlsx(rows), city_manager).applied
    assert not LogEntry.objects.filter(additional_data__kind="bulk_import").exists()


def test_a_dry_run_gives_the_summary_and_saves_nothing(
    bupyeong_project, bupyeong_officer, city_manager
):
    code = bupyeong_project.code
    accept_month(
        bupyeong_project,
        bupyeong_officer,
        city_manager,
        JAN,
        values=figures(women=3, households=100),
    )
    report_reopen(
        report=MonthlyReport.objects.get(period=JAN),
        actor=city_manager,
        reason="과거 자료 정정",
        now=kst(2019, 3, 1, 9),
    )
    rows = [
        (code, "2019-01", "new_hires", "women", 3),  # unchanged
        (code, "2019-01", "households", "total", 120),  # updated
        (code, "2019-03", "households", "total", 90),  # new
        (code, "2019-03", "output", "nowhere", 5),  # rejected
    ]
    outcome = run(long_xlsx(rows), city_manager, dry_run=True)
    assert not outcome.applied
    assert outcome.plan.summary == {
        "new": 1,
        "updated": 1,
        "unchanged": 1,
        "rejected": 1,
    }
    assert not MonthlyReport.objects.filter(period=MAR).exists()
    assert (
        month_figures(project=bupyeong_project, period=JAN)["households"]["total"]
        == 100
    )


def test_every_error_is_linked_to_its_row_and_column(bupyeong_project, city_manager):
    code = bupyeong_project.code
    rows = [
        (code, "2019-01", "new_hires", "women", 3),
        ("2019-XX-99", "2019-01", "new_hires", "women", 3),
        (code, "2019-13", "new_hires", "women", 3),
        (code, "2019-01", "hires", "women", 3),
        (code, "2019-01", "output", "women", 3),
        (code, "2019-01", "households", "total", "삼십"),
        (code, "2019-01", "visits", "total", -1),
        (code, "2020-05", "visits", "total", 4),
        (code, "2019-01", "new_hires", "women", 4),
    ]
    plan = run(long_xlsx(rows), city_manager, dry_run=True).plan
    cells = [(error.line, error.column) for error in plan.errors]
    assert cells == [
        (3, "A"),
        (4, "B"),
        (5, "C"),
        (6, "D"),
        (7, "E"),
        (8, "E"),
        (9, "B"),
        (10, "D"),
    ]
    messages = {error.cell: error.message for error in plan.errors}
    codes = {error.cell: error.code for error in plan.errors}
    # In the reader's language only (Korean here), with a code.
    assert messages["E7"] == "E7: '삼십'은 숫자가 아닙니다"
    assert codes["E7"] == "not_a_number"
    assert codes["D10"] == "duplicate_figure"
    assert "같은 수치가 2행에도 있습니다" in messages["D10"]
    assert plan.summary["rejected"] == 8


def test_any_rejected_row_means_nothing_is_saved(bupyeong_project, city_manager):
    code = bupyeong_project.code
    rows = (
        month_rows(code, "2019-01")
        + month_rows(code, "2019-02")
        + [(code, "2019-03", "households", "total", "x")]
    )
    outcome = run(long_xlsx(rows), city_manager)
    assert not outcome.applied
    assert not MonthlyReport.objects.exists() and not ReportValue.objects.exists()


def test_skipping_rejected_rows_imports_the_valid_ones(bupyeong_project, city_manager):
    code = bupyeong_project.code
    rows = month_rows(code, "2019-01") + [(code, "2019-02", "households", "total", "x")]
    outcome = run(long_xlsx(rows), city_manager, skip_rejected=True)
    assert outcome.applied
    assert outcome.result["new"] == 4 and outcome.result["rejected"] == 1
    assert not MonthlyReport.objects.filter(period=FEB).exists()


def test_rows_for_a_locked_month_are_rejected_until_a_city_manager_reopens_it(
    bupyeong_project, bupyeong_officer, city_manager
):
    code = bupyeong_project.code
    accept_month(
        bupyeong_project,
        bupyeong_officer,
        city_manager,
        JAN,
        values=figures(women=3, households=100),
    )
    rows = [
        (code, "2019-01", "new_hires", "women", 3),
        (code, "2019-01", "households", "total", 120),
    ]
    plan = run(long_xlsx(rows), city_manager, dry_run=True).plan
    assert plan.summary == {"new": 0, "updated": 0, "unchanged": 1, "rejected": 1}
    [error] = plan.errors
    assert error.cell == "E3" and error.code == "month_locked"

    report = MonthlyReport.objects.get(period=JAN)
    report_reopen(
        report=report,
        actor=city_manager,
        reason="방문 가구 수 정정",
        now=kst(2019, 3, 1, 9),
    )
    outcome = run(long_xlsx(rows), city_manager)
    assert outcome.applied and outcome.plan.summary["updated"] == 1
    report.refresh_from_db()
    assert report.is_locked and report.status == ReportStatus.ACCEPTED
    january = month_figures(project=bupyeong_project, period=JAN)
    assert (january["households"], january["visits"]) == (
        {"total": 120},
        {"total": 280},
    )
    [correction] = ReportCorrection.objects.all()
    assert (
        correction.measure,
        correction.key,
        correction.old_value,
        correction.new_value,
    ) == ("households", "total", 100, 120)


def test_rows_for_a_month_in_the_districts_workflow_are_rejected(
    bupyeong_project, bupyeong_officer, city_manager
):
    from .conftest import file_month

    file_month(bupyeong_project, bupyeong_officer, JAN)
    plan = run(
        long_xlsx(month_rows(bupyeong_project.code, "2019-01")),
        city_manager,
        dry_run=True,
    ).plan
    assert plan.summary["rejected"] == 4
    assert plan.errors[0].code == "report_in_workflow"
    assert plan.errors[0].column == "B"


def test_only_city_managers_import(bupyeong_project, bupyeong_officer):
    with pytest.raises(PermissionDenied):
        run(long_xlsx(month_rows(bupyeong_project.code, "2019-01")), bupyeong_officer)


def test_personal_data_in_the_file_is_refused_with_its_cell(
    bupyeong_project, city_manager
):
    rows = month_rows(bupyeong_project.code, "2019-01")
    rows[2] = (bupyeong_project.code, "2019-01", "output", "010-1234-5678", 3)
    with (
        translation.override("en"),
        pytest.raises(SpreadsheetRefused, match="sheet figures, cell D4"),
    ):
        run(long_xlsx(rows), city_manager)


def test_a_personal_data_refusal_keeps_each_problem_with_its_sheet_and_cell(db):
    # The rows are read in the parsing child: the refusal crosses back whole.
    rows = month_rows("BP-2019-01", "2019-01")
    rows[1] = ("BP-2019-01", "2019-01", "employed", "참여자 김철수", 3)
    with translation.override("en"), pytest.raises(PersonalDataRefused) as refused:
        read_long_file(long_xlsx(rows), "past.xlsx")
    assert [(p.sheet, p.cell) for p in refused.value.problems] == [("figures", "D3")]
    assert refused.value.message.startswith("Sheet figures, cell D3: this looks like")


def test_rows_are_read_by_value_and_type_blank_rows_skipped_and_problems_kept_per_row():
    # Each distinct raw value is cleaned once: TRUE (a Boolean cell) is not the
    # number 1 even though the two are equal as Python values.
    sheet = Sheet(
        "figures",
        [
            list(HEADER),
            ["BP-1", "2019-01", "new_hires", "women", 1],
            ["", "", "", "", ""],
            ["BP-1", "2019-01", "employed", "women", True],
            ["BP-1", 201902, "output", "households", 1.0],
            ["BP-1", "2019-13", "nonsense", "", "3명"],
            ["", "", "", "", ""],
        ],
    )
    names = {code: code for code in ("new_hires", "employed", "output")}
    long_rows = read_long_rows(sheet, names)
    assert [record[0] for record in long_rows.records] == [2, 4, 5, 6]
    assert long_rows.records[0] == (2, "BP-1", JAN, "new_hires", "women", 1)
    assert long_rows.records[2] == (5, "BP-1", FEB, "output", "households", 1)
    assert long_rows.records[1][5] is None
    assert [cell for cell, _ko, _en, _code in long_rows.problems[1]] == ["E4"]
    assert "'True' is not a number" in long_rows.problems[1][0][2]
    assert long_rows.problems[1][0][3] == "not_a_number"
    # A blank key is an indicator's one figure ("total"), not a problem.
    assert [cell for cell, *_rest in long_rows.problems[3]] == ["B6", "C6"]
    assert long_rows.records[3][4] == "total"
    assert long_rows.records[3][2] is None and long_rows.records[3][5] == 3


def test_a_file_without_the_column_headers_is_refused_naming_them(db):
    data = long_xlsx(month_rows("BP-2019-01", "2019-01"), header=["a", "b", "c"])
    with pytest.raises(SpreadsheetRefused) as refused:
        read_long_file(data, "past.xlsx")
    assert refused.value.code == "missing_headers"
    assert (
        "사업 코드" in refused.value.message and "project" not in refused.value.message
    )
    with translation.override("en"), pytest.raises(SpreadsheetRefused) as refused:
        read_long_file(data, "past.xlsx")
    assert "The first row lacks the column headers" in refused.value.message
    assert "project code" in refused.value.message


def test_the_import_export_resource_reports_totals_and_invalid_rows_with_their_row(
    bupyeong_project, city_manager
):
    code = bupyeong_project.code
    dataset = Dataset(
        headers=["project code", "period", "indicator", "disaggregation", "value"]
    )
    for row in month_rows(code, "2019-01") + [
        (code, "2019-02", "households", "total", "1.5")
    ]:
        dataset.append(row)
    resource = HistoricalFigureResource(actor=city_manager)
    result = resource.import_data(dataset, dry_run=True)
    assert result.totals["new"] == 4 and result.totals["invalid"] == 1
    [invalid] = result.invalid_rows
    assert invalid.number == 6
    assert invalid.field_specific_errors == {"value": ["E6: 1.5는 정수가 아닙니다"]}
    assert not MonthlyReport.objects.exists()

    resource = HistoricalFigureResource(actor=city_manager, skip_rejected=True)
    resource.import_data(dataset, dry_run=False)
    assert MonthlyReport.objects.filter(period=JAN, is_locked=True).exists()


def test_the_import_runs_as_a_celery_job_with_progress(
    bupyeong_project, city_manager, django_capture_on_commit_callbacks
):
    code = bupyeong_project.code
    stored = stored_upload_save(
        long_xlsx(month_rows(code, "2019-01") + month_rows(code, "2019-02")),
        "past.xlsx",
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            kind="spreadsheets.bulk_import",
            owner=city_manager,
            task=import_historical_figures,
            parameters={
                "stored_name": stored,
                "filename": "past.xlsx",
                "skip_rejected": False,
            },
        )
    job = BackgroundJob.objects.get(pk=job.pk)
    assert job.status == BackgroundJob.Status.SUCCEEDED
    assert job.percent == 100 and job.progress_done == job.progress_total == 100
    assert job.result["summary"] == {
        "new": 8,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
    }
    assert (
        MonthlyReport.objects.filter(project=bupyeong_project, is_locked=True).count()
        == 2
    )


def test_a_job_with_rejected_rows_fails_and_keeps_the_row_errors(
    bupyeong_project, city_manager, django_capture_on_commit_callbacks
):
    rows = month_rows(bupyeong_project.code, "2019-01") + [
        (bupyeong_project.code, "2019-01", "output", "x", 1)
    ]
    stored = stored_upload_save(long_xlsx(rows), "past.xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            kind="spreadsheets.bulk_import",
            owner=city_manager,
            task=import_historical_figures,
            parameters={"stored_name": stored, "filename": "past.xlsx"},
        )
    job = BackgroundJob.objects.get(pk=job.pk)
    assert job.status == BackgroundJob.Status.FAILED
    assert (
        job.result["errors"][0]["line"] == 6
        and job.result["errors"][0]["column"] == "D"
    )
    assert not MonthlyReport.objects.exists()


def test_a_reopened_month_sent_back_into_the_workflow_meanwhile_is_not_overwritten(
    bupyeong_project, bupyeong_officer, city_manager
):
    from reporting.services import report_submit
    from reporting.spreadsheets.bulk import bulk_apply, bulk_validate, read_long_file

    accept_month(
        bupyeong_project,
        bupyeong_officer,
        city_manager,
        JAN,
        values=figures(women=3, households=100),
    )
    report = MonthlyReport.objects.get(period=JAN)
    report_reopen(
        report=report,
        actor=city_manager,
        reason="방문 가구 수 정정",
        now=kst(2019, 3, 1, 9),
    )
    rows = [(bupyeong_project.code, "2019-01", "households", "total", 120)]
    plan = bulk_validate(
        read_long_file(long_xlsx(rows), "past.xlsx"), actor=city_manager
    )
    assert plan.summary["updated"] == 1
    # Between the preview and the confirmation the district submits its own correction.
    report_submit(report=report, actor=bupyeong_officer, now=kst(2019, 3, 2, 9))
    with pytest.raises(SpreadsheetRefused) as refused:
        bulk_apply(plan, actor=city_manager)
    assert refused.value.code == "changed_meanwhile"
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and not report.is_locked
    assert (
        month_figures(project=bupyeong_project, period=JAN)["households"]["total"]
        == 100
    )
    assert not ReportCorrection.objects.exists()


def test_an_import_leaves_the_workers_garbage_collector_on_whether_it_succeeds_or_is_refused(
    bupyeong_project, city_manager
):
    # The import pauses Python's cycle collector while it works; a worker that
    # kept it off would grow with every later task.
    assert gc.isenabled()
    assert run(
        long_xlsx(month_rows(bupyeong_project.code, "2019-01")), city_manager
    ).applied
    assert gc.isenabled()
    with pytest.raises(SpreadsheetRefused):
        run(b"PK\x03\x04 not really a workbook", city_manager)
    assert gc.isenabled()


def test_the_indicator_column_takes_a_catalogue_code_and_a_blank_member_is_its_total(
    bupyeong_project, city_manager
):
    code = bupyeong_project.code
    rows = [
        (code, "2019-01", "new_hires", "women", 3),
        (code, "2019-01", "households", "", 95),
        (code, "2019-01", "visits", "total", 270),
    ]
    outcome = run(long_xlsx(rows), city_manager)
    assert outcome.applied and outcome.result["new"] == 3
    january = month_figures(project=bupyeong_project, period=JAN)
    assert (january["households"], january["visits"]) == (
        {"total": 95},
        {"total": 270},
    )


def test_an_old_file_with_output_rows_is_read_as_the_plans_indicators(
    bupyeong_project, city_manager
):
    """Files made before the catalogue said "output" with the output's code."""
    code = bupyeong_project.code
    rows = [
        (code, "2019-01", "new_hires", "women", 3),
        (code, "2019-01", "output", "households", 95),
        (code, "2019-01", "output", "visits", 270),
    ]
    outcome = run(long_xlsx(rows), city_manager)
    assert outcome.applied and outcome.plan.errors == []
    january = month_figures(project=bupyeong_project, period=JAN)
    assert (january["households"], january["visits"]) == (
        {"total": 95},
        {"total": 270},
    )


def test_an_old_output_row_naming_no_output_of_the_plan_is_refused_with_the_fix(
    bupyeong_project, city_manager
):
    rows = [(bupyeong_project.code, "2019-01", "output", "meals", 5)]
    with translation.override("en"):
        [error] = run(long_xlsx(rows), city_manager, dry_run=True).plan.errors
    assert error.cell == "D2" and error.code == "not_an_output"
    assert (
        "'meals' is not an output indicator of the plan in force for 2019-01; write "
        "the indicator's code in column C and leave this column blank" in error.message
    )


def test_a_catalogue_indicator_the_plan_lacks_is_refused_at_its_cell(
    bupyeong_project, city_manager
):
    from tests.indicators import catalogue_indicator

    catalogue_indicator("visits")
    Indicator.objects.create(
        code="shuttle_runs",
        name_ko="셔틀 운행",
        name_en="Shuttle runs",
        unit_ko="회",
        unit_en="runs",
    )
    rows = [(bupyeong_project.code, "2019-01", "shuttle_runs", "", 5)]
    with translation.override("en"):
        [error] = run(long_xlsx(rows), city_manager, dry_run=True).plan.errors
    assert error.cell == "C2" and error.code == "not_in_plan"
    assert "'shuttle_runs' is not an indicator of the plan in force for 2019-01" in (
        error.message
    )
    assert "households" in error.message  # the plan's indicators are named


def test_a_code_outside_the_catalogue_is_refused_saying_what_to_write(
    bupyeong_project, city_manager
):
    rows = [(bupyeong_project.code, "2019-01", "mentoring", "", 5)]
    with translation.override("en"):
        [error] = run(long_xlsx(rows), city_manager, dry_run=True).plan.errors
    assert error.cell == "C2" and error.code == "unknown_indicator"
    assert "'mentoring' is not an indicator code of the catalogue" in error.message
