"""The returned amount (반납액) of a settlement, case by case, written from the
rule in ``funding.settlement_rules`` (not from the code): the city's share of
spending per agreement period rounded down to the won, the unspent city money,
interest by the call's rule."""

from datetime import date

import pytest

from funding.settlement_rules import (
    INTEREST_BY_RATIO,
    INTEREST_KEPT,
    INTEREST_TO_CITY,
    RatioPeriod,
    SettlementInputs,
    SpentLine,
    compute_settlement,
)

M = 1_000_000


def P(month: int, city: int, total: int) -> RatioPeriod:
    return RatioPeriod(date(2019, month, 1), city, total)


def S(month: int, amount: int, category: str = "personnel") -> SpentLine:
    return SpentLine(date(2019, month, 1), category, amount)


def monthly(months, amount, category="personnel"):
    return [S(m, amount, category) for m in months]


H1, H2 = range(1, 7), range(7, 13)

# (case, periods, spending, city received, district contributed, interest,
#  interest rule, expected city share of spending, expected returned)
CASES = [
    (
        "all spent, nothing back",
        [P(1, 50 * M, 100 * M)],
        [S(12, 100 * M)],
        50 * M,
        50 * M,
        0,
        INTEREST_TO_CITY,
        50 * M,
        0,
    ),
    (
        "ten per cent unspent",
        [P(1, 50 * M, 100 * M)],
        [S(12, 90 * M)],
        50 * M,
        50 * M,
        0,
        INTEREST_TO_CITY,
        45 * M,
        5 * M,
    ),
    (
        "odd won: the half won is the district's",
        [P(1, 50 * M, 100 * M)],
        [S(12, 99_999_999)],
        50 * M,
        50 * M,
        0,
        INTEREST_TO_CITY,
        49_999_999,
        1,
    ),
    (
        "a third, all spent",
        [P(1, 33_333_333, 100 * M)],
        [S(12, 100 * M)],
        33_333_333,
        66_666_667,
        0,
        INTEREST_TO_CITY,
        33_333_333,
        0,
    ),
    (
        "a third of ten won is three",
        [P(1, 33_333_333, 100 * M)],
        [S(1, 10)],
        33_333_333,
        66_666_667,
        0,
        INTEREST_TO_CITY,
        3,
        33_333_330,
    ),
    (
        "one won spent at 70 %",
        [P(1, 70 * M, 100 * M)],
        [S(3, 1)],
        70 * M,
        30 * M,
        0,
        INTEREST_TO_CITY,
        0,
        70 * M,
    ),
    (
        "nothing spent: all of it back",
        [P(1, 50 * M, 100 * M)],
        [],
        50 * M,
        50 * M,
        0,
        INTEREST_TO_CITY,
        0,
        50 * M,
    ),
    (
        "the city paid less than its share: nothing back",
        [P(1, 50 * M, 100 * M)],
        [S(12, 100 * M)],
        40 * M,
        50 * M,
        0,
        INTEREST_TO_CITY,
        50 * M,
        0,
    ),
    (
        "interest all to the city",
        [P(1, 50 * M, 100 * M)],
        [S(12, 90 * M)],
        50 * M,
        50 * M,
        123_456,
        INTEREST_TO_CITY,
        45 * M,
        5_123_456,
    ),
    (
        "interest by the money deposited, rounded down",
        [P(1, 50 * M, 100 * M)],
        [S(12, 90 * M)],
        50 * M,
        50 * M,
        12_345,
        INTEREST_BY_RATIO,
        45 * M,
        5_006_172,
    ),
    (
        "interest kept by the district",
        [P(1, 50 * M, 100 * M)],
        [S(12, 90 * M)],
        50 * M,
        50 * M,
        12_345,
        INTEREST_KEPT,
        45 * M,
        5 * M,
    ),
    (
        "interest by ratio with nothing deposited",
        [P(1, 50 * M, 100 * M)],
        [],
        0,
        0,
        100,
        INTEREST_BY_RATIO,
        0,
        0,
    ),
    (
        "interest still returned when the city paid short",
        [P(1, 50 * M, 100 * M)],
        [S(12, 100 * M)],
        40 * M,
        50 * M,
        5_000,
        INTEREST_TO_CITY,
        50 * M,
        5_000,
    ),
    (
        "mid-year rise from 50 % to 60 %: each half at its own ratio",
        [P(1, 50 * M, 100 * M), P(7, 72 * M, 120 * M)],
        monthly(H1, 8 * M) + monthly(H2, 12 * M),
        72 * M,
        48 * M,
        0,
        INTEREST_TO_CITY,
        24 * M + 43_200_000,
        4_800_000,
    ),
    (
        "mid-year fall from 60 % to 40 %",
        [P(1, 60 * M, 100 * M), P(7, 40 * M, 100 * M)],
        [S(6, 50 * M), S(12, 50 * M)],
        60 * M,
        40 * M,
        0,
        INTEREST_TO_CITY,
        30 * M + 20 * M,
        10 * M,
    ),
    (
        "mid-year change, rounded down in each period",
        [P(1, 10 * M, 30 * M), P(7, 20 * M, 30 * M)],
        [S(3, 1 * M), S(9, 1 * M)],
        1 * M,
        1 * M,
        0,
        INTEREST_TO_CITY,
        333_333 + 666_666,
        1,
    ),
    (
        "June is before the change, July after",
        [P(1, 50 * M, 100 * M), P(7, 80 * M, 100 * M)],
        [S(6, 10 * M), S(7, 10 * M)],
        13 * M,
        7 * M,
        0,
        INTEREST_TO_CITY,
        5 * M + 8 * M,
        0,
    ),
    (
        "three periods",
        [P(1, 50, 100), P(5, 60, 100), P(9, 40, 100)],
        monthly(range(1, 13), 1 * M),
        7 * M,
        5 * M,
        0,
        INTEREST_TO_CITY,
        2 * M + 2_400_000 + 1_600_000,
        1 * M,
    ),
    (
        "spending across categories adds up before the split",
        [P(1, 1, 3)],
        [S(4, 101, "personnel"), S(4, 100, "operations")],
        100,
        200,
        0,
        INTEREST_TO_CITY,
        67,
        33,
    ),
    (
        "all district money",
        [P(1, 0, 100 * M)],
        [S(12, 50 * M)],
        0,
        100 * M,
        0,
        INTEREST_TO_CITY,
        0,
        0,
    ),
    (
        "all city money, one won unspent",
        [P(1, 100 * M, 100 * M)],
        [S(12, 99_999_999)],
        100 * M,
        0,
        0,
        INTEREST_TO_CITY,
        99_999_999,
        1,
    ),
    (
        "billions, no floating point",
        [P(1, 3_333_333_333, 9_999_999_999)],
        [S(12, 9_999_999_998)],
        3_333_333_333,
        6_666_666_666,
        0,
        INTEREST_TO_CITY,
        3_333_333_332,
        1,
    ),
    (
        "monthly spending at a third, rounded once per period",
        [P(1, 1, 3)],
        monthly(range(1, 13), 1),
        4,
        8,
        0,
        INTEREST_TO_CITY,
        4,
        0,
    ),
]


@pytest.mark.parametrize(
    "periods, spending, received, contributed, interest, rule, city_spent, returned",
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_the_returned_amount_follows_the_rule(
    periods, spending, received, contributed, interest, rule, city_spent, returned
):
    result = compute_settlement(
        SettlementInputs(
            periods=tuple(periods),
            spending=tuple(spending),
            city_received=received,
            district_contributed=contributed,
            interest=interest,
            interest_rule=rule,
        )
    )

    assert result.city_spent == city_spent
    assert result.returned == returned
    assert result.spent == sum(line.amount for line in spending)
    assert result.city_spent + result.district_spent == result.spent
    assert result.returned == result.city_unspent + result.interest_returned
    assert all(isinstance(v, int) for v in (result.returned, result.city_spent))


def test_there_are_at_least_twenty_cases():
    assert len(CASES) >= 20


def test_the_city_short_of_its_share_is_shown_not_returned():
    result = compute_settlement(
        SettlementInputs((P(1, 50 * M, 100 * M),), (S(12, 100 * M),), 40 * M, 50 * M)
    )

    assert (result.returned, result.city_shortfall) == (0, 10 * M)


def test_categories_share_the_period_figure_to_the_won():
    result = compute_settlement(
        SettlementInputs(
            (P(1, 1, 3),),
            (S(4, 101, "personnel"), S(4, 100, "operations")),
            100,
            200,
        )
    )

    (period,) = result.periods
    split = {c.category: (c.spent, c.city, c.district) for c in period.categories}
    # 67 won over 101 : 100 — personnel's remainder is larger, it takes the won.
    assert split == {"personnel": (101, 34, 67), "operations": (100, 33, 67)}
    assert sum(c.city for c in period.categories) == period.city_spent == 67


def test_each_period_says_its_months():
    result = compute_settlement(
        SettlementInputs((P(1, 50, 100), P(7, 60, 100)), (S(6, 10), S(7, 10)), 11, 9)
    )

    first, second = result.periods
    assert (first.first_month, first.last_month) == (date(2019, 1, 1), date(2019, 6, 1))
    assert (second.first_month, second.last_month) == (date(2019, 7, 1), None)
    assert (first.city_spent, second.city_spent) == (5, 6)


@pytest.mark.parametrize(
    "inputs, message",
    [
        (SettlementInputs((), (), 0, 0), "at least one"),
        (SettlementInputs((P(7, 1, 2), P(1, 1, 2)), (), 0, 0), "in order"),
        (SettlementInputs((P(1, 3, 2),), (), 0, 0), "more than the total"),
        (SettlementInputs((P(3, 1, 2),), (S(2, 5),), 0, 0), "before the first"),
        (SettlementInputs((P(1, 1, 2),), (S(2, -5),), 0, 0), "whole number"),
        (SettlementInputs((P(1, 1, 2),), (S(2, 2.5),), 0, 0), "whole number"),
        (SettlementInputs((P(1, 1, 2),), (), 0, 0, 1, "half"), "interest rule"),
    ],
)
def test_inputs_the_rule_cannot_settle_are_refused(inputs, message):
    with pytest.raises(ValueError, match=message):
        compute_settlement(inputs)
