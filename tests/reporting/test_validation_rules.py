"""The city's validation rules (``indicators.ValidationRule``), evaluated by
``check_report``: the default set replaces the fixed employment check, and a
rule the city adds works without a line of code."""

from datetime import date

import pytest
from django.utils import translation

from indicators.models import ValidationRule
from reporting.checks import check_report
from tests.indicators import catalogue_indicator
from tests.reporting.helpers import check_context

pytestmark = pytest.mark.django_db

MAR = date(2019, 3, 1)
GROUPS = {
    "women": ("경력단절여성", "Career-interrupted women", 27),
    "seniors": ("어르신", "Seniors", 5),
}


def visits_rule(**fields) -> ValidationRule:
    """Coaching visits ≥ households visited, this month: a warning."""
    values = {
        "code": "visits-cover-households",
        "left": catalogue_indicator("visits"),
        "left_window": "month",
        "comparison": "gte",
        "right": catalogue_indicator("households"),
        "right_window": "month",
        "severity": "warning",
        "message_ko": "코칭 방문({left}회)이 방문 가구({right}가구)보다 적습니다.",
        "message_en": "Coaching visits ({left}) are fewer than households visited ({right}).",
    }
    values.update(fields)
    return ValidationRule.objects.create(**values)


def context(outputs=None, **fields):
    values = {
        "period": MAR,
        "period_start": date(2019, 1, 1),
        "period_end": date(2019, 12, 1),
        "today": date(2019, 4, 5),
        "target_groups": GROUPS,
        "outputs": {"households": 960, "visits": 2_600} if outputs is None else outputs,
        "budget_lines": {"personnel": ("인건비", "Personnel", 100_000_000)},
        "totals_before": {"new_hires": {"women": 10, "seniors": 1}},
        "months_before": 0,
    }
    values.update(fields)
    return check_context(**values)


def month(households=1_200, visits=2_400, **more):
    values = {
        "new_hires": {"women": 2, "seniors": 0},
        "employed": {"women": 12, "seniors": 1},
        "households": {"total": households},
        "visits": {"total": visits},
        "spending": {"personnel": 1_000_000},
    }
    values.update(more)
    return values


def test_the_default_rule_is_in_the_catalogue_and_active():
    rule = ValidationRule.objects.get(code="employed-within-hires")
    assert (rule.left.code, rule.comparison, rule.right.code) == (
        "employed",
        "lte",
        "new_hires",
    )
    assert (rule.right_window, rule.severity, rule.is_active) == (
        "to_date",
        "error",
        True,
    )


def test_the_default_rule_compares_member_by_member_against_hires_to_date():
    # Seniors: 1 hired before, none this month, 2 employed: refused; women pass.
    with translation.override("en"):
        result = check_report(
            context=context(),
            values=month(employed={"women": 12, "seniors": 2}),
        )
    assert result.errors == {
        "employed.seniors": [
            "Employed at month end (Seniors, 2) exceeds all hires to date (1)."
        ]
    }


def test_a_city_added_warning_rule_needs_a_comment_in_the_readers_language():
    visits_rule()
    with translation.override("ko"):
        result = check_report(
            context=context(), values=month(households=1_200, visits=1_150)
        )
    assert result.errors == {}
    key = "rule.visits-cover-households.total"
    assert result.warnings[key] == (
        "코칭 방문(1,150회)이 방문 가구(1,200가구)보다 적습니다."
    )
    assert list(result.unanswered_warnings({})) == [key]
    assert result.unanswered_warnings({key: "한 가구에 한 번씩만 방문"}) == {}
    with translation.override("en"):
        result = check_report(
            context=context(), values=month(households=1_200, visits=1_150)
        )
    assert result.warnings[key] == (
        "Coaching visits (1,150) are fewer than households visited (1,200)."
    )


def test_a_warning_rule_that_holds_says_nothing():
    visits_rule()
    result = check_report(context=context(), values=month(households=1_200))
    assert result.warnings == {}


def test_an_error_rule_blocks_on_its_left_figure():
    visits_rule(severity="error")
    result = check_report(context=context(), values=month(visits=10))
    assert list(result.errors) == ["visits.total"]
    assert not result.is_valid


def test_an_inactive_rule_does_not_fire():
    visits_rule(is_active=False)
    result = check_report(context=context(), values=month(visits=10))
    assert result.warnings == {} and result.errors == {}


def test_a_rule_whose_indicators_the_plan_lacks_does_not_apply():
    visits_rule(severity="error")
    result = check_report(
        context=context(outputs={"households": 960}),
        values={**month(), "visits": {}},
    )
    assert result.errors == {}


def test_a_to_date_window_adds_the_accepted_earlier_months():
    # Households to date (500 before + 100 now) may not exceed 550 visits this month.
    visits_rule(left_window="month", right_window="to_date")
    result = check_report(
        context=context(totals_before={"households": {"total": 500}}),
        values=month(households=100, visits=550),
    )
    assert "rule.visits-cover-households.total" in result.warnings


def test_a_rule_over_differently_split_indicators_compares_their_totals():
    # Jobs created (by target group) ≤ households visited (not split): totals.
    ValidationRule.objects.create(
        code="hires-below-households",
        left=catalogue_indicator("households").__class__.objects.get(code="new_hires"),
        comparison="lte",
        right=catalogue_indicator("households"),
        severity="warning",
        message_ko="{member}: 채용 {left}명, 방문 {right}가구",
        message_en="{member}: {left} hired, {right} households",
    )
    with translation.override("en"):
        result = check_report(
            context=context(),
            values=month(households=1, new_hires={"women": 2, "seniors": 1}),
        )
    assert result.warnings["rule.hires-below-households.total"] == (
        "Total: 3 hired, 1 households"
    )


def test_a_stray_brace_in_a_rule_message_is_shown_as_written():
    visits_rule(message_en="Visits {left} < households {right} {oops", severity="error")
    with translation.override("en"):
        result = check_report(context=context(), values=month(visits=10))
    assert result.errors["visits.total"] == ["Visits {left} < households {right} {oops"]
