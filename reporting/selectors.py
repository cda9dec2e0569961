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

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Sum

from accounts import access
from projects.models import Project, ProjectStatus
from projects.months import SEOUL, add_months, month_label

from .checks import ReportContext
from .models import Measure, MonthlyReport, ReportStatus, ReportValue, ReportVersion

# --- figures --------------------------------------------------------------


def version_values(version: ReportVersion | None) -> dict[str, dict[str, int]]:
    """A version's figures: measure → key → value (absent figures are absent)."""
    figures: dict[str, dict[str, int]] = {measure: {} for measure in Measure}
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


def month_figures(*, project: Project, period: date) -> dict[str, dict[str, int]]:
    """The figures in force for a project's month (its accepted version's)."""
    figures: dict[str, dict[str, int]] = {measure: {} for measure in Measure}
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
    """Sums of the accepted figures by measure and key, over months since ≤ m ≤ until."""
    rows = ReportValue.objects.filter(in_force=True)
    if project is not None:
        rows = rows.filter(project=project)
    if district is not None:
        rows = rows.filter(district=district)
    if since is not None:
        rows = rows.filter(period__gte=since)
    if until is not None:
        rows = rows.filter(period__lte=until)
    totals: dict[str, dict[str, int]] = {measure: {} for measure in Measure}
    for row in rows.values("measure", "key").annotate(total=Sum("value")):
        totals[row["measure"]][row["key"]] = row["total"]
    return totals


def jobs_created_to_date(
    *, until: date, project: Project | None = None, district=None
) -> int:
    """People newly hired, by the accepted reports up to and including ``until``."""
    rows = ReportValue.objects.filter(
        in_force=True, measure=Measure.NEW_HIRES, period__lte=until
    )
    if project is not None:
        rows = rows.filter(project=project)
    if district is not None:
        rows = rows.filter(district=district)
    return rows.aggregate(total=Sum("value"))["total"] or 0


def output_to_date(*, until: date, project: Project, key: str) -> int:
    rows = ReportValue.objects.filter(
        in_force=True,
        measure=Measure.OUTPUT,
        project=project,
        key=key,
        period__lte=until,
    )
    return rows.aggregate(total=Sum("value"))["total"] or 0


def report_context(*, project: Project, period: date, today: date) -> ReportContext:
    """What a month's figures are checked against: the plan in force for the
    month and the accepted totals of the project's earlier months."""
    plan = project.plan_for(period)
    earlier = add_months(period, -1)
    return ReportContext(
        period=period,
        period_start=project.period_start,
        period_end=project.period_end,
        today=today,
        target_groups={
            r.code: (r.name_ko, r.name_en, r.planned_jobs)
            for r in plan.target_groups.all()
        },
        outputs={r.code: (r.name_ko, r.name_en, r.target) for r in plan.outputs.all()},
        budget_lines={
            r.code: (r.name_ko, r.name_en, r.amount) for r in plan.budget_lines.all()
        },
        totals_before=totals_in_force(project=project, until=earlier),
        months_before=MonthlyReport.objects.filter(
            project=project, period__lt=period, accepted_version__isnull=False
        ).count(),
    )


@dataclass
class FormRow:
    """One figure of the report form with what is shown beside it."""

    measure: str
    key: str
    label: str
    unit: str
    target: int | None  # of the plan in force for the month
    total_so_far: (
        int | None
    )  # accepted, earlier months (None where a total means nothing)
    last_month: int | None  # accepted value of the previous month

    @property
    def field_name(self) -> str:
        return f"{self.measure}__{self.key}"

    @property
    def measure_label(self) -> str:
        return Measure(self.measure).label


def form_rows(*, project: Project, period: date) -> list[FormRow]:
    from django.utils.translation import gettext as _

    plan = project.plan_for(period)
    before = totals_in_force(project=project, until=add_months(period, -1))
    last = month_figures(project=project, period=add_months(period, -1))
    rows = []
    people = _("people")
    for group in plan.target_groups.all():
        rows.append(
            FormRow(
                Measure.NEW_HIRES,
                group.code,
                group.name,
                people,
                group.planned_jobs,
                before[Measure.NEW_HIRES].get(group.code, 0),
                last[Measure.NEW_HIRES].get(group.code),
            )
        )
    for group in plan.target_groups.all():
        rows.append(
            FormRow(
                Measure.EMPLOYED,
                group.code,
                group.name,
                people,
                group.planned_jobs,
                None,
                last[Measure.EMPLOYED].get(group.code),
            )
        )
    for output in plan.outputs.all():
        rows.append(
            FormRow(
                Measure.OUTPUT,
                output.code,
                output.name,
                output.unit,
                output.target,
                before[Measure.OUTPUT].get(output.code, 0),
                last[Measure.OUTPUT].get(output.code),
            )
        )
    for line in plan.budget_lines.all():
        rows.append(
            FormRow(
                Measure.SPENDING,
                line.code,
                line.name,
                _("KRW"),
                line.amount,
                before[Measure.SPENDING].get(line.code, 0),
                last[Measure.SPENDING].get(line.code),
            )
        )
    return rows


def version_differences(
    old: ReportVersion | None, new: ReportVersion
) -> list[tuple[str, str, int | None, int | None]]:
    """(measure, key, old value, new value) for every figure that differs."""
    before, after = version_values(old), version_values(new)
    changes = []
    for measure in Measure:
        for key in sorted(set(before[measure]) | set(after[measure])):
            old_value, new_value = before[measure].get(key), after[measure].get(key)
            if old_value != new_value:
                changes.append((measure.value, key, old_value, new_value))
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
