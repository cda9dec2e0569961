"""Partial funding: where the call allows it, the city selects a proposal at a
reduced city share with a reason. The reduced amount is what counts against
the budget everywhere (greedy suggestion, best set, budget summary, results
page); the project starts from the proposal's plan scaled to it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from competitions import services
from competitions.models import CallResultsPage, Decision, SelectionDecision
from competitions.selectors import (
    call_ranking,
    selected_city_share_total,
    selection_optimal,
    selection_suggest,
)
from projects.models import Project
from projects.services import plan_data_scaled, scale_amounts, scale_target

from .conftest import make_call, make_submitted, score_and_submit

MILLION = 1_000_000


# --- the arithmetic of scaling ----------------------------------------------------


@pytest.mark.parametrize(
    ("amounts", "total", "expected"),
    [
        ([90, 10], 50, [45, 5]),
        # 10 / 3: each line 3, the won left over on the largest (the first of equals)
        ([1, 1, 1], 10, [4, 3, 3]),
        ([7, 0], 3, [3, 0]),
        ([50_000_000, 30_000_000, 20_000_000], 77_777_777, None),
        ([100_000_001, 50_000_000, 49_999_999], 123_456_789, None),
        ([1, 2, 3, 4, 5, 6, 7], 19, None),
        ([110_000_000, 10_000_000], 90_000_001, None),
        ([0, 0], 5, [0, 0]),
        ([], 0, []),
    ],
)
def test_scaled_budget_lines_add_up_exactly_with_the_remainder_on_the_largest(
    amounts, total, expected
):
    scaled = scale_amounts(amounts, total)
    if expected is not None:
        assert scaled == expected
    if amounts and sum(amounts):
        assert sum(scaled) == total
        floors = [amount * total // sum(amounts) for amount in amounts]
        largest = amounts.index(max(amounts))
        for index, (line, floor) in enumerate(zip(scaled, floors, strict=True)):
            if index == largest:
                assert floor <= line < floor + len(amounts)
            else:
                assert line == floor


@pytest.mark.parametrize(
    ("target", "funded", "requested", "expected"),
    [
        (27, 45, 60, 20),  # 20.25 rounded down
        (960, 2, 3, 640),
        (3, 1, 10, 1),  # 0.3 would be 0: never below 1 where it was 1 or more
        (1, 1, 60, 1),
        (0, 1, 2, 0),  # a zero target stays zero
        (2136, 59_999_999, 60_000_000, 2135),
    ],
)
def test_targets_are_rounded_down_and_never_below_one(
    target, funded, requested, expected
):
    assert scale_target(target, funded=funded, requested=requested) == expected


def test_a_scaled_plan_keeps_the_ratio_and_its_lines_equal_the_shares():
    data = {
        "period_start": "2019-01-01",
        "period_end": "2019-12-01",
        "city_share": 60_000_000,
        "district_share": 60_000_000,
        "target_groups": [{"code": "women", "planned_jobs": 27}],
        "outputs": [{"code": "households", "target": 961}],
        "budget_lines": [
            {"code": "personnel", "amount": 110_000_000},
            {"code": "operations", "amount": 10_000_000},
        ],
    }
    scaled = plan_data_scaled(data, funded_city_share=45_000_001)
    assert scaled["city_share"] == 45_000_001
    assert scaled["district_share"] == 45_000_001  # 50:50 kept
    lines = [row["amount"] for row in scaled["budget_lines"]]
    assert sum(lines) == 90_000_002
    assert lines == [82_500_002, 7_500_000]
    assert scaled["target_groups"][0]["planned_jobs"] == 20
    assert scaled["outputs"][0]["target"] == 720


# --- the decision -----------------------------------------------------------------


@pytest.fixture
def partial_call(call_index, orgs):
    """Budget 100 million, cap 60 million; partial funding at 60 % at least."""
    return make_call(
        call_index,
        slug="partial",
        total_budget=100 * MILLION,
        cap_per_project=60 * MILLION,
        partial_funding_allowed=True,
        partial_funding_min_percent=60,
    )


def _ranked(call, orgs, panel, city_manager, rows):
    reviewer = panel[1]
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
def abc(partial_call, orgs, panel, city_manager):
    """A (60M, 90 points), B (50M, 80), C (40M, 70)."""
    return _ranked(
        partial_call,
        orgs,
        panel,
        city_manager,
        [
            ("A", "SG", 60, [35, 55]),
            ("B", "JG", 50, [30, 50]),
            ("C", "DG", 40, [30, 40]),
        ],
    )


def _reduce(proposal, amount, actor, reason="예산 범위 내 감액"):
    return services.selection_decide(
        proposal=proposal,
        decision=Decision.SELECTED,
        reason="1위",
        actor=actor,
        funded_amount=amount,
        reduction_reason=reason,
    )


def _code(refused, field="funded_amount"):
    return refused.value.error_dict[field][0].code


def test_a_proposal_is_selected_at_a_reduced_amount_with_its_reason(
    partial_call, abc, city_manager
):
    decision = _reduce(abc["A"], 50 * MILLION, city_manager)
    decision.refresh_from_db()
    assert decision.funded_amount == 50 * MILLION
    assert decision.reduction_reason == "예산 범위 내 감액"
    assert decision.is_reduced and decision.counted_amount == 50 * MILLION
    # Deciding again without an amount funds the request in full.
    services.selection_decide(
        proposal=abc["A"], decision=Decision.SELECTED, reason="1위", actor=city_manager
    )
    decision.refresh_from_db()
    assert decision.funded_amount is None and decision.counted_amount == 60 * MILLION


def test_a_call_that_does_not_allow_partial_funding_refuses_a_reduced_amount(
    partial_call, abc, city_manager
):
    partial_call.partial_funding_allowed = False
    partial_call.partial_funding_min_percent = None
    partial_call.save()
    with pytest.raises(ValidationError) as refused:
        _reduce(abc["A"], 50 * MILLION, city_manager)
    assert _code(refused) == "partial_funding_not_allowed"
    assert not SelectionDecision.objects.exists()


@translation.override("en")
def test_an_amount_below_the_minimum_share_is_refused_naming_the_share(
    partial_call, abc, city_manager
):
    with pytest.raises(ValidationError) as refused:
        _reduce(abc["A"], 35_999_999, city_manager)
    assert _code(refused) == "funded_amount_below_minimum_share"
    message = refused.value.error_dict["funded_amount"][0].message
    assert "60%" in message and "36,000,000" in message
    assert not SelectionDecision.objects.exists()
    # Exactly the minimum share is accepted.
    assert _reduce(abc["A"], 36 * MILLION, city_manager).funded_amount == 36 * MILLION


@pytest.mark.parametrize("amount", [0, -1, 60 * MILLION, 70 * MILLION])
def test_a_reduced_amount_is_above_zero_and_below_the_request(
    partial_call, abc, city_manager, amount
):
    with pytest.raises(ValidationError) as refused:
        _reduce(abc["A"], amount, city_manager)
    assert _code(refused) == "funded_amount_out_of_range"


def test_a_reduced_amount_needs_a_reason_and_a_selection(
    partial_call, abc, city_manager
):
    with pytest.raises(ValidationError) as refused:
        _reduce(abc["A"], 50 * MILLION, city_manager, reason="  ")
    assert _code(refused, "reduction_reason") == "reduction_reason_required"
    with pytest.raises(ValidationError) as refused:
        services.selection_decide(
            proposal=abc["A"],
            decision=Decision.NOT_SELECTED,
            reason="하위",
            actor=city_manager,
            funded_amount=50 * MILLION,
            reduction_reason="감액",
        )
    assert _code(refused) == "reduced_only_when_selected"
    assert not SelectionDecision.objects.exists()


@pytest.mark.parametrize(
    ("percent", "code"),
    [(0, "minimum_share_out_of_range"), (100, "minimum_share_out_of_range")],
)
def test_the_minimum_share_is_a_percentage_from_1_to_99(partial_call, percent, code):
    partial_call.partial_funding_min_percent = percent
    with pytest.raises(ValidationError) as refused:
        partial_call.clean()
    assert refused.value.error_dict["partial_funding_min_percent"][0].code == code


def test_a_minimum_share_without_partial_funding_is_refused(partial_call):
    partial_call.partial_funding_allowed = False
    with pytest.raises(ValidationError) as refused:
        partial_call.clean()
    errors = refused.value.error_dict["partial_funding_min_percent"]
    assert errors[0].code == "minimum_without_partial_funding"


# --- the reduced amount counts everywhere -----------------------------------------


def test_the_greedy_suggestion_counts_the_reduced_amount(
    partial_call, abc, city_manager
):
    # At its request A (60M) leaves 40M: B (50M) does not fit, C (40M) does.
    services.selection_decide(
        proposal=abc["A"], decision=Decision.SELECTED, reason="1위", actor=city_manager
    )
    rows = {r.line.proposal.title: r for r in selection_suggest(call=partial_call)}
    assert (rows["B"].suggested, rows["C"].suggested) == (False, True)
    # Reduced to 50M, A leaves 50M: B fits and is taken, C no longer fits.
    _reduce(abc["A"], 50 * MILLION, city_manager)
    rows = {r.line.proposal.title: r for r in selection_suggest(call=partial_call)}
    assert (rows["B"].suggested, rows["C"].suggested) == (True, False)
    assert rows["B"].running_total == 100 * MILLION
    assert selected_city_share_total(call=partial_call) == 50 * MILLION
    ranking = {line.proposal.title: line for line in call_ranking(call=partial_call)}
    assert ranking["A"].selected_running_total == 50 * MILLION


@pytest.fixture
def three(partial_call, orgs, panel, city_manager):
    """A (60M, 90 points), B (50M, 80), C (50M, 70)."""
    return _ranked(
        partial_call,
        orgs,
        panel,
        city_manager,
        [
            ("A", "SG", 60, [35, 55]),
            ("B", "JG", 50, [30, 50]),
            ("C", "DG", 50, [30, 40]),
        ],
    )


def test_the_best_set_counts_the_reduced_amount(partial_call, three, city_manager):
    # At its request, A recorded leaves 40M: neither B nor C fits.
    services.selection_decide(
        proposal=three["A"],
        decision=Decision.SELECTED,
        reason="1위",
        actor=city_manager,
    )
    comparison = selection_optimal(call=partial_call)
    chosen = {row.line.proposal.title for row in comparison.rows if row.chosen}
    assert chosen == {"A"}
    # Reduced to 50M, A leaves 50M: the better of B and C comes in.
    _reduce(three["A"], 50 * MILLION, city_manager)
    comparison = selection_optimal(call=partial_call)
    chosen = {row.line.proposal.title for row in comparison.rows if row.chosen}
    assert chosen == {"A", "B"}
    assert comparison.optimal.city_share == 100 * MILLION
    assert comparison.optimal.score == Decimal(170)


def test_publishing_accepts_a_selection_that_fits_only_at_the_reduced_amount(
    partial_call, abc, city_manager
):
    services.selection_decide(
        proposal=abc["A"], decision=Decision.SELECTED, reason="1위", actor=city_manager
    )
    services.selection_decide(
        proposal=abc["B"], decision=Decision.SELECTED, reason="2위", actor=city_manager
    )
    services.selection_decide(
        proposal=abc["C"],
        decision=Decision.NOT_SELECTED,
        reason="예산 초과",
        actor=city_manager,
    )
    codes = [e.code for e in services.publication_errors(call=partial_call)]
    assert "over_budget" in codes  # 60M + 50M > 100M
    _reduce(abc["A"], 50 * MILLION, city_manager)
    codes = [e.code for e in services.publication_errors(call=partial_call)]
    assert "over_budget" not in codes


def test_the_results_page_and_the_project_carry_the_funded_amount(
    client, partial_call, abc, city_manager
):
    _reduce(abc["A"], 45 * MILLION, city_manager)
    services.selection_decide(
        proposal=abc["B"], decision=Decision.SELECTED, reason="2위", actor=city_manager
    )
    services.selection_decide(
        proposal=abc["C"],
        decision=Decision.NOT_SELECTED,
        reason="예산 초과",
        actor=city_manager,
    )
    page = services.results_publish(call=partial_call, actor=city_manager)
    entries = {e.title: (e.city_share, e.reduced) for e in page.entries.all()}
    assert entries == {"A": (45 * MILLION, True), "B": (50 * MILLION, False)}

    html = client.get(
        CallResultsPage.objects.get().url, HTTP_ACCEPT_LANGUAGE="ko"
    ).content.decode()
    assert "45,000,000" in html and "60,000,000" not in html
    assert html.count("data-reduced") == 1

    plan = Project.objects.get(source_proposal=abc["A"]).current_plan
    # Requested 60M + 60M, lines 110M + 10M, 27 jobs, 960 households; funded 45M.
    assert (plan.city_share, plan.district_share) == (45 * MILLION, 45 * MILLION)
    lines = {line.code: line.amount for line in plan.budget_lines.all()}
    assert lines == {"personnel": 82_500_000, "operations": 7_500_000}
    assert sum(lines.values()) == plan.city_share + plan.district_share
    assert plan.target_groups.get().planned_jobs == 20  # 27 × 0.75 = 20.25
    assert plan.outputs.get().target == 720
    untouched = Project.objects.get(source_proposal=abc["B"]).current_plan
    assert untouched.city_share == 50 * MILLION


def test_the_city_selects_at_a_reduced_amount_from_the_ranking_screen(
    client, partial_call, abc, city_manager
):
    client.force_login(city_manager)
    url = reverse("review_ranking", args=[partial_call.pk])
    page = client.get(url).content.decode()
    assert 'name="funded_amount"' in page and "data-partial-funding" in page
    response = client.post(
        url,
        {
            "action": "decide",
            "proposal": abc["A"].pk,
            "decision": Decision.SELECTED,
            "reason": "1위",
            "funded_amount": "45,000,000원",
            "reduction_reason": "예산 범위 내 감액",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert SelectionDecision.objects.get().funded_amount == 45 * MILLION
    assert 'data-funded="45000000"' in response.content.decode()


def test_the_ranking_screen_refuses_an_amount_that_is_not_whole_won(
    client, partial_call, abc, city_manager
):
    client.force_login(city_manager)
    response = client.post(
        reverse("review_ranking", args=[partial_call.pk]),
        {
            "action": "decide",
            "proposal": abc["A"].pk,
            "decision": Decision.SELECTED,
            "reason": "1위",
            "funded_amount": "45.5백만",
            "reduction_reason": "감액",
        },
        follow=True,
    )
    assert not SelectionDecision.objects.exists()
    # The admin speaks the officer's language (Korean here), one language only.
    assert "원 단위 숫자만 입력" in response.content.decode()


def test_a_refused_reduced_selection_shows_again_what_the_city_typed(
    client, partial_call, abc, city_manager
):
    """Below the call's minimum share (60 % of 60 million): refused, nothing
    saved, and the reason, the amount and its reason are on the form again."""
    client.force_login(city_manager)
    response = client.post(
        reverse("review_ranking", args=[partial_call.pk]),
        {
            "action": "decide",
            "proposal": abc["A"].pk,
            "decision": Decision.SELECTED,
            "reason": "점수 1위, 예산 조정 필요",
            "funded_amount": "30,000,000",
            "reduction_reason": "중복 인건비 제외",
        },
    )
    assert response.status_code == 400
    assert not SelectionDecision.objects.exists()
    page = response.content.decode()
    assert "점수 1위, 예산 조정 필요</textarea>" in page
    assert 'value="30,000,000"' in page
    assert "중복 인건비 제외</textarea>" in page
    # Only the proposal the city was deciding carries the typed words.
    assert page.count("점수 1위, 예산 조정 필요") == 1


def test_a_call_without_partial_funding_shows_no_reduced_amount_field(
    client, call, city_manager
):
    client.force_login(city_manager)
    page = client.get(reverse("review_ranking", args=[call.pk])).content.decode()
    assert 'name="funded_amount"' not in page
