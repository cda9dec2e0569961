"""Journey 5: a project's money from the grant agreement to its close, in the
browser, by a city manager and a district officer: the agreement drafted,
scheduled and signed; both tranches requested, approved and paid; a site
visit with a finding answered and closed; the settlement filed, returned,
filed again, accepted and the unspent money paid back; the final report
submitted and accepted; the project closed.

The demo's projects have their whole year on record already, so the journey
takes a project of its own: 부평구's second project in the demo's 2018 call,
with a plan and nothing else."""

import pytest

from accounts.models import Organisation
from competitions.models import CallPage
from projects.models import ProjectStatus
from tests.funding.conftest import funded_project

from .steps.agreement import agreement_steps
from .steps.closeout import closeout_steps
from .steps.settlement import settlement_steps
from .steps.visits import visit_steps


@pytest.fixture
def fresh_project():
    call = CallPage.objects.get(year=2018)
    district = Organisation.objects.get(code="BP")
    return funded_project(
        district,
        call,
        title="여성 새일 일자리 연계",
    )


@pytest.mark.journey("5-money-to-close", screen_set=True)
def test_a_project_goes_from_agreement_to_close_in_the_browser(
    journey, fresh_project, tmp_path
):
    city = journey.person()
    assert journey.sign_in(city, "city"), "a city manager signs in with a code"
    district = journey.person()
    journey.sign_in(district, "bupyeong")

    agreement = agreement_steps(journey, city, district, fresh_project)

    assert agreement.city_share == sum(
        t.paid_amount for t in fresh_project.tranches.all()
    )
    finding = visit_steps(journey, city, district, fresh_project)
    assert finding.status == "closed"
    settlement_steps(journey, city, district, fresh_project, tmp_path)
    closeout_steps(journey, city, district, fresh_project)

    fresh_project.refresh_from_db()
    assert fresh_project.status == ProjectStatus.CLOSED
