"""Rosters are kept for a set period after the project's last month, then
destroyed by a scheduled task through a service and recorded in the ledger
(파기 대장), which city managers read in the admin."""

from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse

from reporting.models import RosterDestruction, RosterEntry
from reporting.selectors import version_values
from reporting.services import (
    project_roster_destroy,
    report_save_draft,
    roster_retention_ends,
)
from reporting.tasks import destroy_expired_rosters

from .helpers import kst

MAR = date(2019, 3, 1)
ROSTER = [
    {
        "participant_code": "BP-19-001",
        "target_group_code": "women",
        "hire_date": "2019-03-04",
        "end_date": None,
    },
    {
        "participant_code": "BP-19-002",
        "target_group_code": "women",
        "hire_date": "2019-03-11",
        "end_date": None,
    },
]


@pytest.fixture
def roster_version(bupyeong_project, bupyeong_officer):
    return report_save_draft(
        project=bupyeong_project,
        period=MAR,
        actor=bupyeong_officer,
        values={"households": {"total": 50}},
        roster=ROSTER,
        now=kst(2019, 4, 3, 9),
    )


@override_settings(SANGSAENG_ROSTER_RETENTION_DAYS=365)
def test_a_roster_past_its_retention_is_destroyed_and_recorded(
    bupyeong_project, roster_version
):
    ends = roster_retention_ends(project=bupyeong_project)
    assert ends.year == bupyeong_project.period_end.year + 1
    destroyed = destroy_expired_rosters(today=(ends + timedelta(days=1)).isoformat())
    assert destroyed == 1
    assert not RosterEntry.objects.exists()
    [record] = RosterDestruction.objects.all()
    assert (record.project, record.project_code, record.months, record.rows) == (
        bupyeong_project,
        bupyeong_project.code,
        ["2019-03"],
        2,
    )
    assert record.destroyed_by is None  # the system
    assert record.retention_ended_on == ends
    # The counts the roster gave stay: only the personal rows go.
    assert version_values(roster_version)["new_hires"]["women"] == 2


@override_settings(SANGSAENG_ROSTER_RETENTION_DAYS=365)
def test_a_roster_within_its_retention_is_kept(bupyeong_project, roster_version):
    ends = roster_retention_ends(project=bupyeong_project)
    assert destroy_expired_rosters(today=ends.isoformat()) == 0
    assert RosterEntry.objects.count() == 2
    assert not RosterDestruction.objects.exists()


def test_the_retention_period_comes_from_the_settings(bupyeong_project):
    with override_settings(SANGSAENG_ROSTER_RETENTION_DAYS=30):
        short = roster_retention_ends(project=bupyeong_project)
    with override_settings(SANGSAENG_ROSTER_RETENTION_DAYS=730):
        long = roster_retention_ends(project=bupyeong_project)
    assert (long - short).days == 700


def test_a_person_destroying_a_roster_is_recorded_by_name(
    bupyeong_project, roster_version, city_manager
):
    record = project_roster_destroy(
        project=bupyeong_project, actor=city_manager, now=kst(2021, 2, 1, 9)
    )
    assert record.destroyed_by == city_manager and record.rows == 2
    assert (
        project_roster_destroy(project=bupyeong_project, actor=city_manager) is None
    )  # nothing left


def test_the_ledger_is_read_only_and_for_city_managers(
    client, bupyeong_project, roster_version, city_manager, bupyeong_officer
):
    project_roster_destroy(project=bupyeong_project, actor=None, now=kst(2021, 2, 1, 9))
    url = reverse("reporting_roster_destructions")
    client.force_login(city_manager)
    page = client.get(url).content.decode()
    assert bupyeong_project.code in page and "2019-03" in page
    assert client.post(url).status_code == 405  # nothing changes the ledger
    client.force_login(bupyeong_officer)
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert bupyeong_project.code not in response.content.decode()
