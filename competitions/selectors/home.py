"""What the admin home page reads of calls, proposals and the review (nothing
here writes). Each function narrows by ``accounts.access`` and runs a fixed
number of queries however many rows it returns: counts and the last status
change come as subqueries, never one query per row."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from accounts import access
from accounts.models import Organisation, User

from ..models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    AssignmentStatus,
    CallPage,
    ConflictDeclaration,
    CriterionScore,
    Proposal,
    ProposalStatus,
    ProposalTransition,
    ResultsPublication,
    ReviewAssignment,
    ReviewStatus,
    RubricCriterion,
)
from ..workflow import COUNTING_STATUSES, IN_REVIEW_STATUSES
from .calls import open_calls_for


def _count(queryset: QuerySet, group_by: str) -> Coalesce:
    """The rows of ``queryset`` (already filtered on an ``OuterRef``) counted
    in a subquery, 0 when there are none."""
    counted = (
        queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# --- a district officer ----------------------------------------------------------


@dataclass(frozen=True)
class OpenCall:
    """A call open to the district now, with what the district has on it."""

    call: CallPage
    proposals_counted: int  # sent or waiting for the approver: against the maximum
    drafts: int

    @property
    def may_start(self) -> bool:
        return self.proposals_counted + self.drafts < (
            self.call.max_proposals_per_district
        )


def open_calls(*, user: User, now: datetime) -> list[OpenCall]:
    """Calls the user's district may send a proposal to now, the nearest
    deadline first, each with the district's proposals on it."""
    district = access.user_district(user)
    calls = open_calls_for(district=district, now=now)
    if not calls:
        return []
    counts = {
        row["call_id"]: row
        for row in access.visible_to(user, Proposal)
        .filter(call__in=[call.pk for call in calls])
        .values("call_id")
        .annotate(
            counted=Count("pk", filter=Q(status__in=COUNTING_STATUSES)),
            drafts=Count("pk", filter=Q(status=ProposalStatus.DRAFT)),
        )
        .order_by()
    }
    return [
        OpenCall(
            call,
            counts.get(call.pk, {}).get("counted", 0),
            counts.get(call.pk, {}).get("drafts", 0),
        )
        for call in calls
    ]


@dataclass(frozen=True)
class ProposalDraft:
    """A proposal not yet sent; ``returned_note`` is set when the district
    approver sent it back (the reason they gave)."""

    proposal: Proposal
    returned: bool
    returned_note: str
    returned_at: datetime | None


def proposal_drafts(*, user: User) -> list[ProposalDraft]:
    """The district's proposals in draft, each marked when its last move was
    the approver's return (with the reason), the nearest deadline first."""
    last = ProposalTransition.objects.filter(proposal=OuterRef("pk")).order_by(
        "-at", "-pk"
    )
    proposals = (
        access.visible_to(user, Proposal)
        .filter(status=ProposalStatus.DRAFT)
        .select_related("call")
        .annotate(
            last_from=Subquery(last.values("from_status")[:1]),
            last_note=Subquery(last.values("note")[:1]),
            last_at=Subquery(last.values("at")[:1]),
        )
        .order_by("call__deadline", "pk")
    )
    return [
        ProposalDraft(
            proposal,
            proposal.last_from == ProposalStatus.AWAITING_APPROVAL,
            proposal.last_note or "",
            proposal.last_at,
        )
        for proposal in proposals
    ]


# --- a district approver ---------------------------------------------------------


def proposals_awaiting_signoff(*, user: User) -> list[Proposal]:
    """Proposals an officer sent to this approver, the nearest deadline first."""
    if not access.is_district_approver(user):
        return []
    return list(
        access.visible_to(user, Proposal)
        .filter(status=ProposalStatus.AWAITING_APPROVAL)
        .select_related("call")
        .order_by("call__deadline", "pk")
    )


def calls_needing_signoff(
    *, district: Organisation | None, now: datetime
) -> QuerySet[CallPage]:
    """Calls open to the district, now or later, that ask its approver to
    sign proposals (and the projects' reports) off."""
    if district is None:
        return CallPage.objects.none()
    return CallPage.objects.filter(
        requires_approver_signoff=True, eligible_districts=district, deadline__gt=now
    )


# --- a reviewer ------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentProgress:
    assignment: ReviewAssignment
    criteria: int
    scored: int

    @property
    def declared(self) -> bool:
        return self.assignment.status != AssignmentStatus.ASSIGNED

    @property
    def submitted(self) -> bool:
        return self.assignment.status == AssignmentStatus.SUBMITTED


@dataclass
class CallAssignments:
    """A reviewer's assignments in one call, with the review deadline."""

    call: CallPage
    assignments: list[AssignmentProgress] = field(default_factory=list)

    @property
    def review_ends_on(self) -> date | None:
        return self.call.review_ends_on

    @property
    def total(self) -> int:
        return len(self.assignments)

    @property
    def declared(self) -> int:
        return sum(a.declared for a in self.assignments)

    @property
    def scored(self) -> int:
        """Assignments with every criterion scored."""
        return sum(
            bool(a.criteria) and a.scored >= a.criteria for a in self.assignments
        )

    @property
    def submitted(self) -> int:
        return sum(a.submitted for a in self.assignments)


def reviewer_assignments(*, user: User) -> list[CallAssignments]:
    """The reviewer's assignments that still count, in calls whose results are
    not yet published, grouped by call (the earliest review deadline first),
    with each one's progress: declared, criteria scored, submitted."""
    if not access.is_reviewer(user):
        return []
    assignments = (
        access.visible_to(user, ReviewAssignment)
        .filter(
            reviewer=user,
            status__in=ACTIVE_ASSIGNMENT_STATUSES,
            proposal__call__results_publication__isnull=True,
        )
        .select_related("proposal__call", "proposal__district")
        .annotate(
            scored=_count(
                CriterionScore.objects.filter(
                    review__assignment=OuterRef("pk"), score__isnull=False
                ),
                "review",
            ),
            criteria=_count(
                RubricCriterion.objects.filter(page=OuterRef("proposal__call")),
                "page",
            ),
        )
        .order_by(
            F("proposal__call__review_ends_on").asc(nulls_last=True),
            "proposal__call__deadline",
            "proposal__receipt_number",
            "pk",
        )
    )
    calls: dict[int, CallAssignments] = {}
    for assignment in assignments:
        call = assignment.proposal.call
        calls.setdefault(call.pk, CallAssignments(call)).assignments.append(
            AssignmentProgress(assignment, assignment.criteria, assignment.scored)
        )
    return list(calls.values())


# --- the city ----------------------------------------------------------------------


def _short_of_reviewers(queryset: QuerySet) -> QuerySet:
    """Rows whose proposal now has fewer assignments that count than its call
    asks for, in calls not yet published."""
    active = ReviewAssignment.objects.filter(
        proposal=OuterRef("proposal"), status__in=ACTIVE_ASSIGNMENT_STATUSES
    )
    return (
        queryset.filter(proposal__call__results_publication__isnull=True)
        .select_related("proposal__call", "proposal__district", "reviewer")
        .annotate(active=_count(active, "proposal"))
        .filter(active__lt=F("proposal__call__reviewers_per_proposal"))
    )


def conflicts_to_reassign(*, user: User) -> list[ConflictDeclaration]:
    """Declared conflicts that left a proposal short of reviewers: the city
    assigns another reviewer. Oldest first."""
    if not access.can(user, "manage_review"):
        return []
    declarations = access.visible_to(user, ConflictDeclaration).filter(
        has_conflict=True
    )
    return list(_short_of_reviewers(declarations).order_by("declared_at", "pk"))


def assignments_ended_by_tie(*, user: User) -> list[ReviewAssignment]:
    """Assignments a tie recorded afterwards ended, leaving the proposal short
    of reviewers."""
    if not access.can(user, "manage_review"):
        return []
    ended = access.visible_to(user, ReviewAssignment).filter(
        status=AssignmentStatus.ENDED_BY_TIE
    )
    return list(_short_of_reviewers(ended).order_by("assigned_at", "pk"))


class Stage:
    """Where a call is in its life, for the city's pipeline."""

    DRAFT = "draft"  # not on the public site yet
    UPCOMING = "upcoming"
    OPEN = "open"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    ORDER = (DRAFT, UPCOMING, OPEN, IN_REVIEW, PUBLISHED)


@dataclass(frozen=True)
class PipelineCall:
    call: CallPage
    stage: str
    proposals: int  # sent to the city and not withdrawn
    reviews_submitted: int
    reviews_expected: int


def call_pipeline(*, user: User, now: datetime) -> dict[str, list[PipelineCall]]:
    """Every call by stage (``Stage.ORDER``), with the proposals sent to the
    city and, for calls in review, the reviews submitted of those assigned."""
    if not access.can(user, "manage_calls"):
        return {}
    calls = CallPage.objects.annotate(
        sent=_count(
            Proposal.objects.filter(call=OuterRef("pk"), status__in=IN_REVIEW_STATUSES),
            "call",
        ),
        assigned=_count(
            ReviewAssignment.objects.filter(
                proposal__call=OuterRef("pk"), status__in=ACTIVE_ASSIGNMENT_STATUSES
            ),
            "proposal__call",
        ),
        reviewed=_count(
            ReviewAssignment.objects.filter(
                proposal__call=OuterRef("pk"),
                status__in=ACTIVE_ASSIGNMENT_STATUSES,
                review__status=ReviewStatus.SUBMITTED,
            ),
            "proposal__call",
        ),
        published=Exists(ResultsPublication.objects.filter(call=OuterRef("pk"))),
    ).order_by("-deadline", "pk")
    stages: dict[str, list[PipelineCall]] = {stage: [] for stage in Stage.ORDER}
    for call in calls:
        if call.published:
            stage = Stage.PUBLISHED
        elif not call.live:
            stage = Stage.DRAFT
        elif now < call.opens_at:
            stage = Stage.UPCOMING
        elif now < call.deadline:
            stage = Stage.OPEN
        else:
            stage = Stage.IN_REVIEW
        stages[stage].append(
            PipelineCall(call, stage, call.sent, call.reviewed, call.assigned)
        )
    return stages
