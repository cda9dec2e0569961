"""The 2019 money of the nine Incheon projects: each agreement drafted from its
plan and signed in December 2018, and the city's share paid in two tranches —
half in January, the rest in July once the June report was accepted.

Runs after the reports (the second tranche's condition reads June's report).
Idempotent: a project that has an agreement is left as it is.
"""

from datetime import date, datetime

from django.db import transaction

from accounts.models import User
from projects.models import Project
from projects.months import SEOUL

from . import services
from .models import Agreement

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
