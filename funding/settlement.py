"""Reads of the settlement (정산) the other parts build on: the inputs as
filed, the money lock, what still blocks closing a project, and the money
rows of the final report."""

from dataclasses import replace

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


def money_locked(project: Project) -> bool:
    """The project's settlement is accepted (정산 검사 done) or settled."""
    return Settlement.objects.filter(
        project=project, status__in=SETTLEMENT_LOCKED
    ).exists()
