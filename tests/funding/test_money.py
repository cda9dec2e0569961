"""The split of a total by the call's ratio, in whole won: the city's share is
rounded down to the won, the district's is the rest."""

import pytest

from funding import services
from funding.money import split_by_ratio
from tests.competitions.conftest import make_call

from .conftest import funded_project

# (total, city %, city share, district share)
CASES = [
    (100_000_000, 50, 50_000_000, 50_000_000),
    (100_000_001, 50, 50_000_000, 50_000_001),  # the odd won is the district's
    (135_000_000, 50, 67_500_000, 67_500_000),
    (1, 50, 0, 1),
    (0, 50, 0, 0),
    (99, 70, 69, 30),  # 69.3 → 69
    (100_000_003, 70, 70_000_002, 30_000_001),  # 70,000,002.1 → 70,000,002
    (33_333_333, 30, 9_999_999, 23_333_334),  # 9,999,999.9 → 9,999,999 (never up)
    (10, 33, 3, 7),  # 3.3 → 3
    (999_999_999, 60, 599_999_999, 400_000_000),  # 599,999,999.4
    (150_000_000, 100, 150_000_000, 0),
    (150_000_001, 0, 0, 150_000_001),
    (7, 75, 5, 2),  # 5.25 → 5
]


@pytest.mark.parametrize(("total", "percent", "city", "district"), CASES)
def test_city_share_is_rounded_down_and_the_district_takes_the_rest(
    total, percent, city, district
):
    assert split_by_ratio(total, percent) == (city, district)
    assert city + district == total


@pytest.mark.parametrize("total", [-1, 1.5, True])
def test_a_total_that_is_not_whole_won_is_refused(total):
    with pytest.raises(ValueError):
        split_by_ratio(total, 50)


@pytest.mark.parametrize(
    ("city_plan", "district_plan", "city", "district"),
    [
        (70_000_002, 30_000_001, 70_000_002, 30_000_001),
        # The plan's own split is off by a won: the call's ratio decides.
        (70_000_003, 30_000_000, 70_000_002, 30_000_001),
        (69, 30, 69, 30),
    ],
)
def test_the_agreement_splits_the_plans_total_by_the_calls_ratio(
    call_index, orgs, city_manager, city_plan, district_plan, city, district
):
    call_70 = make_call(
        call_index, slug="call-70", city_share_percent=70, district_share_percent=30
    )
    project = funded_project(
        orgs["BP"], call_70, city_share=city_plan, district_share=district_plan
    )
    agreement = services.agreement_draft(actor=city_manager, project=project)
    assert agreement.city_share_percent == 70
    assert (agreement.city_share, agreement.district_share) == (city, district)
    assert agreement.total_amount == city_plan + district_plan
