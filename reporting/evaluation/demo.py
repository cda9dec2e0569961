"""The demo's evaluation of the 2018 call's projects and the 2019 outcomes page.

The scheme weighs job achievement 40, output achievement 20, execution rate 20,
timely reporting 10 and the reviewers' qualitative score 10, grades 대상 (1),
최우수 (2), 우수 (3) and 장려 (60 points or more), and feeds the 2020 call:
bonus points by grade, continuation for the top three tiers. The evaluation is
run on the figures to September 2019 and published. Idempotent.
"""

from datetime import datetime
from decimal import Decimal

from django.db import transaction

from accounts.models import User
from cms.models import HomePage
from competitions.models import CallPage
from projects.models import Project
from projects.months import SEOUL

from .models import (
    EvaluationReviewer,
    EvaluationScheme,
    GradeTier,
    OutcomesPage,
    ProjectEvaluation,
    QualitativeScore,
)
from .services import evaluation_compute, evaluation_publish

TIERS = [
    ("대상", "Grand prize", 1, None, Decimal("5.0"), True),
    ("최우수", "Top excellence", 2, None, Decimal("3.0"), True),
    ("우수", "Excellence", 3, None, Decimal("2.0"), True),
    ("장려", "Encouragement", None, Decimal("60"), Decimal("1.0"), False),
]
# reviewer1, reviewer2 → score per district code (both projects of Gyeyang-gu alike).
QUALITATIVE = {
    "DG": (82, 78),
    "MH": (88, 90),
    "YS": (85, 80),
    "ND": (75, 79),
    "BP": (95, 92),
    "GY": (80, 84),
    "SG": (90, 86),
    "OJ": (77, 73),
}
ASSIGNED_AT = datetime(2019, 10, 14, 9, 0, tzinfo=SEOUL)
SCORED_AT = datetime(2019, 10, 21, 17, 0, tzinfo=SEOUL)
DEMO_COMMENT = "월별 실적과 현장 점검 결과를 바탕으로 평가함."
EVALUATED_AT = datetime(2019, 10, 25, 15, 0, tzinfo=SEOUL)
PUBLISHED_AT = datetime(2019, 10, 31, 10, 0, tzinfo=SEOUL)

OUTCOMES_INTRO = (
    "<p>2018년 공모로 선정된 구·군 특화일자리사업이 2019년에 만든 일자리와 서비스 실적입니다. "
    "시가 승인한 월별 실적 보고만 집계합니다.</p>"
)
OUTCOMES_INTRO_EN = (
    "<p>The jobs and services that the district projects selected in the 2018 call delivered in "
    "2019. Only monthly reports accepted by the city are counted.</p>"
)


@transaction.atomic
def seed_evaluation() -> EvaluationScheme:
    call_2018 = CallPage.objects.get(year=2018)
    scheme = EvaluationScheme.objects.filter(call=call_2018).first()
    if scheme is None:
        scheme = EvaluationScheme(
            call=call_2018,
            year=2019,
            as_of_month=9,
            weight_jobs=40,
            weight_outputs=20,
            weight_execution=20,
            weight_timeliness=10,
            weight_qualitative=10,
            trim_qualitative=True,
            next_call=CallPage.objects.filter(year=2020).first(),
        )
        for order, (
            name_ko,
            name_en,
            count,
            threshold,
            bonus,
            continuation,
        ) in enumerate(TIERS):
            scheme.tiers.add(
                GradeTier(
                    name_ko=name_ko,
                    name_en=name_en,
                    count=count,
                    threshold=threshold,
                    bonus_points=bonus,
                    continuation=continuation,
                    sort_order=order,
                )
            )
        scheme.save()
    reviewers = list(
        User.objects.filter(username__in=["reviewer1", "reviewer2"]).order_by(
            "username"
        )
    )
    # The two reviewers the city assigned entered these scores themselves
    # (written here directly: the grades were published in 2019).
    for reviewer in reviewers:
        EvaluationReviewer.objects.get_or_create(
            scheme=scheme,
            reviewer=reviewer,
            defaults={"assigned_at": ASSIGNED_AT},
        )
    if (
        len(reviewers) == 2
        and not QualitativeScore.objects.filter(scheme=scheme).exists()
    ):
        for project in Project.objects.filter(call=call_2018).select_related(
            "district"
        ):
            for reviewer, score in zip(
                reviewers, QUALITATIVE.get(project.district.code, (70, 70)), strict=True
            ):
                QualitativeScore.objects.create(
                    scheme=scheme,
                    project=project,
                    reviewer=reviewer,
                    score=score,
                    comment=DEMO_COMMENT,
                    entered_at=SCORED_AT,
                )
    if (
        not ProjectEvaluation.objects.filter(scheme=scheme).exists()
        and scheme.published_at is None
    ):
        evaluation_compute(scheme=scheme, actor=None, now=EVALUATED_AT)
        evaluation_publish(scheme=scheme, actor=None, now=PUBLISHED_AT)
    return scheme


@transaction.atomic
def seed_outcomes_page() -> OutcomesPage:
    home = HomePage.objects.first()
    page = OutcomesPage.objects.filter(year=2019).first()
    if page is None:
        page = home.add_child(
            instance=OutcomesPage(
                title="2019 상생협력 특화일자리 성과",
                title_en="2019 win-win job projects: outcomes",
                slug="outcomes-2019",
                intro=OUTCOMES_INTRO,
                intro_en=OUTCOMES_INTRO_EN,
                year=2019,
                call=CallPage.objects.filter(year=2018).first(),
            )
        )
        page.save_revision().publish()
    return page


def seed_evaluation_demo() -> None:
    seed_evaluation()
    seed_outcomes_page()
