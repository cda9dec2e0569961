"""Each report's arrival is judged once, when it first reaches the city, by the
timeliness rule (kept on the report for the roll-up), and judged again when the
project's due day changes, so every screen keeps one rule."""

import importlib
from datetime import date

from django.apps import apps
from django.db import connection
from django.urls import reverse

from reporting.evaluation import selectors as rollup
from reporting.models import MonthlyReport
from reporting.selectors import Timeliness, timeliness

from .helpers import file_month, kst

MAR, APR = date(2019, 3, 1), date(2019, 4, 1)


def _judged(project, period) -> tuple[bool | None, str]:
    report = MonthlyReport.objects.get(project=project, period=period)
    rule = timeliness(
        project=project,
        period=period,
        first_submitted_at=report.first_submitted_at,
        now=kst(2019, 6, 1),
    )
    return report.arrived_on_time, rule


def test_a_report_is_judged_on_arrival_by_the_timeliness_rule(
    bupyeong_project, bupyeong_officer
):
    file_month(
        bupyeong_project, bupyeong_officer, MAR, now=kst(2019, 4, 10, 23, 59, 59)
    )
    file_month(bupyeong_project, bupyeong_officer, APR, now=kst(2019, 5, 11, 0, 0, 0))
    assert _judged(bupyeong_project, MAR) == (True, Timeliness.ON_TIME)
    assert _judged(bupyeong_project, APR) == (False, Timeliness.LATE)
    cell = (
        rollup.rollup(rollup.RollupQuery(year=2019, month=4, now=kst(2019, 6, 1)))
        .district("BP")
        .reports
    )
    assert (cell.on_time, cell.late) == (1, 1)


def test_a_new_due_day_set_in_the_admin_judges_received_reports_again(
    client, bupyeong_project, bupyeong_officer, city_manager
):
    file_month(
        bupyeong_project, bupyeong_officer, MAR, now=kst(2019, 4, 12, 9)
    )  # late for the 10th
    assert _judged(bupyeong_project, MAR) == (False, Timeliness.LATE)
    client.force_login(city_manager)
    edit = reverse("projects:edit", args=[bupyeong_project.pk])
    response = client.post(
        edit,
        {
            "title": bupyeong_project.title,
            "title_en": bupyeong_project.title_en,
            "summary": bupyeong_project.summary,
            "delivery_partners": bupyeong_project.delivery_partners,
            "report_due_day": "15",
            "status": bupyeong_project.status,
        },
    )
    assert response.status_code == 302
    bupyeong_project.refresh_from_db()
    assert bupyeong_project.report_due_day == 15
    assert _judged(bupyeong_project, MAR) == (True, Timeliness.ON_TIME)
    cell = (
        rollup.rollup(rollup.RollupQuery(year=2019, month=3, now=kst(2019, 6, 1)))
        .district("BP")
        .reports
    )
    assert (cell.on_time, cell.late) == (1, 0)


class _Editor:
    """What a migration's function reads of the schema editor."""

    connection = connection

    @staticmethod
    def execute(sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_the_migration_judges_reports_received_before_it_by_the_same_rule(
    bupyeong_project, seogu_project, bupyeong_officer, seogu_officer
):
    file_month(
        bupyeong_project, bupyeong_officer, MAR, now=kst(2019, 4, 10, 23, 59, 59)
    )
    file_month(bupyeong_project, bupyeong_officer, APR, now=kst(2019, 5, 11, 0, 0, 0))
    file_month(seogu_project, seogu_officer, MAR, now=kst(2019, 4, 30, 18))
    MonthlyReport.objects.update(arrived_on_time=None)
    migration = importlib.import_module(
        "reporting.migrations.0004_report_arrived_on_time"
    )
    migration.judge_arrivals(apps, _Editor())
    assert _judged(bupyeong_project, MAR) == (True, Timeliness.ON_TIME)
    assert _judged(bupyeong_project, APR) == (False, Timeliness.LATE)
    assert _judged(seogu_project, MAR) == (False, Timeliness.LATE)
