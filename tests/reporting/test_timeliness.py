"""On time, late, missing: the due day's end in Asia/Seoul, whatever the server's clock zone."""

from datetime import UTC, date, datetime

from reporting.models import MonthlyReport
from reporting.selectors import (
    Timeliness,
    completeness,
    due_deadline,
    month_rows,
    overdue,
    timeliness,
)
from reporting.services import report_return, report_save_draft, report_submit

from .helpers import figures, file_month, kst

MAR = date(2019, 3, 1)


def test_the_due_day_is_the_projects_day_of_the_following_month(bupyeong_project):
    assert due_deadline(bupyeong_project, MAR) == kst(2019, 4, 11, 0, 0)
    bupyeong_project.report_due_day = 15
    assert due_deadline(bupyeong_project, date(2019, 12, 1)) == kst(2020, 1, 16, 0, 0)


def test_submission_at_235959_on_the_10th_kst_is_on_time(
    bupyeong_project, bupyeong_officer
):
    report = file_month(
        bupyeong_project, bupyeong_officer, MAR, now=kst(2019, 4, 10, 23, 59, 59)
    )
    assert (
        timeliness(
            project=bupyeong_project,
            period=MAR,
            first_submitted_at=report.first_submitted_at,
            now=kst(2019, 5, 1),
        )
        == Timeliness.ON_TIME
    )


def test_submission_at_0000_on_the_11th_kst_is_late(bupyeong_project, bupyeong_officer):
    report = file_month(
        bupyeong_project, bupyeong_officer, MAR, now=kst(2019, 4, 11, 0, 0, 0)
    )
    assert (
        timeliness(
            project=bupyeong_project,
            period=MAR,
            first_submitted_at=report.first_submitted_at,
            now=kst(2019, 5, 1),
        )
        == Timeliness.LATE
    )


def test_the_boundary_holds_for_a_clock_in_utc(bupyeong_project):
    # 15:00 UTC on the 10th is 00:00 KST on the 11th.
    just_before = datetime(2019, 4, 10, 14, 59, 59, tzinfo=UTC)
    midnight = datetime(2019, 4, 10, 15, 0, 0, tzinfo=UTC)
    assert (
        timeliness(
            project=bupyeong_project,
            period=MAR,
            first_submitted_at=just_before,
            now=midnight,
        )
        == Timeliness.ON_TIME
    )
    assert (
        timeliness(
            project=bupyeong_project,
            period=MAR,
            first_submitted_at=midnight,
            now=midnight,
        )
        == Timeliness.LATE
    )


def test_no_report_is_not_yet_due_until_the_end_of_the_10th_and_missing_from_the_11th(
    bupyeong_project,
):
    assert (
        timeliness(
            project=bupyeong_project,
            period=MAR,
            first_submitted_at=None,
            now=kst(2019, 4, 10, 23, 59, 59),
        )
        == Timeliness.NOT_YET_DUE
    )
    assert (
        timeliness(
            project=bupyeong_project,
            period=MAR,
            first_submitted_at=None,
            now=kst(2019, 4, 11, 0, 0, 0),
        )
        == Timeliness.MISSING
    )


def test_a_draft_that_never_reached_the_city_is_missing(
    bupyeong_project, bupyeong_officer, city_manager
):
    report_save_draft(
        project=bupyeong_project,
        period=MAR,
        actor=bupyeong_officer,
        values=figures(),
        now=kst(2019, 4, 9, 9),
    )
    rows = month_rows(user=bupyeong_officer, period=MAR, now=kst(2019, 4, 11, 0, 0))
    assert [(row.project, row.timeliness) for row in rows] == [
        (bupyeong_project, Timeliness.MISSING)
    ]
    assert [
        row.period for row in overdue(user=city_manager, now=kst(2019, 4, 11, 0, 0))
    ] == [date(2019, 1, 1), date(2019, 2, 1), MAR]


def test_a_returned_report_keeps_the_timeliness_of_its_first_arrival(
    bupyeong_project, bupyeong_officer, city_manager
):
    report = file_month(
        bupyeong_project, bupyeong_officer, MAR, now=kst(2019, 4, 10, 18, 0)
    )
    report_return(
        report=report, actor=city_manager, comment="보완", now=kst(2019, 4, 11, 9)
    )
    report_save_draft(
        project=bupyeong_project,
        period=MAR,
        actor=bupyeong_officer,
        values=figures(),
        now=kst(2019, 4, 15, 9),
    )
    report_submit(report=report, actor=bupyeong_officer, now=kst(2019, 4, 15, 9))
    report.refresh_from_db()
    assert report.first_submitted_at == kst(2019, 4, 10, 18, 0)
    row = month_rows(user=city_manager, period=MAR, now=kst(2019, 4, 20))[0]
    assert row.timeliness == Timeliness.ON_TIME


def test_completeness_per_district_and_city_wide(
    bupyeong_project, seogu_project, bupyeong_officer, seogu_officer, city_manager, orgs
):
    from tests.projects.fixtures import make_project

    second_bupyeong = make_project(orgs["BP"], title="부평 두 번째 사업")
    make_project(orgs["DG"], title="작은도서관")  # Dong-gu: nothing filed
    file_month(
        bupyeong_project, bupyeong_officer, MAR, now=kst(2019, 4, 10, 12)
    )  # on time
    late = file_month(
        second_bupyeong, bupyeong_officer, MAR, now=kst(2019, 4, 12, 12)
    )  # late
    report_return(
        report=late, actor=city_manager, comment="보완", now=kst(2019, 4, 13, 9)
    )
    file_month(seogu_project, seogu_officer, MAR, now=kst(2019, 4, 9, 12))  # on time

    rows = month_rows(user=city_manager, period=MAR, now=kst(2019, 4, 20))
    districts, overall = completeness(rows)
    by_name = {c.label: c for c in districts}
    bupyeong = by_name["부평구"]
    assert (
        bupyeong.expected,
        bupyeong.received,
        bupyeong.on_time,
        bupyeong.late,
        bupyeong.returned,
    ) == (2, 2, 1, 1, 1)
    assert (
        by_name["동구"].expected,
        by_name["동구"].missing,
        by_name["동구"].received_rate,
    ) == (1, 1, 0.0)
    assert (overall.expected, overall.received, overall.on_time, overall.missing) == (
        4,
        3,
        2,
        1,
    )
    assert overall.received_rate == 75.0
    assert overall.on_time_rate == 50.0

    # A district officer's table covers their own district only.
    own_rows = month_rows(user=bupyeong_officer, period=MAR, now=kst(2019, 4, 20))
    assert {row.project.district.code for row in own_rows} == {"BP"}


def test_months_outside_the_project_are_not_expected(bupyeong_project, city_manager):
    assert (
        month_rows(user=city_manager, period=date(2020, 1, 1), now=kst(2020, 3, 1))
        == []
    )
    assert not MonthlyReport.objects.exists()
