"""The Incheon demo's monthly reports add up exactly to the reported figures."""

from datetime import date

import pytest

from projects.models import Project
from reporting.models import MonthlyReport, ReportStatus, ReportValue, ReportVersion
from reporting.selectors import (
    Timeliness,
    jobs_created_to_date,
    output_to_date,
    timeliness,
)

SEPTEMBER = date(2019, 9, 1)
OCTOBER = date(2019, 10, 1)

JOBS_BY_DISTRICT = {
    "DG": 6,
    "MH": 33,
    "YS": 30,
    "ND": 10,
    "BP": 27,
    "GY": 32,
    "SG": 26,
    "OJ": 16,
}


@pytest.fixture
def demo(db):
    """Seeds the demo twice (the second run must change nothing); returns the
    row counts after the first run."""
    from django.core.management import call_command

    call_command("seed_demo", "--quiet-accounts")
    counts = (
        Project.objects.count(),
        MonthlyReport.objects.count(),
        ReportVersion.objects.count(),
        ReportValue.objects.count(),
    )
    call_command("seed_demo", "--quiet-accounts")
    return counts


def _demo_jobs_add_up_to_180_by_the_end_of_september(demo):
    assert jobs_created_to_date(until=SEPTEMBER) == 180
    by_district = {
        code: jobs_created_to_date(
            until=SEPTEMBER,
            district=Project.objects.filter(district__code=code).first().district,
        )
        for code in JOBS_BY_DISTRICT
    }
    assert by_district == JOBS_BY_DISTRICT
    gyeyang = sorted(
        jobs_created_to_date(until=SEPTEMBER, project=p)
        for p in Project.objects.filter(district__code="GY")
    )
    assert gyeyang == [12, 20]


def _demo_outputs_match_bupyeong_and_seogu(demo):
    bupyeong = Project.objects.get(district__code="BP")
    seogu = Project.objects.get(district__code="SG")
    assert (
        output_to_date(until=SEPTEMBER, project=bupyeong, key="households_visited")
        == 961
    )
    assert (
        output_to_date(until=SEPTEMBER, project=bupyeong, key="coaching_visits")
        == 2_634
    )
    assert output_to_date(until=SEPTEMBER, project=seogu, key="shuttle_runs") == 2_136


def _demo_has_nine_projects_with_nine_accepted_months_each_some_late_one_returned(demo):
    assert Project.objects.count() == 9
    accepted = MonthlyReport.objects.filter(
        period__lte=SEPTEMBER, status=ReportStatus.ACCEPTED
    )
    assert accepted.count() == 81
    late = [
        r
        for r in accepted
        if timeliness(
            project=r.project,
            period=r.period,
            first_submitted_at=r.first_submitted_at,
            now=r.first_submitted_at,
        )
        == Timeliness.LATE
    ]
    assert len(late) >= 3
    resubmitted = MonthlyReport.objects.filter(
        versions__status=ReportStatus.RETURNED
    ).distinct()
    assert [
        (r.project.district.code, r.period, r.accepted_version.number)
        for r in resubmitted
    ] == [("SG", date(2019, 5, 1), 2)]


def _demo_october_is_open_with_drafts_and_nothing_submitted(demo):
    october = MonthlyReport.objects.filter(period=OCTOBER)
    assert october.count() >= 1
    assert set(october.values_list("status", flat=True)) == {ReportStatus.DRAFT}
    assert jobs_created_to_date(until=OCTOBER) == 180


def _seeding_the_demo_twice_changes_nothing(demo):
    assert demo == (
        Project.objects.count(),
        MonthlyReport.objects.count(),
        ReportVersion.objects.count(),
        ReportValue.objects.count(),
    )


def test_the_demo_reports_match_domain_md_and_seeding_is_idempotent(demo):
    """One seeding (a few seconds) checked from every side."""
    _demo_jobs_add_up_to_180_by_the_end_of_september(demo)
    _demo_outputs_match_bupyeong_and_seogu(demo)
    _demo_has_nine_projects_with_nine_accepted_months_each_some_late_one_returned(demo)
    _demo_october_is_open_with_drafts_and_nothing_submitted(demo)
    _seeding_the_demo_twice_changes_nothing(demo)
