"""Things that read calls, proposals and their review."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from . import scoring
from .models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    CallPage,
    ConflictDeclaration,
    Decision,
    Proposal,
    SelectionDecision,
)
from .models.calls import CallState


def calls_by_state(
    *, index_page=None, now: datetime | None = None
) -> dict[str, list[CallPage]]:
    """Live public calls grouped as open (nearest deadline first), upcoming
    (soonest first) and closed (latest first)."""
    now = now or timezone.now()
    calls = CallPage.objects.live().public()
    if index_page is not None:
        calls = calls.child_of(index_page)
    grouped: dict[str, list[CallPage]] = {state: [] for state in CallState.values}
    for call in calls:
        grouped[call.state(now)].append(call)
    grouped[CallState.OPEN].sort(key=lambda call: call.deadline)
    grouped[CallState.UPCOMING].sort(key=lambda call: call.opens_at)
    grouped[CallState.CLOSED].sort(key=lambda call: call.deadline, reverse=True)
    return grouped


def open_calls_for(*, district, now: datetime | None = None) -> list[CallPage]:
    """Open calls a district may send a proposal to."""
    now = now or timezone.now()
    if district is None:
        return []
    calls = CallPage.objects.live().filter(
        eligible_districts=district, opens_at__lte=now, deadline__gt=now
    )
    return list(calls.order_by("deadline"))


def time_left(*, call: CallPage, now: datetime | None = None) -> dict[str, int] | None:
    """Days, hours and minutes until the deadline; None once it has passed."""
    now = now or timezone.now()
    remaining = call.deadline - now
    if remaining.total_seconds() <= 0:
        return None
    minutes = int(remaining.total_seconds() // 60)
    return {
        "days": minutes // (24 * 60),
        "hours": minutes // 60 % 24,
        "minutes": minutes % 60,
    }


# --- review and ranking --------------------------------------------------------


@dataclass
class RankedProposal:
    """One line of a call's ranked list (what the city manager works from)."""

    proposal: Proposal
    rank: int
    score: Decimal | None
    totals: list[Decimal]
    criterion_means: list[Decimal | None]
    reviews_done: int
    reviews_assigned: int
    trimmed: bool
    disagreement: bool
    decision: SelectionDecision | None = None
    selected_running_total: int = (
        0  # city shares of the proposals decided "selected" so far
    )
    # Last year's grade of the district (a ProjectEvaluation) and the bonus it
    # brings; `score` already includes the bonus, `review_score` does not.
    previous_grade: object = None
    bonus_points: Decimal = Decimal(0)
    review_score: Decimal | None = None
    # Equal score with other lines: their ranks, and the rule that ordered this
    # line against its neighbour in the tie (a criterion, or the receipt order).
    tied_ranks: list[int] = field(default_factory=list)
    tie_break_criterion: object = None

    @property
    def tie_note(self) -> str:
        """ "Tied on score with rank 2; ordered by …", in the reader's language;
        empty when the score alone decides the rank."""
        if not self.tied_ranks:
            return ""
        ranks = ", ".join(str(rank) for rank in self.tied_ranks)
        if self.tie_break_criterion is not None:
            return _(
                "Tied on score with rank %(ranks)s; the order was decided by the "
                "mean score of the criterion “%(criterion)s”."
            ) % {"ranks": ranks, "criterion": self.tie_break_criterion.name}
        return _(
            "Tied on score with rank %(ranks)s and equal on every criterion; the "
            "order was decided by receipt number."
        ) % {"ranks": ranks}

    @property
    def fully_reviewed(self) -> bool:
        return self.reviews_done > 0 and self.reviews_done >= self.reviews_assigned

    @property
    def score_display(self) -> Decimal | None:
        return scoring.rounded(self.score)

    @property
    def criterion_means_display(self) -> list[Decimal | None]:
        return [scoring.rounded(mean) for mean in self.criterion_means]

    @property
    def spread(self) -> Decimal | None:
        return max(self.totals) - min(self.totals) if self.totals else None


def call_ranking(*, call: CallPage) -> list[RankedProposal]:
    """The proposals in review, best first, from submitted reviews only."""
    from .services.review import proposals_in_review

    criteria = list(call.rubric_criteria.all())
    proposals = list(
        proposals_in_review(call)
        .select_related("district")
        .prefetch_related(
            "review_assignments__review__scores", "review_assignments__reviewer"
        )
        .order_by("receipt_number", "pk")
    )
    decisions = {
        decision.proposal_id: decision
        for decision in SelectionDecision.objects.filter(proposal__call=call)
    }
    from reporting.evaluation.selectors import previous_grades_by_district

    grades = previous_grades_by_district(call)
    lines = []
    from .services.review import review_counts, tied_organisation_ids

    # Reviewer → tied organisations now. Once the results are published the
    # ranking is what was decided: a tie recorded later changes nothing.
    published = call.is_results_published
    tied: dict[int, set[int]] = {}
    for order, proposal in enumerate(proposals):
        # A review the city discarded after a tie is out; one awaiting the
        # city's ruling is assigned but does not count (not fully reviewed).
        assignments = [
            a
            for a in proposal.review_assignments.all()
            if a.status in ACTIVE_ASSIGNMENT_STATUSES
            and not getattr(getattr(a, "review", None), "is_discarded", False)
        ]
        rows, totals = [], []
        for assignment in assignments:
            review = getattr(assignment, "review", None)
            if assignment.reviewer_id not in tied:
                tied[assignment.reviewer_id] = (
                    set() if published else tied_organisation_ids(assignment.reviewer)
                )
            if not review_counts(review, tied_ids=tied[assignment.reviewer_id]):
                continue
            by_criterion = {row.criterion_id: row.score for row in review.scores.all()}
            row = [by_criterion.get(criterion.pk) for criterion in criteria]
            rows.append(row)
            totals.append(scoring.weighted_total(row))
        review_score = scoring.proposal_score(totals, trim_extremes=call.trim_extremes)
        previous_grade = grades.get(proposal.district_id)
        bonus = (
            previous_grade.grade.bonus_points
            if previous_grade is not None
            else Decimal(0)
        )
        # Last year's grade adds its bonus to a reviewed proposal's score.
        score = review_score + bonus if review_score is not None else None
        means = scoring.criterion_means(rows) or [None] * len(criteria)
        lines.append(
            (
                scoring.ranking_key(score, means, tiebreak=order),
                RankedProposal(
                    proposal=proposal,
                    rank=0,
                    score=score,
                    totals=totals,
                    criterion_means=means,
                    reviews_done=len(totals),
                    reviews_assigned=len(assignments),
                    trimmed=scoring.is_trimmed(
                        len(totals), trim_extremes=call.trim_extremes
                    ),
                    disagreement=scoring.has_strong_disagreement(
                        totals, threshold=call.disagreement_threshold
                    ),
                    decision=decisions.get(proposal.pk),
                    previous_grade=previous_grade,
                    bonus_points=bonus,
                    review_score=review_score,
                ),
            )
        )
    lines.sort(key=lambda pair: pair[0])
    ranked = [line for _key, line in lines]
    running = 0
    for position, line in enumerate(ranked, start=1):
        line.rank = position
    _mark_ties(ranked, criteria)
    for line in ranked:
        if line.decision is not None and line.decision.decision == Decision.SELECTED:
            running += line.proposal.city_share or 0
        line.selected_running_total = running
    return ranked


def _mark_ties(ranked: list[RankedProposal], criteria: list) -> None:
    """Lines with the same score are a tie, whatever broke it: say so, and name
    the rule (the first criterion whose mean differs, else the receipt order)."""
    groups: list[list[RankedProposal]] = []
    for line in ranked:
        if line.score is not None and groups and groups[-1][0].score == line.score:
            groups[-1].append(line)
        else:
            groups.append([line])
    for group in groups:
        if len(group) < 2:
            continue
        for index, line in enumerate(group):
            neighbour = group[index - 1] if index > 0 else group[1]
            line.tied_ranks = [other.rank for other in group if other is not line]
            line.tie_break_criterion = next(
                (
                    criterion
                    for criterion, mine, theirs in zip(
                        criteria,
                        line.criterion_means,
                        neighbour.criterion_means,
                        strict=False,
                    )
                    if (mine or Decimal(0)) != (theirs or Decimal(0))
                ),
                None,
            )


def selected_city_share_total(*, call: CallPage) -> int:
    shares = SelectionDecision.objects.filter(
        proposal__call=call, decision=Decision.SELECTED
    ).values_list("proposal__city_share", flat=True)
    return sum(share or 0 for share in shares)


def calls_in_review(*, now: datetime | None = None) -> list[CallPage]:
    """Calls past their deadline that received proposals, latest first."""
    now = now or timezone.now()
    calls = CallPage.objects.filter(
        deadline__lte=now, proposals__status__in=_sent()
    ).distinct()
    return list(calls.order_by("-deadline"))


def _sent():
    from .workflow import SENT_TO_CITY_STATUSES

    return SENT_TO_CITY_STATUSES


def conflicts_to_reassign(*, call: CallPage | None = None):
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


def assignments_ended_by_tie(*, call: CallPage | None = None) -> list:
    """Assignments a tie recorded afterwards ended, whose proposal now has fewer
    reviewers than the call asks for, in calls not yet published: to reassign."""
    from .models import AssignmentStatus, ReviewAssignment

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
