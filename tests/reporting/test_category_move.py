"""Moving money between budget categories (비목 변경): a category's spending to
date may go over its agreed amount by up to the call's threshold (a percent of
that amount, set in the conditions of grant) with a comment, as any spending
beyond the remaining budget; beyond it the month is refused with a message
that says to file a change request, and a comment does not answer it. Once the
city approves the change request, the new amount holds and the month passes."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from funding.models import GrantConditions
from projects.services import change_request_approve, change_request_propose
from projects.services import plan_data as plan_data_of
from reporting.checks import check_report, moved_beyond_threshold
from reporting.models import MonthlyReport
from reporting.selectors import report_context
from reporting.services import report_save_draft, report_submit
from tests.competitions.conftest import call, call_index  # noqa: F401
from tests.projects.fixtures import make_project

from .helpers import check_context, figures, kst

pytestmark = pytest.mark.django_db

JAN = date(2019, 1, 1)
KEY = "spending.personnel"
COMMENT = {KEY: "운영비에서 옮겨 집행"}


def context(percent):
    # 10,000,000 agreed, 8,000,000 spent before: 20 % lets the year reach 12,000,000.
    return check_context(
        period=date(2019, 3, 1),
        period_start=date(2019, 1, 1),
        period_end=date(2019, 12, 1),
        today=date(2019, 4, 5),
        target_groups={"women": ("경력단절여성", "Career-interrupted women", 27)},
        budget_lines={"personnel": ("인건비", "Personnel", 10_000_000)},
        totals_before={"spending": {"personnel": 8_000_000}},
        months_before=2,
        category_move_percent=percent,
    )


def month(personnel):
    return {
        "new_hires": {"women": 1},
        "employed": {"women": 1},
        "spending": {"personnel": personnel},
    }


def codes(result):
    return result.codes().get(KEY, [])


def test_within_the_threshold_the_move_needs_only_a_comment():
    result = check_report(context=context(20), values=month(3_000_000))
    assert codes(result) == ["spending_over_budget"]
    answered = check_report(
        context=context(20), values=month(3_000_000), comments=COMMENT
    )
    assert KEY not in answered.errors


def test_at_the_threshold_exactly_the_move_is_allowed_with_a_comment():
    result = check_report(
        context=context(20), values=month(4_000_000), comments=COMMENT
    )
    assert KEY not in result.errors


def test_one_won_beyond_the_threshold_is_refused_even_with_a_comment():
    result = check_report(
        context=context(20), values=month(4_000_001), comments=COMMENT
    )
    assert codes(result) == ["category_move_beyond_threshold"]


def test_the_refusal_says_how_far_over_and_to_file_a_change_request():
    with translation.override("en"):
        result = check_report(context=context(20), values=month(4_000_001))
    assert result.errors[KEY] == [
        "Personnel: spending to date (12,000,001 KRW) is 2,000,001 KRW over the "
        "agreed budget of 10,000,000 KRW, more than the 20% the call allows moving "
        "between budget categories. File a change request for the budget "
        "(Projects → Change requests) and report this spending once the city "
        "approves it."
    ]
    with translation.override("ko"):
        result = check_report(context=context(20), values=month(4_000_001))
    message = result.errors[KEY][0]
    assert "인건비" in message and "변경 요청" in message and "20%" in message
    assert "12,000,001" in message and "2,000,001" in message


def test_a_call_without_a_threshold_keeps_asking_only_for_a_comment():
    result = check_report(
        context=context(None), values=month(9_000_000), comments=COMMENT
    )
    assert KEY not in result.errors


def test_a_month_that_spends_nothing_in_the_category_is_not_refused_again():
    # Already 30 % over before this month (e.g. before the threshold was set).
    ctx = context(20)
    ctx.totals_before["spending"]["personnel"] = 13_000_000
    assert KEY not in check_report(context=ctx, values=month(0)).errors


@pytest.mark.parametrize(
    ("amount", "to_date", "percent", "beyond"),
    [
        (10_000_000, 9_000_000, 0, False),  # under budget
        (10_000_000, 10_000_000, 0, False),  # on budget, no move allowed
        (10_000_000, 10_000_001, 0, True),  # 0 %: any move needs a request
        (10_000_000, 12_000_000, 20, False),
        (10_000_000, 12_000_001, 20, True),
        (333, 399, 20, False),  # 66 of 333 is under 20 % (66.6)
        (333, 400, 20, True),  # 67 of 333 is over
        (0, 1, 20, True),  # nothing agreed: any spending moved money there
    ],
)
def test_the_threshold_in_whole_won(amount, to_date, percent, beyond):
    assert (
        moved_beyond_threshold(amount=amount, spent_to_date=to_date, percent=percent)
        is beyond
    )


# --- through the service: the call's conditions and the change request --------


@pytest.fixture
def project(orgs, call):  # noqa: F811
    GrantConditions.objects.create(
        call=call, text_ko="조건", text_en="Conditions", category_move_percent=20
    )
    return make_project(orgs["BP"], call=call)


def _personnel_budget(project):
    return project.plan_for(JAN).budget_lines.get(code="personnel").amount


def test_the_report_context_carries_the_calls_threshold(project):
    context = report_context(project=project, period=JAN, today=date(2019, 2, 5))
    assert context.category_move_percent == 20


def test_submitting_a_move_beyond_the_threshold_is_refused_until_a_change_request(
    project, bupyeong_officer, city_manager
):
    budget = _personnel_budget(project)
    over = budget + budget * 20 // 100 + 1
    values = figures(personnel=over, operations=0)
    now = kst(2019, 2, 5, 14, 0)
    report_save_draft(
        project=project,
        period=JAN,
        actor=bupyeong_officer,
        values=values,
        comments={KEY: "운영비에서 옮겨 집행"},
        now=now,
    )
    report = MonthlyReport.objects.get(project=project, period=JAN)
    with pytest.raises(ValidationError) as refused:
        report_submit(report=report, actor=bupyeong_officer, now=now)
    assert [e.code for e in refused.value.error_dict[KEY]] == [
        "category_move_beyond_threshold"
    ]

    proposed = plan_data_of(project.current_plan)
    lines = {row["code"]: row for row in proposed["budget_lines"]}
    moved = over - lines["personnel"]["amount"]
    lines["personnel"]["amount"] += moved
    lines["operations"]["amount"] -= moved
    change = change_request_propose(
        project=project,
        actor=bupyeong_officer,
        proposed=proposed,
        reason="운영비를 인건비로 옮김",
        effective_from=JAN,
        now=now,
    )
    change_request_approve(change_request=change, actor=city_manager, now=now)
    project.refresh_from_db()
    report_submit(report=report, actor=bupyeong_officer, now=now)
    report.refresh_from_db()
    assert report.status == "submitted"
