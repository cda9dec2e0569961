"""The inputs of the settlement rule (정산) read from the records, for many
projects at once: a handful of queries whatever the number of projects, so
the settlement of every project of a city is computed in seconds.

Where each input comes from:

* **periods** — the *signed* agreement versions (signed, or signed and since
  replaced), oldest first: the first version governs from the project's first
  month, each later one from the month its plan takes effect
  (``ProjectPlan.effective_from``); two versions from the same month: the later
  one governs. City share and total are the version's own.
* **spending** — the accepted figures in force of the ``spending`` indicator,
  one line per month and budget category (비목), read from ``FigureYear``
  (the roll-up of ``ReportValue.in_force``). A figure of a month before the
  first agreement month counts in the first period.
* **city received** — the tranches paid (교부액: ``paid_amount``).
* **district contributed** — the district share of the agreement in force.
* **interest** — 0 here (the district enters it in its settlement), and the
  call's interest rule from its conditions of grant (``GrantConditions``).

A project without a signed agreement has nothing to settle and is left out.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Sum

from indicators.builtins import SPENDING
from indicators.models import TOTAL_KEY
from projects.models import Project, ProjectPlan
from reporting.models import FigureYear

from .models import Agreement, AgreementStatus, GrantConditions, Tranche, TrancheStatus
from .settlement_rules import (
    INTEREST_TO_CITY,
    RatioPeriod,
    SettlementInputs,
    SpentLine,
)

# Statuses of versions that were signed (the one in force and those it replaced).
SIGNED_STATUSES = (AgreementStatus.SIGNED, AgreementStatus.SUPERSEDED)


def _project_ids(projects: Iterable[Project] | Iterable[int]) -> list[int]:
    return [p if isinstance(p, int) else p.pk for p in projects]


def _periods(
    ids: list[int], starts: dict[int, date]
) -> tuple[dict[int, list[RatioPeriod]], dict[int, int]]:
    """Ratio periods per project, and the district share of the version in
    force (the latest signed)."""
    agreements = list(
        Agreement.objects.filter(project_id__in=ids, status__in=SIGNED_STATUSES)
        .order_by("project_id", "version")
        .values_list(
            "project_id", "plan_id", "city_share", "total_amount", "district_share"
        )
    )
    effective = dict(
        ProjectPlan.objects.filter(pk__in={a[1] for a in agreements}).values_list(
            "pk", "effective_from"
        )
    )
    by_month: dict[int, dict[date, RatioPeriod]] = defaultdict(dict)
    district: dict[int, int] = {}
    for project_id, plan_id, city_share, total, district_share in agreements:
        months = by_month[project_id]
        if months:
            first = effective[plan_id].replace(day=1)
        else:
            first = starts[project_id].replace(day=1)
        # A later version never reaches back before the first period.
        first = max(first, min(months, default=first))
        months[first] = RatioPeriod(first, city_share, total)
        district[project_id] = district_share
    periods = {
        project_id: [months[m] for m in sorted(months)]
        for project_id, months in by_month.items()
    }
    return periods, district


def _spending(ids: list[int]) -> dict[int, list[SpentLine]]:
    lines: dict[int, list[SpentLine]] = defaultdict(list)
    rows = (
        FigureYear.objects.filter(project_id__in=ids, measure=SPENDING)
        .exclude(key=TOTAL_KEY)
        .order_by("project_id", "year", "key")
        .values_list("project_id", "year", "key", "first_month", *FigureYear.MONTHS)
    )
    for project_id, year, key, first_month, *months in rows:
        for number, amount in enumerate(months, start=1):
            if number >= first_month and amount:
                lines[project_id].append(
                    SpentLine(date(year, number, 1), key, int(amount))
                )
    return lines


def _received(ids: list[int]) -> dict[int, int]:
    return dict(
        Tranche.objects.filter(project_id__in=ids, status=TrancheStatus.PAID)
        .values("project_id")
        .annotate(total=Sum("paid_amount"))
        .values_list("project_id", "total")
    )


def _interest_rules(calls: dict[int, int | None]) -> dict[int, str]:
    rules = dict(
        GrantConditions.objects.filter(call_id__in=set(calls.values())).values_list(
            "call_id", "interest_rule"
        )
    )
    return {
        project_id: rules.get(call_id, INTEREST_TO_CITY)
        for project_id, call_id in calls.items()
    }


def settlement_inputs_for(
    projects: Iterable[Project] | Iterable[int],
) -> dict[int, SettlementInputs]:
    """The settlement inputs of each project with a signed agreement, by
    project id, from the records (six queries in all). Give ids, or
    projects: their own fields are read again, in the same query.."""
    ids = _project_ids(projects)
    starts, calls = {}, {}
    for pk, period_start, call_id in Project.objects.filter(pk__in=ids).values_list(
        "pk", "period_start", "call_id"
    ):
        starts[pk], calls[pk] = period_start, call_id
    periods, district = _periods(ids, starts)
    spending = _spending(ids)
    received = _received(ids)
    rules = _interest_rules(calls)
    inputs = {}
    for project_id, project_periods in periods.items():
        first_month = project_periods[0].first_month
        inputs[project_id] = SettlementInputs(
            periods=tuple(project_periods),
            spending=tuple(
                line
                if line.month >= first_month
                else SpentLine(first_month, line.category, line.amount)
                for line in spending.get(project_id, ())
            ),
            city_received=received.get(project_id) or 0,
            district_contributed=district[project_id],
            interest=0,
            interest_rule=rules.get(project_id, INTEREST_TO_CITY),
        )
    return inputs


def settlement_inputs(project: Project) -> SettlementInputs | None:
    """The inputs of one project: from the records, or — once the district
    has filed its settlement — with the settlement's interest and its
    spending by category as filed (corrections included). None without a
    signed agreement."""
    inputs = settlement_inputs_for([project.pk]).get(project.pk)
    if inputs is None:
        return None
    from .settlement import filed_overrides  # noqa: PLC0415 (the models' module)

    return filed_overrides(project, inputs)
