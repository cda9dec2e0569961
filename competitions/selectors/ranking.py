"""Things that read a call's ranking: the ranked list the city works from,
and the suggestion of what to select within the budget."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from .. import scoring
from ..models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    CallPage,
    Decision,
    PresentationSlot,
    Proposal,
    RubricCriterion,
    SelectionDecision,
)
from .review import proposals_in_review, review_counts, tied_organisation_ids

if TYPE_CHECKING:
    from reporting.evaluation.models import ProjectEvaluation


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
    previous_grade: ProjectEvaluation | None = None
    bonus_points: Decimal = Decimal(0)
    review_score: Decimal | None = None
    # Equal score with other lines: their ranks, and the rule that ordered this
    # line against its neighbour in the tie (a criterion, or the receipt order).
    tied_ranks: list[int] = field(default_factory=list)
    tie_break_criterion: RubricCriterion | None = None
    # With a presentation review: its score (mean of the panel's totals) and
    # whether the proposal has a slot still waiting for a submitted score.
    presentation_score: Decimal | None = None
    presentation_totals: list[Decimal] = field(default_factory=list)
    presentation_missing: bool = False

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
    def counted_amount(self) -> int:
        """What this proposal costs the budget: a recorded selection its funded
        amount (reduced or the request), anything else its request."""
        decision = self.decision
        if (
            decision is not None
            and decision.decision == Decision.SELECTED
            and decision.funded_amount is not None
        ):
            return decision.funded_amount
        return self.proposal.city_share or 0

    @property
    def fully_reviewed(self) -> bool:
        return (
            self.reviews_done > 0
            and self.reviews_done >= self.reviews_assigned
            and not self.presentation_missing
        )

    @property
    def score_display(self) -> Decimal | None:
        return scoring.rounded(self.score)

    @property
    def criterion_means_display(self) -> list[Decimal | None]:
        return [scoring.rounded(mean) for mean in self.criterion_means]

    @property
    def spread(self) -> Decimal | None:
        return max(self.totals) - min(self.totals) if self.totals else None


def call_ranking(
    *, call: CallPage, with_presentation: bool = True
) -> list[RankedProposal]:
    """The proposals in review, best first, from submitted reviews only. With
    the call's presentation review (and ``with_presentation``), the score
    combines the document and presentation scores by the call's weight."""
    from reporting.evaluation.selectors import previous_grades_by_district

    from .presentations import presentation_totals

    criteria = list(call.rubric_criteria.all())
    proposals = list(
        proposals_in_review(call=call)
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
    grades: dict[int, ProjectEvaluation] = previous_grades_by_district(call)
    lines: list[tuple[scoring.RankingKey, RankedProposal]] = []

    # Reviewer → tied organisations now. Once the results are published the
    # ranking is what was decided: a tie recorded later changes nothing.
    published = call.is_results_published
    tied: dict[int, set[int]] = {}
    presenting = with_presentation and call.presentation_review
    presented: dict[int, list[Decimal]] = (
        presentation_totals(call=call, published=published) if presenting else {}
    )
    with_slot: set[int] = (
        set(
            PresentationSlot.objects.filter(session__call=call).values_list(
                "proposal_id", flat=True
            )
        )
        if presenting
        else set()
    )
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
                    set()
                    if published
                    else tied_organisation_ids(reviewer=assignment.reviewer)
                )
            if review is None or not review_counts(
                review=review, tied_ids=tied[assignment.reviewer_id]
            ):
                continue
            by_criterion = {row.criterion_id: row.score for row in review.scores.all()}
            row = [by_criterion.get(criterion.pk) for criterion in criteria]
            rows.append(row)
            totals.append(scoring.weighted_total(row))
        review_score = scoring.proposal_score(totals, trim_extremes=call.trim_extremes)
        presentation_score = None
        if presenting:
            presentation_score = scoring.proposal_score(
                presented.get(proposal.pk, []), trim_extremes=call.trim_extremes
            )
            review_score = scoring.combined_score(
                review_score,
                presentation_score,
                presentation_weight_percent=call.presentation_weight_percent,
            )
        previous_grade = grades.get(proposal.district_id)
        bonus = (
            previous_grade.grade.bonus_points
            if previous_grade is not None and previous_grade.grade is not None
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
                    presentation_score=presentation_score,
                    presentation_totals=presented.get(proposal.pk, []),
                    presentation_missing=proposal.pk in with_slot
                    and not presented.get(proposal.pk),
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
            running += line.counted_amount
        line.selected_running_total = running
    return ranked


def _mark_ties(ranked: list[RankedProposal], criteria: list[RubricCriterion]) -> None:
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
    """The city shares of the proposals decided "selected": a reduced
    selection counts with its funded amount."""
    shares = SelectionDecision.objects.filter(
        proposal__call=call, decision=Decision.SELECTED
    ).values_list("funded_amount", "proposal__city_share")
    return sum(
        funded if funded is not None else (share or 0) for funded, share in shares
    )


# --- the suggestion ------------------------------------------------------------


def _won(amount: int) -> str:
    return f"{amount:,}"


@dataclass
class SuggestionRow:
    line: RankedProposal
    suggested: bool
    reason: str  # in the reader's language: why it is in, or why it is out
    running_total: int


def _rank_text(line: RankedProposal) -> str:
    text = _("Rank %(rank)s") % {"rank": line.rank}
    if line.tie_note:
        text = f"{text} ({line.tie_note})"
    return text


def skip_reason_text(
    item: scoring.SuggestionLine,
    *,
    limit: int | None,
    line: RankedProposal | None = None,
) -> str:
    """Why a proposal is out of the suggestion, true for the state it was
    computed from (recorded decisions first, then the ranking above it)."""
    if item.skip_reason == scoring.SkipReason.DECIDED_NOT_SELECTED:
        return _("Recorded as not selected.")
    if item.skip_reason == scoring.SkipReason.NOT_REVIEWED:
        if line is not None:
            return _(
                "Not fully reviewed: %(done)s of %(assigned)s assigned reviews count."
            ) % {"done": line.reviews_done, "assigned": line.reviews_assigned}
        return _("Not fully reviewed.")
    if item.skip_reason == scoring.SkipReason.DISTRICT_LIMIT:
        return _(
            "The district limit (%(limit)s) is reached by the selections recorded "
            "or suggested above it."
        ) % {"limit": limit}
    if item.skip_reason == scoring.SkipReason.OVER_BUDGET:
        if item.remaining_before <= 0:
            return _(
                "Over budget: the selections recorded or suggested above it already "
                "use the whole budget (KRW %(used)s of KRW %(budget)s)."
            ) % {
                "used": _won(item.running_total),
                "budget": _won(item.running_total + item.remaining_before),
            }
        return _(
            "Over budget by KRW %(over)s: KRW %(left)s was left after the selections "
            "recorded or suggested above it."
        ) % {
            "over": _won(item.over_by),
            "left": _won(item.remaining_before),
        }
    return ""


def pot_note(*, call: CallPage, proposal: Proposal) -> str:
    """Which part of the budget a proposal is funded from, when the call
    reserves money for continuation projects (empty otherwise)."""
    if not call.continuation_budget:
        return ""
    if proposal.continues_project_id is not None:
        return " " + _(
            "Continuation project: funded from the reserve of KRW %(reserve)s."
        ) % {"reserve": _won(call.continuation_budget)}
    return " " + _(
        "Funded from the budget for other proposals (KRW %(rest)s, the total less "
        "the continuation reserve)."
    ) % {"rest": _won(call.general_budget)}


def selection_suggest(*, call: CallPage) -> list[SuggestionRow]:
    """The highest-scoring set that fits the budget and the district limit,
    starting from the decisions on record: a recorded selection keeps its
    place and its money, a recorded rejection frees both. Then walk the
    ranking, take each undecided proposal that fits, and say why each skipped
    one was skipped. Reads only; nothing is decided (``selection_decide`` and
    ``selection_apply_suggestion`` record decisions)."""
    ranking = call_ranking(call=call)
    candidates = [
        scoring.Candidate(
            key=line.proposal.pk,
            district=line.proposal.district_id,
            cost=line.counted_amount,
            fully_reviewed=line.fully_reviewed,
            decided=(
                None
                if line.decision is None
                else line.decision.decision == Decision.SELECTED
            ),
            reserved=line.proposal.continues_project_id is not None,
        )
        for line in ranking
    ]
    limit = call.max_selected_per_district
    suggestion = scoring.suggest(
        candidates,
        budget=call.total_budget,
        per_district_limit=limit,
        reserve=call.continuation_budget or 0,
    )
    rows = []
    for line, item in zip(ranking, suggestion.lines, strict=True):
        if line.decision is not None and line.decision.decision == Decision.SELECTED:
            reason = _("Recorded as selected.")
        elif item.suggested:
            reason = _(
                "%(rank)s: fits the budget (KRW %(total)s with the selections recorded "
                "or suggested above it)."
            ) % {"rank": _rank_text(line), "total": _won(item.running_total)}
        else:
            reason = skip_reason_text(item, limit=limit, line=line)
            if item.skip_reason in (
                scoring.SkipReason.OVER_BUDGET,
                scoring.SkipReason.DISTRICT_LIMIT,
            ):
                reason = f"{_rank_text(line)}: {reason}"
        if item.suggested or item.skip_reason == scoring.SkipReason.OVER_BUDGET:
            reason = f"{reason}{pot_note(call=call, proposal=line.proposal)}"
        rows.append(
            SuggestionRow(
                line=line,
                suggested=item.suggested,
                reason=reason,
                running_total=item.running_total,
            )
        )
    return rows
