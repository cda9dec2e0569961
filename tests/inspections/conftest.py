from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inspections import services
from inspections.models import Answer
from projects.months import SEOUL
from tests.competitions.conftest import call, call_index  # noqa: F401
from tests.funding.conftest import funded_project

PLANNED_AT = datetime(2019, 6, 24, 10, 0, tzinfo=SEOUL)
VISITED = date(2019, 7, 10)
RECORDED_AT = datetime(2019, 7, 11, 16, 0, tzinfo=SEOUL)
DUE = date(2019, 8, 9)
AUGUST = datetime(2019, 8, 2, 11, 0, tzinfo=SEOUL)


def pdf(name="evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "application/pdf"
    )


def all_in_order(count=5):
    return [services.AnswerRow(Answer.OK) for _ in range(count)]


def plan(project, city_manager, **overrides):
    values = {
        "planned_on": VISITED,
        "inspectors": [city_manager],
        "purpose": "상반기 현장점검",
        "now": PLANNED_AT,
        **overrides,
    }
    return services.visit_plan(actor=city_manager, project=project, **values)


def record(visit, city_manager, answers=None):
    return services.visit_record(
        actor=city_manager,
        visit=visit,
        visited_on=VISITED,
        answers=answers or all_in_order(),
        now=RECORDED_AT,
    )


def add_finding(visit, city_manager, **overrides):
    values = {
        "text": "근무일지 일부 미작성",
        "severity": "moderate",
        "corrective_action": "근무일지 보완 후 제출",
        "due_on": DUE,
        "now": RECORDED_AT,
        **overrides,
    }
    return services.finding_record(actor=city_manager, visit=visit, **values)


@pytest.fixture
def project(orgs, call):  # noqa: F811
    return funded_project(orgs["BP"], call)


@pytest.fixture
def seogu_project(orgs, call):  # noqa: F811
    return funded_project(orgs["SG"], call, title="검단일반산업단지 무빙콜")


@pytest.fixture
def visit(project, city_manager):
    return plan(project, city_manager)


@pytest.fixture
def done_visit(visit, city_manager):
    return record(visit, city_manager)


@pytest.fixture
def finding(done_visit, city_manager):
    return add_finding(done_visit, city_manager)
