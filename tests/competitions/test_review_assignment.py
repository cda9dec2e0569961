"""Reviewers and assignment: the panel, ties, auto-assign and conflict declarations."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts import access
from competitions import services
from competitions.models import (
    AssignmentStatus,
    ConflictDeclaration,
    Proposal,
    ProposalStatus,
    ReviewAssignment,
)
from competitions.selectors import conflicts_to_reassign

from .conftest import AFTER_DEADLINE, BEFORE_DEADLINE, make_reviewer, make_submitted


def test_a_reviewer_from_the_proposing_district_cannot_be_assigned(
    panel, bupyeong_proposal, city_manager
):
    bupyeong_employee = panel[0]
    with pytest.raises(ValidationError) as refused:
        services.assignment_create(
            proposal=bupyeong_proposal, reviewer=bupyeong_employee, actor=city_manager
        )
    message = refused.value.message_dict["reviewer"][0]
    assert (
        "부평구" in message and "Bupyeong-gu" not in message
    )  # the reader's language only
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.assignment_create(
            proposal=bupyeong_proposal, reviewer=bupyeong_employee, actor=city_manager
        )
    assert "belongs to Bupyeong-gu" in refused.value.message_dict["reviewer"][0]
    assert not ReviewAssignment.objects.exists()


def test_a_reviewer_with_a_declared_tie_cannot_be_assigned(
    panel, seogu_proposal, city_manager, orgs
):
    reviewer = panel[1]
    services.tie_declare(
        reviewer=reviewer,
        organisation=orgs["SG"],
        actor=reviewer,
        note="서구 일자리위원회 위원",
    )
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.assignment_create(
            proposal=seogu_proposal, reviewer=reviewer, actor=city_manager
        )
    assert "declared a tie with Seo-gu" in refused.value.message_dict["reviewer"][0]
    assert not ReviewAssignment.objects.exists()


def test_a_reviewer_off_the_panel_cannot_be_assigned(
    orgs, bupyeong_proposal, city_manager
):
    outsider = make_reviewer(orgs, "not-on-panel")
    with pytest.raises(ValidationError):
        services.assignment_create(
            proposal=bupyeong_proposal, reviewer=outsider, actor=city_manager
        )


def test_assigning_before_the_deadline_is_refused(
    panel, bupyeong_proposal, city_manager
):
    with pytest.raises(ValidationError) as refused:
        services.assignment_create(
            proposal=bupyeong_proposal,
            reviewer=panel[1],
            actor=city_manager,
            now=BEFORE_DEADLINE,
        )
    [error] = refused.value.error_dict["call"]
    assert error.code == "before_deadline"
    assert "마감 전에는" in error.message  # the reader's language only


def test_only_a_city_manager_assigns(panel, bupyeong_proposal, bupyeong_officer):
    with pytest.raises(ValidationError):
        services.assignment_create(
            proposal=bupyeong_proposal, reviewer=panel[1], actor=bupyeong_officer
        )


def test_the_first_assignment_starts_the_review_of_the_proposal(
    panel, bupyeong_proposal, city_manager
):
    services.assignment_create(
        proposal=bupyeong_proposal, reviewer=panel[1], actor=city_manager
    )
    bupyeong_proposal.refresh_from_db()
    assert bupyeong_proposal.status == ProposalStatus.UNDER_REVIEW
    assert bupyeong_proposal.transitions.last().to_status == ProposalStatus.UNDER_REVIEW


def test_auto_assign_gives_n_reviewers_balances_the_load_and_skips_tied_reviewers(
    panel, call, orgs, city_manager, bupyeong_proposal, seogu_proposal
):
    jung_gu = make_submitted(call, orgs["JG"], title="중구 해설사")
    tied_to_seogu = panel[1]
    services.tie_declare(
        reviewer=tied_to_seogu, organisation=orgs["SG"], actor=city_manager
    )

    result = services.assignments_auto(call=call, actor=city_manager)

    assert result.shortfalls == []
    for proposal in (bupyeong_proposal, seogu_proposal, jung_gu):
        reviewers = set(
            ReviewAssignment.objects.filter(proposal=proposal).values_list(
                "reviewer__username", flat=True
            )
        )
        assert len(reviewers) == call.reviewers_per_proposal == 3
    assert not ReviewAssignment.objects.filter(
        proposal=bupyeong_proposal, reviewer=panel[0]
    ).exists()
    assert not ReviewAssignment.objects.filter(
        proposal=seogu_proposal, reviewer=tied_to_seogu
    ).exists()
    loads = [
        ReviewAssignment.objects.filter(reviewer=reviewer).count() for reviewer in panel
    ]
    assert sum(loads) == 9
    assert max(loads) - min(loads) <= 1


def test_auto_assign_says_why_a_proposal_gets_fewer_reviewers_than_asked(
    panel, call, city_manager, bupyeong_proposal
):
    call.reviewers_per_proposal = 5
    call.save()
    result = services.assignments_auto(call=call, actor=city_manager)
    assert ReviewAssignment.objects.filter(proposal=bupyeong_proposal).count() == 4
    assert len(result.shortfalls) == 1
    # In the city manager's language only (Korean here).
    assert "심사위원 4/5명" in result.shortfalls[0]
    assert "부평구" in result.shortfalls[0]
    assert "reviewers" not in result.shortfalls[0]


def test_auto_assign_twice_adds_nothing(panel, call, city_manager, bupyeong_proposal):
    services.assignments_auto(call=call, actor=city_manager)
    again = services.assignments_auto(call=call, actor=city_manager)
    assert again.created == []
    assert ReviewAssignment.objects.count() == 3


def test_a_declared_conflict_removes_the_assignment_is_recorded_and_tells_the_city(
    panel, bupyeong_proposal, city_manager, django_capture_on_commit_callbacks
):
    reviewer = panel[1]
    assignment = services.assignment_create(
        proposal=bupyeong_proposal, reviewer=reviewer, actor=city_manager
    )
    assert access.can_view(reviewer, bupyeong_proposal)

    with django_capture_on_commit_callbacks(execute=True):
        services.conflict_declare(
            assignment=assignment,
            actor=reviewer,
            has_conflict=True,
            note="수행기관 자문위원으로 활동 중",
        )

    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.CONFLICT
    declaration = ConflictDeclaration.objects.get()
    assert declaration.has_conflict and declaration.reviewer == reviewer
    assert declaration.note == "수행기관 자문위원으로 활동 중"
    assert not access.can_view(reviewer, bupyeong_proposal)
    assert conflicts_to_reassign() == [declaration]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [city_manager.email]
    assert (
        "다른 심사위원을 배정해 주세요" in mail.outbox[0].body
    )  # the manager's language
    assert "Please assign another reviewer" not in mail.outbox[0].body
    with pytest.raises(ValidationError):
        services.assignment_create(
            proposal=bupyeong_proposal, reviewer=reviewer, actor=city_manager
        )


def test_a_conflict_reassigned_leaves_the_to_do_list(
    panel, bupyeong_proposal, city_manager, call
):
    call.reviewers_per_proposal = 1
    call.save()
    assignment = services.assignment_create(
        proposal=bupyeong_proposal, reviewer=panel[1], actor=city_manager
    )
    services.conflict_declare(
        assignment=assignment,
        actor=panel[1],
        has_conflict=True,
        note="가족",
        notify=False,
    )
    services.assignment_create(
        proposal=bupyeong_proposal, reviewer=panel[2], actor=city_manager
    )
    assert conflicts_to_reassign() == []


def test_a_conflict_needs_a_description(panel, bupyeong_proposal, city_manager):
    assignment = services.assignment_create(
        proposal=bupyeong_proposal, reviewer=panel[1], actor=city_manager
    )
    with pytest.raises(ValidationError):
        services.conflict_declare(
            assignment=assignment, actor=panel[1], has_conflict=True, note=" "
        )
    assert not ConflictDeclaration.objects.exists()


def test_only_the_assigned_reviewer_declares(panel, bupyeong_proposal, city_manager):
    assignment = services.assignment_create(
        proposal=bupyeong_proposal, reviewer=panel[1], actor=city_manager
    )
    with pytest.raises(ValidationError):
        services.conflict_declare(
            assignment=assignment, actor=panel[2], has_conflict=False
        )


def test_a_withdrawn_proposal_is_not_reviewed(panel, call, city_manager, seogu_officer):
    from .conftest import make_draft

    proposal = make_draft(call, seogu_officer, title="철회")
    services.proposal_submit(
        proposal=proposal, actor=seogu_officer, now=BEFORE_DEADLINE, notify=False
    )
    services.proposal_withdraw(
        proposal=proposal,
        actor=seogu_officer,
        now=BEFORE_DEADLINE,
        note="사업 재검토",
    )
    with pytest.raises(ValidationError):
        services.assignment_create(
            proposal=proposal, reviewer=panel[1], actor=city_manager, now=AFTER_DEADLINE
        )
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.WITHDRAWN
