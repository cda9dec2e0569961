"""Journey: a site visit (현장점검) of a demo project, from the city's plan to
the closed finding, in the browser (the steps are tests/e2e/steps/visits.py)."""

import pytest

from projects.models import Project

from .steps.visits import visit_steps


@pytest.mark.journey("site-visit")
def test_a_site_visit_goes_from_plan_to_a_closed_finding(journey):
    # The demo's own 부평구 project, the one selected from a proposal: the
    # money journey adds a second 부평구 project of its own to the same call.
    project = Project.objects.get(
        call__year=2018, district__code="BP", source_proposal__isnull=False
    )
    city = journey.person()
    journey.sign_in(city, "city")
    officer = journey.person()
    journey.sign_in(officer, "bupyeong")
    finding = visit_steps(journey, city, officer, project)
    assert finding.closed_on is not None
    assert finding.visit.project == project
