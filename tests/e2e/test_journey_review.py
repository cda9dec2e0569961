"""Journey 2: a reviewer signs the call's pledges, declares no conflict,
scores and submits; the city manager draws a panel from the reviewer pool for
the open call, then ranks, selects with the suggestion and publishes
(re-entering the password and code); the public results page shows the
selected projects.

The demo's 2020 call is in review. A proposal can be suggested only once it is
fully reviewed, so the reviewer scores the one proposal that waits only for
them: their review is what makes it selectable."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse

from accounts.models import User
from competitions.models import (
    AssignmentStatus,
    CallPage,
    Decision,
    ReviewAssignment,
    ReviewerDraw,
    ReviewerPledge,
    SelectionDecision,
)
from competitions.selectors import call_ranking
from competitions.services.draw import draw_recompute

from .browser import path_of, reauthenticate_if_asked, submit

REVIEWER = "reviewer2"


def _the_assignment_that_completes_a_proposal(call) -> ReviewAssignment:
    """The reviewer's undeclared assignment whose proposal every other reviewer
    has already scored."""
    for line in call_ranking(call=call):
        if line.reviews_assigned - line.reviews_done != 1:
            continue
        outstanding = ReviewAssignment.objects.filter(
            proposal=line.proposal,
            reviewer__username=REVIEWER,
            status=AssignmentStatus.ASSIGNED,
        ).first()
        if outstanding is not None:
            return outstanding
    raise AssertionError(f"the demo has no proposal waiting only for {REVIEWER}")


def _half_points(share: float, weight: int) -> Decimal:
    return (Decimal(str(share)) * weight * 2).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    ) / 2


@pytest.mark.journey("2-review-and-selection", screen_set=True)
def test_review_ranking_selection_and_publication_reach_the_public_results_page(
    journey,
):
    call = CallPage.objects.get(year=2020)
    assignment = _the_assignment_that_completes_a_proposal(call)
    proposal = assignment.proposal
    ranked_before = {line.proposal.pk: line for line in call_ranking(call=call)}
    assert not ranked_before[proposal.pk].fully_reviewed

    # --- the reviewer -------------------------------------------------------------
    reviewer = journey.person()
    assert journey.sign_in(reviewer, REVIEWER), "a reviewer signs in with a code"
    reviewer.goto(reverse("review_my_assignments"))
    journey.shot(reviewer, "my-assignments", guide="reviewer-assignments")
    # The pledges first: until they are signed no proposal of the call is listed.
    assert reviewer.locator(f"tr[data-assignment='{assignment.pk}']").count() == 0
    reviewer.locator(f"[data-pledge-link='{call.pk}']").click()
    reviewer.wait_for_load_state()
    reviewer.locator("[data-pledge-form] input[name=confidentiality]").check()
    reviewer.locator("[data-pledge-form] input[name=conflict]").check()
    journey.shot(reviewer, "pledges")
    submit(reviewer, "[data-pledge-form] button[type=submit]")
    assert ReviewerPledge.objects.filter(
        call=call, reviewer__username=REVIEWER
    ).exists()
    reviewer.locator(f"tr[data-assignment='{assignment.pk}'] a").click()
    reviewer.wait_for_load_state()
    assert reviewer.locator("[data-score-form]").count() == 0, (
        "no scoring before the declaration"
    )
    journey.shot(reviewer, "conflict-declaration", guide="reviewer-conflict")
    reviewer.locator("[data-conflict-form] input[name=has_conflict][value=no]").check()
    submit(reviewer, "[data-conflict-form] button[type=submit]")
    assert reviewer.locator("[data-assignment-status]").get_attribute(
        "data-assignment-status"
    ) == (AssignmentStatus.NO_CONFLICT)

    criteria = list(call.rubric_criteria.all())
    scores = [_half_points(0.8, criterion.weight) for criterion in criteria]
    for criterion, score in zip(criteria, scores, strict=True):
        reviewer.locator(f"#id_score_{criterion.pk}").fill(str(score))
    reviewer.locator("#id_overall_comment").fill("대상과 성과 지표가 구체적입니다.")
    # The running total adds up as the reviewer types (the page's own script).
    assert Decimal(reviewer.locator("[data-running-total]").inner_text()) == sum(scores)
    journey.shot(reviewer, "score-form", reloadable=False)
    submit(reviewer, "[data-score-form] button[name=action-submit]")
    assert reviewer.locator("[data-own-review]").is_visible()
    # Blind until now: the other reviews appear once one's own is in.
    assert reviewer.locator("[data-other-reviews]").is_visible()
    journey.shot(reviewer, "review-submitted", guide="reviewer-submitted")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED

    # --- the city manager ---------------------------------------------------------
    ranked = {line.proposal.pk: line for line in call_ranking(call=call)}
    assert ranked[proposal.pk].fully_reviewed
    city = journey.person()
    assert journey.sign_in(city, "city"), "a city manager signs in with a code"
    # The open 2027 call's panel, drawn from the pool: never a member tied to an
    # eligible district (reviewer2: Bupyeong-gu, reviewer4: Seo-gu).
    call_2027 = CallPage.objects.get(year=2027)
    city.goto(reverse("review_draw", args=[call_2027.pk]))
    city.locator("[data-draw-form] input[name=requested]").fill("2")
    submit(city, "[data-draw-form] button[type=submit]")
    draw = ReviewerDraw.objects.filter(call=call_2027).latest("drawn_at", "pk")
    drawn = set(
        User.objects.filter(pk__in=draw.drawn).values_list("username", flat=True)
    )
    assert len(drawn) == 2 and not drawn & {"reviewer2", "reviewer4"}, drawn
    assert draw_recompute(draw) == draw.drawn
    assert (
        city.locator(f"[data-draw='{draw.pk}'] [data-verifies]").get_attribute(
            "data-verifies"
        )
        == "yes"
    )
    journey.shot(city, "reviewer-draw")
    ranking_url = reverse("review_ranking", args=[call.pk])
    city.goto(ranking_url)
    journey.shot(city, "ranking", guide="city-ranking")
    city.locator("[data-suggest]").click()
    city.wait_for_load_state()
    row = city.locator(f"tr[data-proposal='{proposal.pk}'] [data-suggested]")
    assert row.get_attribute("data-suggested") == "yes", row.inner_text()
    journey.shot(city, "suggestion")
    submit(city, "form:has(input[name=action][value=apply_suggestion]) button")
    decisions = SelectionDecision.objects.filter(proposal__call=call)
    assert decisions.count() == len(ranked)
    selected = {
        d.proposal.title
        for d in decisions.select_related("proposal")
        if d.decision == Decision.SELECTED
    }
    not_selected = {
        d.proposal.title
        for d in decisions.select_related("proposal")
        if d.decision != Decision.SELECTED
    }
    assert proposal.title in selected
    assert selected == {
        line.proposal.title for line in ranked.values() if line.fully_reviewed
    }
    journey.shot(city, "decisions-recorded", guide="city-decisions")
    # The selection result with its reasons, on paper (the ranking's print button).
    printed = city.locator("[data-print-document=selection]")
    pdf = city.request.get(printed.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # Publishing asks for the password and the code again, then the button once more.
    submit(city, "[data-publish]")
    assert path_of(city) == reverse("accounts_reauth"), (
        "publishing needs re-authentication"
    )
    assert not CallPage.objects.get(pk=call.pk).is_results_published
    journey.shot(city, "reauthentication", reloadable=False)
    assert reauthenticate_if_asked(city, "city")
    assert path_of(city) == ranking_url
    submit(city, "[data-publish]")
    assert CallPage.objects.get(pk=call.pk).is_results_published
    journey.shot(city, "published")

    # --- the public -----------------------------------------------------------------
    public = journey.person()
    public.goto(call.url)
    public.locator("[data-results-link]").click()
    public.wait_for_load_state()
    shown = public.locator("table[data-results] tbody").inner_text()
    for title in selected:
        assert title in shown
    for title in not_selected:
        assert title not in shown
    journey.shot(public, "public-results")
