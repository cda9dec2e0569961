"""One district, one output code, two units: kept apart on both roads of the
roll-up (by project and by district), pending figures too."""

from datetime import date

import pytest
from django.utils import translation

from reporting.evaluation import selectors
from tests.projects.fixtures import make_project, plan_data
from tests.reporting.helpers import accept_month, figures, file_month

JAN, FEB = date(2019, 1, 1), date(2019, 2, 1)


@pytest.fixture
def mixed_units(orgs, bupyeong_officer, city_manager):
    """Two Bupyeong-gu projects both report "visits": one counts 회, the other 건."""
    coaching = make_project(orgs["BP"])
    outputs = [
        {
            "code": "households",
            "name_ko": "방문 가구",
            "name_en": "Households visited",
            "unit_ko": "가구",
            "unit_en": "households",
            "target": 100,
        },
        {
            "code": "visits",
            "name_ko": "상담 건수",
            "name_en": "Consultations",
            "unit_ko": "건",
            "unit_en": "",
            "target": 50,
        },
    ]
    counselling = make_project(
        orgs["BP"], title="상담 사업", plan=plan_data(outputs=outputs)
    )
    accept_month(
        coaching,
        bupyeong_officer,
        city_manager,
        JAN,
        values=figures(households=100, visits=280),
    )
    accept_month(
        counselling,
        bupyeong_officer,
        city_manager,
        JAN,
        values=figures(households=10, visits=7),
    )
    file_month(
        counselling, bupyeong_officer, FEB, values=figures(households=5, visits=3)
    )
    return coaching, counselling


def test_a_district_with_one_code_in_two_units_keeps_them_apart(mixed_units, orgs):
    for projects in (True, False):  # listed one by one, or summed by district only
        rollup = selectors.rollup(year=2019, month=2, projects=projects)
        bupyeong = rollup.district("BP").outputs
        assert bupyeong["households"].value == 110
        assert (bupyeong["visits.회"].value, bupyeong["visits.건"].value) == (280, 7)
        assert (bupyeong["visits.회"].target, bupyeong["visits.건"].target) == (
            2_600,
            50,
        )
        assert rollup.totals.outputs["visits.건"].value == 7
    own_view = selectors.rollup(
        year=2019, month=2, district=orgs["BP"], include_pending=True
    )
    pending = {key: o.pending for key, o in own_view.district("BP").outputs.items()}
    assert pending == {"households": 5, "visits.회": 0, "visits.건": 3}


def test_a_unit_without_english_shows_its_english_name_or_the_korean_one(mixed_units):
    with translation.override("en"):
        rollup = selectors.rollup(year=2019, month=1)
        assert rollup.district("BP").outputs["visits.건"].unit == "cases"
        assert rollup.district("BP").outputs["visits.회"].unit == "visits"
    assert selectors._unit_en("켤레", "") == ""  # no English known: the Korean is shown
