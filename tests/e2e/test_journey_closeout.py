"""Journey: the end of a 2019 project. The district officer writes and submits
the final report of 부평구's project (which ended in December 2019), the city
manager accepts it and closes the project; the public outcomes page lists it
among the completed projects.

The demo's final reports are accepted already, so the journey starts by
taking 부평구's away (the data set up for the test); closing needs nothing
else on this branch (settlement and site visits register their conditions
when they land: set their data up here then)."""

import pytest

from closeout.models import FinalReport
from projects.models import Project, ProjectStatus

from .steps.closeout import closeout_steps


@pytest.mark.journey("closeout")
def test_a_final_report_goes_from_the_district_to_a_closed_project(journey):
    project = Project.objects.get(call__year=2018, district__code="BP")
    FinalReport.objects.filter(project=project).delete()

    district_page = journey.person()
    journey.sign_in(district_page, "bupyeong")
    city_page = journey.person()
    journey.sign_in(city_page, "city")

    closeout_steps(journey, city_page, district_page, project)

    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED
    report = FinalReport.objects.get(project=project)
    assert report.status == "accepted"
    assert report.current.snapshot["jobs_total"]["result"] > 0
