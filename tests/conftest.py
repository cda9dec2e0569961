import pytest

from accounts.demo import seed_organisations
from accounts.roles import Role

from .factories import UserFactory


@pytest.fixture
def orgs(db):
    """Incheon, its ten districts and counties, and the outside-reviewers body, by code."""
    return seed_organisations()


@pytest.fixture
def city_manager(orgs):
    return UserFactory(username="t-city", organisation=orgs["ICN"], role=Role.CITY_MANAGER)


@pytest.fixture
def reviewer(orgs):
    return UserFactory(username="t-reviewer", organisation=orgs["EXP"], role=Role.REVIEWER)


@pytest.fixture
def bupyeong_officer(orgs):
    return UserFactory(username="t-bupyeong", organisation=orgs["BP"], role=Role.DISTRICT_OFFICER)


@pytest.fixture
def bupyeong_approver(orgs):
    return UserFactory(
        username="t-bupyeong-approver", organisation=orgs["BP"], role=Role.DISTRICT_APPROVER
    )


@pytest.fixture
def seogu_officer(orgs):
    return UserFactory(username="t-seogu", organisation=orgs["SG"], role=Role.DISTRICT_OFFICER)


@pytest.fixture
def home_page(db):
    from cms.demo import seed_home_page

    return seed_home_page()
