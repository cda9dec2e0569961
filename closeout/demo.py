"""The final reports of the nine Incheon 2019 projects: each written by its
district's officer after the year ended, submitted in January 2020 and
accepted by the city, so the outcomes page lists them as completed projects.

Then ``seed_closures`` closes the projects whose close conditions all hold
(final report accepted, settlement settled, findings closed) — all but
남동구's, kept settled and ready to close, so a new user can close one; 부평구's
and 서구's stay open (their October drafts keep them unsettled).

Runs after the reports, the money and the settlements. Idempotent: a project that has a final
report is left as it is.
"""

from datetime import datetime

from django.db import transaction

from accounts.models import User
from projects.models import Project
from projects.months import SEOUL

from . import services
from .conditions import unmet_close_conditions
from .models import FinalReport, ProjectClosure
from .selectors import project_outcome

SUBMITTED_AT = datetime(2020, 1, 20, 10, 0, tzinfo=SEOUL)
ACCEPTED_AT = datetime(2020, 1, 30, 14, 0, tzinfo=SEOUL)
CLOSED_AT = datetime(2020, 2, 3, 10, 0, tzinfo=SEOUL)
# Settled and ready, left for a new user to close.
LEFT_TO_CLOSE = ("ND",)

PROBLEMS = (
    "하반기 참여자 모집이 늦어져 일부 일자리가 10월 이후로 밀렸다. 월별 실적 보고가 "
    "두 달 늦은 적이 있다.",
    "Recruitment for the second half started late, so some jobs moved past "
    "October; two monthly reports were late.",
)
LESSONS = (
    "모집을 연초에 시작하고, 협력 기관과 분기마다 실적을 점검한다.",
    "Start recruiting at the beginning of the year and review results with the "
    "delivery partners every quarter.",
)


def _achievements(project: Project) -> tuple[str, str]:
    outcome = project_outcome(project, now=SUBMITTED_AT)
    jobs = outcome["jobs_total"]
    korean = (
        f"{project.title}: 2019년 9월까지 일자리 {jobs['result']}개를 만들었다"
        f"(목표 {jobs['target']}개)."
    )
    english = (
        f"{project.title_en or project.title}: {jobs['result']} jobs created by "
        f"September 2019 (target {jobs['target']})."
    )
    return korean, english


def _officer(project: Project) -> User:
    from reporting.demo import _officer as district_officer

    return district_officer(project)


@transaction.atomic
def seed_final_reports() -> list[FinalReport]:
    city_user = User.objects.get(username="city")
    reports = []
    projects = Project.objects.filter(call__year=2018).select_related("district")
    for project in projects.order_by("code"):
        existing = FinalReport.objects.filter(project=project).first()
        if existing is not None:
            reports.append(existing)
            continue
        achievements, achievements_en = _achievements(project)
        services.final_report_submit(
            actor=_officer(project),
            project=project,
            texts={
                "achievements": achievements,
                "achievements_en": achievements_en,
                "problems": PROBLEMS[0],
                "problems_en": PROBLEMS[1],
                "lessons": LESSONS[0],
                "lessons_en": LESSONS[1],
            },
            now=SUBMITTED_AT,
        )
        report = FinalReport.objects.get(project=project)
        services.final_report_accept(
            actor=city_user, report=report, comment="", now=ACCEPTED_AT
        )
        report.refresh_from_db()
        reports.append(report)
    return reports


@transaction.atomic
def seed_closures() -> list[ProjectClosure]:
    """Close (through the service) each 2018-call project whose conditions
    all hold, but those left to close. Idempotent: a project that was ever
    closed is left as it is."""
    city_user = User.objects.get(username="city")
    closures = []
    projects = Project.objects.filter(call__year=2018).select_related("district")
    for project in projects.order_by("code"):
        if project.district.code in LEFT_TO_CLOSE:
            continue
        existing = ProjectClosure.objects.filter(project=project).first()
        if existing is not None:
            closures.append(existing)
            continue
        if unmet_close_conditions(project):
            continue
        closures.append(
            services.project_close(actor=city_user, project=project, now=CLOSED_AT)
        )
    return closures
