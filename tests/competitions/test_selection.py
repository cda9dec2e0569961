"""The suggestion (budget and district limit, with reasons) and the decisions."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from competitions import scoring, services
from competitions.models import Decision, SelectionDecision
from competitions.selectors import selection_suggest

from .conftest import make_call, make_submitted, score_and_submit

MILLION = 1_000_000


def test_the_suggestion_skips_a_large_proposal_to_fit_a_smaller_one_below_it():
    ranked = [
        scoring.Candidate(key="A", district="BP", cost=60),
        scoring.Candidate(key="B", district="SG", cost=50),
        scoring.Candidate(key="C", district="JG", cost=40),
    ]
    suggestion = scoring.suggest(ranked, budget=100)
    assert suggestion.chosen == ["A", "C"]
    skipped = suggestion.lines[1]
    assert skipped.skip_reason == scoring.SkipReason.OVER_BUDGET
    assert skipped.over_by == 10
    assert suggestion.total == 100


def test_the_suggestion_respects_the_district_limit():
    ranked = [
        scoring.Candidate(key="A", district="BP", cost=10),
        scoring.Candidate(key="B", district="BP", cost=10),
        scoring.Candidate(key="C", district="SG", cost=10),
    ]
    suggestion = scoring.suggest(ranked, budget=100, per_district_limit=1)
    assert suggestion.chosen == ["A", "C"]
    assert suggestion.lines[1].skip_reason == scoring.SkipReason.DISTRICT_LIMIT


def test_the_suggestion_leaves_out_proposals_not_fully_reviewed():
    ranked = [scoring.Candidate(key="A", district="BP", cost=10, fully_reviewed=False)]
    suggestion = scoring.suggest(ranked, budget=100)
    assert suggestion.chosen == []
    assert suggestion.lines[0].skip_reason == scoring.SkipReason.NOT_REVIEWED


@pytest.fixture
def small_call(call_index, orgs):
    """Budget 100 million (city share), cap 60 million."""
    return make_call(
        call_index,
        slug="small",
        total_budget=100 * MILLION,
        cap_per_project=60 * MILLION,
    )


@pytest.fixture
def ranked_abc(small_call, orgs, panel, city_manager):
    """A (60M, 90 points), B (50M, 80), C (40M, 70), each scored by one reviewer."""
    for reviewer in panel:
        services.panel_add(call=small_call, reviewer=reviewer, actor=city_manager)
    proposals = {}
    for key, district, cost, scores in [
        ("A", "SG", 60, [35, 55]),
        ("B", "JG", 50, [30, 50]),
        ("C", "DG", 40, [30, 40]),
    ]:
        proposal = make_submitted(
            small_call, orgs[district], title=key, city_share=cost * MILLION
        )
        assignment = services.assignment_create(
            proposal=proposal, reviewer=panel[1], actor=city_manager
        )
        score_and_submit(assignment, scores)
        proposals[key] = proposal
    return proposals


def test_the_suggest_service_explains_the_skipped_proposal(small_call, ranked_abc):
    with translation.override("en"):
        rows = selection_suggest(call=small_call)
    assert [(row.line.proposal.title, row.suggested) for row in rows] == [
        ("A", True),
        ("B", False),
        ("C", True),
    ]
    reason = rows[1].reason
    assert "Over budget by KRW 10,000,000" in reason
    assert "원" not in reason  # one language per message
    assert rows[2].running_total == 100 * MILLION
    with translation.override("ko"):
        korean = selection_suggest(call=small_call)[1].reason
    assert "10,000,000원" in korean
    assert "Over budget" not in korean


def test_the_district_limit_of_the_call_is_applied(
    call_index, orgs, panel, city_manager
):
    call = make_call(call_index, slug="limited", max_selected_per_district=1)
    for reviewer in panel:
        services.panel_add(call=call, reviewer=reviewer, actor=city_manager)
    first = make_submitted(call, orgs["SG"], title="서구 1")
    second = make_submitted(call, orgs["SG"], title="서구 2")
    for proposal, scores in [(first, [40, 50]), (second, [30, 50])]:
        score_and_submit(
            services.assignment_create(
                proposal=proposal, reviewer=panel[1], actor=city_manager
            ),
            scores,
        )
    with translation.override("en"):
        rows = selection_suggest(call=call)
    assert [row.suggested for row in rows] == [True, False]
    assert "district limit (1)" in rows[1].reason


def test_a_decision_needs_a_reason_and_a_city_manager(
    ranked_abc, city_manager, bupyeong_officer
):
    proposal = ranked_abc["B"]
    with pytest.raises(ValidationError):
        services.selection_decide(
            proposal=proposal,
            decision=Decision.NOT_SELECTED,
            reason=" ",
            actor=city_manager,
        )
    with pytest.raises(ValidationError):
        services.selection_decide(
            proposal=proposal,
            decision=Decision.NOT_SELECTED,
            reason="예산 초과",
            actor=bupyeong_officer,
        )
    decision = services.selection_decide(
        proposal=proposal,
        decision=Decision.NOT_SELECTED,
        reason="예산 초과",
        actor=city_manager,
    )
    assert decision.decided_by == city_manager
    changed = services.selection_decide(
        proposal=proposal,
        decision=Decision.SELECTED,
        reason="재검토",
        actor=city_manager,
    )
    assert SelectionDecision.objects.get(pk=changed.pk).decision == Decision.SELECTED


def test_recording_the_suggestion_fills_only_undecided_proposals(
    small_call, ranked_abc, city_manager
):
    services.selection_decide(
        proposal=ranked_abc["A"],
        decision=Decision.NOT_SELECTED,
        reason="현장 실사 결과 부적합",
        actor=city_manager,
    )
    with translation.override("en"):
        assert (
            services.selection_apply_suggestion(call=small_call, actor=city_manager)
            == 2
        )
    decisions = dict(
        SelectionDecision.objects.values_list("proposal__title", "decision")
    )
    # A's recorded rejection frees its 60 million: B (50) and C (40) both fit.
    assert decisions == {
        "A": Decision.NOT_SELECTED,
        "B": Decision.SELECTED,
        "C": Decision.SELECTED,
    }
    assert (
        "fits the budget"
        in SelectionDecision.objects.get(proposal=ranked_abc["B"]).reason
    )
    assert (
        "Over budget"
        not in SelectionDecision.objects.get(proposal=ranked_abc["B"]).reason
    )
