"""Reads of the money: the dashboard's rows (per project and per district:
agreed, disbursed, still due), always through ``accounts.access``."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import access
from common.columns import call_title
from projects.models import Project

from .models import Agreement, AgreementStatus, Tranche, TrancheStatus
from .settlement_inputs import settlement_inputs_for
from .settlement_rules import compute_settlement

NO_AGREEMENT = "none"

STATUS_CHOICES = [
    (NO_AGREEMENT, gettext_lazy("No agreement yet")),
    (AgreementStatus.DRAFT.value, AgreementStatus.DRAFT.label),
    (AgreementStatus.SIGNED.value, AgreementStatus.SIGNED.label),
]


def percent_text(part: int, whole: int) -> str:
    """``part`` ÷ ``whole`` as a percentage with one decimal, rounded half up
    in whole numbers (no float), or a dash when there is nothing to divide by."""
    if not whole:
        return "–"
    tenths = (part * 2000 + whole) // (2 * whole)
    return f"{tenths // 10:,}.{tenths % 10}%"


@dataclass
class Spending:
    """Spending to date split by source (집행 시비·구비), by the settlement
    rule on the accepted reports so far, and the execution rates."""

    spent: int = 0
    city_spent: int = 0
    district_spent: int = 0
    budget: int = 0  # the agreement's total
    received: int = 0  # city paid + district contributed

    def add(self, other: "Spending") -> None:
        for name in ("spent", "city_spent", "district_spent", "budget", "received"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def budget_rate(self) -> str:
        """Execution against the budget: spent ÷ agreed total."""
        return percent_text(self.spent, self.budget)

    @property
    def received_rate(self) -> str:
        """Execution against the money received: spent ÷ (city paid +
        district contributed)."""
        return percent_text(self.spent, self.received)


def spending_by_project(project_ids: list[int]) -> dict[int, Spending]:
    """Spending by source of each project with a signed agreement, in the
    loader's few queries."""
    inputs = settlement_inputs_for(project_ids)
    totals = dict(
        Agreement.objects.filter(
            project_id__in=list(inputs), status=AgreementStatus.SIGNED
        ).values_list("project_id", "total_amount")
    )
    spending = {}
    for project_id, project_inputs in inputs.items():
        result = compute_settlement(project_inputs)
        spending[project_id] = Spending(
            spent=result.spent,
            city_spent=result.city_spent,
            district_spent=result.district_spent,
            budget=totals.get(project_id, 0),
            received=result.city_received + result.district_contributed,
        )
    return spending


@dataclass
class FundingRow:
    project: Project
    agreement: Agreement | None  # the latest version (a draft amendment included)
    in_force: Agreement | None  # the signed one that governs the money
    paid: int
    spending: Spending = field(default_factory=Spending)

    @property
    def status(self) -> str:
        return self.agreement.status if self.agreement else NO_AGREEMENT

    @property
    def status_label(self) -> str:
        if self.agreement is None:
            return str(STATUS_CHOICES[0][1])
        if self.agreement.status == AgreementStatus.DRAFT and self.in_force:
            return _("Signed; version %(version)s drafted") % {
                "version": self.agreement.version
            }
        return self.agreement.get_status_display()

    @property
    def agreed(self) -> int:
        """The city share of the signed agreement in force (0 before signing)."""
        return self.in_force.city_share if self.in_force else 0

    @property
    def due(self) -> int:
        return self.agreed - self.paid


@dataclass
class DistrictTotal:
    district: object
    projects: int = 0
    agreed: int = 0
    paid: int = 0
    rows: list = field(default_factory=list)
    spending: Spending = field(default_factory=Spending)

    @property
    def due(self) -> int:
        return self.agreed - self.paid


def funding_rows(
    *,
    user,
    call_id: int | None = None,
    district_id: int | None = None,
    status: str = "",
) -> list[FundingRow]:
    """Every project the user may see (narrowed by call, district and the
    latest agreement's status), with what is agreed, paid and still due."""
    projects = access.visible_to(user, Project).select_related("district", "call")
    if call_id:
        projects = projects.filter(call_id=call_id)
    if district_id:
        projects = projects.filter(district_id=district_id)
    projects = list(projects.order_by("district__code", "code"))
    ids = [p.pk for p in projects]
    latest: dict[int, Agreement] = {}
    in_force: dict[int, Agreement] = {}
    for agreement in Agreement.objects.filter(project_id__in=ids).order_by(
        "project_id", "version"
    ):
        latest[agreement.project_id] = agreement
        if agreement.status == AgreementStatus.SIGNED:
            in_force[agreement.project_id] = agreement
    paid = dict(
        Tranche.objects.filter(project_id__in=ids, status=TrancheStatus.PAID)
        .values("project_id")
        .annotate(total=Sum("paid_amount"))
        .values_list("project_id", "total")
    )
    spending = spending_by_project(ids)
    rows = [
        FundingRow(
            project=p,
            agreement=latest.get(p.pk),
            in_force=in_force.get(p.pk),
            paid=paid.get(p.pk) or 0,
            spending=spending.get(p.pk) or Spending(),
        )
        for p in projects
    ]
    if status:
        rows = [row for row in rows if row.status == status]
    return rows


def district_totals(rows: list[FundingRow]) -> list[DistrictTotal]:
    by_district: dict[int, DistrictTotal] = defaultdict(lambda: DistrictTotal(None))
    for row in rows:
        total = by_district[row.project.district_id]
        total.district = row.project.district
        total.projects += 1
        total.agreed += row.agreed
        total.paid += row.paid
        total.spending.add(row.spending)
        total.rows.append(row)
    return list(by_district.values())


def export_table(rows: list[FundingRow]) -> tuple[list[str], list[list]]:
    """Headings and rows of the dashboard's export (amounts as whole numbers)."""
    headers = [
        _("Project code"),
        _("Project"),
        _("District"),
        _("Call"),
        _("Agreement"),
        _("Version"),
        _("City share agreed (KRW)"),
        _("Disbursed (KRW)"),
        _("Still due (KRW)"),
        _("Spent (KRW)"),
        _("City share of spending (KRW)"),
        _("District share of spending (KRW)"),
    ]
    table = [
        [
            row.project.code,
            row.project.display_title,
            row.project.district.name,
            call_title(row.project.call) if row.project.call else "",
            row.status_label,
            row.agreement.version if row.agreement else "",
            row.agreed,
            row.paid,
            row.due,
            row.spending.spent,
            row.spending.city_spent,
            row.spending.district_spent,
        ]
        for row in rows
    ]
    return headers, table
