"""Reading reports: figures in force, totals, what a form shows, timeliness.

Timeliness rule. A month's report is due on the project's ``report_due_day`` of
the following month, until the end of that day in Asia/Seoul: submitted at
23:59:59 KST on the 10th is on time, at 00:00:00 KST on the 11th it is late.
What counts is when the report *first reached the city* (``first_submitted_at``:
the first move to "submitted", after the district approver's sign-off where the
call asks for one). A report returned and resubmitted keeps the timeliness of its
first arrival — returning is the city's act, not the district's delay — and is
listed as "returned" until resubmitted. The month the report opens (the 1st of
the following month) and the date it was locked (accepted) are kept apart and
play no part in "on time".
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Sum

from accounts import access
from indicators import builtins
from indicators.models import TOTAL_KEY, Indicator, ValidationRule
from projects.models import Project, ProjectPlan, ProjectStatus
from projects.months import SEOUL, add_months, month_label

from .checks import Member, PlanIndicator, ReportContext, plan_indicators
from .models import MonthlyReport, ReportStatus, ReportValue, ReportVersion

Figures = dict[str, dict[str, int]]  # indicator code → member key → value


def _figures() -> Figures:
    """Figures by indicator code; an indicator with none reads as {}."""
    return defaultdict(dict)


# --- the plan's indicators --------------------------------------------------


def core_indicators() -> list[Indicator]:
    """The catalogue's core indicators (in every call and report), in the
    order ``indicators.builtins.CORE`` gives."""
    order = {code: index for index, code in enumerate(builtins.CORE)}
    found = list(Indicator.objects.filter(is_core=True))
    return sorted(found, key=lambda i: (order.get(i.code, len(order)), i.code))


def active_rules() -> list[ValidationRule]:
    """The validation rules the city has switched on."""
    return list(
        ValidationRule.objects.filter(is_active=True).select_related("left", "right")
    )


def indicators_of_plan(
    plan: ProjectPlan, *, core: list[Indicator] | None = None
) -> dict[str, PlanIndicator]:
    """The indicators a plan reports (core ones and its outputs), each with
    its members and targets, read from the plan and the catalogue. Pass
    ``core`` when reading many plans; prefetch the plans' ``target_groups``,
    ``budget_lines`` and ``outputs`` (with their indicator) likewise."""
    outputs = plan.outputs.all()
    if "outputs" not in getattr(plan, "_prefetched_objects_cache", {}):
        outputs = outputs.select_related("indicator")
    return plan_indicators(
        core=core_indicators() if core is None else core,
        outputs=[(output.indicator, output.target) for output in outputs],
        target_groups=target_group_members(plan),
        budget_lines=[
            Member(line.code, line.name_ko, line.name_en, line.amount)
            for line in plan.budget_lines.all()
        ],
    )


def target_group_members(plan: ProjectPlan) -> list[Member]:
    return [
        Member(group.code, group.name_ko, group.name_en, group.planned_jobs)
        for group in plan.target_groups.all()
    ]


# --- figures --------------------------------------------------------------


def version_values(version: ReportVersion | None) -> dict[str, dict[str, int]]:
    """A version's figures: indicator → key → value (absent figures are absent)."""
    figures = _figures()
    if version is None:
        return figures
    for measure, key, value in version.values.values_list("measure", "key", "value"):
        figures[measure][key] = value
    return figures


def report_version_shown(*, user, report: MonthlyReport | None) -> ReportVersion | None:
    """The version of a month a person is shown — by the report page, the
    template download and every other door: the current version when they may
    see it (a district's draft is its own until sent), else the last version
    they may see (the one last sent to the city), else none.
    ``user=None`` is the operator at the server's shell: the current version."""
    if report is None:
        return None
    current = report.current_version
    if user is None or current is None:
        return current
    return (
        access.visible_to(user, ReportVersion)
        .filter(report=report)
        .order_by("-number")
        .first()
    )


def version_roster(version: ReportVersion) -> list[dict]:
    """A version's roster as rows for ``check_report``."""
    return [
        {
            "participant_code": r.participant_code,
            "target_group_code": r.target_group_code,
            "hire_date": r.hire_date,
            "end_date": r.end_date,
        }
        for r in version.roster.all()
    ]


def starting_roster(
    *, project: Project, period: date, version: ReportVersion | None
) -> list[dict]:
    """The roster a month's template and web form start with. A version that
    has one keeps its own (a draft's roster is never replaced); a month not yet
    filed starts from last month's accepted roster of the same project — the
    roster is cumulative, so people who left stay on it with their end date
    (six-month retention counts them) and those still employed are there to
    edit; a version without a roster starts empty."""
    if version is not None:
        return version_roster(version) if version.has_roster else []
    previous = (
        MonthlyReport.objects.filter(project=project, period=add_months(period, -1))
        .select_related("accepted_version")
        .first()
    )
    if previous is not None and previous.accepted_version is not None:
        accepted = previous.accepted_version
        return version_roster(accepted) if accepted.has_roster else []
    return []


def month_figures(*, project: Project, period: date) -> dict[str, dict[str, int]]:
    """The figures in force for a project's month (its accepted version's)."""
    figures = _figures()
    rows = ReportValue.objects.filter(project=project, period=period, in_force=True)
    for measure, key, value in rows.values_list("measure", "key", "value"):
        figures[measure][key] = value
    return figures


def totals_in_force(
    *,
    project: Project | None = None,
    district=None,
    since: date | None = None,
    until: date | None = None,
) -> dict[str, dict[str, int]]:
    """Sums of the accepted figures by indicator and key, over months since ≤ m ≤ until.

    A sum over months: for an indicator whose months do not add up (people
    employed at month end) read its aggregation rule before using one."""
    rows = ReportValue.objects.filter(in_force=True)
    if project is not None:
        rows = rows.filter(project=project)
    if district is not None:
        rows = rows.filter(district=district)
    if since is not None:
        rows = rows.filter(period__gte=since)
    if until is not None:
        rows = rows.filter(period__lte=until)
    totals = _figures()
    for row in rows.values("measure", "key").annotate(total=Sum("value")):
        totals[row["measure"]][row["key"]] = row["total"]
    return totals


def jobs_created_to_date(
    *, until: date, project: Project | None = None, district=None
) -> int:
    """People newly hired, by the accepted reports up to and including ``until``."""
    rows = ReportValue.objects.filter(
        in_force=True, measure=builtins.NEW_HIRES, period__lte=until
    )
    if project is not None:
        rows = rows.filter(project=project)
    if district is not None:
        rows = rows.filter(district=district)
    return rows.aggregate(total=Sum("value"))["total"] or 0


def output_to_date(*, until: date, project: Project, key: str) -> int:
    """The accepted figures of an output that is not split (``key`` is its
    indicator's code), summed up to and including ``until``."""
    rows = ReportValue.objects.filter(
        in_force=True,
        measure=key,
        project=project,
        key=TOTAL_KEY,
        period__lte=until,
    )
    return rows.aggregate(total=Sum("value"))["total"] or 0


def report_context(*, project: Project, period: date, today: date) -> ReportContext:
    """What a month's figures are checked against: the plan in force for the
    month with its indicators from the catalogue, the accepted totals of the
    project's earlier months and the city's active validation rules."""
    plan = project.plan_for(period)
    earlier = add_months(period, -1)
    return ReportContext(
        period=period,
        period_start=project.period_start,
        period_end=project.period_end,
        today=today,
        indicators=indicators_of_plan(plan),
        target_groups={m.key: m for m in target_group_members(plan)},
        totals_before=totals_in_force(project=project, until=earlier),
        months_before=MonthlyReport.objects.filter(
            project=project, period__lt=period, accepted_version__isnull=False
        ).count(),
        rules=active_rules(),
        category_move_percent=category_move_percent(project),
    )


def category_move_percent(project: Project) -> int | None:
    """The call's threshold for moving money between budget categories
    (비목 변경) without a change request, from its conditions of grant."""
    from funding.models import GrantConditions  # noqa: PLC0415 (funding reads reporting)

    return (
        GrantConditions.objects.filter(call_id=project.call_id)
        .values_list("category_move_percent", flat=True)
        .first()
    )


@dataclass
class FormRow:
    """One figure of the report form with what is shown beside it."""

    measure: str
    key: str
    label: str
    unit: str
    target: int | None  # of the plan in force for the month
    # accepted, earlier months (None where a sum over months means nothing)
    total_so_far: int | None
    last_month: int | None  # accepted value of the previous month
    indicator: Indicator | None = None

    @property
    def field_name(self) -> str:
        return f"{self.measure}__{self.key}"

    @property
    def measure_label(self) -> str:
        return self.indicator.name if self.indicator else self.measure

    @property
    def definition(self) -> str:
        return self.indicator.definition if self.indicator else ""


def form_rows(*, project: Project, period: date) -> list[FormRow]:
    """One row per member of each indicator of the plan in force."""
    plan = project.plan_for(period)
    before = totals_in_force(project=project, until=add_months(period, -1))
    last = month_figures(project=project, period=add_months(period, -1))
    rows = []
    for planned in indicators_of_plan(plan).values():
        indicator = planned.indicator
        adds_up = indicator.aggregation == "sum"
        for key, member in planned.members.items():
            target = member.target
            if target is None and not planned.is_split:
                target = planned.target
            rows.append(
                FormRow(
                    planned.code,
                    key,
                    member.name if planned.is_split else indicator.name,
                    indicator.unit,
                    target,
                    before[planned.code].get(key, 0) if adds_up else None,
                    last[planned.code].get(key),
                    indicator,
                )
            )
    return rows


def version_differences(
    old: ReportVersion | None, new: ReportVersion
) -> list[tuple[str, str, int | None, int | None]]:
    """(indicator, key, old value, new value) for every figure that differs."""
    before, after = version_values(old), version_values(new)
    changes = []
    for measure in sorted(set(before) | set(after)):
        for key in sorted(set(before[measure]) | set(after[measure])):
            old_value, new_value = before[measure].get(key), after[measure].get(key)
            if old_value != new_value:
                changes.append((measure, key, old_value, new_value))
    return changes


# --- schedule and timeliness ----------------------------------------------


class Timeliness:
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    NOT_YET_DUE = "not_yet_due"


def opens_on(period: date) -> date:
    """The day a month's report opens: the first of the following month."""
    return add_months(period, 1)


def due_on(project: Project, period: date) -> date:
    return add_months(period, 1).replace(day=project.report_due_day)


def due_deadline(project: Project, period: date) -> datetime:
    """The first instant that is late: 00:00 KST on the day after the due day."""
    return datetime.combine(
        due_on(project, period) + timedelta(days=1), time.min, tzinfo=SEOUL
    )


def arrived_on_time(
    project: Project, period: date, first_submitted_at: datetime
) -> bool:
    """Whether a report that first reached the city then was on time."""
    return first_submitted_at < due_deadline(project, period)


def timeliness(
    *,
    project: Project,
    period: date,
    first_submitted_at: datetime | None,
    now: datetime,
) -> str:
    deadline = due_deadline(project, period)
    if first_submitted_at is not None:
        return (
            Timeliness.ON_TIME
            if arrived_on_time(project, period, first_submitted_at)
            else Timeliness.LATE
        )
    return Timeliness.MISSING if now >= deadline else Timeliness.NOT_YET_DUE


def projects_expected(*, period: date, projects=None):
    """Projects that owe a report for the month."""
    projects = Project.objects.all() if projects is None else projects
    return projects.filter(period_start__lte=period, period_end__gte=period).exclude(
        status=ProjectStatus.CANCELLED
    )


@dataclass
class MonthRow:
    project: Project
    period: date
    report: MonthlyReport | None
    due: date
    timeliness: str

    @property
    def is_returned(self) -> bool:
        return self.report is not None and self.report.status == ReportStatus.RETURNED

    @property
    def month(self) -> str:
        return month_label(self.period)


def month_rows(*, user, period: date, now: datetime) -> list[MonthRow]:
    """Every project the user may see that owes a report for the month, with
    its report (if any) and its timeliness."""
    projects = projects_expected(
        period=period, projects=access.visible_to(user, Project)
    )
    projects = projects.select_related("district")
    reports = {
        r.project_id: r
        for r in MonthlyReport.objects.filter(period=period, project__in=projects)
    }
    rows = []
    for project in projects:
        report = reports.get(project.pk)
        received = report.first_submitted_at if report else None
        rows.append(
            MonthRow(
                project,
                period,
                report,
                due_on(project, period),
                timeliness(
                    project=project, period=period, first_submitted_at=received, now=now
                ),
            )
        )
    return rows


@dataclass
class Completeness:
    label: str
    expected: int = 0
    received: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    returned: int = 0

    @property
    def received_rate(self) -> float | None:
        return round(100 * self.received / self.expected, 1) if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.expected, 1) if self.expected else None

    def add(self, row: MonthRow) -> None:
        self.expected += 1
        if row.timeliness in (Timeliness.ON_TIME, Timeliness.LATE):
            self.received += 1
        self.on_time += row.timeliness == Timeliness.ON_TIME
        self.late += row.timeliness == Timeliness.LATE
        self.missing += row.timeliness == Timeliness.MISSING
        self.returned += row.is_returned


def completeness(rows: list[MonthRow]) -> tuple[list[Completeness], Completeness]:
    """Per district (in code order) and over all rows given."""
    by_district: dict[int, Completeness] = {}
    overall = Completeness(label="")
    for row in sorted(rows, key=lambda r: r.project.district.code):
        district = row.project.district
        by_district.setdefault(district.pk, Completeness(label=district.name)).add(row)
        overall.add(row)
    return list(by_district.values()), overall


def overdue(*, user, now: datetime, projects=None) -> list[MonthRow]:
    """Every month, of the projects the user may see, whose report is past due
    and has not reached the city."""
    projects = access.visible_to(user, Project) if projects is None else projects
    projects = projects.exclude(status=ProjectStatus.CANCELLED).select_related(
        "district"
    )
    received = set(
        MonthlyReport.objects.filter(
            project__in=projects, first_submitted_at__isnull=False
        ).values_list("project_id", "period")
    )
    reports = {
        (r.project_id, r.period): r
        for r in MonthlyReport.objects.filter(project__in=projects)
    }
    rows = []
    for project in projects:
        for period in project.months:
            if (project.pk, period) in received or now < due_deadline(project, period):
                continue
            rows.append(
                MonthRow(
                    project,
                    period,
                    reports.get((project.pk, period)),
                    due_on(project, period),
                    Timeliness.MISSING,
                )
            )
    return sorted(rows, key=lambda r: (r.period, r.project.code))


def reports_awaiting(*, user):
    """Reports waiting for this user's decision (city: submitted; approver: sign-off)."""
    reports = access.visible_to(user, MonthlyReport).select_related(
        "project", "district"
    )
    if access.is_city_manager(user):
        return reports.filter(status=ReportStatus.SUBMITTED)
    if access.is_district_approver(user):
        return reports.filter(status=ReportStatus.AWAITING_APPROVAL)
    if access.is_district_officer(user):
        return reports.filter(status__in=[ReportStatus.RETURNED, ReportStatus.DRAFT])
    return reports.none()


def status_counts(*, period: date) -> dict[str, int]:
    rows = (
        MonthlyReport.objects.filter(period=period)
        .values("status")
        .annotate(n=Count("pk"))
    )
    return {row["status"]: row["n"] for row in rows}
