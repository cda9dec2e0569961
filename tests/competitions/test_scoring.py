"""Scoring: a score per criterion within 0..weight, drafts, submitting locks,
and blind review (no other reviewer's scores before one's own is submitted)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import access
from competitions import services
from competitions.models import (
    AssignmentStatus,
    CriterionScore,
    Review,
    ReviewStatus,
)

from .conftest import score_and_submit


@pytest.fixture
def assignments(panel, bupyeong_proposal, city_manager):
    """reviewer-b, -c and -d on the Bupyeong proposal (rubric: Need 40, Jobs 60)."""
    return [
        services.assignment_create(
            proposal=bupyeong_proposal, reviewer=reviewer, actor=city_manager
        )
        for reviewer in panel[1:4]
    ]


def _scores(assignment, need, jobs, comment=""):
    need_c, jobs_c = assignment.proposal.call.rubric_criteria.all()
    return {need_c.pk: (need, comment), jobs_c.pk: (jobs, comment)}


def _declare(assignment):
    services.conflict_declare(
        assignment=assignment, actor=assignment.reviewer, has_conflict=False
    )


def test_scoring_before_declaring_no_conflict_is_refused(assignments):
    assignment = assignments[0]
    with pytest.raises(ValidationError) as refused:
        services.review_save_draft(
            assignment=assignment,
            actor=assignment.reviewer,
            scores=_scores(assignment, 30, 40),
        )
    assert refused.value.error_dict["assignment"][0].code == "declare_first"
    assert not Review.objects.exists()


@pytest.mark.parametrize("need", ["41", "-1", "30.25", "abc"])
def test_a_score_outside_zero_to_weight_or_finer_than_a_tenth_is_refused(
    assignments, need
):
    assignment = assignments[0]
    _declare(assignment)
    with pytest.raises(ValidationError) as refused:
        services.review_save_draft(
            assignment=assignment,
            actor=assignment.reviewer,
            scores=_scores(assignment, need, 50),
        )
    assert list(refused.value.message_dict) == [
        f"score_{assignment.proposal.call.rubric_criteria.first().pk}"
    ]


def test_half_points_are_accepted_and_the_total_is_their_sum(assignments):
    assignment = assignments[0]
    _declare(assignment)
    review = services.review_save_draft(
        assignment=assignment,
        actor=assignment.reviewer,
        scores=_scores(assignment, "32.5", "48"),
        overall_comment="양호",
    )
    assert review.status == ReviewStatus.DRAFT
    assert review.total == Decimal("80.5")


def test_a_draft_may_be_partial_but_submitting_needs_every_criterion(assignments):
    assignment = assignments[0]
    _declare(assignment)
    services.review_save_draft(
        assignment=assignment,
        actor=assignment.reviewer,
        scores=_scores(assignment, 30, None),
    )
    with pytest.raises(ValidationError) as refused:
        services.review_submit(assignment=assignment, actor=assignment.reviewer)
    assert {
        error.code for errors in refused.value.error_dict.values() for error in errors
    } == {"score_missing"}
    assert Review.objects.get().status == ReviewStatus.DRAFT


def test_a_submitted_review_is_locked(assignments):
    assignment = assignments[0]
    score_and_submit(assignment, [30, 50])
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED
    with pytest.raises(ValidationError):
        services.review_save_draft(
            assignment=assignment,
            actor=assignment.reviewer,
            scores=_scores(assignment, 40, 60),
        )
    assert sorted(CriterionScore.objects.values_list("score", flat=True)) == [30, 50]
    assert not access.can_change(assignment.reviewer, Review.objects.get())


def test_only_the_assigned_reviewer_scores(assignments):
    assignment = assignments[0]
    _declare(assignment)
    with pytest.raises(ValidationError):
        services.review_save_draft(
            assignment=assignment,
            actor=assignments[1].reviewer,
            scores=_scores(assignment, 30, 40),
        )


# --- blind review -------------------------------------------------------------------


def test_a_reviewer_sees_no_other_review_before_submitting_their_own(assignments):
    first, second, _third = assignments
    score_and_submit(first, [35, 55])
    _declare(second)
    services.review_save_draft(
        assignment=second, actor=second.reviewer, scores=_scores(second, 20, 30)
    )
    assert list(access.visible_to(second.reviewer, Review)) == [second.review]
    assert (
        not access.visible_to(second.reviewer, CriterionScore)
        .filter(review__assignment=first)
        .exists()
    )


def test_after_submitting_others_stay_hidden_unless_the_call_allows(assignments, call):
    first, second, _third = assignments
    score_and_submit(first, [35, 55])
    score_and_submit(second, [20, 30])
    assert set(access.visible_to(second.reviewer, Review)) == {second.review}

    call.reviewers_see_others_after_submit = True
    call.save()
    assert set(access.visible_to(second.reviewer, Review)) == {
        first.review,
        second.review,
    }


def test_a_reviewer_cannot_reach_another_reviewers_scores_through_any_url(
    client, assignments, call
):
    call.reviewers_see_others_after_submit = True
    call.save()
    first, second, _third = assignments
    score_and_submit(first, [35, 55])
    first.review.overall_comment = "첫번째 심사위원의 비밀 의견"
    first.review.save()
    client.force_login(second.reviewer)

    urls = [
        reverse("review_assignment", args=[first.pk]),
        reverse("review_ranking", args=[call.pk]),
        reverse("review_panel", args=[call.pk]),
        reverse("review_score_sheet", args=[call.pk]),
        reverse("review_calls"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
    for url in [
        reverse("review_my_assignments"),
        reverse("review_assignment", args=[second.pk]),
    ]:
        page = client.get(url).content.decode()
        assert "첫번째 심사위원의 비밀 의견" not in page
        assert "data-other-reviews" not in page


def test_after_submitting_the_reviewer_sees_the_others_when_the_call_allows(
    client, assignments, call
):
    call.reviewers_see_others_after_submit = True
    call.save()
    first, second, _third = assignments
    score_and_submit(first, [35, 55])
    score_and_submit(second, [20, 30])
    client.force_login(second.reviewer)
    page = client.get(reverse("review_assignment", args=[second.pk])).content.decode()
    assert "data-other-reviews" in page
    assert "90.0 / 100" in page
    assert "reviewer-b" not in page.split("data-other-reviews")[1]


def test_the_reviewer_declares_and_scores_through_the_screens(client, assignments):
    assignment = assignments[0]
    client.force_login(assignment.reviewer)
    listing = client.get(reverse("review_my_assignments")).content.decode()
    assert reverse("review_assignment", args=[assignment.pk]) in listing

    page = client.get(
        reverse("review_assignment", args=[assignment.pk])
    ).content.decode()
    assert "data-conflict-form" in page and "data-score-form" not in page
    client.post(reverse("review_declare", args=[assignment.pk]), {"has_conflict": "no"})

    page = client.get(
        reverse("review_assignment", args=[assignment.pk])
    ).content.decode()
    assert "data-score-form" in page and "data-running-total" in page
    need, jobs = assignment.proposal.call.rubric_criteria.all()
    data = {
        f"score_{need.pk}": "33.5",
        f"comment_{need.pk}": "필요성 높음",
        f"score_{jobs.pk}": "70",
        f"comment_{jobs.pk}": "",
        "overall_comment": "좋음",
        "action-submit": "1",
    }
    response = client.post(reverse("review_assignment", args=[assignment.pk]), data)
    assert response.status_code == 200  # 70 is above the weight of 60: shown again
    assert not Review.objects.filter(status=ReviewStatus.SUBMITTED).exists()

    data[f"score_{jobs.pk}"] = "50"
    response = client.post(reverse("review_assignment", args=[assignment.pk]), data)
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.status == ReviewStatus.SUBMITTED and review.total == Decimal("83.5")
    page = client.get(
        reverse("review_assignment", args=[assignment.pk])
    ).content.decode()
    assert "data-own-review" in page and "83.5" in page
