"""The one site visit of the Incheon 2019 demo: the city visits 부평구's
project in July 2019, goes through the default checklist (the attendance
records were not up to date), records one moderate finding, which the
district answers in August and the city closes.

Runs after the money (the visit is of a funded project); runs silenced, as
the rest of the demo (history tells nobody). Idempotent: a project that has
a visit is left as it is. No figure of the demo changes.
"""

from datetime import date, datetime

from django.db import transaction

from accounts.models import User
from projects.models import Project
from projects.months import SEOUL

from . import services
from .models import Answer, SiteVisit

DISTRICT_CODE = "BP"
PLANNED_AT = datetime(2019, 6, 24, 10, 0, tzinfo=SEOUL)
VISIT_DAY = date(2019, 7, 10)
RECORDED_AT = datetime(2019, 7, 11, 16, 0, tzinfo=SEOUL)
ANSWERED_AT = datetime(2019, 8, 2, 11, 0, tzinfo=SEOUL)
CLOSED_AT = datetime(2019, 8, 6, 14, 0, tzinfo=SEOUL)
FINDING_DUE = date(2019, 8, 9)


def _officer(project: Project) -> User:
    from reporting.demo import _officer as district_officer

    return district_officer(project)


@transaction.atomic
def seed_inspections() -> SiteVisit | None:
    city_user = User.objects.get(username="city")
    project = (
        Project.objects.filter(call__year=2018, district__code=DISTRICT_CODE)
        .order_by("code")
        .first()
    )
    if project is None:
        return None
    existing = project.site_visits.first()
    if existing is not None:
        return existing
    visit = services.visit_plan(
        actor=city_user,
        project=project,
        planned_on=VISIT_DAY,
        inspectors=[city_user],
        purpose="상반기 현장점검: 참여자 근무 실태와 보조금 집행 증빙 확인",
        now=PLANNED_AT,
    )
    answers = [
        services.AnswerRow(Answer.OK),
        services.AnswerRow(
            Answer.NOT_OK, "6월분 근무일지 일부 미작성(활동가 3명, 5일분)"
        ),
        services.AnswerRow(Answer.OK),
        services.AnswerRow(Answer.OK),
        services.AnswerRow(Answer.OK),
    ]
    visit = services.visit_record(
        actor=city_user,
        visit=visit,
        visited_on=VISIT_DAY,
        answers=answers,
        summary="근로계약과 집행 증빙은 적정함. 근무일지 작성 관리 보완 필요.",
        now=RECORDED_AT,
    )
    finding = services.finding_record(
        actor=city_user,
        visit=visit,
        text="6월 근무일지가 일부 작성되지 않아 활동 시간을 확인할 수 없음",
        severity="moderate",
        corrective_action="누락된 근무일지를 보완하고 주 단위 확인 절차를 마련하여 제출",
        due_on=FINDING_DUE,
        now=RECORDED_AT,
    )
    finding = services.finding_answer(
        actor=_officer(project),
        finding=finding,
        answer="누락분 근무일지를 보완하였고, 주 1회 담당자가 확인·서명하는 절차를 마련함.",
        now=ANSWERED_AT,
    )
    services.finding_close(
        actor=city_user,
        finding=finding,
        note="보완 내용 확인, 종결함.",
        now=CLOSED_AT,
    )
    return visit
