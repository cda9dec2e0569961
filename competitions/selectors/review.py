"""Things that read the review: who may review what (ties and conflicts),
which reviews count, and the city's to-do lists of reviews and assignments."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    AssignmentStatus,
    CallPage,
    ConflictDeclaration,
    Proposal,
    Review,
    ReviewAssignment,
    ReviewerTie,
    ReviewStatus,
    TieRuling,
)
from ..workflow import IN_REVIEW_STATUSES


def proposals_in_review(*, call: CallPage) -> QuerySet[Proposal]:
    """The call's proposals that take part in the review."""
    return Proposal.objects.filter(call=call, status__in=IN_REVIEW_STATUSES)


def tied_organisation_ids(*, reviewer: User) -> set[int]:
    """The reviewer's own organisation and every organisation they declared a tie with."""
    declared = ReviewerTie.objects.filter(reviewer=reviewer).values_list(
        "organisation_id", flat=True
    )
    return {reviewer.organisation_id, *declared}


def conflict_with(*, reviewer: User, proposal: Proposal) -> str:
    """Why this reviewer may not review this proposal, or "" when they may: the
    reviewer's organisation or a declared tie is the proposing district, or they
    declared a conflict. Asked again at every step, not only at assignment.
    The reason is in the reader's (active) language."""
    district = proposal.district
    if district.pk == reviewer.organisation_id:
        return _(
            "Reviewer %(reviewer)s belongs to %(district)s, the proposing district."
        ) % {"reviewer": reviewer.username, "district": district.name}
    if ReviewerTie.objects.filter(reviewer=reviewer, organisation=district).exists():
        return _(
            "Reviewer %(reviewer)s declared a tie with %(district)s, the proposing district."
        ) % {"reviewer": reviewer.username, "district": district.name}
    if ConflictDeclaration.objects.filter(
        reviewer=reviewer, proposal=proposal, has_conflict=True
    ).exists():
        return _(
            "Reviewer %(reviewer)s declared a conflict of interest with this proposal."
        ) % {"reviewer": reviewer.username}
    return ""


def review_counts(*, review: Review | None, tied_ids: set[int] | None = None) -> bool:
    """Whether a review counts in the ranking: submitted, and either never
    touched by a tie or kept by the city's ruling. ``tied_ids`` are the
    reviewer's tied organisations now (see ``tied_organisation_ids``)."""
    if review is None or review.status != ReviewStatus.SUBMITTED:
        return False
    if review.tie_ruling:
        return review.tie_ruling == TieRuling.KEEP
    if review.tie_flagged_at is not None:
        return False
    proposal = review.assignment.proposal
    if tied_ids is None:
        tied_ids = tied_organisation_ids(reviewer=review.assignment.reviewer)
    return proposal.district_id not in tied_ids


def reviews_awaiting_tie_ruling(*, call: CallPage) -> list[Review]:
    """Submitted reviews of the call that do not count until the city rules:
    flagged by a recorded tie, or whose reviewer is tied to the district now."""
    reviews = (
        Review.objects.filter(
            assignment__proposal__call=call,
            assignment__status=AssignmentStatus.SUBMITTED,
            status=ReviewStatus.SUBMITTED,
            tie_ruling="",
        )
        .select_related("assignment__proposal__district", "assignment__reviewer")
        .order_by(
            "assignment__proposal__receipt_number", "assignment__reviewer__username"
        )
    )
    waiting = []
    tied: dict[int, set[int]] = {}
    for review in reviews:
        reviewer = review.assignment.reviewer
        if reviewer.pk not in tied:
            tied[reviewer.pk] = tied_organisation_ids(reviewer=reviewer)
        if review.tie_flagged_at is not None or (
            review.assignment.proposal.district_id in tied[reviewer.pk]
        ):
            waiting.append(review)
    return waiting


def conflicts_to_reassign(*, call: CallPage | None = None) -> list[ConflictDeclaration]:
    """Declared conflicts whose proposal now has fewer reviewers than the call asks
    for and whose call is not yet published: the city's reassignment to-do list."""
    declarations = ConflictDeclaration.objects.filter(
        has_conflict=True, proposal__call__results_publication__isnull=True
    ).select_related("proposal__call", "proposal__district", "reviewer")
    if call is not None:
        declarations = declarations.filter(proposal__call=call)
    waiting = []
    for declaration in declarations:
        proposal = declaration.proposal
        active = proposal.review_assignments.filter(
            status__in=ACTIVE_ASSIGNMENT_STATUSES
        ).count()
        if active < proposal.call.reviewers_per_proposal:
            waiting.append(declaration)
    return waiting


def assignments_ended_by_tie(*, call: CallPage | None = None) -> list[ReviewAssignment]:
    """Assignments a tie recorded afterwards ended, whose proposal now has fewer
    reviewers than the call asks for, in calls not yet published: to reassign."""
    ended = ReviewAssignment.objects.filter(
        status=AssignmentStatus.ENDED_BY_TIE,
        proposal__call__results_publication__isnull=True,
    ).select_related("proposal__call", "proposal__district", "reviewer")
    if call is not None:
        ended = ended.filter(proposal__call=call)
    waiting = []
    for assignment in ended.order_by("proposal__receipt_number", "reviewer__username"):
        proposal = assignment.proposal
        active = proposal.review_assignments.filter(
            status__in=ACTIVE_ASSIGNMENT_STATUSES
        ).count()
        if active < proposal.call.reviewers_per_proposal:
            waiting.append(assignment)
    return waiting
