"""Reads of the settlement (정산) the other parts build on: the inputs as
filed, the money lock, what still blocks closing a project, and the money
rows of the final report."""

from dataclasses import replace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.formats import won
from projects.models import Project

from .models import SETTLEMENT_LOCKED, Settlement, SettlementStatus
from .settlement_rules import SettlementInputs, SpentLine


def settlement_of(project: Project) -> Settlement | None:
    return Settlement.objects.filter(project=project).first()


def filed_overrides(
    project: Project,
    inputs: SettlementInputs,
    settlement: Settlement | None = None,
) -> SettlementInputs:
    """Once the district has filed its settlement (submitted at least once),
    its interest and its spending by category and period as filed — the
    accepted reports' figures, corrected where it gave a reason — replace the
    records'."""
    settlement = settlement or settlement_of(project)
    if settlement is None or settlement.status == SettlementStatus.DRAFT:
        return inputs
    return filed_inputs(settlement, inputs)


def filed_inputs(settlement: Settlement, inputs: SettlementInputs) -> SettlementInputs:
    """The inputs with the settlement's interest and filed lines."""
    return replace(
        inputs,
        interest=settlement.interest,
        spending=tuple(
            SpentLine(line.period_first_month, line.code, line.spent)
            for line in settlement.lines.all()
            if line.spent
        ),
    )


def money_locked(project: Project | int) -> bool:
    """The project's settlement is accepted (정산 검사 done) or settled."""
    project_id = project if isinstance(project, int) else project.pk
    return Settlement.objects.filter(
        project_id=project_id, status__in=SETTLEMENT_LOCKED
    ).exists()


def money_lock_guard(project: Project | int) -> None:
    """Refuse any change of a project's money once its settlement is
    accepted (정산 검사 done): tranches, and spending in the reports. The one
    check every door calls."""
    if money_locked(project):
        raise ValidationError(
            _(
                "The settlement of this project is accepted: its money is closed. "
                "Payments and spending can no longer change."
            ),
            code="money_locked",
        )


def report_spending_guard(*, project_id: int, period, version_id: int) -> None:
    """A monthly report accepted for a project whose settlement is accepted
    may not change the month's spending (other figures may be corrected)."""
    if not money_locked(project_id):
        return
    from indicators.builtins import SPENDING
    from reporting.models import ReportValue

    def spending(**lookup) -> dict[str, int]:
        return dict(
            ReportValue.objects.filter(measure=SPENDING, **lookup).values_list(
                "key", "value"
            )
        )

    in_force = spending(project_id=project_id, period=period, in_force=True)
    if spending(version_id=version_id) != in_force:
        money_lock_guard(project_id)


def settlement_close_blocker(project: Project) -> str | None:
    """What keeps the project's money from being closed, in a sentence; None
    when its settlement is settled, or accepted with nothing to return."""
    settlement = settlement_of(project)
    if settlement is None:
        return _("The district has not filed the settlement of this project.")
    if settlement.status == SettlementStatus.SETTLED:
        return None
    if settlement.status == SettlementStatus.ACCEPTED:
        if not settlement.returned:
            return None
        return _(
            "The settlement is accepted; the city has not recorded the return "
            "of %(amount)s yet."
        ) % {"amount": won(settlement.returned)}
    if settlement.status == SettlementStatus.SUBMITTED:
        return _("The settlement is submitted and waits for the city's check.")
    if settlement.status == SettlementStatus.RETURNED:
        return _(
            "The settlement was returned to the district and is not submitted again "
            "yet."
        )
    return _("The settlement is a draft: the district has not submitted it yet.")


TOTAL_ROW = "total"


def final_report_money(project: Project) -> list[dict]:
    """The money rows of the final report (결과 보고서): one per budget
    category (비목) — ``category`` (code), ``name``, ``budget``, ``spent``,
    ``city``, ``district`` (whole won) — then a ``category == "total"`` row
    with the sums and ``returned`` (the amount to return to the city; the
    settlement's as accepted, else the rule on the records so far). Empty
    when the project has no signed agreement."""
    from .services import agreement_in_force
    from .settlement_inputs import settlement_inputs
    from .settlement_rules import compute_settlement

    agreement = agreement_in_force(project)
    inputs = settlement_inputs(project)
    if agreement is None or inputs is None:
        return []
    result = compute_settlement(inputs)
    settlement = settlement_of(project)
    returned = (
        settlement.returned
        if settlement is not None and settlement.is_locked
        else result.returned
    )
    rows: dict[str, dict] = {
        line.code: {
            "category": line.code,
            "name": line.name,
            "budget": line.amount,
            "spent": 0,
            "city": 0,
            "district": 0,
        }
        for line in agreement.budget_lines.all()
    }
    for period in result.periods:
        for split in period.categories:
            row = rows.setdefault(
                split.category,
                {
                    "category": split.category,
                    "name": split.category,
                    "budget": 0,
                    "spent": 0,
                    "city": 0,
                    "district": 0,
                },
            )
            row["spent"] += split.spent
            row["city"] += split.city
            row["district"] += split.district
    lines = list(rows.values())
    total = {
        "category": TOTAL_ROW,
        "name": _("Total"),
        **{
            key: sum(row[key] for row in lines)
            for key in ("budget", "spent", "city", "district")
        },
        "returned": returned,
    }
    return [*lines, total]
