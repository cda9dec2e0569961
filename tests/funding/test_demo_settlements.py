"""The Incheon demo walks the whole 2019 year: seven settlements filed,
accepted and their small return paid, six projects closed, 남동구's settled
and left to close, 부평구's and 서구's open (their October drafts). Every
figure a demo settlement stores is recomputed here from scratch — from the
accepted reports, the tranches paid, the agreement and the lines as filed —
and compared (the "recomputable" rule)."""

import pytest
from django.core.management import call_command
from django.db.models import Sum

from closeout.models import ProjectClosure
from funding.models import (
    AgreementStatus,
    Settlement,
    SettlementReturn,
    SettlementStatus,
    TrancheStatus,
)
from funding.settlement_inputs import settlement_inputs
from funding.settlement_rules import compute_settlement
from indicators.builtins import SPENDING
from projects.models import Project, ProjectStatus
from reporting.models import ReportValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", "--quiet-accounts")
    counts = (Settlement.objects.count(), ProjectClosure.objects.count())
    call_command("seed_demo", "--quiet-accounts")
    return counts


def _from_scratch(settlement: Settlement) -> dict[str, int]:
    """The settlement rule worked by hand on the records: one agreement
    version for the year, so one ratio; the interest all the city's."""
    project = settlement.project
    agreement = project.agreements.get(status=AgreementStatus.SIGNED)
    spent = sum(line.spent for line in settlement.lines.all())
    city_spent = spent * agreement.city_share // agreement.total_amount
    received = (
        project.tranches.filter(status=TrancheStatus.PAID).aggregate(
            total=Sum("paid_amount")
        )["total"]
        or 0
    )
    city_unspent = max(0, received - city_spent)
    return {
        "spent": spent,
        "city_spent": city_spent,
        "district_spent": spent - city_spent,
        "city_received": received,
        "district_contributed": agreement.district_share,
        "city_unspent": city_unspent,
        "interest_returned": settlement.interest,
        "returned": city_unspent + settlement.interest,
    }


def _reported_by_category(project) -> dict[str, int]:
    rows = (
        ReportValue.objects.filter(
            version__report__project=project, measure=SPENDING, in_force=True
        )
        .exclude(key="total")
        .values("key")
        .annotate(total=Sum("value"))
    )
    return {row["key"]: int(row["total"]) for row in rows}


def _seven_settled_and_every_figure_recomputes(demo):
    assert demo == (Settlement.objects.count(), ProjectClosure.objects.count())
    settlements = list(Settlement.objects.select_related("project__district"))
    assert sorted(s.project.district.code for s in settlements) == [
        "DG",
        "GY",
        "GY",
        "MH",
        "ND",
        "OJ",
        "YS",
    ]
    for settlement in settlements:
        assert settlement.status == SettlementStatus.SETTLED
        expected = _from_scratch(settlement)
        stored = settlement.figures()
        assert {name: stored[name] for name in expected} == expected, settlement
        recomputed = compute_settlement(settlement_inputs(settlement.project))
        for name, value in stored.items():
            assert value == getattr(recomputed, name), (settlement, name)
        # A small unspent balance: returned, and under 3 % of the city's money.
        assert 0 < settlement.city_unspent < settlement.city_received * 3 // 100
        assert settlement.interest > 0
        paid = SettlementReturn.objects.get(settlement=settlement)
        assert paid.amount == settlement.returned and not paid.reason
        # The lines start from the accepted reports; each correction says why.
        reported = _reported_by_category(settlement.project)
        lines = list(settlement.lines.all())
        assert {line.code: line.reported for line in lines} == reported
        assert all(line.reason for line in lines if line.spent != line.reported)


def _the_settled_are_closed_but_one_and_two_stay_open():
    status = {
        (p.district.code, p.title): p.status
        for p in Project.objects.filter(call__year=2018).select_related("district")
    }
    closed = sorted(code for (code, _t), s in status.items() if s == "closed")
    assert closed == ["DG", "GY", "GY", "MH", "OJ", "YS"]
    still_open = sorted(
        code for (code, _t), s in status.items() if s == ProjectStatus.ACTIVE
    )
    assert still_open == ["BP", "ND", "SG"]
    assert not Settlement.objects.filter(project__district__code__in=["BP", "SG"])


def test_the_demo_year_is_settled_recomputably_and_closed_but_three(demo):
    """One seeding (a minute), checked from both sides."""
    _seven_settled_and_every_figure_recomputes(demo)
    _the_settled_are_closed_but_one_and_two_stay_open()
