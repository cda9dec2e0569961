"""The best set within the budget: exact (checked against every subset of small
random calls), starting from the decisions on record, within each district's
maximum and minimum, and with a reason in words for every proposal left out.
The city sees it beside the greedy suggestion and decides."""

import itertools
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from competitions import services
from competitions.models import (
    Decision,
    SelectionDecision,
    SelectionObjective,
)
from competitions.optimal import Objective, Option, OutReason, optimal_selection
from competitions.selectors import selection_optimal, selection_suggest

from .conftest import make_call, make_submitted, score_and_submit

MILLION = 1_000_000


def _option(key, cost, score, district="A", **kwargs):
    return Option(
        key=key,
        district=district,
        cost=cost,
        score=None if score is None else Decimal(score),
        **kwargs,
    )


def _chosen(result):
    return sorted(option.key for option in result.chosen)


def _lines(result):
    return {line.option.key: line for line in result.lines}


# --- the arithmetic -----------------------------------------------------------


def test_budget_100_with_requests_60_50_50_takes_the_two_50s_not_the_60():
    ranked = [_option("A", 60, 90), _option("B", 50, 80), _option("C", 50, 70)]
    result = optimal_selection(ranked, budget=100)
    assert _chosen(result) == ["B", "C"]
    line = _lines(result)["A"]
    assert line.reason == OutReason.TRADE_OFF
    assert [o.key for o in line.alternative.dropped] == ["B", "C"]
    assert line.alternative.score == Decimal(90) < result.total_score == Decimal(150)


def test_the_count_objective_takes_more_projects_then_the_higher_score():
    ranked = [
        _option("A", 90, 95),
        _option("B", 40, 45),
        _option("C", 40, 40),
        _option("D", 50, 30),
    ]
    by_score = optimal_selection(ranked, budget=100)
    by_count = optimal_selection(ranked, budget=100, objective=Objective.COUNT)
    assert _chosen(by_score) == ["A"]  # 95 points beat any pair (at most 85)
    # Two projects at most (B+C, B+D, C+D fit); B+C scores highest of those.
    assert _chosen(by_count) == ["B", "C"]


def test_a_recorded_selection_stays_in_and_a_recorded_rejection_stays_out():
    ranked = [
        _option("A", 60, 90, decided=False),
        _option("B", 50, 80),
        _option("C", 50, 70, decided=True),
    ]
    result = optimal_selection(ranked, budget=100)
    assert _chosen(result) == ["B", "C"]
    assert _lines(result)["A"].reason == OutReason.DECIDED_NOT_SELECTED


def test_a_proposal_not_fully_reviewed_is_never_chosen():
    ranked = [_option("A", 10, 90, fully_reviewed=False), _option("B", 10, None)]
    result = optimal_selection(ranked, budget=100)
    assert result.chosen == []
    assert {line.reason for line in result.lines} == {OutReason.NOT_REVIEWED}


def test_a_request_above_what_the_record_leaves_says_so():
    ranked = [_option("A", 70, 90, decided=True), _option("B", 40, 80)]
    line = _lines(optimal_selection(ranked, budget=100))["B"]
    assert line.reason == OutReason.OVER_BUDGET_ALONE


def test_the_district_maximum_holds_and_a_full_district_is_named():
    ranked = [
        _option("A", 10, 90, district="x", decided=True),
        _option("B", 10, 85, district="x"),
        _option("C", 10, 50, district="y"),
    ]
    result = optimal_selection(ranked, budget=100, per_district_limit=1)
    assert _chosen(result) == ["A", "C"]
    assert _lines(result)["B"].reason == OutReason.DISTRICT_FULL


def test_a_district_minimum_brings_in_its_best_proposal_at_the_cost_of_score():
    ranked = [
        _option("A", 50, 90, district="x"),
        _option("B", 50, 85, district="x"),
        _option("C", 50, 40, district="y"),
        _option("D", 50, 30, district="y"),
    ]
    assert _chosen(optimal_selection(ranked, budget=100)) == ["A", "B"]
    result = optimal_selection(ranked, budget=100, per_district_minimum=1)
    assert _chosen(result) == ["A", "C"]
    line = _lines(result)["B"]
    assert line.reason == OutReason.TRADE_OFF
    assert [o.key for o in line.alternative.dropped] == ["A"]


def test_a_proposal_that_leaves_no_room_for_a_district_minimum_says_so():
    ranked = [
        _option("A", 60, 90, district="x"),
        _option("B", 50, 85, district="x"),
        _option("C", 50, 40, district="y"),
    ]
    result = optimal_selection(ranked, budget=100, per_district_minimum=1)
    assert _chosen(result) == ["B", "C"]
    assert _lines(result)["A"].reason == OutReason.MINIMUMS


def test_a_minimum_a_district_cannot_reach_is_reported_not_made_infeasible():
    ranked = [_option("A", 50, 90, district="x"), _option("B", 50, 85, district="y")]
    result = optimal_selection(
        ranked + [_option("C", 10, 70, district="z", fully_reviewed=False)],
        budget=100,
        per_district_minimum=1,
    )
    assert _chosen(result) == ["A", "B"]
    assert result.short_minimums == {"z": (1, 0)}


def test_equal_sets_prefer_the_higher_ranked_and_the_other_is_called_a_tie():
    ranked = [_option("A", 50, 80), _option("B", 50, 80)]
    result = optimal_selection(ranked, budget=50)
    assert _chosen(result) == ["A"]
    assert _lines(result)["B"].reason == OutReason.TIE


def test_a_record_over_budget_is_a_problem_not_a_set():
    ranked = [_option("A", 80, 90, decided=True), _option("B", 40, 80, decided=True)]
    result = optimal_selection(ranked, budget=100)
    assert result.problem == "record_over_budget"


def _best_by_enumeration(ranked, *, budget, objective, limit, minimum):
    recorded = [o for o in ranked if o.decided is True]
    eligible = [
        o
        for o in ranked
        if o.decided is None and o.fully_reviewed and o.score is not None
    ]
    districts = {o.district for o in ranked}
    best = None
    for size in range(len(eligible) + 1):
        for subset in itertools.combinations(eligible, size):
            chosen = list(subset) + recorded
            if sum(o.cost for o in chosen) > budget:
                continue
            counts = {d: sum(1 for o in chosen if o.district == d) for d in districts}
            if limit and any(count > limit for count in counts.values()):
                continue
            if minimum:
                reachable = {
                    d: min(
                        minimum,
                        limit or minimum,
                        sum(1 for o in eligible + recorded if o.district == d),
                    )
                    for d in districts
                }
                if any(counts[d] < reachable[d] for d in districts):
                    continue
            score = sum((o.score for o in chosen), Decimal(0))
            key = (len(chosen), score) if objective == Objective.COUNT else (score,)
            if best is None or key > best:
                best = key
    return best


@pytest.mark.parametrize("seed", range(12))
def test_the_chosen_set_is_as_good_as_the_best_of_every_subset(seed):
    rng = random.Random(seed)
    for _ in range(25):
        ranked = [
            Option(
                key=index,
                district=rng.choice("wxyz"),
                cost=rng.randint(1, 12) * 10,
                score=Decimal(rng.randint(5000, 9500)) / 100,
                fully_reviewed=rng.random() > 0.1,
                decided=rng.choice([None] * 6 + [True, False]),
            )
            for index in range(rng.randint(1, 10))
        ]
        rules = {
            "budget": rng.randint(0, 300),
            "objective": rng.choice([Objective.SCORE, Objective.COUNT]),
            "limit": rng.choice([None, 1, 2]),
            "minimum": rng.choice([None, None, 1]),
        }
        result = optimal_selection(
            ranked,
            budget=rules["budget"],
            objective=rules["objective"],
            per_district_limit=rules["limit"],
            per_district_minimum=rules["minimum"],
        )
        expected = _best_by_enumeration(ranked, **rules)
        if result.problem:
            assert expected is None or result.problem.startswith("record_"), rules
            continue
        got = (
            (len(result.chosen), result.total_score)
            if rules["objective"] == Objective.COUNT
            else (result.total_score,)
        )
        assert got == expected, rules
        assert result.total_cost <= rules["budget"]
        # Every proposal left out for a trade-off really has a worse best set.
        for line in result.lines:
            if line.reason == OutReason.TRADE_OFF:
                other = (
                    (line.alternative.count, line.alternative.score)
                    if rules["objective"] == Objective.COUNT
                    else (line.alternative.score,)
                )
                assert other < got


# --- the call's screen --------------------------------------------------------


@pytest.fixture
def small_call(call_index, orgs):
    return make_call(
        call_index,
        slug="best-set",
        total_budget=100 * MILLION,
        cap_per_project=60 * MILLION,
    )


@pytest.fixture
def three(small_call, orgs, panel, city_manager):
    """A (60M, 90 points), B (50M, 80), C (50M, 70): greedy takes A alone."""
    reviewer = panel[1]
    services.panel_add(call=small_call, reviewer=reviewer, actor=city_manager)
    proposals = {}
    for key, district, cost, scores in [
        ("A", "SG", 60, [35, 55]),
        ("B", "JG", 50, [30, 50]),
        ("C", "DG", 50, [30, 40]),
    ]:
        proposal = make_submitted(
            small_call, orgs[district], title=key, city_share=cost * MILLION
        )
        assignment = services.assignment_create(
            proposal=proposal, reviewer=reviewer, actor=city_manager
        )
        score_and_submit(assignment, scores)
        proposals[key] = proposal
    return proposals


def test_the_city_sees_the_best_set_beside_the_greedy_one_with_reasons(
    client, small_call, three, city_manager
):
    greedy = {
        r.line.proposal.title: r.suggested for r in selection_suggest(call=small_call)
    }
    assert greedy == {"A": True, "B": False, "C": False}
    client.force_login(city_manager)
    with translation.override("en"):
        page = client.get(
            reverse("review_optimal", args=[small_call.pk]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    with translation.override("en"):
        comparison = selection_optimal(call=small_call)
    rows = {row.line.proposal.title: row for row in comparison.rows}
    assert {title: row.chosen for title, row in rows.items()} == {
        "A": False,
        "B": True,
        "C": True,
    }
    assert comparison.optimal.score == Decimal(150)
    assert comparison.greedy.score == Decimal(90)
    reason = rows["A"].reason
    assert "would mean dropping" in reason and "B (80.00 points)" in reason
    assert "C (70.00 points)" in reason and "150.00" in reason
    assert f'data-proposal="{three["A"].pk}" data-chosen="no"' in page
    assert "data-optimal-score" in page and "150.00" in page


def test_the_reason_reads_in_korean_for_a_korean_reader(small_call, three):
    with translation.override("ko"):
        rows = {
            r.line.proposal.title: r for r in selection_optimal(call=small_call).rows
        }
    assert "제외" in rows["A"].reason or "빠져" in rows["A"].reason
    assert " / " not in rows["A"].reason


def test_recording_the_best_set_decides_the_undecided_with_their_reasons(
    client, small_call, three, city_manager
):
    client.force_login(city_manager)
    response = client.post(
        reverse("review_optimal", args=[small_call.pk]), {"action": "apply_optimal"}
    )
    assert response.status_code == 302
    decisions = {
        d.proposal.title: d
        for d in SelectionDecision.objects.filter(proposal__call=small_call)
    }
    assert decisions["B"].decision == Decision.SELECTED
    assert decisions["C"].decision == Decision.SELECTED
    assert decisions["A"].decision == Decision.NOT_SELECTED
    assert decisions["A"].reason  # the trade-off, in words
    assert decisions["A"].decided_by == city_manager


def test_a_recorded_decision_is_kept_and_the_best_set_built_around_it(
    small_call, three, city_manager
):
    services.selection_decide(
        proposal=three["A"],
        decision=Decision.SELECTED,
        reason="지역 균형",
        actor=city_manager,
    )
    recorded = services.selection_apply_optimal(call=small_call, actor=city_manager)
    assert recorded == 2
    decisions = dict(
        SelectionDecision.objects.filter(proposal__call=small_call).values_list(
            "proposal__title", "decision"
        )
    )
    assert decisions == {
        "A": Decision.SELECTED,
        "B": Decision.NOT_SELECTED,
        "C": Decision.NOT_SELECTED,
    }


def test_the_count_objective_is_the_calls_choice(small_call, three):
    small_call.selection_objective = SelectionObjective.COUNT
    small_call.save()
    chosen = {
        r.line.proposal.title
        for r in selection_optimal(call=small_call).rows
        if r.chosen
    }
    assert chosen == {"B", "C"}


def test_a_minimum_above_the_maximum_is_refused_by_the_call_form(small_call):
    small_call.max_selected_per_district = 1
    small_call.min_selected_per_district = 2
    with pytest.raises(ValidationError) as error:
        small_call.full_clean()
    assert "min_selected_per_district" in error.value.message_dict


def test_only_city_managers_reach_or_record_the_best_set(
    client, small_call, three, reviewer, bupyeong_officer
):
    url = reverse("review_optimal", args=[small_call.pk])
    for user in (reviewer, bupyeong_officer):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "apply_optimal"}).status_code == 404
    assert not SelectionDecision.objects.filter(proposal__call=small_call).exists()
    with pytest.raises(ValidationError):
        services.selection_apply_optimal(call=small_call, actor=reviewer)
