"""A participant roster: pseudonymous codes only; counts derived from it must
agree with the counts given; 6-month retention computed."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from reporting.checks import (
    ReportContext,
    check_report,
    derive_counts,
    six_month_retention,
)
from reporting.models import MonthlyReport, RosterEntry
from reporting.selectors import version_values
from reporting.services import report_save_draft

from .helpers import check_context, kst

pytestmark = pytest.mark.django_db  # the indicators are the catalogue's

MAR = date(2019, 3, 1)


def context() -> ReportContext:
    return check_context(
        period=MAR,
        period_start=date(2019, 1, 1),
        period_end=date(2019, 12, 1),
        today=date(2019, 4, 5),
        target_groups={
            "women": ("경력단절여성", "Career-interrupted women", 27),
            "seniors": ("어르신", "Seniors", 5),
        },
        # January and February, accepted: the roster's first two hires.
        totals_before={"new_hires": {"women": 2}},
        months_before=2,
    )


def row(code, group, hired, ended=None):
    return {
        "participant_code": code,
        "target_group_code": group,
        "hire_date": hired,
        "end_date": ended,
    }


ROSTER = [
    row("BP-001", "women", "2019-01-07"),
    row("BP-002", "women", "2019-02-11", "2019-03-15"),  # left in March
    row("BP-003", "women", "2019-03-04"),
    row("BP-004", "seniors", "2019-03-18"),
    row(
        "BP-005", "women", "2019-03-31", "2019-03-31"
    ),  # hired and left on the last day: employed at month end
]


def test_new_hires_and_month_end_employment_are_derived_from_the_roster():
    result = check_report(context=context(), values={}, roster=ROSTER)
    assert result.errors == {}
    assert result.values["new_hires"] == {"women": 2, "seniors": 1}
    assert result.values["employed"] == {"women": 3, "seniors": 1}


def test_counts_that_agree_with_the_roster_pass():
    values = {
        "new_hires": {"women": 2, "seniors": 1},
        "employed": {"women": 3, "seniors": 1},
    }
    assert check_report(context=context(), values=values, roster=ROSTER).errors == {}


def test_counts_that_disagree_with_the_roster_are_refused():
    values = {
        "new_hires": {"women": 3, "seniors": 1},
        "employed": {"women": 3, "seniors": 1},
    }
    result = check_report(context=context(), values=values, roster=ROSTER)
    assert result.errors == {
        "new_hires.women": [
            "신규 채용(경력단절여성): 입력 3명이 참여자 명단 기준 2명과 다릅니다."
        ]
    }
    assert result.codes()["new_hires.women"] == ["roster_disagrees"]


@pytest.mark.parametrize(
    "code",
    [
        "김영희",
        "800101-2345678",
        "8001012345678",
        "010-1234-5678",
        "01012345678",
        "kim@example.org",
        "KIMCHULSOO",
        "KIM-CHULSOO",
        "P-1234-5678",
        "P-010-1234-5678",
        "bp-001",
        "P-900101-1234567",
        "KIM-001",
    ],
)
def test_a_participant_code_outside_the_pseudonymous_pattern_is_refused_with_the_pattern(
    code,
):
    with translation.override("en"):
        result = check_report(
            context=context(), values={}, roster=[row(code, "women", "2019-03-04")]
        )
    message = result.errors["roster.1"][0]
    assert message.startswith("Roster row 1: the participant code ")
    assert "AA-0000" in message and "P-0001" in message
    assert code not in message  # never echoed in full


def test_a_missing_participant_code_is_refused_in_korean_by_default():
    result = check_report(
        context=context(), values={}, roster=[row("", "women", "2019-03-04")]
    )
    assert result.errors["roster.1"] == [
        "명단 1행: 참여자 코드가 없습니다. 모든 참여자에게 P-0001 같은 가명 코드를 붙여 주세요."
    ]


@pytest.mark.parametrize("code", ["P-0001", "BP-001", "BP-19-001", "GH-12345"])
def test_pseudonymous_codes_in_the_pattern_pass(code):
    assert (
        "roster.1"
        not in check_report(
            context=context(), values={}, roster=[row(code, "women", "2019-03-04")]
        ).errors
    )


def test_roster_rows_with_impossible_dates_or_groups_are_refused():
    result = check_report(
        context=context(),
        values={},
        roster=[
            row("BP-001", "youth", "2019-03-04"),
            row("BP-002", "women", "2019-04-01"),
            row("BP-003", "women", "2019-03-04", "2019-03-01"),
            row("BP-004", "women", "3/4/2019"),
        ],
    )
    assert set(result.errors) == {"roster.1", "roster.2", "roster.3", "roster.4"}


def test_six_month_retention_counts_people_hired_six_months_ago_or_more():
    rows = [
        {"hire_date": date(2019, 1, 7), "end_date": None},  # eligible, retained
        {
            "hire_date": date(2019, 1, 14),
            "end_date": date(2019, 5, 31),
        },  # eligible, left
        {
            "hire_date": date(2019, 2, 1),
            "end_date": date(2019, 8, 1),
        },  # eligible, retained to the day
        {"hire_date": date(2019, 3, 4), "end_date": None},  # not yet six months
    ]
    assert six_month_retention(rows, date(2019, 8, 31)) == (2, 3)


def test_derive_counts_by_group():
    rows = [
        row("A-1", "women", date(2019, 3, 1)),
        row("A-2", "women", date(2019, 2, 1), date(2019, 3, 2)),
    ]
    assert derive_counts(rows, MAR) == {
        "new_hires": {"women": 1},
        "employed": {"women": 1},
    }


def test_a_report_saved_with_a_roster_stores_it_and_the_derived_counts(
    bupyeong_project, bupyeong_officer
):
    version = report_save_draft(
        project=bupyeong_project,
        period=MAR,
        actor=bupyeong_officer,
        values={"households": {"total": 50}},
        roster=ROSTER,
        now=kst(2019, 4, 3, 9),
    )
    assert RosterEntry.objects.filter(version=version).count() == 5
    assert version.has_roster
    figures = version_values(version)
    assert figures["new_hires"] == {"women": 2, "seniors": 1}
    assert figures["employed"] == {"women": 3, "seniors": 1}


def test_a_roster_with_a_name_is_never_stored(bupyeong_project, bupyeong_officer):
    with pytest.raises(ValidationError) as refused:
        report_save_draft(
            project=bupyeong_project,
            period=MAR,
            actor=bupyeong_officer,
            values={},
            roster=[row("홍길동", "women", "2019-03-04")],
            now=kst(2019, 4, 3, 9),
        )
    assert "roster.1" in refused.value.message_dict
    assert not MonthlyReport.objects.exists()
    assert not RosterEntry.objects.exists()
