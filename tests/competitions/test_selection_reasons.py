"""Every reason the suggestion shows or stores is true when it is written: it
starts from the decisions on record, and a tie broken by anything but the score
is shown as a tie with the rule that broke it."""

import pytest
from django.utils import translation

from competitions import services
from competitions.models import Decision, SelectionDecision
from competitions.selectors import call_ranking, selection_suggest

from .conftest import make_call, make_submitted, score_and_submit

MILLION = 1_000_000


@pytest.fixture
def small_call(call_index, orgs):
    """Budget 100 million (city share), cap 60 million."""
    return make_call(
        call_index,
        slug="small",
        total_budget=100 * MILLION,
        cap_per_project=60 * MILLION,
    )


def _scored(call, orgs, reviewer, city_manager, rows):
    services.panel_add(call=call, reviewer=reviewer, actor=city_manager)
    proposals = {}
    for key, district, cost, scores in rows:
        proposal = make_submitted(
            call, orgs[district], title=key, city_share=cost * MILLION
        )
        assignment = services.assignment_create(
            proposal=proposal, reviewer=reviewer, actor=city_manager
        )
        score_and_submit(assignment, scores)
        proposals[key] = proposal
    return proposals


@pytest.fixture
def ranked_abc(small_call, orgs, panel, city_manager):
    """A (60M, 90 points), B (50M, 80), C (40M, 70)."""
    return _scored(
        small_call,
        orgs,
        panel[1],
        city_manager,
        [
            ("A", "SG", 60, [35, 55]),
            ("B", "JG", 50, [30, 50]),
            ("C", "DG", 40, [30, 40]),
        ],
    )


def _reasons(call):
    with translation.override("en"):
        return {row.line.proposal.title: row for row in selection_suggest(call=call)}


def test_a_recorded_rejection_frees_its_money_for_the_next_proposal(
    small_call, ranked_abc, city_manager
):
    services.selection_decide(
        proposal=ranked_abc["A"],
        decision=Decision.NOT_SELECTED,
        reason="현장 실사 결과 부적합",
        actor=city_manager,
    )
    rows = _reasons(small_call)
    assert rows["A"].suggested is False
    assert rows["A"].reason == "Recorded as not selected."
    assert rows["B"].suggested is True
    assert "Over budget" not in rows["B"].reason
    assert rows["C"].suggested is True
    assert rows["C"].running_total == 90 * MILLION


def test_a_recorded_selection_keeps_its_money_before_higher_ranked_proposals(
    small_call, ranked_abc, city_manager
):
    services.selection_decide(
        proposal=ranked_abc["C"],
        decision=Decision.SELECTED,
        reason="지역 균형",
        actor=city_manager,
    )
    rows = _reasons(small_call)
    assert rows["A"].suggested is True  # 40 recorded + 60 = 100
    assert rows["B"].suggested is False
    assert "whole budget (KRW 100,000,000 of KRW 100,000,000)" in rows["B"].reason
    assert rows["C"].reason == "Recorded as selected."


def test_the_stored_over_budget_reason_states_what_was_really_left(
    small_call, ranked_abc, city_manager
):
    services.selection_decide(
        proposal=ranked_abc["B"],
        decision=Decision.NOT_SELECTED,
        reason="사업계획 미흡",
        actor=city_manager,
    )
    services.selection_decide(
        proposal=ranked_abc["C"],
        decision=Decision.SELECTED,
        reason="지역 균형",
        actor=city_manager,
    )
    small_call.total_budget = 90 * MILLION
    small_call.save()
    with translation.override("en"):
        assert (
            services.selection_apply_suggestion(call=small_call, actor=city_manager)
            == 1
        )
    stored = SelectionDecision.objects.get(proposal=ranked_abc["A"])
    assert stored.decision == Decision.NOT_SELECTED
    assert "Over budget by KRW 10,000,000: KRW 50,000,000 was left" in stored.reason


@pytest.fixture
def tied(small_call, orgs, panel, city_manager):
    """P and Q both score 80: P leads on the first criterion; R and S are equal
    on every criterion (R was received first)."""
    return _scored(
        small_call,
        orgs,
        panel[1],
        city_manager,
        [
            ("Q", "SG", 10, [30, 50]),
            ("P", "JG", 10, [35, 45]),
            ("R", "DG", 10, [20, 40]),
            ("S", "MH", 10, [20, 40]),
        ],
    )


def test_a_tie_broken_by_a_criterion_is_shown_as_a_tie_with_that_criterion(
    small_call, tied
):
    with translation.override("en"):
        ranking = {line.proposal.title: line for line in call_ranking(call=small_call)}
        assert (ranking["P"].rank, ranking["Q"].rank) == (1, 2)
        assert ranking["P"].tied_ranks == [2]
        assert "Tied on score with rank 2" in ranking["P"].tie_note
        assert "“Need”" in ranking["P"].tie_note
        assert "Tied on score with rank 1" in ranking["Q"].tie_note
    with translation.override("ko"):
        assert "동점" in ranking["P"].tie_note and "“필요성”" in ranking["P"].tie_note


def test_a_tie_equal_on_every_criterion_says_the_receipt_number_decided(
    small_call, tied
):
    with translation.override("en"):
        ranking = {line.proposal.title: line for line in call_ranking(call=small_call)}
        assert (ranking["R"].rank, ranking["S"].rank) == (3, 4)
        assert "decided by receipt number" in ranking["R"].tie_note
        assert "Tied on score with rank 3" in ranking["S"].tie_note


def test_the_suggestion_reason_of_a_tied_proposal_names_the_tie(small_call, tied):
    rows = _reasons(small_call)
    assert "Tied on score with rank 2" in rows["P"].reason
    assert "decided by receipt number" in rows["S"].reason


def test_an_untied_rank_carries_no_tie_note(small_call, ranked_abc):
    ranking = call_ranking(call=small_call)
    assert [line.tie_note for line in ranking] == ["", "", ""]
    assert "Tied" not in _reasons(small_call)["A"].reason
