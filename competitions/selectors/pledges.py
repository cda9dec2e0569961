"""Reads of the reviewers' pledges (보안 서약, 이해충돌 서약): who has signed for
which call, and which calls still wait for a reviewer's signature."""

from django.db.models import QuerySet

from accounts.models import User

from ..models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    CallPage,
    ReviewAssignment,
    ReviewerPledge,
)


def pledge_of(*, reviewer: User, call: CallPage) -> ReviewerPledge | None:
    return ReviewerPledge.objects.filter(reviewer=reviewer, call=call).first()


def pledge_signed(*, reviewer: User, call: CallPage | int) -> bool:
    call_id = call if isinstance(call, int) else call.pk
    return ReviewerPledge.objects.filter(reviewer=reviewer, call_id=call_id).exists()


def calls_awaiting_pledge(*, reviewer: User) -> QuerySet[CallPage]:
    """The reviewer's calls with assignments whose pledges they have not signed."""
    return (
        CallPage.objects.filter(
            pk__in=ReviewAssignment.objects.filter(
                reviewer=reviewer, status__in=ACTIVE_ASSIGNMENT_STATUSES
            ).values("proposal__call_id")
        )
        .exclude(
            pk__in=ReviewerPledge.objects.filter(reviewer=reviewer).values("call_id")
        )
        .order_by("-deadline")
    )


def call_awaiting_pledge_for(*, reviewer: User, proposal_id: object) -> CallPage | None:
    """The call whose pledges this reviewer must sign before opening this
    proposal: they are assigned to it and have not signed. None otherwise (a
    proposal not assigned to them stays a plain 404)."""
    if not str(proposal_id).isdigit():
        return None
    return (
        calls_awaiting_pledge(reviewer=reviewer)
        .filter(
            pk__in=ReviewAssignment.objects.filter(
                reviewer=reviewer, proposal_id=int(str(proposal_id))
            ).values("proposal__call_id")
        )
        .first()
    )
