"""The optimal selection within the budget, as a pure function of plain values.

The greedy suggestion (``scoring.suggest``) walks the ranking and takes what
still fits, so a budget of 100 with requests of 60, 50 and 50 takes only the
60. Here the chosen set is the one that maximises the call's objective — the
total score, or the number of projects (then the total score) — within

* the total budget (the city's share) — or, where the call reserves part of
  it for continuation projects, two budgets: continuation proposals within
  the reserve, the others within the rest,
* each district's maximum number of selections, and
* each district's minimum, where the district has enough eligible proposals,

starting from the decisions on record: a recorded selection is in and uses its
money and place, a recorded rejection is out. Only fully reviewed proposals
with a score are eligible.

It is exact: a 0–1 integer programme solved by HiGHS (``highspy``) with no
optimality gap. Scores are compared to the hundredth, as they are shown, so
every objective is an integer and a gap below one unit proves optimality.
Among sets of equal score the one preferring higher-ranked proposals is
chosen (a rank bonus below the score's last unit); for the count objective a
second solve holds the count at its optimum and maximises the score.

For each eligible proposal left out, the reason is computed, not guessed: the
best set that includes it is solved for and compared with the chosen one
("selecting it would mean dropping A and B, whose scores sum to more").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import highspy
import numpy as np

from .scoring import TWO_PLACES


class Objective:
    SCORE = "score"  # the highest total score
    COUNT = "count"  # the most projects, then the highest total score


class OutReason:
    """Why a proposal is not in the optimal set (stable codes)."""

    DECIDED_NOT_SELECTED = "decided_not_selected"
    NOT_REVIEWED = "not_reviewed"
    OVER_BUDGET_ALONE = "over_budget_alone"  # more than what the record leaves
    DISTRICT_FULL = "district_full"  # the record already fills the district
    MINIMUMS = "minimums"  # with it, a district minimum cannot be met
    TRADE_OFF = "trade_off"  # in, it would push out a better combination
    TIE = "tie"  # an equally good set includes it; rank decided


@dataclass(frozen=True)
class Option:
    key: object
    district: object
    cost: int
    score: Decimal | None
    fully_reviewed: bool = True
    # The decision on record: True selected, False not selected, None undecided.
    decided: bool | None = None
    # A continuation proposal (계속 사업): funded from the call's reserve.
    reserved: bool = False


@dataclass
class Alternative:
    """The best set that includes a left-out proposal, against the chosen one."""

    dropped: list[Option]  # chosen proposals that would have to go
    added: list[Option]  # other proposals that would come in with it
    count: int
    score: Decimal


@dataclass
class OptimalLine:
    option: Option
    chosen: bool
    reason: str = ""  # an OutReason code for a proposal left out
    alternative: Alternative | None = None


@dataclass
class OptimalSelection:
    objective: str
    budget: int
    lines: list[OptimalLine] = field(default_factory=list)
    # Empty when a set was found; otherwise why none can be:
    # "record_over_budget", "record_over_district_limit" or "minimums".
    problem: str = ""
    # District minimums that cannot be met because the district has too few
    # eligible proposals (district → (minimum, reachable)).
    short_minimums: dict[object, tuple[int, int]] = field(default_factory=dict)

    @property
    def chosen(self) -> list[Option]:
        return [line.option for line in self.lines if line.chosen]

    @property
    def total_cost(self) -> int:
        return sum(option.cost for option in self.chosen)

    @property
    def total_score(self) -> Decimal:
        return sum((shown_score(option) for option in self.chosen), Decimal(0))


def shown_score(option: Option) -> Decimal:
    """The score as shown and compared: to the hundredth, half up."""
    if option.score is None:
        return Decimal(0)
    return option.score.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _hundredths(option: Option) -> int:
    return int(shown_score(option) * 100)


def _is_eligible(option: Option) -> bool:
    return option.decided is None and option.fully_reviewed and option.score is not None


class _Programme:
    """The integer programme over the undecided eligible proposals: one 0–1
    column each, a budget row (two with a continuation reserve: one over the
    continuation proposals, one over the others), a maximum and a minimum row
    per district."""

    def __init__(
        self,
        options: Sequence[Option],
        *,
        budget_left: int,
        maximum_left: dict[object, int | None],
        minimum_left: dict[object, int],
        reserve_left: int | None = None,
    ) -> None:
        self.options = list(options)
        size = len(self.options)
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("mip_rel_gap", 0.0)
        # Objectives are integers: a gap below one unit is optimality.
        self.highs.setOptionValue("mip_abs_gap", 0.5)
        self.highs.setOptionValue("threads", 1)
        self.rows = 0
        if not size:
            return
        columns = np.arange(size, dtype=np.int32)
        self.highs.addVars(size, np.zeros(size), np.ones(size))
        self.highs.changeColsIntegrality(
            size, columns, np.array([highspy.HighsVarType.kInteger] * size)
        )
        if reserve_left is None:
            self._add_row(
                -highspy.kHighsInf,
                budget_left,
                columns,
                np.array([option.cost for option in self.options], dtype=float),
            )
        else:
            for reserved, left in ((True, reserve_left), (False, budget_left)):
                indexes = [
                    index
                    for index, option in enumerate(self.options)
                    if option.reserved == reserved
                ]
                if indexes:
                    self._add_row(
                        -highspy.kHighsInf,
                        left,
                        np.array(indexes, dtype=np.int32),
                        np.array([self.options[i].cost for i in indexes], dtype=float),
                    )
        by_district: dict[object, list[int]] = {}
        for index, option in enumerate(self.options):
            by_district.setdefault(option.district, []).append(index)
        for district, indexes in by_district.items():
            upper = maximum_left.get(district)
            lower = minimum_left.get(district, 0)
            if upper is None and not lower:
                continue
            self._add_row(
                lower,
                highspy.kHighsInf if upper is None else upper,
                np.array(indexes, dtype=np.int32),
                np.ones(len(indexes)),
            )

    def _add_row(
        self,
        lower: float,
        upper: float,
        columns: np.ndarray,
        values: np.ndarray,
    ) -> None:
        self.highs.addRow(lower, upper, len(columns), columns, values)
        self.rows += 1

    def maximise(self, weights: Sequence[int]) -> tuple[list[int], int] | None:
        """The indexes of the best 0–1 solution for ``weights`` and its value,
        or None when no solution satisfies the rows."""
        size = len(self.options)
        if not size:
            return [], 0
        self.highs.changeColsCost(
            size,
            np.arange(size, dtype=np.int32),
            np.array([-weight for weight in weights], dtype=float),
        )
        self.highs.run()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        values = self.highs.getSolution().col_value
        chosen = [index for index in range(size) if values[index] > 0.5]
        return chosen, sum(weights[index] for index in chosen)

    def hold_at_least(self, weights: Sequence[int], value: int) -> None:
        """Add the row ``weights · x ≥ value`` (keep an objective at its optimum)."""
        size = len(self.options)
        self._add_row(
            value,
            highspy.kHighsInf,
            np.arange(size, dtype=np.int32),
            np.array(weights, dtype=float),
        )

    def drop_last_row(self) -> None:
        self.rows -= 1
        self.highs.deleteRows(1, np.array([self.rows], dtype=np.int32))

    def force(self, index: int, chosen: bool) -> None:
        bound = 1.0 if chosen else 0.0
        self.highs.changeColBounds(index, bound, 1.0)


def optimal_selection(
    ranked: Sequence[Option],
    *,
    budget: int,
    objective: str = Objective.SCORE,
    per_district_limit: int | None = None,
    per_district_minimum: int | None = None,
    explain: bool = True,
    reserve: int = 0,
) -> OptimalSelection:
    """The best set within the budget and the district rules, from the
    decisions on record; ``ranked`` is the ranking, best first (its order
    breaks ties between equally good sets). With ``explain``, each eligible
    proposal left out gets its best alternative set. With a ``reserve``,
    continuation proposals (``reserved``) are funded within the reserve and
    the others within ``budget - reserve``."""
    result = OptimalSelection(objective=objective, budget=budget)
    recorded = [option for option in ranked if option.decided is True]
    spent = sum(option.cost for option in recorded)
    # What each pot has left after the record: one pot without a reserve.
    if reserve:
        spent_reserved = sum(option.cost for option in recorded if option.reserved)
        pot_left = {
            True: reserve - spent_reserved,
            False: budget - reserve - (spent - spent_reserved),
        }
    else:
        pot_left = {True: budget - spent, False: budget - spent}
    placed: dict[object, int] = {}
    for option in recorded:
        placed[option.district] = placed.get(option.district, 0) + 1
    eligible = [option for option in ranked if _is_eligible(option)]
    districts = {option.district for option in ranked}

    maximum_left: dict[object, int | None] = {
        district: None
        if per_district_limit is None
        else per_district_limit - placed.get(district, 0)
        for district in districts
    }
    minimum_left: dict[object, int] = {}
    if per_district_minimum:
        for district in districts:
            wanted = max(per_district_minimum - placed.get(district, 0), 0)
            available = sum(1 for option in eligible if option.district == district)
            upper = maximum_left[district]
            reachable = min(available, wanted if upper is None else min(upper, wanted))
            if reachable < wanted:
                result.short_minimums[district] = (
                    per_district_minimum,
                    placed.get(district, 0) + reachable,
                )
            minimum_left[district] = reachable

    if spent > budget or min(pot_left.values()) < 0:
        result.problem = "record_over_budget"
    elif any(left is not None and left < 0 for left in maximum_left.values()):
        result.problem = "record_over_district_limit"

    programme = _Programme(
        eligible,
        budget_left=pot_left[False],
        reserve_left=pot_left[True] if reserve else None,
        maximum_left={
            district: None if left is None else max(left, 0)
            for district, left in maximum_left.items()
        },
        minimum_left=minimum_left,
    )
    score_weights = [_hundredths(option) for option in eligible]
    count_weights = [1] * len(eligible)
    primary = count_weights if objective == Objective.COUNT else score_weights
    # The score, and below its last unit a preference for higher-ranked
    # proposals: among sets of equal score the better-ranked one wins.
    ranked_scores = _with_rank_preference(score_weights)
    best = None
    if not result.problem:
        best = programme.maximise(
            count_weights if objective == Objective.COUNT else ranked_scores
        )
    if best is None:
        result.problem = result.problem or "minimums"
        for option in ranked:
            result.lines.append(
                OptimalLine(
                    option=option,
                    chosen=option.decided is True,
                    reason=_reason_on_record(option),
                )
            )
        return result
    chosen_indexes = best[0]
    if objective == Objective.COUNT:
        # As many projects as possible, then the best score among those sets.
        programme.hold_at_least(count_weights, best[1])
        found = programme.maximise(ranked_scores)
        programme.drop_last_row()
        if found is not None:
            chosen_indexes = found[0]

    chosen_set = set(chosen_indexes)
    index_of = {id(option): index for index, option in enumerate(eligible)}
    best_count = len(chosen_set) + len(recorded)
    best_score = sum(
        (shown_score(eligible[index]) for index in chosen_set), Decimal(0)
    ) + sum((shown_score(option) for option in recorded), Decimal(0))

    for option in ranked:
        index = index_of.get(id(option))
        if index is None:
            result.lines.append(
                OptimalLine(
                    option=option,
                    chosen=option.decided is True,
                    reason=_reason_on_record(option),
                )
            )
            continue
        if index in chosen_set:
            result.lines.append(OptimalLine(option=option, chosen=True))
            continue
        line = OptimalLine(option=option, chosen=False)
        if explain:
            line.reason, line.alternative = _explain(
                programme,
                index,
                primary,
                chosen_set,
                budget_left=pot_left[option.reserved],
                district_left=maximum_left.get(option.district),
                recorded=recorded,
                best=(best_count, best_score),
                objective=objective,
            )
        result.lines.append(line)
    return result


def _with_rank_preference(score_weights: Sequence[int]) -> list[int]:
    """Each score (in hundredths) times K, plus a rank bonus that adds up to
    less than K over any set: the best score stays the first aim, and only
    among equal scores does the bonus of higher-ranked proposals decide. The
    values stay integers well inside a double's exact range (300 proposals:
    about 10^11)."""
    size = len(score_weights)
    scale = size * (size + 1) // 2 + 1
    return [
        weight * scale + (size - index) for index, weight in enumerate(score_weights)
    ]


def _reason_on_record(option: Option) -> str:
    if option.decided is True:
        return ""
    if option.decided is False:
        return OutReason.DECIDED_NOT_SELECTED
    return OutReason.NOT_REVIEWED


def _explain(
    programme: _Programme,
    index: int,
    primary: Sequence[int],
    chosen_set: set[int],
    *,
    budget_left: int,
    district_left: int | None,
    recorded: Sequence[Option],
    best: tuple[int, Decimal],
    objective: str,
) -> tuple[str, Alternative | None]:
    option = programme.options[index]
    if option.cost > budget_left:
        return OutReason.OVER_BUDGET_ALONE, None
    if district_left is not None and district_left <= 0:
        return OutReason.DISTRICT_FULL, None
    programme.force(index, True)
    try:
        found = programme.maximise(primary)
        if (
            found is not None
            and objective == Objective.COUNT
            and found[1] + len(recorded) == best[0]
        ):
            # As many projects with it: the best score among those sets.
            score_weights = [_hundredths(option) for option in programme.options]
            programme.hold_at_least(primary, found[1])
            try:
                found = programme.maximise(score_weights) or found
            finally:
                programme.drop_last_row()
    finally:
        programme.force(index, False)
    if found is None:
        return OutReason.MINIMUMS, None
    with_it = set(found[0])
    options = programme.options
    alternative = Alternative(
        dropped=[options[i] for i in sorted(chosen_set - with_it)],
        added=[options[i] for i in sorted(with_it - chosen_set - {index})],
        count=len(with_it) + len(recorded),
        score=sum((shown_score(options[i]) for i in with_it), Decimal(0))
        + sum((shown_score(option) for option in recorded), Decimal(0)),
    )
    best_count, best_score = best
    if objective == Objective.COUNT:
        equal = (alternative.count, alternative.score) == (best_count, best_score)
    else:
        equal = alternative.score == best_score
    return (OutReason.TIE if equal else OutReason.TRADE_OFF), alternative
