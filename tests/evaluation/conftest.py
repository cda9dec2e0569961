from datetime import date

import pytest

from tests.projects.fixtures import bupyeong_project, seogu_project  # noqa: F401
from tests.reporting.helpers import accept_month, figures, file_month

JAN, FEB, MAR = date(2019, 1, 1), date(2019, 2, 1), date(2019, 3, 1)


@pytest.fixture
def two_districts(
    bupyeong_project,
    seogu_project,  # noqa: F811
    bupyeong_officer,
    seogu_officer,
    city_manager,
):
    """Bupyeong-gu: January and February accepted (3 + 2 jobs, 100 + 120
    households). Seo-gu: January accepted (4 jobs), February submitted and
    waiting for the city (5 more jobs, 149 households)."""
    accept_month(
        bupyeong_project,
        bupyeong_officer,
        city_manager,
        JAN,
        values=figures(women=3, households=100),
    )
    accept_month(
        bupyeong_project,
        bupyeong_officer,
        city_manager,
        FEB,
        values=figures(women=2, employed_women=5, households=120),
    )
    accept_month(
        seogu_project,
        seogu_officer,
        city_manager,
        JAN,
        values=figures(women=4, households=50),
    )
    waiting = file_month(
        seogu_project,
        seogu_officer,
        FEB,
        values=figures(women=5, employed_women=9, households=149),
    )
    return {"waiting": waiting}
