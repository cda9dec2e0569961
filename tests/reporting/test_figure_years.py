"""The roll-up's summary (``FigureYear``) follows the figures in force at every
step: acceptance, return, reopening, correction and the bulk import."""

from collections import defaultdict
from datetime import date

from reporting.evaluation.selectors import RollupQuery, rollup
from reporting.models import FigureYear, MonthlyReport, ReportValue
from reporting.services import (
    report_accept,
    report_reopen,
    report_return,
    report_save_draft,
    report_submit,
)
from reporting.services.reports import figure_years_refresh
from reporting.spreadsheets.bulk import bulk_import_file
from tests.spreadsheets.test_bulk import long_xlsx, month_rows

from .helpers import accept_month, figures, file_month, kst

JAN, FEB, MAR = date(2019, 1, 1), date(2019, 2, 1), date(2019, 3, 1)


def summary() -> dict:
    """(project, year, measure, key) → (first month, the twelve months)."""
    return {
        (row.project_id, row.year, row.measure, row.key): (
            row.first_month,
            [getattr(row, name) for name in FigureYear.MONTHS],
        )
        for row in FigureYear.objects.all()
    }


def in_force() -> dict:
    """The same, worked out by hand from the figures in force."""
    months = defaultdict(lambda: [0] * 12)
    first = {}
    for value in ReportValue.objects.filter(in_force=True):
        key = (value.project_id, value.period.year, value.measure, value.key)
        months[key][value.period.month - 1] += value.value
        first[key] = min(first.get(key, 13), value.period.month)
    return {key: (first[key], months[key]) for key in months}


def jobs_to(project, month: int) -> int:
    return rollup(
        RollupQuery(year=2019, month=month, project=project)
    ).totals.jobs_created


def test_an_accepted_month_counts_at_once_and_a_submitted_one_not_yet(
    bupyeong_project, bupyeong_officer, city_manager
):
    accept_month(
        bupyeong_project,
        bupyeong_officer,
        city_manager,
        JAN,
        values=figures(women=3, households=100),
    )
    february = file_month(
        bupyeong_project, bupyeong_officer, FEB, values=figures(women=2, households=90)
    )
    assert summary() == in_force()
    assert summary()[(bupyeong_project.pk, 2019, "households", "total")] == (
        1,
        [100] + [0] * 11,
    )
    assert jobs_to(bupyeong_project, 2) == 3

    report_accept(report=february, actor=city_manager, now=kst(2019, 3, 6, 9))
    assert summary() == in_force()
    assert summary()[(bupyeong_project.pk, 2019, "households", "total")] == (
        1,
        [100, 90] + [0] * 10,
    )
    assert jobs_to(bupyeong_project, 1) == 3
    assert jobs_to(bupyeong_project, 2) == 5
    figures_of_february = rollup(
        RollupQuery(year=2019, month=2, project=bupyeong_project)
    ).totals
    assert figures_of_february.outputs["households"].value == 190
    assert figures_of_february.spending == 2 * 10_000_000
    assert (
        figures_of_february.employed == 2
    )  # the head count at February's end, not a sum


def test_a_returned_month_stays_out_until_its_resubmission_is_accepted(
    bupyeong_project, bupyeong_officer, city_manager
):
    report = file_month(
        bupyeong_project, bupyeong_officer, JAN, values=figures(women=4)
    )
    report_return(
        report=report,
        actor=city_manager,
        comment="근거 자료를 보완해 주세요.",
        now=kst(2019, 2, 6, 9),
    )
    assert not FigureYear.objects.exists()
    report_save_draft(
        project=bupyeong_project,
        period=JAN,
        actor=bupyeong_officer,
        values=figures(women=5),
        now=kst(2019, 2, 7, 9),
    )
    report_submit(report=report, actor=bupyeong_officer, now=kst(2019, 2, 7, 9))
    assert jobs_to(bupyeong_project, 1) == 0
    report_accept(report=report, actor=city_manager, now=kst(2019, 2, 8, 9))
    assert summary() == in_force()
    assert jobs_to(bupyeong_project, 1) == 5


def test_a_reopened_month_keeps_its_accepted_figures_until_the_correction_replaces_them(
    bupyeong_project, bupyeong_officer, city_manager
):
    accept_month(
        bupyeong_project,
        bupyeong_officer,
        city_manager,
        JAN,
        values=figures(women=3, households=100),
    )
    accept_month(
        bupyeong_project,
        bupyeong_officer,
        city_manager,
        FEB,
        values=figures(women=2, households=90),
    )
    report = MonthlyReport.objects.get(project=bupyeong_project, period=JAN)
    report_reopen(
        report=report,
        actor=city_manager,
        reason="가구 수 집계 오류",
        now=kst(2019, 3, 20, 10),
    )
    # The correction's draft is not in force: the month counts as accepted, as everywhere else.
    report_save_draft(
        project=bupyeong_project,
        period=JAN,
        actor=bupyeong_officer,
        values=figures(women=1, households=112, drop=[("visits", "total")]),
        now=kst(2019, 3, 21, 9),
    )
    assert summary() == in_force()
    assert jobs_to(bupyeong_project, 2) == 5

    report_submit(report=report, actor=bupyeong_officer, now=kst(2019, 3, 21, 9))
    report_accept(report=report, actor=city_manager, now=kst(2019, 3, 22, 9))
    assert summary() == in_force()
    assert summary()[(bupyeong_project.pk, 2019, "households", "total")] == (
        1,
        [112, 90] + [0] * 10,
    )
    # Visits were left out of the correction: from February on only.
    assert summary()[(bupyeong_project.pk, 2019, "visits", "total")] == (
        2,
        [0, 280] + [0] * 10,
    )
    assert jobs_to(bupyeong_project, 2) == 3
    assert (
        rollup(RollupQuery(year=2019, month=2, project=bupyeong_project))
        .totals.outputs["households"]
        .value
        == 202
    )


def test_the_bulk_import_fills_the_summary_and_a_reopened_month_is_corrected_by_it(
    bupyeong_project, bupyeong_officer, city_manager
):
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
    code = bupyeong_project.code
    rows = (
        [(code, "2019-01", "households", "total", 120)]
        + month_rows(code, "2019-02", women=2, households=80)
        + month_rows(code, "2019-03", women=4, households=70)
    )
    outcome = bulk_import_file(
        long_xlsx(rows), "past.xlsx", actor=city_manager, dry_run=False
    )
    assert (
        outcome.applied
        and outcome.result["months_created"] == 2
        and outcome.result["months_corrected"] == 1
    )
    assert summary() == in_force()
    assert summary()[(bupyeong_project.pk, 2019, "households", "total")] == (
        1,
        [120, 80, 70] + [0] * 9,
    )
    assert jobs_to(bupyeong_project, 3) == 3 + 2 + 4


def test_imported_earlier_months_add_to_a_year_already_in_the_summary(
    bupyeong_project, bupyeong_officer, city_manager
):
    # March came through the workflow, without visits; January and February
    # come from the historical import afterwards, visits in February only.
    accept_month(
        bupyeong_project,
        bupyeong_officer,
        city_manager,
        MAR,
        values=figures(women=6, households=90, drop=[("visits", "total")]),
    )
    code = bupyeong_project.code
    rows = (
        month_rows(code, "2019-01", women=3, households=100)
        + month_rows(code, "2019-02", women=2, households=80)
        + [(code, "2019-02", "visits", "total", 30)]
    )
    outcome = bulk_import_file(
        long_xlsx(rows), "past.xlsx", actor=city_manager, dry_run=False
    )
    assert outcome.applied and outcome.result["months_created"] == 2
    assert summary() == in_force()
    assert summary()[(bupyeong_project.pk, 2019, "households", "total")] == (
        1,
        [100, 80, 90] + [0] * 9,
    )
    assert summary()[(bupyeong_project.pk, 2019, "visits", "total")] == (
        2,
        [0, 30] + [0] * 10,
    )
    assert jobs_to(bupyeong_project, 3) == 3 + 2 + 6


def test_a_key_first_reported_later_in_the_year_is_absent_before_that_month(
    bupyeong_project, bupyeong_officer, city_manager
):
    accept_month(
        bupyeong_project,
        bupyeong_officer,
        city_manager,
        JAN,
        values=figures(seniors=0, drop=[("visits", "total")]),
    )
    accept_month(
        bupyeong_project, bupyeong_officer, city_manager, FEB, values=figures(visits=30)
    )
    assert summary()[(bupyeong_project.pk, 2019, "visits", "total")] == (
        2,
        [0, 30] + [0] * 10,
    )
    # Reported as zero is there; not reported is absent.
    assert summary()[(bupyeong_project.pk, 2019, "new_hires", "seniors")][0] == 1


def test_rebuilding_everything_gives_the_same_summary(
    bupyeong_project, seogu_project, bupyeong_officer, city_manager
):
    accept_month(bupyeong_project, bupyeong_officer, city_manager, JAN)
    accept_month(
        bupyeong_project, bupyeong_officer, city_manager, MAR, values=figures(women=6)
    )
    before = summary()
    FigureYear.objects.all().delete()
    figure_years_refresh()
    assert summary() == before == in_force()
    figure_years_refresh(
        project_ids=[seogu_project.pk], years=[2019]
    )  # nothing of its own: nothing changes
    figure_years_refresh(project_ids=[], years=[2019])
    assert summary() == before
