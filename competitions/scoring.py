"""The arithmetic of review and selection, as pure functions of plain values so
that each rule can be checked against examples computed by hand.

* A reviewer's weighted total (0–100) is the sum of their criterion scores:
  each criterion is scored from 0 to its own weight and the weights add up to 100.
* A proposal's score is the mean of its reviewers' totals or, when the call
  drops the extremes and there are at least ``TRIM_MINIMUM_REVIEWS`` totals, the
  mean after leaving out one highest and one lowest total.
* With a presentation review, the score is the document score and the
  presentation score (each the mean as above) weighted by the call.
* Ties break on the criterion means in rubric order (first criterion first).
* Disagreement is a range of totals (highest − lowest) above the call's threshold.
* The suggestion starts from the decisions on record (a recorded selection
  uses its budget and district place; a recorded rejection uses nothing), then
  walks the ranking and takes each undecided proposal that still fits.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TRIM_MINIMUM_REVIEWS = 5
TWO_PLACES = Decimal("0.01")


def weighted_total(scores: Iterable[Decimal | int | None]) -> Decimal:
    return sum((Decimal(score) for score in scores if score is not None), Decimal(0))


def proposal_score(totals: Sequence[Decimal], *, trim_extremes: bool) -> Decimal | None:
    """The mean of the totals, trimmed of one highest and one lowest when asked
    and when there are enough of them; None without any total."""
    if not totals:
        return None
    kept = sorted(Decimal(total) for total in totals)
    if trim_extremes and len(kept) >= TRIM_MINIMUM_REVIEWS:
        kept = kept[1:-1]
    return sum(kept, Decimal(0)) / len(kept)


def combined_score(
    document: Decimal | None,
    presentation: Decimal | None,
    *,
    presentation_weight_percent: int,
) -> Decimal | None:
    """The document score and the presentation score weighted by the call
    (e.g. 70 % documents, 30 % presentation); a proposal that did not present
    counts 0 for the presentation part. None without a document score."""
    if document is None:
        return None
    weight = Decimal(presentation_weight_percent)
    return (
        Decimal(document) * (100 - weight) + Decimal(presentation or 0) * weight
    ) / 100


def is_trimmed(count: int, *, trim_extremes: bool) -> bool:
    return trim_extremes and count >= TRIM_MINIMUM_REVIEWS


def criterion_means(rows: Sequence[Sequence[Decimal | None]]) -> list[Decimal | None]:
    """Per criterion (column), the mean score across reviews (rows)."""
    if not rows:
        return []
    means = []
    for column in zip(*rows, strict=True):
        values = [Decimal(value) for value in column if value is not None]
        means.append(sum(values, Decimal(0)) / len(values) if values else None)
    return means


def has_strong_disagreement(totals: Sequence[Decimal], *, threshold: int) -> bool:
    return len(totals) >= 2 and max(totals) - min(totals) > threshold


def rounded(value: Decimal | None) -> Decimal | None:
    """For display and export: two decimal places, half up."""
    return None if value is None else value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


# (unscored, −score, −criterion means in rubric order, tiebreak): ascending is best first.
RankingKey = tuple[bool, Decimal, tuple[Decimal, ...], int]


def ranking_key(
    score: Decimal | None, means: Sequence[Decimal | None], tiebreak: int = 0
) -> RankingKey:
    """Sort key: higher score first, then higher criterion means in rubric
    order; unscored proposals last; ``tiebreak`` (e.g. receipt order) last."""
    missing = score is None
    return (
        missing,
        -(score or Decimal(0)),
        tuple(-(mean or Decimal(0)) for mean in means),
        tiebreak,
    )


# --- the suggestion --------------------------------------------------------


class SkipReason:
    OVER_BUDGET = "over_budget"
    DISTRICT_LIMIT = "district_limit"
    NOT_REVIEWED = "not_reviewed"
    DECIDED_NOT_SELECTED = "decided_not_selected"


@dataclass(frozen=True)
class Candidate:
    key: object
    district: object
    cost: int
    fully_reviewed: bool = True
    # The decision on record: True selected, False not selected, None undecided.
    decided: bool | None = None
    # A continuation proposal (계속 사업): funded from the call's reserve.
    reserved: bool = False


@dataclass
class SuggestionLine:
    candidate: Candidate
    suggested: bool
    skip_reason: str = ""
    over_by: int = 0  # KRW above what was left, for OVER_BUDGET
    remaining_before: int = 0
    running_total: int = 0  # city shares of the suggested set so far


@dataclass
class Suggestion:
    lines: list[SuggestionLine] = field(default_factory=list)
    budget: int = 0

    @property
    def chosen(self) -> list[object]:
        return [line.candidate.key for line in self.lines if line.suggested]

    @property
    def total(self) -> int:
        return sum(line.candidate.cost for line in self.lines if line.suggested)


def suggest(
    ranked: Sequence[Candidate],
    *,
    budget: int,
    per_district_limit: int | None = None,
    reserve: int = 0,
) -> Suggestion:
    """Start from the decisions on record, then walk the ranking best first and
    take every undecided proposal that still fits the budget and the district
    limit; a skipped large proposal leaves room for a smaller one further down.
    Each skip says why, against what was really left at that point.

    With a ``reserve`` (the call's budget for continuation projects) there are
    two pots: continuation proposals (``reserved``) are funded from the
    reserve only, the others from the rest of the budget only. Each line's
    ``remaining_before`` and ``running_total`` are then those of its pot."""
    result = Suggestion(budget=budget)
    pots = {True: reserve, False: budget - reserve} if reserve else {False: budget}

    def pot(candidate: Candidate) -> bool:
        return bool(reserve) and candidate.reserved

    spent = dict.fromkeys(pots, 0)
    per_district: dict[object, int] = {}
    for candidate in ranked:
        if candidate.decided is True:
            spent[pot(candidate)] += candidate.cost
            per_district[candidate.district] = (
                per_district.get(candidate.district, 0) + 1
            )
    for candidate in ranked:
        own = pot(candidate)
        remaining = pots[own] - spent[own]
        line = SuggestionLine(
            candidate=candidate, suggested=False, remaining_before=remaining
        )
        if candidate.decided is True:
            line.suggested = True  # already counted in ``spent``
        elif candidate.decided is False:
            line.skip_reason = SkipReason.DECIDED_NOT_SELECTED
        elif not candidate.fully_reviewed:
            line.skip_reason = SkipReason.NOT_REVIEWED
        elif (
            per_district_limit is not None
            and per_district.get(candidate.district, 0) >= per_district_limit
        ):
            line.skip_reason = SkipReason.DISTRICT_LIMIT
        elif candidate.cost > remaining:
            line.skip_reason = SkipReason.OVER_BUDGET
            line.over_by = candidate.cost - remaining
        else:
            line.suggested = True
            spent[own] += candidate.cost
            per_district[candidate.district] = (
                per_district.get(candidate.district, 0) + 1
            )
        line.running_total = spent[own]
        result.lines.append(line)
    return result
