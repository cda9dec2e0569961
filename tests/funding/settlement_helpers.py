"""A project that has ended (January–March 2019, every month accepted, the
city's share paid) ready to be settled, for the settlement's tests."""

from datetime import date, datetime

from funding import services
from projects.months import SEOUL
from tests.reporting.helpers import accept_month

from .conftest import funded_project, sign

JAN, FEB, MAR = date(2019, 1, 1), date(2019, 2, 1), date(2019, 3, 1)
AFTER_END = datetime(2019, 4, 10, 10, 0, tzinfo=SEOUL)
PAID_ON = date(2019, 1, 15)


def ended_project(district, call, city, officer, *, title="정산 시험 사업"):
    """City share 30,000,000 of 60,000,000 paid in full; 9,000,001 won spent
    each month (7,000,001 personnel, 2,000,000 operations): 27,000,003 spent,
    the city's half 13,500,001 (rounded down), 16,499,999 to return."""
    project = funded_project(
        district,
        call,
        title=title,
        city_share=30_000_000,
        district_share=30_000_000,
        period_end="2019-03-01",
    )
    agreement = services.agreement_draft(actor=city, project=project)
    services.tranche_schedule_set(
        actor=city,
        project=project,
        rows=[services.TrancheRow(planned_on=PAID_ON, amount=agreement.city_share)],
    )
    sign(agreement, city)
    tranche = project.tranches.get()
    now = datetime(2019, 1, 15, 10, 0, tzinfo=SEOUL)
    tranche = services.tranche_request(
        actor=officer, tranche=tranche, amount=tranche.amount, now=now
    )
    tranche = services.tranche_approve(actor=city, tranche=tranche, now=now)
    services.tranche_pay(
        actor=city, tranche=tranche, paid_on=PAID_ON, amount=tranche.amount, now=now
    )
    for month in (JAN, FEB, MAR):
        accept_month(
            project,
            officer,
            city,
            month,
            values=_figures(),
        )
    return project


def _figures():
    from tests.reporting.helpers import figures

    return figures(personnel=7_000_001, operations=2_000_000)
