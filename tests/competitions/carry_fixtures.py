"""Projects with a published grade, for continuation (계속 사업) and copies."""

from decimal import Decimal

import pytest
from django.utils import timezone

from reporting.evaluation.models import (
    EvaluationScheme,
    GradeTier,
    ProjectEvaluation,
)
from tests.projects.fixtures import make_project


def grade(*projects, continuation=True, published=True):
    """Grade the projects (all of one call) under that call's evaluation: a
    tier that allows continuation or not, published or not."""
    scheme = EvaluationScheme.objects.create(call=projects[0].call, year=2019)
    tier = GradeTier.objects.create(
        scheme=scheme,
        name_ko="대상" if continuation else "장려",
        name_en="Grand prize" if continuation else "Encouragement",
        count=len(projects),
        continuation=continuation,
    )
    for rank, project in enumerate(projects, start=1):
        ProjectEvaluation.objects.create(
            scheme=scheme,
            project=project,
            score=Decimal("91.50"),
            rank=rank,
            grade=tier,
            computed_at=timezone.now(),
        )
    if published:
        scheme.published_at = timezone.now()
        scheme.save(update_fields=["published_at"])
    return projects[0]


@pytest.fixture
def old_project(call, orgs):
    """부평구's project of the 2018 call (2019: 27 + 5 jobs, 960 households,
    2,600 visits, KRW 67.5M + 67.5M in two budget lines)."""
    return make_project(orgs["BP"], call=call)


@pytest.fixture
def graded_project(old_project):
    return grade(old_project)


@pytest.fixture
def both_graded(old_project, call, orgs):
    """부평구's and 서구's 2018 projects, both graded for continuation."""
    seogu = make_project(orgs["SG"], call=call, title="검단일반산업단지 무빙콜")
    grade(old_project, seogu)
    return {"BP": old_project, "SG": seogu}
