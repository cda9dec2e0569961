"""Projects for tests, made through the service (no competitions needed)."""

from datetime import date

import pytest

from projects.months import SEOUL  # noqa: F401
from projects.services import project_create
from tests.indicators import catalogue_indicators


def plan_data(**overrides) -> dict:
    catalogue_indicators()  # the outputs below name these catalogue entries
    data = {
        "period_start": "2019-01-01",
        "period_end": "2019-12-01",
        "city_share": 67_500_000,
        "district_share": 67_500_000,
        "target_groups": [
            {
                "code": "women",
                "name_ko": "경력단절여성",
                "name_en": "Career-interrupted women",
                "planned_jobs": 27,
            },
            {
                "code": "seniors",
                "name_ko": "어르신",
                "name_en": "Seniors",
                "planned_jobs": 5,
            },
        ],
        "outputs": [
            {"code": "households", "target": 960},
            {"code": "visits", "target": 2_600},
        ],
        "budget_lines": [
            {
                "code": "personnel",
                "name_ko": "인건비",
                "name_en": "Personnel",
                "amount": 94_500_000,
            },
            {
                "code": "operations",
                "name_ko": "운영비",
                "name_en": "Operations",
                "amount": 40_500_000,
            },
        ],
    }
    data.update(overrides)
    return data


def make_project(district, *, title="찾아가는 육아코칭활동가 양성", **kwargs):
    kwargs.setdefault("plan", plan_data())
    return project_create(district=district, title=title, actor=None, **kwargs)


@pytest.fixture
def bupyeong_project(orgs):
    return make_project(orgs["BP"])


@pytest.fixture
def seogu_project(orgs):
    return make_project(orgs["SG"], title="검단일반산업단지 무빙콜")


JAN = date(2019, 1, 1)
FEB = date(2019, 2, 1)
MAR = date(2019, 3, 1)
