"""The 2019 money of the nine Incheon projects: each agreement drafted from its
plan and signed in December 2018, and the city's share paid in two tranches —
half in January, the rest in July once the June report was accepted.

Then the year's settlements (정산, ``seed_settlements``): filed in January 2020
by the seven projects whose reports are all accepted — the year's spending a
little under the budget, the small unspent city money and the interest
returned (반납) — while 부평구's and 서구's open October drafts keep those two
unsettled, to walk.

Runs after the reports (the second tranche's condition reads June's report).
Idempotent: a project that has an agreement (a settlement) is left as it is.
"""

from datetime import date, datetime

from django.db import transaction

from accounts.models import User
from projects.models import Project
from projects.months import SEOUL

from . import services
from .models import Agreement, Settlement, SettlementStatus

SIGNED_ON = date(2018, 12, 20)
SIGNED_AT = datetime(2018, 12, 20, 15, 0, tzinfo=SEOUL)
CITY_SIGNATORY = ("인천광역시 일자리경제과장", "김상생")
DISTRICT_SIGNATORY_TITLE = "일자리정책과장"
# (planned date, requested, approved, paid) of the two tranches.
FIRST = (
    date(2019, 1, 15),
    datetime(2019, 1, 7, 10, 0, tzinfo=SEOUL),
    datetime(2019, 1, 10, 14, 0, tzinfo=SEOUL),
    datetime(2019, 1, 15, 11, 0, tzinfo=SEOUL),
)
SECOND = (
    date(2019, 7, 15),
    datetime(2019, 7, 8, 10, 0, tzinfo=SEOUL),
    datetime(2019, 7, 11, 14, 0, tzinfo=SEOUL),
    datetime(2019, 7, 15, 11, 0, tzinfo=SEOUL),
)
CONDITION_MONTH = date(2019, 6, 1)


def _officer(project: Project) -> User:
    from reporting.demo import _officer as district_officer

    return district_officer(project)


@transaction.atomic
def seed_funding() -> list[Agreement]:
    city_user = User.objects.get(username="city")
    agreements = []
    projects = Project.objects.filter(call__year=2018).select_related("district")
    for project in projects.order_by("code"):
        existing = services.agreement_in_force(project)
        if existing is not None:
            agreements.append(existing)
            continue
        agreement = services.agreement_draft(
            actor=city_user, project=project, now=SIGNED_AT
        )
        first = agreement.city_share // 2
        services.tranche_schedule_set(
            actor=city_user,
            project=project,
            rows=[
                services.TrancheRow(planned_on=FIRST[0], amount=first),
                services.TrancheRow(
                    planned_on=SECOND[0],
                    amount=agreement.city_share - first,
                    condition_month=CONDITION_MONTH,
                ),
            ],
        )
        agreement = services.agreement_sign(
            actor=city_user,
            agreement=agreement,
            signed_on=SIGNED_ON,
            city_signatory_name=CITY_SIGNATORY[1],
            city_signatory_title=CITY_SIGNATORY[0],
            district_signatory_name=f"{project.district.name_ko} 담당관",
            district_signatory_title=DISTRICT_SIGNATORY_TITLE,
            now=SIGNED_AT,
        )
        officer = _officer(project)
        for tranche, (_planned, requested, approved, paid) in zip(
            project.tranches.order_by("number"), (FIRST, SECOND), strict=True
        ):
            tranche = services.tranche_request(
                actor=officer, tranche=tranche, amount=tranche.amount, now=requested
            )
            tranche = services.tranche_approve(
                actor=city_user, tranche=tranche, now=approved
            )
            services.tranche_pay(
                actor=city_user,
                tranche=tranche,
                paid_on=paid.date(),
                amount=tranche.amount,
                now=paid,
            )
        agreements.append(agreement)
    return agreements


# --- the settlements (정산) -----------------------------------------------------

SETTLEMENT_STARTED_AT = datetime(2020, 1, 8, 10, 0, tzinfo=SEOUL)
SETTLEMENT_SUBMITTED_AT = datetime(2020, 1, 13, 10, 0, tzinfo=SEOUL)
SETTLEMENT_ACCEPTED_AT = datetime(2020, 1, 16, 14, 0, tzinfo=SEOUL)
RETURN_PAID_ON = date(2020, 1, 17)
RETURN_RECORDED_AT = datetime(2020, 1, 17, 15, 0, tzinfo=SEOUL)
# The year's spending by category: 98 % of the agreed budget, in thousands of
# won (a small unspent balance); the interest the subsidy account earned:
# 0.37 % of the city's money received (odd won, returned whole by the rule).
SPENT_PERCENT = 98
INTEREST_PER_TEN_THOUSAND = 37
YEAR_END_REASON = "10~12월 집행분 포함(월별 실적 보고 이후 연말 정산 증빙으로 확인)"


def _year_spending(line_amount: int) -> int:
    return line_amount * SPENT_PERCENT // 100 // 1_000 * 1_000


def settleable_demo_projects() -> list[Project]:
    """The 2018 call's projects whose year can be settled: a signed agreement
    and every report filed accepted (a settlement refuses an open report, so
    부평구's and 서구's open October drafts keep those two unsettled)."""
    from reporting.models import MonthlyReport, ReportStatus

    open_projects = (
        MonthlyReport.objects.exclude(status=ReportStatus.ACCEPTED)
        .values_list("project_id", flat=True)
        .distinct()
    )
    return [
        project
        for project in Project.objects.filter(call__year=2018)
        .exclude(pk__in=open_projects)
        .select_related("district")
        .order_by("code")
        if services.agreement_in_force(project) is not None
    ]


def _file_settlement(project: Project, city_user: User) -> None:
    """The district files the year (the reports' January–September, plus the
    last quarter shown by the settlement's evidence), the city checks it,
    accepts it and records the return (반납)."""
    from . import settlement_services as settling

    officer = _officer(project)
    settlement = settling.settlement_start(
        actor=officer, project=project, now=SETTLEMENT_STARTED_AT
    )
    budget = {
        line.code: line.amount
        for line in services.agreement_in_force(project).budget_lines.all()
    }
    lines = {}
    for line in settlement.lines.all():
        spent = max(line.reported, _year_spending(budget.get(line.code, 0)))
        lines[line.pk] = (spent, YEAR_END_REASON if spent != line.reported else "")
    received = sum(t.paid_amount or 0 for t in project.tranches.all())
    settlement = settling.settlement_save(
        actor=officer,
        settlement=settlement,
        lines=lines,
        interest=received * INTEREST_PER_TEN_THOUSAND // 10_000,
        note="보조금 전용 계좌 이자 포함",
    )
    settlement = settling.settlement_submit(
        actor=officer, settlement=settlement, now=SETTLEMENT_SUBMITTED_AT
    )
    settlement = settling.settlement_accept(
        actor=city_user, settlement=settlement, now=SETTLEMENT_ACCEPTED_AT
    )
    if settlement.status == SettlementStatus.ACCEPTED:
        settling.settlement_record_return(
            actor=city_user,
            settlement=settlement,
            amount=settlement.returned,
            paid_on=RETURN_PAID_ON,
            reference=f"세입반납-2020-{project.code}",
            now=RETURN_RECORDED_AT,
        )


@transaction.atomic
def seed_settlements() -> list[Settlement]:
    """The settlements of the 2019 year, filed in January 2020 after the
    project's last month: spending 98 % of the budget, the small unspent city
    money and the interest returned. Idempotent: a project that has a
    settlement is left as it is."""
    city_user = User.objects.get(username="city")
    for project in settleable_demo_projects():
        if not Settlement.objects.filter(project=project).exists():
            _file_settlement(project, city_user)
    return list(
        Settlement.objects.filter(project__call__year=2018).order_by("project__code")
    )
