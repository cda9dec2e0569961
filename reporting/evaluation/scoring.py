"""The arithmetic of roll-ups and evaluation, as pure functions of plain numbers,
so each rule can be checked against examples computed by hand.

* Achievement and execution rate are percentages (result ÷ target × 100); no
  target means no percentage (None), never a division by zero.
* Year-over-year growth is (now − then) ÷ then × 100: 181 → 500 is +176.2 %.
* An evaluation score is the weighted mean of the measures a project has, each
  measure capped at 100 % so that overshooting one target cannot buy off another;
  a measure a project lacks (say, no qualitative score) drops out and the other
  weights are scaled up to the same total.
* The qualitative score is the mean of the reviewers' scores or, with at least
  ``TRIM_MINIMUM_SCORES`` of them, the mean without one highest and one lowest.
* Grades are given in tiers, best first: a tier takes either the next ``count``
  projects of the ranking or every remaining project at or above a threshold.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TRIM_MINIMUM_SCORES = 5
ONE_PLACE = Decimal("0.1")
TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def percent(part, whole, *, places: Decimal = ONE_PLACE) -> Decimal | None:
    """part ÷ whole × 100, rounded half up; None when there is no whole."""
    if not whole:
        return None
    return (_decimal(part) * HUNDRED / _decimal(whole)).quantize(
        places, rounding=ROUND_HALF_UP
    )


def achievement(result: int, target: int) -> Decimal | None:
    """Jobs (or an output) achieved against the target, in %."""
    return percent(result, target)


def execution_rate(spent: int, budget: int) -> Decimal | None:
    """Money spent against the budget, in %."""
    return percent(spent, budget)


def cost_per_job(spent: int, jobs: int) -> int | None:
    """KRW spent per job created, rounded to the won; None without a job."""
    if not jobs:
        return None
    return int(
        (Decimal(spent) / Decimal(jobs)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    )


def growth(now: int, then: int) -> Decimal | None:
    """Year-over-year growth in %: 181 → 500 is +176.2."""
    if not then:
        return None
    return percent(now - then, then)


def capped(value: Decimal | None, cap: Decimal = HUNDRED) -> Decimal | None:
    return None if value is None else min(_decimal(value), cap)


def mean(values: Sequence) -> Decimal | None:
    values = [_decimal(v) for v in values if v is not None]
    if not values:
        return None
    return sum(values, Decimal(0)) / len(values)


def trimmed_mean(
    scores: Sequence, *, minimum: int = TRIM_MINIMUM_SCORES
) -> Decimal | None:
    """The mean, leaving out one highest and one lowest score when there are at
    least ``minimum`` of them (as Korean public evaluations commonly do)."""
    kept = sorted(_decimal(s) for s in scores if s is not None)
    if not kept:
        return None
    if len(kept) >= minimum:
        kept = kept[1:-1]
    return sum(kept, Decimal(0)) / len(kept)


def weighted_score(
    measures: Mapping[str, Decimal | None], weights: Mapping[str, int | Decimal]
) -> Decimal | None:
    """The weighted mean of the measures (each capped at 100) over the weights of
    the measures present, on a 0–100 scale, to two places."""
    total_weight = Decimal(0)
    total = Decimal(0)
    for name, weight in weights.items():
        value = measures.get(name)
        if value is None or not weight:
            continue
        total_weight += _decimal(weight)
        total += _decimal(weight) * capped(value)
    if not total_weight:
        return None
    return (total / total_weight).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Tier:
    """A grade: the next ``count`` projects, or all remaining at ≥ ``threshold``."""

    key: object
    count: int | None = None
    threshold: Decimal | None = None


def assign_grades(
    ranked: Sequence[tuple[object, Decimal | None]], tiers: Sequence[Tier]
) -> dict[object, object]:
    """``ranked`` is (project key, score), best first. Returns project key → tier
    key for every graded project; projects without a score get no grade."""
    remaining = [(key, _decimal(score)) for key, score in ranked if score is not None]
    grades: dict[object, object] = {}
    for tier in tiers:
        if tier.count is not None:
            taken = remaining[: tier.count]
            if tier.threshold is not None:
                taken = [(k, s) for k, s in taken if s >= tier.threshold]
        elif tier.threshold is not None:
            taken = [(k, s) for k, s in remaining if s >= tier.threshold]
        else:
            taken = []
        for key, _score in taken:
            grades[key] = tier.key
        taken_keys = {key for key, _score in taken}
        remaining = [(k, s) for k, s in remaining if k not in taken_keys]
    return grades


def signed_percent(value: Decimal | None) -> str:
    """'+176.2 %' / '−3.0 %' / '–' for display."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{abs(value)} %"
