from datetime import date, datetime

import pytest

from closeout import services
from closeout.models import FinalReport
from projects.months import SEOUL
from tests.competitions.conftest import call, call_index  # noqa: F401
from tests.funding.conftest import funded_project, signed_project
from tests.reporting.helpers import accept_month

# The demo-like project runs January to December 2019.
AFTER_END = datetime(2020, 1, 20, 10, 0, tzinfo=SEOUL)
BEFORE_END = datetime(2019, 12, 31, 23, 0, tzinfo=SEOUL)
DECIDED = datetime(2020, 1, 30, 14, 0, tzinfo=SEOUL)
JAN, FEB = date(2019, 1, 1), date(2019, 2, 1)

TEXTS = {
    "achievements": "경력단절여성 27명을 육아코칭활동가로 양성했다.",
    "achievements_en": "27 career-interrupted women trained as parenting coaches.",
    "problems": "하반기 모집이 늦었다.",
    "problems_en": "",
    "lessons": "모집을 연초에 시작한다.",
    "lessons_en": "",
}


@pytest.fixture
def project(orgs, call, city_manager, bupyeong_officer):  # noqa: F811
    """부평구's project with its agreement signed and two months accepted."""
    project = funded_project(orgs["BP"], call)
    signed_project(project, city_manager)
    accept_month(project, bupyeong_officer, city_manager, JAN)
    accept_month(project, bupyeong_officer, city_manager, FEB)
    project.refresh_from_db()
    return project


def submitted(project, officer, *, now=AFTER_END, **texts) -> FinalReport:
    services.final_report_submit(
        actor=officer, project=project, texts={**TEXTS, **texts}, now=now
    )
    return FinalReport.objects.get(project=project)


def accepted(project, officer, city, **texts) -> FinalReport:
    report = submitted(project, officer, **texts)
    services.final_report_accept(actor=city, report=report, now=DECIDED)
    report.refresh_from_db()
    return report


@pytest.fixture(autouse=True)
def closeout_rules_only(request):
    """These tests are about closeout's own mechanism: the conditions and
    sections that funding (settlement) and inspections (findings) register
    at start-up are set aside, then put back. ``tests/closeout/
    test_registered_by_apps.py`` checks those registrations themselves."""
    if request.node.get_closest_marker("with_app_registrations"):
        yield
        return
    from closeout import conditions, sections
    from funding.settlement import settlement_close_blocker
    from inspections.selectors import close_blocker

    conditions_before = list(conditions._CONDITIONS)
    sections_before = dict(sections._SECTIONS)
    for fn in (settlement_close_blocker, close_blocker):
        conditions.unregister_close_condition(fn)
    for key in ("settlement", "findings"):
        sections.unregister_final_report_section(key)
    yield
    conditions._CONDITIONS[:] = conditions_before
    sections._SECTIONS.clear()
    sections._SECTIONS.update(sections_before)
