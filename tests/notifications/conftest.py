import pytest
from wagtail.users.models import UserProfile

from tests.projects.fixtures import bupyeong_project, seogu_project  # noqa: F401


def reads_english(user):
    """The person chose English in their account settings."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def english_officer(orgs):
    from accounts.roles import Role
    from tests.factories import UserFactory

    return reads_english(
        UserFactory(
            username="t-bupyeong-en",
            organisation=orgs["BP"],
            role=Role.DISTRICT_OFFICER,
        )
    )
