"""Reads about presentation reviews: who is shortlisted, what each person may
see of the timetable, and the presentation score of each proposal."""

from decimal import Decimal

from django.db.models import Q, QuerySet

from accounts.models import User

from .. import scoring
from ..models import (
    CallPage,
    ConflictDeclaration,
    PresentationReview,
    PresentationReviewStatus,
    PresentationSlot,
    PresentationTimetableSending,
    Proposal,
    ReviewerTie,
)
from .review import proposals_in_review, tied_organisation_ids


def timetable_sent(*, call: CallPage) -> bool:
    return PresentationTimetableSending.objects.filter(call=call).exists()


def presentation_shortlist(*, call: CallPage) -> list[Proposal]:
    """The proposals invited to present: the best ``presentation_shortlist_size``
    of the document review (its score alone), or every proposal in the review."""
    if not call.presentation_review:
        return []
    if not call.presentation_shortlist_size:
        return list(
            proposals_in_review(call=call)
            .select_related("district")
            .order_by("receipt_number", "pk")
        )
    from .ranking import call_ranking

    ranking = call_ranking(call=call, with_presentation=False)
    return [line.proposal for line in ranking[: call.presentation_shortlist_size]]


def slots_for_reviewer(
    *, reviewer: User, call: CallPage | None = None
) -> QuerySet[PresentationSlot]:
    """The slots a panel reviewer sees once the timetable is sent: every slot
    of their panels' calls but those of districts they are tied to or of
    proposals they declared a conflict with."""
    slots = PresentationSlot.objects.filter(
        session__call__panel_members__reviewer=reviewer,
        session__call__presentation_sendings__isnull=False,
    )
    if call is not None:
        slots = slots.filter(session__call=call)
    tied = Q(proposal__district_id=reviewer.organisation_id) | Q(
        proposal__district_id__in=ReviewerTie.objects.filter(reviewer=reviewer).values(
            "organisation_id"
        )
    )
    conflicts = ConflictDeclaration.objects.filter(
        reviewer=reviewer, has_conflict=True
    ).values("proposal_id")
    return (
        slots.exclude(tied)
        .exclude(proposal_id__in=conflicts)
        .distinct()
        .select_related("session__call", "proposal__district")
        .order_by("starts_at", "pk")
    )


def presentation_totals(*, call: CallPage, published: bool) -> dict[int, list[Decimal]]:
    """proposal id → the weighted totals of its submitted presentation reviews
    that count (a reviewer now tied to the district does not count, unless the
    results are published)."""
    criteria = list(call.rubric_criteria.all())
    reviews = (
        PresentationReview.objects.filter(
            slot__session__call=call, status=PresentationReviewStatus.SUBMITTED
        )
        .select_related("slot__proposal", "reviewer")
        .prefetch_related("scores")
    )
    tied: dict[int, set[int]] = {}
    totals: dict[int, list[Decimal]] = {}
    for review in reviews:
        if not published:
            if review.reviewer_id not in tied:
                tied[review.reviewer_id] = tied_organisation_ids(
                    reviewer=review.reviewer
                )
            if review.slot.proposal.district_id in tied[review.reviewer_id]:
                continue
        by_criterion = {row.criterion_id: row.score for row in review.scores.all()}
        totals.setdefault(review.slot.proposal_id, []).append(
            scoring.weighted_total(by_criterion.get(c.pk) for c in criteria)
        )
    return totals
