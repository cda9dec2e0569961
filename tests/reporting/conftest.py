import pytest  # noqa: E402

from tests.projects.fixtures import bupyeong_project, seogu_project  # noqa: F401


@pytest.fixture
def signoff_call(home_page, orgs):
    """A call whose monthly reports need the district approver's sign-off."""
    from competitions.models import CallIndexPage
    from tests.competitions.conftest import make_call

    index = home_page.add_child(instance=CallIndexPage(title="공모", slug="calls"))
    return make_call(index, slug="call-signoff", requires_approver_signoff=True)
