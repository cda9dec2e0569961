"""The settlement rule (정산): what a district returns to the city when a
project ends. Pure arithmetic on whole won, no database, so the rule can be
read, tested case by case and recomputed from the records at any time.

The rule, as the statement (정산서) prints it:

1. **Spending by source.** The project's spending is split between the city
   (시비) and the district (구비) period by period, each period governed by the
   agreement version in force from its first month (a change request signed
   mid-year starts a new period with its own ratio). The city's share of a
   period's spending is ``spent × city share ÷ total`` of that version,
   **rounded down to the won** (원 미만 절사); the district's share is the rest.
   This is the rounding of ``funding.money.split_by_ratio``: the odd won is
   always the district's, so the city never claims a fraction it did not pay.
2. **Unspent city money.** What the city paid (교부액, the tranches paid) minus
   the city's share of the spending, never below zero. If the city's share of
   the spending is more than it paid, nothing is returned and the difference
   is shown as the city's shortfall (a matter of the next tranche, not of a
   return).
3. **Interest** earned on the subsidy account, as the call says:
   ``to_city`` (all of it, the default: interest on a subsidy belongs to whoever
   granted it), ``by_ratio`` (the city's part of the money deposited, city paid ÷
   (city paid + district contributed), rounded down to the won) or ``kept``
   (none).
4. **Returned (반납액)** = unspent city money + interest returned.

Within a period, the city's share is also shown by budget category (비목); the
categories' shares are the period's share divided by the largest-remainder
method, so they always add up to the period's figure exactly.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

INTEREST_TO_CITY = "to_city"
INTEREST_BY_RATIO = "by_ratio"
INTEREST_KEPT = "kept"
INTEREST_RULES = (INTEREST_TO_CITY, INTEREST_BY_RATIO, INTEREST_KEPT)


@dataclass(frozen=True)
class RatioPeriod:
    """From ``first_month`` on (until the next period), the agreement version
    with this city share of this total governs the split."""

    first_month: date
    city_share: int
    total: int


@dataclass(frozen=True)
class SpentLine:
    """Money spent in one month on one budget category (비목), in won."""

    month: date
    category: str
    amount: int


@dataclass(frozen=True)
class SettlementInputs:
    periods: tuple[RatioPeriod, ...]
    spending: tuple[SpentLine, ...]
    city_received: int
    district_contributed: int
    interest: int = 0
    interest_rule: str = INTEREST_TO_CITY


@dataclass(frozen=True)
class CategorySplit:
    category: str
    spent: int
    city: int
    district: int


@dataclass(frozen=True)
class PeriodSplit:
    first_month: date
    last_month: date | None
    city_share: int
    total: int
    spent: int
    city_spent: int
    district_spent: int
    categories: tuple[CategorySplit, ...]


@dataclass(frozen=True)
class SettlementResult:
    periods: tuple[PeriodSplit, ...]
    spent: int
    city_spent: int
    district_spent: int
    city_received: int
    district_contributed: int
    city_unspent: int
    city_shortfall: int
    district_unspent: int
    interest: int
    interest_returned: int
    returned: int


def _whole_won(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number of won, 0 or more")
    return value


def _check(inputs: SettlementInputs) -> None:
    if not inputs.periods:
        raise ValueError("a settlement needs at least one agreement period")
    months = [p.first_month for p in inputs.periods]
    if months != sorted(months) or len(set(months)) != len(months):
        raise ValueError("agreement periods must be in order, one per first month")
    for period in inputs.periods:
        _whole_won("city share", period.city_share)
        _whole_won("total", period.total)
        if period.city_share > period.total:
            raise ValueError("the city share cannot be more than the total")
    for line in inputs.spending:
        _whole_won("spending", line.amount)
        if line.month < inputs.periods[0].first_month:
            raise ValueError("spending before the first agreement period")
    _whole_won("city money received", inputs.city_received)
    _whole_won("district contribution", inputs.district_contributed)
    _whole_won("interest", inputs.interest)
    if inputs.interest_rule not in INTEREST_RULES:
        raise ValueError(f"unknown interest rule {inputs.interest_rule!r}")


def city_part(amount: int, city_share: int, total: int) -> int:
    """The city's part of ``amount`` at city share ÷ total, rounded down to
    the won (all of it is the district's when the total is 0)."""
    return amount * city_share // total if total else 0


def _largest_remainder(
    city_total: int, spent_by_category: dict[str, int], spent: int
) -> dict[str, int]:
    """Divide ``city_total`` over the categories in proportion to their
    spending, whole won each, adding up exactly (ties: the larger spending,
    then the category code, first)."""
    if not spent:
        return {code: 0 for code in spent_by_category}
    floors = {
        code: amount * city_total // spent for code, amount in spent_by_category.items()
    }
    left = city_total - sum(floors.values())
    order = sorted(
        spent_by_category,
        key=lambda code: (
            -(spent_by_category[code] * city_total % spent),
            -spent_by_category[code],
            code,
        ),
    )
    for code in order[:left]:
        floors[code] += 1
    return floors


def _period_of(month: date, periods: tuple[RatioPeriod, ...]) -> int:
    index = 0
    for i, period in enumerate(periods):
        if period.first_month <= month:
            index = i
    return index


def _last_month_before(first_month: date) -> date:
    if first_month.month == 1:
        return date(first_month.year - 1, 12, 1)
    return date(first_month.year, first_month.month - 1, 1)


def compute_settlement(inputs: SettlementInputs) -> SettlementResult:
    """The settlement of one project by the rule above."""
    _check(inputs)
    by_period: list[dict[str, int]] = [defaultdict(int) for _ in inputs.periods]
    for line in inputs.spending:
        by_period[_period_of(line.month, inputs.periods)][line.category] += line.amount

    splits = []
    for i, period in enumerate(inputs.periods):
        categories = dict(sorted(by_period[i].items()))
        spent = sum(categories.values())
        city = city_part(spent, period.city_share, period.total)
        city_by_category = _largest_remainder(city, categories, spent)
        following = inputs.periods[i + 1] if i + 1 < len(inputs.periods) else None
        splits.append(
            PeriodSplit(
                first_month=period.first_month,
                last_month=_last_month_before(following.first_month)
                if following
                else None,
                city_share=period.city_share,
                total=period.total,
                spent=spent,
                city_spent=city,
                district_spent=spent - city,
                categories=tuple(
                    CategorySplit(
                        code,
                        amount,
                        city_by_category[code],
                        amount - city_by_category[code],
                    )
                    for code, amount in categories.items()
                ),
            )
        )

    spent = sum(s.spent for s in splits)
    city_spent = sum(s.city_spent for s in splits)
    district_spent = spent - city_spent
    city_unspent = max(0, inputs.city_received - city_spent)
    if inputs.interest_rule == INTEREST_TO_CITY:
        interest_returned = inputs.interest
    elif inputs.interest_rule == INTEREST_BY_RATIO:
        deposited = inputs.city_received + inputs.district_contributed
        interest_returned = city_part(inputs.interest, inputs.city_received, deposited)
    else:
        interest_returned = 0
    return SettlementResult(
        periods=tuple(splits),
        spent=spent,
        city_spent=city_spent,
        district_spent=district_spent,
        city_received=inputs.city_received,
        district_contributed=inputs.district_contributed,
        city_unspent=city_unspent,
        city_shortfall=max(0, city_spent - inputs.city_received),
        district_unspent=max(0, inputs.district_contributed - district_spent),
        interest=inputs.interest,
        interest_returned=interest_returned,
        returned=city_unspent + interest_returned,
    )
