"""Every roll-up figure, read as database aggregates over the accepted figures.

The dashboard, the workbook, the PDF, the outcomes page and the API all call
``rollup()``, so their numbers are the same by construction. The rules:

* Only figures in force count (``ReportValue.in_force``: the accepted version
  of each month). A district's own view may add what it has submitted and the
  city has not accepted yet; those figures are kept apart (``pending_*``) and
  shown as such, never mixed into the accepted ones, and never public.
* "To date" is the programme year to date: January to the chosen month.
  Targets and budgets are those of each project's plan in force for the month.
* Figures are summed by the database per project (one grouped query per kind
  of figure); districts and the city are the exact integer sums of their
  projects. No loop ever walks report rows in Python.
* Timeliness is the rule of ``reporting.selectors``: on time when the report
  first reached the city by the end of its due day, Seoul time.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import (
    Count,
    Max,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Organisation
from projects.models import (
    PlanOutput,
    PlanTargetGroup,
    Project,
    ProjectPlan,
    ProjectStatus,
)
from projects.months import SEOUL, add_months
from reporting.models import (
    FigureYear,
    Measure,
    MonthlyReport,
    ReportStatus,
    ReportValue,
    RosterEntry,
)

from . import scoring

YEAR_OVER_YEAR_YEARS = 4  # this year and three before it
STACKED_DISTRICTS = 8  # the chart's series; the rest are "other districts"


def _localized(ko: str, en: str) -> str:
    from cms.models import english_active

    return en if english_active() and en else ko


# --- figures of one scope -------------------------------------------------------


@dataclass(slots=True)
class GroupFigure:
    """Jobs of one target group: created to date against planned."""

    code: str
    name_ko: str
    name_en: str
    jobs: int = 0
    target: int = 0

    @property
    def name(self) -> str:
        return _localized(self.name_ko, self.name_en)

    @property
    def achievement(self) -> Decimal | None:
        return scoring.achievement(self.jobs, self.target)


@dataclass(slots=True)
class OutputFigure:
    """One service output: delivered to date against its target."""

    code: str
    name_ko: str
    name_en: str
    unit_ko: str
    unit_en: str
    value: int = 0
    target: int = 0

    @property
    def name(self) -> str:
        return _localized(self.name_ko, self.name_en)

    @property
    def unit(self) -> str:
        return _localized(self.unit_ko, self.unit_en)

    @property
    def achievement(self) -> Decimal | None:
        return scoring.achievement(self.value, self.target)


@dataclass(slots=True)
class Cell:
    """Reports of one month (of a district or a project): how they arrived."""

    expected: int = 0  # owed and past due
    on_time: int = 0
    late: int = 0
    not_yet_due: int = 0

    @property
    def received(self) -> int:
        return self.on_time + self.late

    @property
    def missing(self) -> int:
        return max(self.expected - self.received, 0)

    @property
    def state(self) -> str:
        """For the heat map: the worst of the month."""
        if self.missing:
            return "missing"
        if self.late:
            return "late"
        if self.on_time:
            return "on_time"
        return "not_yet_due" if self.not_yet_due else "none"

    def add(self, other: "Cell") -> None:
        self.expected += other.expected
        self.on_time += other.on_time
        self.late += other.late
        self.not_yet_due += other.not_yet_due


@dataclass(slots=True)
class Figures:
    """The figures of a scope (a project, a district or the city), year to date."""

    code: str
    name_ko: str
    name_en: str
    months: int  # January .. the chosen month
    jobs_created: int = 0
    jobs_target: int = 0
    employed: int = 0  # at the end of the chosen month
    spending: int = 0
    budget: int = 0
    groups: dict[str, GroupFigure] = field(default_factory=dict)
    outputs: dict[str, OutputFigure] = field(default_factory=dict)
    monthly_jobs: list[int] = field(default_factory=list)
    reports: Cell = field(default_factory=Cell)
    retention: tuple[int, int] | None = None  # (retained 6 months, eligible)
    pending_jobs: int = 0  # submitted, not yet accepted (district's own view only)
    pending_outputs: dict[str, int] = field(default_factory=dict)
    pending_reports: int = 0
    project_count: int = 0

    def __post_init__(self):
        if not self.monthly_jobs:
            self.monthly_jobs = [0] * self.months

    @property
    def name(self) -> str:
        return _localized(self.name_ko, self.name_en)

    @property
    def achievement(self) -> Decimal | None:
        return scoring.achievement(self.jobs_created, self.jobs_target)

    @property
    def execution_rate(self) -> Decimal | None:
        return scoring.execution_rate(self.spending, self.budget)

    @property
    def cost_per_job(self) -> int | None:
        return scoring.cost_per_job(self.spending, self.jobs_created)

    @property
    def retention_rate(self) -> Decimal | None:
        return scoring.percent(*self.retention) if self.retention else None

    @property
    def received_rate(self) -> Decimal | None:
        return scoring.percent(self.reports.received, self.reports.expected)

    @property
    def on_time_rate(self) -> Decimal | None:
        return scoring.percent(self.reports.on_time, self.reports.expected)

    @property
    def output_achievement(self) -> Decimal | None:
        """The mean achievement of the outputs, each capped at 100 %."""
        return scoring.mean([scoring.capped(o.achievement) for o in self.outputs.values()])

    @property
    def cumulative_jobs(self) -> list[int]:
        running, series = 0, []
        for jobs in self.monthly_jobs:
            running += jobs
            series.append(running)
        return series

    @property
    def has_pending(self) -> bool:
        return bool(self.pending_reports)

    def add(self, other: "Figures") -> None:
        """Add another scope's figures (a project's to its district's, …)."""
        self.jobs_created += other.jobs_created
        self.jobs_target += other.jobs_target
        self.employed += other.employed
        self.spending += other.spending
        self.budget += other.budget
        self.pending_jobs += other.pending_jobs
        self.pending_reports += other.pending_reports
        self.project_count += other.project_count
        groups = self.groups
        for code, group in other.groups.items():
            mine = groups.get(code)
            if mine is None:
                mine = groups[code] = GroupFigure(code, group.name_ko, group.name_en)
            mine.jobs += group.jobs
            mine.target += group.target
        outputs = self.outputs
        for code, output in other.outputs.items():
            mine = outputs.get(code)
            if mine is None:
                mine = outputs[code] = OutputFigure(code, output.name_ko, output.name_en, output.unit_ko,
                                                    output.unit_en)
            mine.value += output.value
            mine.target += output.target
        for code, value in other.pending_outputs.items():
            self.pending_outputs[code] = self.pending_outputs.get(code, 0) + value
        if any(other.monthly_jobs):
            self.monthly_jobs = [a + b for a, b in zip(self.monthly_jobs, other.monthly_jobs, strict=True)]
        self.reports.add(other.reports)
        if other.retention is not None:
            retained, eligible = self.retention or (0, 0)
            self.retention = (retained + other.retention[0], eligible + other.retention[1])


@dataclass(slots=True)
class ProjectFigures(Figures):
    project_id: int = 0
    district_id: int = 0
    district_code: str = ""
    status: str = ""
    period_start: date | None = None
    period_end: date | None = None
    due_day: int = 10


@dataclass(slots=True)
class DistrictFigures(Figures):
    district_id: int = 0
    projects: list[ProjectFigures] = field(default_factory=list)
    heat: list[Cell] = field(default_factory=list)


@dataclass(slots=True)
class YearFigure:
    year: int
    jobs_created: int
    growth: Decimal | None  # against the year before it in the list

    @property
    def growth_display(self) -> str:
        return scoring.signed_percent(self.growth)


@dataclass(slots=True)
class Rollup:
    year: int
    month: int
    totals: Figures
    districts: list[DistrictFigures]
    projects: list[ProjectFigures]
    year_over_year: list[YearFigure]
    includes_pending: bool = False
    detail: bool = True

    @property
    def period(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def months(self) -> list[date]:
        return [date(self.year, m, 1) for m in range(1, self.month + 1)]

    @property
    def district_count(self) -> int:
        return sum(1 for d in self.districts if d.project_count)

    @property
    def growth(self) -> Decimal | None:
        return self.year_over_year[-1].growth if self.year_over_year else None

    @property
    def growth_display(self) -> str:
        return scoring.signed_percent(self.growth)

    def district(self, code: str) -> DistrictFigures | None:
        return next((d for d in self.districts if d.code == code), None)

    def project(self, code: str) -> ProjectFigures | None:
        return next((p for p in self.projects if p.code == code), None)

    def stacked_series(self) -> list[tuple[str, list[int]]]:
        """Monthly new jobs of the largest districts, the rest as one series."""
        ranked = sorted(self.districts, key=lambda d: (-d.jobs_created, d.code))
        series = [(d.name, d.monthly_jobs) for d in ranked[:STACKED_DISTRICTS]]
        rest = ranked[STACKED_DISTRICTS:]
        if rest:
            others = [sum(values) for values in zip(*(d.monthly_jobs for d in rest), strict=True)]
            from django.utils.translation import gettext

            series.append((gettext("Other districts"), others))
        return series


# --- the queries --------------------------------------------------------------


def projects_in_year(*, year: int, district=None, project=None, call=None):
    """Projects whose period overlaps the year (cancelled ones included: the
    jobs they created are real; they owe no report once cancelled)."""
    projects = Project.objects.filter(period_start__lte=date(year, 12, 1), period_end__gte=date(year, 1, 1))
    if district is not None:
        projects = projects.filter(district=district)
    if project is not None:
        projects = projects.filter(pk=project.pk)
    if call is not None:
        projects = projects.filter(call=call)
    return projects


def _scoped_values(queryset, *, district=None, project=None, call=None):
    if project is not None:
        return queryset.filter(project=project)
    if district is not None:
        queryset = queryset.filter(district=district)
    if call is not None:
        queryset = queryset.filter(project__call=call)
    return queryset


def latest_accepted_month(*, year: int, district=None, call=None) -> int | None:
    """The last month of the year with any accepted figure."""
    rows = _scoped_values(
        ReportValue.objects.filter(in_force=True, period__gte=date(year, 1, 1), period__lte=date(year, 12, 1)),
        district=district,
        call=call,
    )
    latest = rows.aggregate(latest=Max("period"))["latest"]
    return latest.month if latest else None


def _owed_counts(month: date, today: date) -> tuple:
    """(past due, not yet due) counts of the projects owing a report for the
    month, as aggregates; the due day is each project's own."""
    owes = _owes(month)
    today_index = today.year * 12 + today.month
    due_index = month.year * 12 + month.month + 1
    if today_index > due_index:
        return Count("pk", filter=owes), Value(0)
    if today_index == due_index:
        return (
            Count("pk", filter=owes & Q(report_due_day__lt=today.day)),
            Count("pk", filter=owes & Q(report_due_day__gte=today.day)),
        )
    return Value(0), Count("pk", filter=owes)


def _owes(month: date) -> Q:
    return Q(period_start__lte=month, period_end__gte=month) & ~Q(status=ProjectStatus.CANCELLED)


DETAIL_LIMIT = 200  # projects; above it, per-project months and timeliness are left out


def rollup(
    *,
    year: int,
    month: int,
    district: Organisation | None = None,
    project: Project | None = None,
    call=None,
    include_pending: bool = False,
    public: bool = False,
    now: datetime | None = None,
    with_retention: bool = True,
    detail: bool | None = None,
) -> Rollup:
    """The figures of the year to the month, for the city (or one district, one
    call, one project): totals, each district, each project, year over year.

    ``detail`` adds each project's months and report timeliness (by default
    when there are at most ``DETAIL_LIMIT`` projects); districts and the city
    always have theirs, from queries grouped by district."""
    if public:
        include_pending = False
    if not 1 <= month <= 12:
        raise ValueError("month")
    now = now or timezone.now()
    today = now.astimezone(SEOUL).date()
    start, period = date(year, 1, 1), date(year, month, 1)
    months = [date(year, m, 1) for m in range(1, month + 1)]
    scope = {"district": district, "project": project, "call": call}

    # Projects, their districts and their plans in force.
    project_rows = (
        projects_in_year(year=year, **scope)
        .order_by("district__code", "code")
        .values_list("pk", "code", "title", "title_en", "district_id", "district__code",
                     "status", "period_start", "period_end", "report_due_day")
    )
    projects: dict[int, ProjectFigures] = {}
    for pk, code, title, title_en, district_id, district_code, status, p_start, p_end, due_day in project_rows:
        projects[pk] = ProjectFigures(
            code=code, name_ko=title, name_en=title_en, months=month, project_id=pk,
            district_id=district_id, district_code=district_code, status=status,
            period_start=p_start, period_end=p_end, due_day=due_day, project_count=1,
        )
    if detail is None:
        detail = len(projects) <= DETAIL_LIMIT
    plans = _plans_in_force(projects_in_year(year=year, **scope), period)
    for project_id, (_plan_id, budget) in plans.items():
        if project_id in projects:
            projects[project_id].budget = budget
    project_of_plan = {plan_id: project_id for project_id, (plan_id, _budget) in plans.items()}
    plan_scope = {"plan__project__in": projects_in_year(year=year, **scope)}
    # Each plan's items in their own order, without joining up to the project to sort.
    for plan_id, code, name_ko, name_en, planned in (
        PlanTargetGroup.objects.filter(**plan_scope).order_by("plan_id", "pk")
        .values_list("plan_id", "code", "name_ko", "name_en", "planned_jobs")
    ):
        figures = projects.get(project_of_plan.get(plan_id))
        if figures is not None:
            figures.groups[code] = GroupFigure(code, name_ko, name_en, target=planned)
            figures.jobs_target += planned
    for plan_id, code, name_ko, name_en, unit_ko, unit_en, target in (
        PlanOutput.objects.filter(**plan_scope).order_by("plan_id", "pk")
        .values_list("plan_id", "code", "name_ko", "name_en", "unit_ko", "unit_en", "target")
    ):
        figures = projects.get(project_of_plan.get(plan_id))
        if figures is not None:
            figures.outputs[code] = OutputFigure(code, name_ko, name_en, unit_ko, unit_en, target=target)

    # Accepted figures, year to date: one summary row per project and figure.
    figure_years = _scoped_values(FigureYear.objects.filter(year=year), **scope)
    rows = (
        figure_years.filter(first_month__lte=month)
        .annotate(to_date=FigureYear.to_date(month))
        .values_list("project_id", "measure", "key", "to_date", FigureYear.MONTHS[month - 1])
    )
    new_hires, output_measure, spending = Measure.NEW_HIRES.value, Measure.OUTPUT.value, Measure.SPENDING.value
    for project_id, measure, key, to_date, this_month in rows:
        figures = projects.get(project_id)
        if figures is None:
            continue
        if measure == new_hires:
            figures.jobs_created += to_date
            group = figures.groups.get(key)
            if group is None:
                group = figures.groups[key] = GroupFigure(key, key, key)
            group.jobs += to_date
        elif measure == output_measure:
            output = figures.outputs.get(key)
            if output is None:
                output = figures.outputs[key] = OutputFigure(key, key, key, "", "")
            output.value += to_date
        elif measure == spending:
            figures.spending += to_date
        else:  # employed: a head count at the month's end, not a flow
            figures.employed += this_month
    if detail:
        monthly = figure_years.filter(measure=Measure.NEW_HIRES).values_list("project_id", *FigureYear.MONTHS[:month])
        for project_id, *jobs in monthly:
            figures = projects.get(project_id)
            if figures is not None:
                figures.monthly_jobs = [a + b for a, b in zip(figures.monthly_jobs, jobs, strict=True)]
        _add_timeliness(projects, year=year, months=months, today=today, scope=scope)
    if with_retention:
        _add_retention(projects, start=start, period=period, scope=scope)
    if include_pending:
        _add_pending(projects, start=start, period=period, scope=scope)

    # Districts and the city: exact sums of their projects.
    district_names = {
        org.pk: org for org in Organisation.objects.filter(pk__in={p.district_id for p in projects.values()})
    }
    if district is not None:
        district_names.setdefault(district.pk, district)
    districts: dict[int, DistrictFigures] = {}
    for district_id in sorted(district_names, key=lambda pk: district_names[pk].code):
        org = district_names[district_id]
        districts[district_id] = DistrictFigures(
            code=org.code, name_ko=org.name_ko, name_en=org.name_en, months=month, district_id=district_id,
            heat=[Cell() for _m in months],
        )
    for figures in projects.values():
        holder = districts[figures.district_id]
        holder.add(figures)
        holder.projects.append(figures)
    if not detail:
        monthly = (
            figure_years.filter(measure=Measure.NEW_HIRES)
            .values_list("district_id")
            .annotate(*(Sum(name) for name in FigureYear.MONTHS[:month]))
            .order_by()
        )
        for district_id, *jobs in monthly:
            if district_id in districts:
                districts[district_id].monthly_jobs = jobs
    # Reports of districts (and so of the city) come from the heat map's cells.
    _add_heat(districts, months=months, today=today, scope=scope)
    for holder in districts.values():
        holder.reports = Cell()
        for cell in holder.heat:
            holder.reports.add(cell)
    city = Figures(code="", name_ko="", name_en="", months=month)
    for holder in districts.values():
        city.add(holder)

    return Rollup(
        year=year,
        month=month,
        totals=city,
        districts=list(districts.values()),
        projects=list(projects.values()),
        year_over_year=_year_over_year(year=year, month=month, this_year=city.jobs_created, scope=scope),
        includes_pending=include_pending,
        detail=detail,
    )


def _plans_in_force(projects, month: date) -> dict[int, tuple[int, int]]:
    """Project id → (plan id, total budget) of its plan in force for the month
    (the latest effective by then, or its first plan): ``Project.plan_for`` for many."""
    chosen: dict[int, tuple[int, int]] = {}
    rows = (
        ProjectPlan.objects.filter(project__in=projects)
        .order_by("project_id", "effective_from", "pk")
        .values_list("project_id", "pk", "effective_from", "city_share", "district_share")
    )
    for project_id, plan_id, effective_from, city_share, district_share in rows:
        if project_id not in chosen or effective_from <= month:
            chosen[project_id] = (plan_id, city_share + district_share)
    return chosen


def _arrivals(scope, months):
    """Reports received in the months, counted by (…, period, due day, Seoul
    date of first arrival): few rows, and one time-zone conversion per report."""
    return (
        MonthlyReport.objects.filter(period__gte=months[0], period__lte=months[-1], first_submitted_at__isnull=False)
        .filter(_report_scope(scope))
        .annotate(arrived=TruncDate("first_submitted_at", tzinfo=SEOUL))
    )


def _on_time(period: date, due_day: int, arrived: date) -> bool:
    """On time: first reached the city by the end of the due day (Seoul)."""
    return arrived <= add_months(period, 1).replace(day=due_day)


def _add_timeliness(projects, *, year, months, today, scope) -> None:
    """Reports owed, on time and late, year to date, per project."""
    rows = (
        _arrivals(scope, months)
        .values_list("project_id", "period", "project__report_due_day", "arrived")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for project_id, period, due_day, arrived, count in rows:
        if project_id in projects:
            cell = projects[project_id].reports
            if _on_time(period, due_day, arrived):
                cell.on_time += count
            else:
                cell.late += count
    # Months owed and past due: whole-month arithmetic on each project's period.
    for figures in projects.values():
        if figures.status == ProjectStatus.CANCELLED:
            continue
        for month in months:
            if figures.period_start <= month <= figures.period_end:
                if _is_due(month, figures.due_day, today):
                    figures.reports.expected += 1
                else:
                    figures.reports.not_yet_due += 1


def _is_due(month: date, due_day: int, today: date) -> bool:
    due = add_months(month, 1).replace(day=due_day)
    return today > due


def _report_scope(scope) -> Q:
    if scope["project"] is not None:
        return Q(project=scope["project"])
    q = Q()
    if scope["district"] is not None:
        q &= Q(district=scope["district"])
    if scope["call"] is not None:
        q &= Q(project__call=scope["call"])
    return q


def _add_heat(districts, *, months, today, scope) -> None:
    """The district × month heat map: owed, on time, late, not yet due."""
    received = (
        _arrivals(scope, months)
        .values_list("district_id", "period", "project__report_due_day", "arrived")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for district_id, month, due_day, arrived, count in received:
        if district_id in districts:
            cell = districts[district_id].heat[month.month - 1]
            if _on_time(month, due_day, arrived):
                cell.on_time += count
            else:
                cell.late += count
    owed = {}
    for index, month in enumerate(months):
        owed[f"due_{index}"], owed[f"open_{index}"] = _owed_counts(month, today)
    rows = projects_in_year(year=months[0].year, **scope).values("district_id").annotate(**owed).order_by()
    for row in rows:
        heat = districts[row["district_id"]].heat
        for index in range(len(months)):
            heat[index].expected += row[f"due_{index}"]
            heat[index].not_yet_due += row[f"open_{index}"]


def _add_retention(projects, *, start, period, scope) -> None:
    """Six-month retention from the roster of each project's latest accepted
    month that has one (``reporting.checks.six_month_retention``)."""
    from projects.months import month_end
    from reporting.checks import six_month_retention

    latest = (
        _scoped_values(MonthlyReport.objects.all(), **scope)
        .filter(period__gte=start, period__lte=period,
                accepted_version__in=RosterEntry.objects.values("version_id"))
        .values("project_id")
        .annotate(latest=Max("period"))
        .order_by()
    )
    wanted = {row["project_id"]: row["latest"] for row in latest if row["project_id"] in projects}
    if not wanted:
        return
    versions = MonthlyReport.objects.filter(
        Q(*[Q(project_id=pk, period=month) for pk, month in wanted.items()], _connector=Q.OR)
    ).values_list("project_id", "accepted_version_id")
    version_of = dict(versions)
    rosters: dict[int, list[dict]] = {}
    for version_id, hire_date, end_date in RosterEntry.objects.filter(
        version_id__in=version_of.values()
    ).values_list("version_id", "hire_date", "end_date"):
        rosters.setdefault(version_id, []).append({"hire_date": hire_date, "end_date": end_date})
    for project_id, version_id in version_of.items():
        projects[project_id].retention = six_month_retention(rosters.get(version_id, []), month_end(period))


def _add_pending(projects, *, start, period, scope) -> None:
    """What the district has submitted and the city not yet accepted: the
    submitted versions' figures minus those they would replace."""
    waiting = _scoped_values(MonthlyReport.objects.all(), **scope).filter(
        period__gte=start, period__lte=period, status=ReportStatus.SUBMITTED
    )
    submitted = (
        ReportValue.objects.filter(version_id__in=waiting.values("current_version_id"))
        .filter(measure__in=[Measure.NEW_HIRES, Measure.OUTPUT])
        .values_list("project_id", "measure", "key")
        .annotate(total=Sum("value"))
        .order_by()
    )
    replaced = (
        ReportValue.objects.filter(in_force=True, version_id__in=waiting.values("accepted_version_id"))
        .filter(measure__in=[Measure.NEW_HIRES, Measure.OUTPUT])
        .values_list("project_id", "measure", "key")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for sign, rows in ((1, submitted), (-1, replaced)):
        for project_id, measure, key, total in rows:
            figures = projects.get(project_id)
            if figures is None:
                continue
            if measure == Measure.NEW_HIRES:
                figures.pending_jobs += sign * total
            else:
                figures.pending_outputs[key] = figures.pending_outputs.get(key, 0) + sign * total
    for project_id, count in waiting.values_list("project_id").annotate(n=Count("pk")).order_by():
        if project_id in projects:
            projects[project_id].pending_reports = count


def _year_over_year(*, year: int, month: int, this_year: int, scope) -> list[YearFigure]:
    """Jobs created by the same month of earlier years (accepted), oldest first,
    each with its growth over the year before it."""
    earlier = range(year - YEAR_OVER_YEAR_YEARS + 1, year)
    by_year = dict(
        _scoped_values(FigureYear.objects.filter(year__in=earlier, measure=Measure.NEW_HIRES), **scope)
        .values_list("year")
        .annotate(total=Sum(FigureYear.to_date(month)))
        .order_by()
    )
    by_year[year] = this_year
    first = min((y for y, total in by_year.items() if total), default=year)
    figures, previous = [], None
    for y in range(first, year + 1):
        jobs = by_year.get(y, 0)
        figures.append(YearFigure(y, jobs, scoring.growth(jobs, previous) if previous is not None else None))
        previous = jobs
    return figures


# --- scope for a person ----------------------------------------------------------


def data_stamp(*, year: int, month: int, district=None) -> str:
    """A short text that changes whenever anything a report file shows could
    change: the accepted figures, the reports' arrival, the plans and projects."""
    start, period = date(year, 1, 1), date(year, month, 1)
    scope = {"district": district, "project": None, "call": None}
    values = _scoped_values(
        ReportValue.objects.filter(in_force=True, period__gte=date(year - YEAR_OVER_YEAR_YEARS, 1, 1),
                                   period__lte=period),
        **scope,
    ).aggregate(n=Count("pk"), total=Sum("value"), last=Max("version_id"))
    reports = _scoped_values(MonthlyReport.objects.filter(period__gte=start, period__lte=period), **scope).aggregate(
        n=Count("pk"), changed=Max("updated_at")
    )
    projects = projects_in_year(year=year, district=district)
    plans = ProjectPlan.objects.filter(project__in=projects).aggregate(n=Count("pk"), last=Max("pk"))
    changed = projects.aggregate(n=Count("pk"), changed=Max("updated_at"))
    return repr((values, reports, plans, changed))


# --- grades and the next call --------------------------------------------------


def published_evaluations_feeding(call):
    """Published evaluations whose scheme feeds this call."""
    from .models import ProjectEvaluation

    return ProjectEvaluation.objects.filter(
        scheme__next_call=call, scheme__published_at__isnull=False, grade__isnull=False
    ).select_related("grade", "project", "scheme")


def previous_grade_for(proposal):
    """The best published grade of the proposing district's projects under the
    evaluation that feeds the proposal's call (None without one)."""
    return previous_grades_by_district(proposal.call).get(proposal.district_id)


def previous_grades_by_district(call) -> dict:
    """district id → that district's best published grade feeding this call, in
    one query (for a whole ranking at once)."""
    best = {}
    for evaluation in published_evaluations_feeding(call).order_by(
        "-grade__bonus_points", "grade__sort_order", "rank"
    ):
        best.setdefault(evaluation.project.district_id, evaluation)
    return best


def bonus_points_for(proposal) -> Decimal:
    """Bonus points a proposal gets in the ranking for its district's grade last
    time (0 without a published grade)."""
    best = previous_grade_for(proposal)
    return best.grade.bonus_points if best is not None else Decimal(0)


def continuation_eligible(project) -> bool:
    """Whether a project's published grade makes it eligible for continuation."""
    from .models import ProjectEvaluation

    return ProjectEvaluation.objects.filter(
        project=project, scheme__published_at__isnull=False, grade__continuation=True
    ).exists()
