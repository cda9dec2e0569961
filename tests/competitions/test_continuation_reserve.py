"""A call may reserve part of its budget for continuation projects (계속 사업).
Then two budgets hold, in the greedy suggestion, in the optimal set and at
publication: continuation proposals within the reserve, the others within the
rest. Without a reserve, continuations compete for the whole budget."""

import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from competitions import scoring, services
from competitions.models import CallPage, Proposal
from competitions.optimal import Option, OutReason, optimal_selection
from competitions.selectors import selection_optimal, selection_suggest
from tests.projects.fixtures import make_project

from .conftest import make_call, make_submitted, score_and_submit

MILLION = 1_000_000

# --- the greedy suggestion: a table of small cases --------------------------------
# (name, budget, reserve, ranked [(key, cost, continuation)], suggested keys)
GREEDY_CASES = [
    (
        "no reserve: a continuation competes for the whole budget",
        100,
        0,
        [("N1", 70, False), ("R1", 30, True), ("N2", 30, False)],
        {"N1", "R1"},
    ),
    (
        "a continuation above the reserve is out, though the rest has room",
        100,
        20,
        [("N1", 70, False), ("R1", 30, True), ("N2", 10, False)],
        {"N1", "N2"},
    ),
    (
        "the reserve funds the continuation, the rest the others",
        100,
        30,
        [("N1", 70, False), ("R1", 30, True), ("N2", 30, False)],
        {"N1", "R1"},
    ),
    (
        "an unused reserve is not spent on the others",
        100,
        50,
        [("N1", 60, False), ("N2", 40, False)],
        {"N2"},
    ),
    (
        "two continuations share the reserve in rank order",
        100,
        40,
        [("R1", 30, True), ("R2", 20, True), ("R3", 10, True), ("N1", 60, False)],
        {"R1", "R3", "N1"},
    ),
]


@pytest.mark.parametrize(
    ("budget", "reserve", "ranked", "expected"),
    [case[1:] for case in GREEDY_CASES],
    ids=[case[0] for case in GREEDY_CASES],
)
def test_the_greedy_suggestion_keeps_the_two_budgets(budget, reserve, ranked, expected):
    candidates = [
        scoring.Candidate(key=key, district=key, cost=cost, reserved=continuation)
        for key, cost, continuation in ranked
    ]
    result = scoring.suggest(candidates, budget=budget, reserve=reserve)
    assert set(result.chosen) == expected


def test_a_recorded_continuation_uses_the_reserve_not_the_rest():
    candidates = [
        scoring.Candidate(key="R1", district="A", cost=20, reserved=True, decided=True),
        scoring.Candidate(key="R2", district="B", cost=20, reserved=True),
        scoring.Candidate(key="N1", district="C", cost=70, reserved=False),
    ]
    result = scoring.suggest(candidates, budget=100, reserve=30)
    assert set(result.chosen) == {"R1", "N1"}
    skipped = result.lines[1]
    assert skipped.skip_reason == scoring.SkipReason.OVER_BUDGET
    assert (skipped.remaining_before, skipped.over_by) == (10, 10)


# --- the optimal set: a table of small cases, and every subset ---------------------


def _option(key, cost, score, continuation=False, **kwargs):
    return Option(
        key=key,
        district=key,
        cost=cost,
        score=Decimal(score),
        reserved=continuation,
        **kwargs,
    )


OPTIMAL_CASES = [
    (
        "each budget is filled best on its own",
        100,
        50,
        [
            ("R1", 30, 90, True),
            ("R2", 25, 80, True),
            ("R3", 25, 70, True),
            ("N1", 50, 85, False),
            ("N2", 25, 60, False),
            ("N3", 25, 55, False),
        ],
        {"R2", "R3", "N2", "N3"},
    ),
    (
        "no reserve: one budget over all",
        100,
        0,
        [("R1", 60, 90, True), ("N1", 50, 80, False), ("N2", 50, 70, False)],
        {"N1", "N2"},
    ),
    (
        "a continuation larger than the reserve stays out",
        100,
        40,
        [("R1", 50, 99, True), ("N1", 60, 50, False)],
        {"N1"},
    ),
    (
        "the others never use the reserve",
        100,
        40,
        [("N1", 70, 99, False), ("N2", 60, 50, False)],
        {"N2"},
    ),
]


@pytest.mark.parametrize(
    ("budget", "reserve", "ranked", "expected"),
    [case[1:] for case in OPTIMAL_CASES],
    ids=[case[0] for case in OPTIMAL_CASES],
)
def test_the_optimal_set_keeps_the_two_budgets(budget, reserve, ranked, expected):
    options = [_option(*row) for row in ranked]
    result = optimal_selection(options, budget=budget, reserve=reserve)
    assert {option.key for option in result.chosen} == expected


def test_a_continuation_above_the_reserve_says_it_is_over_its_budget():
    options = [_option("R1", 50, 99, True), _option("N1", 60, 50)]
    result = optimal_selection(options, budget=100, reserve=40)
    line = next(line for line in result.lines if line.option.key == "R1")
    assert line.reason == OutReason.OVER_BUDGET_ALONE


def test_a_record_over_the_reserve_is_a_problem_not_a_set():
    options = [
        _option("R1", 30, 90, True, decided=True),
        _option("R2", 20, 80, True, decided=True),
        _option("N1", 10, 70),
    ]
    result = optimal_selection(options, budget=100, reserve=40)
    assert result.problem == "record_over_budget"


@pytest.mark.parametrize("seed", range(8))
def test_the_optimal_set_is_the_best_of_every_subset_within_both_budgets(seed):
    import random

    generator = random.Random(seed)
    options = [
        _option(
            f"P{index}",
            generator.randint(10, 60),
            generator.randint(50, 99),
            generator.random() < 0.4,
        )
        for index in range(8)
    ]
    budget, reserve = 150, generator.choice([0, 30, 60])
    result = optimal_selection(options, budget=budget, reserve=reserve)

    def fits(subset):
        continuing = sum(o.cost for o in subset if o.reserved)
        others = sum(o.cost for o in subset if not o.reserved)
        if reserve:
            return continuing <= reserve and others <= budget - reserve
        return continuing + others <= budget

    best = max(
        sum(o.score for o in subset)
        for size in range(len(options) + 1)
        for subset in itertools.combinations(options, size)
        if fits(subset)
    )
    assert fits(result.chosen)
    assert result.total_score == best


# --- the call's setting -----------------------------------------------------------


def test_a_reserve_above_the_total_budget_is_refused_with_a_clear_message(
    call_index, orgs
):
    call = make_call(
        call_index,
        slug="reserve",
        total_budget=100 * MILLION,
        cap_per_project=60 * MILLION,
    )
    call.continuation_budget = 120 * MILLION
    with pytest.raises(ValidationError) as refused:
        call.clean()
    (error,) = refused.value.error_dict["continuation_budget"]
    assert error.code == "continuation_budget_over_total"
    with translation.override("en"):
        assert "120,000,000" in error.messages[0]
        assert "100,000,000" in error.messages[0]


def test_a_reserve_equal_to_the_total_budget_is_accepted(call_index, orgs):
    call = make_call(
        call_index,
        slug="reserve-all",
        total_budget=100 * MILLION,
        cap_per_project=60 * MILLION,
    )
    call.continuation_budget = 100 * MILLION
    call.clean()
    assert call.general_budget == 0


# --- through the call's ranking -------------------------------------------------


@pytest.fixture
def reserve_call(call_index, orgs):
    return make_call(
        call_index,
        slug="reserve-call",
        total_budget=100 * MILLION,
        cap_per_project=60 * MILLION,
        continuation_budget=50 * MILLION,
    )


@pytest.fixture
def three(reserve_call, orgs, panel, city_manager, call):
    """A (60M, 90 points), B (50M, 80), C (50M, 70, a continuation)."""
    reviewer = panel[1]
    services.panel_add(call=reserve_call, reviewer=reviewer, actor=city_manager)
    continued = make_project(orgs["DG"], call=call, title="작은도서관")
    proposals = {}
    for key, district, cost, scores in [
        ("A", "SG", 60, [35, 55]),
        ("B", "JG", 50, [30, 50]),
        ("C", "DG", 50, [30, 40]),
    ]:
        proposal = make_submitted(
            reserve_call, orgs[district], title=key, city_share=cost * MILLION
        )
        assignment = services.assignment_create(
            proposal=proposal, reviewer=reviewer, actor=city_manager
        )
        score_and_submit(assignment, scores)
        proposals[key] = proposal
    Proposal.objects.filter(pk=proposals["C"].pk).update(continues_project=continued)
    return proposals


def test_the_calls_greedy_suggestion_funds_the_continuation_from_the_reserve(
    reserve_call, three
):
    with translation.override("en"):
        rows = {r.line.proposal.title: r for r in selection_suggest(call=reserve_call)}
    # Without the reserve A (60M) would be taken first; with it, the other
    # proposals share 50M, and C is funded from the reserve.
    assert {title: row.suggested for title, row in rows.items()} == {
        "A": False,
        "B": True,
        "C": True,
    }
    assert "reserve of KRW 50,000,000" in rows["C"].reason
    assert "budget for other proposals" in rows["A"].reason


def test_the_calls_optimal_set_funds_the_continuation_from_the_reserve(
    reserve_call, three
):
    with translation.override("en"):
        comparison = selection_optimal(call=reserve_call)
    rows = {row.line.proposal.title: row for row in comparison.rows}
    assert {title: row.chosen for title, row in rows.items()} == {
        "A": False,
        "B": True,
        "C": True,
    }
    assert rows["A"].reason_code == OutReason.OVER_BUDGET_ALONE
    assert "budget for other proposals" in rows["A"].reason


def test_publishing_is_refused_while_continuations_exceed_the_reserve(
    reserve_call, three, city_manager
):
    CallPage.objects.filter(pk=reserve_call.pk).update(continuation_budget=40 * MILLION)
    reserve_call.refresh_from_db()
    for key, decision in (("A", "not_selected"), ("B", "selected"), ("C", "selected")):
        services.selection_decide(
            proposal=three[key],
            decision=decision,
            reason="심사 결과",
            actor=city_manager,
        )
    codes = [error.code for error in services.publication_errors(call=reserve_call)]
    assert "over_continuation_reserve" in codes
    assert "over_budget" not in codes  # 100M of 100M in all


def test_publishing_is_refused_while_the_others_exceed_the_rest(
    reserve_call, three, city_manager
):
    for key, decision in (
        ("A", "selected"),
        ("B", "not_selected"),
        ("C", "not_selected"),
    ):
        services.selection_decide(
            proposal=three[key],
            decision=decision,
            reason="심사 결과",
            actor=city_manager,
        )
    codes = [error.code for error in services.publication_errors(call=reserve_call)]
    assert codes.count("over_general_budget") == 1
