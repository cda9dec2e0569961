"""Every roll-up figure, read as database aggregates over the accepted figures.

The dashboard, the workbook, the PDF, the outcomes page and the API all call
``rollup()``, so their numbers are the same by construction. The rules:

* What a figure is — its name, unit and how its months and projects add up —
  is the catalogue's (``indicators.Indicator``): a figure's ``measure`` is its
  indicator's code. Every total adds figures of ONE indicator only, across
  projects, districts and calls (households visited in two calls are one
  total because the indicator is one object), never across indicators.
* An indicator's figure over the months is ``indicator.rule.over_months``
  (a sum, the last month's value, the highest, the average), and over
  several projects ``rule.across``. A figure split by target group, category,
  sex or age band is first added up within the month.
* Only figures in force count (``ReportValue.in_force``: the accepted version
  of each month). A district's own view may add what it has submitted and the
  city has not accepted yet; those figures are kept apart (``pending_*``) and
  shown as such, never mixed into the accepted ones, and never public.
* "To date" is the programme year to date: January to the chosen month.
  Targets and budgets are those of each project's plan in force for the month.
* Figures are summed by the database (one grouped query per kind of figure);
  for an indicator whose rule is ``additive`` (a sum, the last month) the
  database adds the projects of a district up first, any other rule is applied
  project by project. No loop ever walks report rows in Python.
* Timeliness is the rule of ``reporting.selectors``: on time when the report
  first reached the city by the end of its due day, Seoul time.
"""

import gc
import hashlib
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Count,
    ExpressionWrapper,
    Max,
    Min,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import Organisation
from common.queries import AnyOf
from indicators.aggregation import Figure
from indicators.aggregation import Sum as SumRule
from indicators.builtins import EMPLOYED, NEW_HIRES, RETAINED_6M, SPENDING
from indicators.models import Indicator, Source
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


def catalogue() -> dict[str, Indicator]:
    """Code → indicator, every entry of the catalogue (retired ones too: their
    figures still count), in the catalogue's order."""
    return {indicator.code: indicator for indicator in Indicator.objects.all()}


def comparable_indicators() -> list[Indicator]:
    """The indicators a person may compare year over year: every catalogue
    entry whose figures are reported (a computed one, such as six-month
    retention, has no monthly figures), in the catalogue's order."""
    return list(Indicator.objects.filter(source=Source.REPORTED))


def chosen_indicator(code: str | None) -> str:
    """The indicator (code) asked for, if the catalogue has it; otherwise
    jobs created."""
    code = (code or "").strip()
    if code and Indicator.objects.filter(code=code, source=Source.REPORTED).exists():
        return code
    return NEW_HIRES


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
class IndicatorFigure:
    """One indicator of a scope, January to the month, against its target.

    ``parts`` are the figures of the scope's projects (or of groups of them the
    database added up already, for an additive rule); the scope's figure is
    the rule's ``across`` of them. Names, unit and rule are the catalogue's."""

    indicator: Indicator
    target: int = 0
    pending: int = 0  # submitted, not yet accepted (district's own view only)
    parts: list[Figure] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def name(self) -> str:
        return self.indicator.name

    @property
    def name_ko(self) -> str:
        return self.indicator.name_ko

    @property
    def name_en(self) -> str:
        return self.indicator.name_en

    @property
    def unit(self) -> str:
        return self.indicator.unit

    @property
    def unit_ko(self) -> str:
        return self.indicator.unit_ko

    @property
    def unit_en(self) -> str:
        return self.indicator.unit_en

    @property
    def aggregation(self) -> str:
        return self.indicator.aggregation

    @property
    def value(self) -> Figure:
        """The scope's figure: 0 when no project reported it."""
        value = self.indicator.rule.across(self.parts)
        return 0 if value is None else value

    @property
    def achievement(self) -> Decimal | None:
        return scoring.achievement(self.value, self.target)

    def add(self, other: "IndicatorFigure") -> None:
        self.target += other.target
        self.pending += other.pending
        self.parts.extend(other.parts)


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
    """The figures of a scope (a project, a district or the city), year to date:
    one ``IndicatorFigure`` per indicator (code) it has a target or a figure of;
    jobs created, employed and spending are the core indicators' figures."""

    code: str
    name_ko: str
    name_en: str
    months: int  # January .. the chosen month
    budget: int = 0
    indicators: dict[str, IndicatorFigure] = field(default_factory=dict)
    groups: dict[str, GroupFigure] = field(default_factory=dict)
    monthly_jobs: list[int] = field(default_factory=list)
    reports: Cell = field(default_factory=Cell)
    retention: tuple[int, int] | None = None  # (retained 6 months, eligible)
    pending_jobs: int = 0  # submitted, not yet accepted (district's own view only)
    pending_reports: int = 0
    project_count: int = 0

    def __post_init__(self):
        if not self.monthly_jobs:
            self.monthly_jobs = [0] * self.months

    @property
    def name(self) -> str:
        return _localized(self.name_ko, self.name_en)

    def figure(self, indicator: Indicator) -> IndicatorFigure:
        """The scope's figure of an indicator, made when missing."""
        mine = self.indicators.get(indicator.code)
        if mine is None:
            mine = self.indicators[indicator.code] = IndicatorFigure(indicator)
        return mine

    def _value(self, code: str) -> Figure:
        figure = self.indicators.get(code)
        return figure.value if figure is not None else 0

    @property
    def jobs_created(self) -> int:
        return int(self._value(NEW_HIRES))

    @property
    def jobs_target(self) -> int:
        figure = self.indicators.get(NEW_HIRES)
        return figure.target if figure is not None else 0

    @property
    def employed(self) -> int:
        """At the end of the chosen month (the catalogue's rule: the last month)."""
        return int(self._value(EMPLOYED))

    @property
    def spending(self) -> int:
        return int(self._value(SPENDING))

    @property
    def outputs(self) -> dict[str, IndicatorFigure]:
        """The indicators a call chose (every one but the core ones), by code."""
        return {
            code: figure
            for code, figure in self.indicators.items()
            if not figure.indicator.is_core
        }

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
        return scoring.mean(
            [scoring.capped(o.achievement) for o in self.outputs.values()]
        )

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
        """Add another scope's figures (a project's to its district's, …):
        indicator by indicator, each only with itself."""
        self.budget += other.budget
        self.pending_jobs += other.pending_jobs
        self.pending_reports += other.pending_reports
        self.project_count += other.project_count
        for figure in other.indicators.values():
            self.figure(figure.indicator).add(figure)
        groups = self.groups
        for code, group in other.groups.items():
            mine = groups.get(code)
            if mine is None:
                mine = groups[code] = GroupFigure(code, group.name_ko, group.name_en)
            mine.jobs += group.jobs
            mine.target += group.target
        if any(other.monthly_jobs):
            self.monthly_jobs = [
                a + b
                for a, b in zip(self.monthly_jobs, other.monthly_jobs, strict=True)
            ]
        self.reports.add(other.reports)
        if other.retention is not None:
            retained, eligible = self.retention or (0, 0)
            self.retention = (
                retained + other.retention[0],
                eligible + other.retention[1],
            )


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
    """One indicator's figure by the same month of one year."""

    year: int
    value: Figure
    growth: Decimal | None  # against the year before it in the list

    @property
    def growth_display(self) -> str:
        return scoring.signed_percent(self.growth)


@dataclass(slots=True)
class YearOverYear:
    """An indicator by the same month of this year and the years before it."""

    indicator: Indicator
    years: list[YearFigure]

    def __iter__(self):
        return iter(self.years)

    def __len__(self) -> int:
        return len(self.years)

    def __getitem__(self, index):
        return self.years[index]


class _YearToMonth:
    """January to ``month`` of ``year``."""

    __slots__ = ()
    year: int
    month: int

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def period(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def months(self) -> list[date]:
        return [date(self.year, m, 1) for m in range(1, self.month + 1)]


@dataclass(slots=True)
class Rollup(_YearToMonth):
    year: int
    month: int
    totals: Figures
    districts: list[DistrictFigures]
    projects: list[ProjectFigures]
    year_over_year: YearOverYear
    includes_pending: bool = False
    detail: bool = True
    indicators: dict[str, Indicator] = field(default_factory=dict)

    @property
    def district_count(self) -> int:
        return sum(1 for d in self.districts if d.project_count)

    @property
    def growth(self) -> Decimal | None:
        years = self.year_over_year.years
        return years[-1].growth if years else None

    @property
    def growth_display(self) -> str:
        return scoring.signed_percent(self.growth)

    @property
    def retention_indicator(self) -> Indicator | None:
        """The catalogue's six-month retention (its name and unit)."""
        return self.indicators.get(RETAINED_6M)

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
            others = [
                sum(values)
                for values in zip(*(d.monthly_jobs for d in rest), strict=True)
            ]
            from django.utils.translation import gettext

            series.append((gettext("Other districts"), others))
        return series


# --- the queries --------------------------------------------------------------


def projects_in_year(*, year: int, district=None, project=None, call=None):
    """Projects whose period overlaps the year (cancelled ones included: the
    jobs they created are real; they owe no report once cancelled)."""
    projects = Project.objects.filter(**_year_filter(year))
    if district is not None:
        projects = projects.filter(district=district)
    if project is not None:
        projects = projects.filter(pk=project.pk)
    if call is not None:
        projects = projects.filter(call=call)
    return projects


def _int_sum(expression):
    """SUM as a whole number: PostgreSQL sums bigints as numeric, which Python
    reads (and Django converts back) as Decimal, one by one: slow over
    thousands of sums, and the figures are counts and won."""
    return Cast(Sum(expression), BigIntegerField())


def _year_filter(year: int) -> dict:
    return {"period_start__lte": date(year, 12, 1), "period_end__gte": date(year, 1, 1)}


def _scoped_values(queryset, *, district=None, project=None, call=None):
    if project is not None:
        return queryset.filter(project=project)
    if district is not None:
        queryset = queryset.filter(district=district)
    if call is not None:
        queryset = queryset.filter(project__call=call)
    return queryset


def _accepted_reports(*, district=None, call=None):
    """The months with figures in force: every report the city has accepted
    (a reopened month keeps its accepted figures until the correction is)."""
    return _scoped_values(
        MonthlyReport.objects.filter(accepted_version__isnull=False),
        district=district,
        call=call,
    )


def latest_accepted_period(*, district=None) -> date | None:
    """The last month with any accepted figure."""
    return _accepted_reports(district=district).aggregate(latest=Max("period"))[
        "latest"
    ]


def latest_accepted_month(*, year: int, district=None, call=None) -> int | None:
    """The last month of the year with any accepted figure."""
    latest = (
        _accepted_reports(district=district, call=call)
        .filter(period__gte=date(year, 1, 1), period__lte=date(year, 12, 1))
        .aggregate(latest=Max("period"))["latest"]
    )
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
    return Q(period_start__lte=month, period_end__gte=month) & ~Q(
        status=ProjectStatus.CANCELLED
    )


DETAIL_LIMIT = 200  # projects; above it, per-project months and timeliness are left out


@dataclass(frozen=True, slots=True)
class RollupQuery:
    """What a roll-up is asked for: the year to the month, in a scope (the
    city, one district, one call or one project), and how much of it.

    ``projects`` lists each project's own figures: True for all of them (or
    the ``project_slice`` of them, in district and code order), None only when
    there are few enough to read one by one (``detail``), False for none.
    ``detail`` adds each listed project's months and report timeliness (by
    default when there are at most ``DETAIL_LIMIT`` projects); districts and
    the city have theirs unless ``with_timeliness`` is off (the open data
    publishes none). ``year_over_year`` is the indicator (code) compared with
    the same month of earlier years. ``public`` never includes pending figures.
    """

    year: int
    month: int
    district: Organisation | None = None
    project: Project | None = None
    call: Any = None
    include_pending: bool = False
    public: bool = False
    now: datetime | None = None
    with_retention: bool = True
    detail: bool | None = None
    projects: bool | None = True
    project_slice: slice | None = None
    with_timeliness: bool = True
    year_over_year: str = NEW_HIRES

    def __post_init__(self):
        if not 1 <= self.month <= 12:
            raise ValueError("month")

    @property
    def scope(self) -> dict:
        return {"district": self.district, "project": self.project, "call": self.call}


@contextmanager
def _cyclic_collector_paused():
    """A city's roll-up makes tens of thousands of small objects that form no
    reference cycle; left on, the cyclic collector ran a dozen full passes over
    them, a quarter of the roll-up's time. Reference counting still frees them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def rollup(query: RollupQuery) -> Rollup:
    """The figures of the year to the month, for the city (or one district, one
    call, one project): totals, each district, each project, year over year.

    Districts and the city are summed by the database, grouped by district,
    whatever is listed of the projects (see ``RollupQuery``)."""
    with _cyclic_collector_paused():
        return _rollup(query)


def _rollup(query: RollupQuery) -> Rollup:
    include_pending = query.include_pending and not query.public
    now = query.now or timezone.now()
    today = now.astimezone(SEOUL).date()
    span = _Span(
        year=query.year,
        month=query.month,
        today=today,
        scope=query.scope,
        indicators=catalogue(),
    )
    plans = _plans_in_force(span)
    districts = _district_figures(
        span, plans, district=query.district, timeliness=query.with_timeliness
    )
    detail = query.detail
    if detail is None:
        detail = (
            sum(holder.project_count for holder in districts.values()) <= DETAIL_LIMIT
        )
    listed: dict[int, ProjectFigures] = {}
    if query.projects or (query.projects is None and detail):
        listed = _project_figures(span, plans, project_slice=query.project_slice)
        if detail:
            _add_project_timeliness(
                listed, span, sliced=query.project_slice is not None
            )
        for figures in listed.values():
            districts[figures.district_id].projects.append(figures)
    if query.with_retention:
        _add_retention(span, districts, listed)
    if include_pending:
        _add_pending(span, districts, listed)
    city = Figures(code="", name_ko="", name_en="", months=query.month)
    for holder in districts.values():
        city.add(holder)
    compared = span.indicators.get(query.year_over_year) or span.indicators[NEW_HIRES]
    this_year = city.indicators.get(compared.code)
    return Rollup(
        year=query.year,
        month=query.month,
        totals=city,
        districts=list(districts.values()),
        projects=list(listed.values()),
        year_over_year=year_over_year(
            indicator=compared,
            year=query.year,
            month=query.month,
            this_year=this_year.value if this_year is not None else 0,
            **span.scope,
        ),
        includes_pending=include_pending,
        detail=detail,
        indicators=span.indicators,
    )


@dataclass(frozen=True, slots=True)
class _Span(_YearToMonth):
    """What a roll-up covers: January to the month of the year, in a scope."""

    year: int
    month: int
    today: date
    scope: dict
    indicators: dict[str, Indicator]

    def projects(self):
        return projects_in_year(year=self.year, **self.scope)

    def figure_years(self):
        """The summary rows of the year's projects with a figure by the month."""
        return _scoped_values(
            FigureYear.objects.filter(year=self.year, first_month__lte=self.month),
            **self.scope,
        )


@dataclass(frozen=True, slots=True)
class _Plan:
    plan_id: int
    district_id: int
    budget: int


def _plans_in_force(span: _Span) -> dict[int, _Plan]:
    """Project id → its plan in force for the month (the latest effective by
    then, or its first plan): ``Project.plan_for`` for every project of the span."""
    chosen: dict[int, _Plan] = {}
    in_year = {
        f"project__{name}": value for name, value in _year_filter(span.year).items()
    }
    scope = {
        ("project" if name == "project" else f"project__{name}"): value
        for name, value in span.scope.items()
        if value is not None
    }
    rows = (
        ProjectPlan.objects.filter(**in_year, **scope)
        .annotate(
            effective=ExpressionWrapper(
                Q(effective_from__lte=span.period), output_field=BooleanField()
            )
        )
        .order_by("project_id", "effective_from", "pk")
        .values_list(
            "project_id",
            "pk",
            "project__district_id",
            "effective",
            "city_share",
            "district_share",
        )
    )
    for project_id, plan_id, district_id, effective, city_share, district_share in rows:
        if effective or project_id not in chosen:
            chosen[project_id] = _Plan(
                plan_id, district_id, city_share + district_share
            )
    return chosen


# --- districts and the city: grouped by district in the database ------------------


def _month_sums() -> dict:
    return {name: _int_sum(name) for name in FigureYear.MONTHS}


def _add_series(series: dict, key, months_of: Sequence[int], first: int = 1) -> None:
    """Add a figure's months to the series of ``key``: (first month, values)."""
    mine = series.get(key)
    if mine is None:
        series[key] = [first, list(months_of)]
        return
    mine[0] = min(mine[0], first)
    mine[1] = [a + b for a, b in zip(mine[1], months_of, strict=True)]


def _over_months(indicator: Indicator, first: int, months_of: Sequence[int]):
    """The indicator's figure over the months it has (from its first)."""
    return indicator.rule.over_months(list(months_of[first - 1 :]))


def _add_jobs(figures: Figures, key: str, months_of: Sequence[int]) -> None:
    """New jobs of a target group: by group and month for the charts."""
    group = figures.groups.get(key)
    if group is None:
        group = figures.groups[key] = GroupFigure(key, key, key)
    group.jobs += sum(months_of)
    figures.monthly_jobs = [
        a + b for a, b in zip(figures.monthly_jobs, months_of, strict=True)
    ]


def _district_figures(
    span: _Span, plans: dict[int, _Plan], *, district, timeliness: bool = True
) -> dict[int, DistrictFigures]:
    """Every district of the scope with its figures: the reported ones summed
    by the database per district and indicator, the planned ones added up from
    the plans in force (no project's figures are assembled, except for an
    indicator whose rule is not additive). ``timeliness`` adds the heat map and
    the reports owed, on time and late."""
    months = span.months
    indicators = span.indicators
    owed = {}
    for index, month in enumerate(months if timeliness else []):
        owed[f"due_{index}"], owed[f"open_{index}"] = _owed_counts(month, span.today)
    counts = {
        row["district_id"]: row
        for row in span.projects()
        .values("district_id")
        .annotate(n=Count("pk"), **owed)
        .order_by()
    }
    organisations = Organisation.objects.filter(pk__in=counts).order_by("code")
    if district is not None and district.pk not in counts:
        organisations = sorted([*organisations, district], key=lambda org: org.code)
    districts: dict[int, DistrictFigures] = {}
    for org in organisations:
        holder = districts[org.pk] = DistrictFigures(
            code=org.code,
            name_ko=org.name_ko,
            name_en=org.name_en,
            months=span.month,
            district_id=org.pk,
            heat=[Cell() for _m in months],
        )
        row = counts.get(org.pk)
        if row is not None:
            holder.project_count = row["n"]
            if timeliness:
                for index, cell in enumerate(holder.heat):
                    cell.expected, cell.not_yet_due = (
                        row[f"due_{index}"],
                        row[f"open_{index}"],
                    )
    for district_id, (groups, outputs) in _planned_by_district(plans).items():
        holder = districts[district_id]
        jobs = holder.figure(indicators[NEW_HIRES])
        for code, name_ko, name_en, planned in groups:
            holder.groups[code] = GroupFigure(code, name_ko, name_en, target=planned)
            jobs.target += planned
        for code, target in outputs:
            holder.figure(indicators[code]).target += target
    spending = indicators[SPENDING]
    for plan in plans.values():
        holder = districts[plan.district_id]
        holder.budget += plan.budget
        holder.figure(spending).target += plan.budget

    # Each figure's months summed per district, the year to the month; new
    # jobs by target group and month for the charts. An additive indicator's
    # months are summed over its keys and the district's projects, then its
    # rule applied; any other rule is applied project by project below.
    sums = _month_sums()
    rows = (
        span.figure_years()
        .values_list("district_id", "measure", "key")
        .annotate(**{name: sums[name] for name in FigureYear.MONTHS[: span.month]})
        .order_by()
    )
    series: dict[tuple[int, str], list] = {}
    for district_id, measure, key, *months_of in rows:
        indicator = indicators.get(measure)
        # Figures of a project whose period left the year, or under a code no
        # catalogue entry has (never summed with anything).
        if district_id not in districts or indicator is None:
            continue
        if measure == NEW_HIRES:
            _add_jobs(districts[district_id], key, months_of)
        if indicator.rule.additive:
            _add_series(series, (district_id, measure), months_of)
    for (district_id, measure), (first, months_of) in series.items():
        indicator = indicators[measure]
        value = _over_months(indicator, first, months_of)
        if value is not None:
            districts[district_id].figure(indicator).parts.append(value)
    others = [code for code, i in indicators.items() if not i.rule.additive]
    if others:
        for _project, district_id, value, indicator in _project_values(
            span.figure_years().filter(measure__in=others), span
        ):
            if district_id in districts:
                districts[district_id].figure(indicator).parts.append(value)

    if not timeliness:
        return districts
    # The heat map's cells: reports received, by district and month.
    for district_id, month, on_time, late in _arrivals(span, "district_id"):
        if district_id in districts:
            cell = districts[district_id].heat[month.month - 1]
            cell.on_time, cell.late = on_time, late
    for holder in districts.values():
        for cell in holder.heat:
            holder.reports.add(cell)
    return districts


def _project_values(figure_years, span: _Span):
    """(project id, district id, its figure over the months, indicator) of the summary rows
    given, each indicator's keys added up within the month first."""
    sums = _month_sums()
    rows = (
        figure_years.values_list("project_id", "district_id", "measure")
        .annotate(
            first=Min("first_month"),
            **{name: sums[name] for name in FigureYear.MONTHS[: span.month]},
        )
        .order_by()
    )
    for project_id, district_id, measure, first, *months_of in rows:
        indicator = span.indicators.get(measure)
        if indicator is None:
            continue
        value = _over_months(indicator, first, months_of)
        if value is not None:
            yield project_id, district_id, value, indicator


PLANNED_CACHE_SECONDS = 60 * 60


def _planned_by_district(plans: dict[int, _Plan]) -> dict[int, tuple[list, list]]:
    """District id → (planned jobs per target group, targets per indicator
    code) of the plans in force, summed by the database in the order plans
    list them.

    A plan's items never change once it is agreed (a change is a new plan), so
    these sums are a function of which plans are in force in which district:
    that is the cache key: a new plan or a project moved is a new key. (A
    restore from a backup clears the cache: plan ids may be reused after it.)"""
    key_source = repr(sorted((p.plan_id, p.district_id) for p in plans.values()))
    key = "rollup:planned:3:" + hashlib.sha256(key_source.encode()).hexdigest()
    planned = cache.get(key)
    if planned is not None:
        return planned
    planned = {}
    items = AnyOf("plan_id", [plan.plan_id for plan in plans.values()])
    for district_id, code, name_ko, name_en, target, _first in (
        PlanTargetGroup.objects.filter(items)
        .values_list("plan__project__district_id", "code")
        .annotate(Min("name_ko"), Min("name_en"), Sum("planned_jobs"), first=Min("pk"))
        .order_by("plan__project__district_id", "first")
    ):
        planned.setdefault(district_id, ([], []))[0].append(
            (code, name_ko, name_en, target)
        )
    # Targets by indicator: the same indicator in two calls is one target.
    for district_id, code, target, _first in (
        PlanOutput.objects.filter(items)
        .values_list("plan__project__district_id", "indicator__code")
        .annotate(Sum("target"), first=Min("pk"))
        .order_by("plan__project__district_id", "first")
    ):
        planned.setdefault(district_id, ([], []))[1].append((code, target))
    cache.set(key, planned, PLANNED_CACHE_SECONDS)
    return planned


# --- projects, one by one ------------------------------------------------------------


def _project_figures(
    span: _Span, plans: dict[int, _Plan], *, project_slice: slice | None
):
    """The listed projects' own figures (all of the scope, or a slice of them in
    district and code order)."""
    indicators = span.indicators
    project_rows = (
        span.projects()
        .order_by("district__code", "code")
        .values_list(
            "pk",
            "code",
            "title",
            "title_en",
            "district_id",
            "district__code",
            "status",
            "period_start",
            "period_end",
            "report_due_day",
        )
    )
    if project_slice is not None:
        project_rows = project_rows[project_slice]
    projects: dict[int, ProjectFigures] = {}
    for (
        pk,
        code,
        title,
        title_en,
        district_id,
        district_code,
        status,
        p_start,
        p_end,
        due_day,
    ) in project_rows:
        projects[pk] = ProjectFigures(
            code=code,
            name_ko=title,
            name_en=title_en,
            months=span.month,
            project_id=pk,
            district_id=district_id,
            district_code=district_code,
            status=status,
            period_start=p_start,
            period_end=p_end,
            due_day=due_day,
            project_count=1,
            budget=plans[pk].budget if pk in plans else 0,
        )
    project_of_plan = {plans[pk].plan_id: pk for pk in projects if pk in plans}
    # Each plan's items in their own order, without joining up to the project to sort.
    for plan_id, code, name_ko, name_en, planned in (
        PlanTargetGroup.objects.filter(AnyOf("plan_id", project_of_plan))
        .order_by("plan_id", "pk")
        .values_list("plan_id", "code", "name_ko", "name_en", "planned_jobs")
    ):
        figures = projects[project_of_plan[plan_id]]
        figures.groups[code] = GroupFigure(code, name_ko, name_en, target=planned)
        figures.figure(indicators[NEW_HIRES]).target += planned
    for figures in projects.values():
        if figures.project_id in plans:
            figures.figure(indicators[SPENDING]).target += figures.budget
    for plan_id, code, target in (
        PlanOutput.objects.filter(AnyOf("plan_id", project_of_plan))
        .order_by("plan_id", "pk")
        .values_list("plan_id", "indicator__code", "target")
    ):
        projects[project_of_plan[plan_id]].figure(indicators[code]).target += target
    figure_years = span.figure_years()
    if project_slice is not None:
        figure_years = figure_years.filter(AnyOf("project_id", projects))
    rows = figure_years.values_list(
        "project_id", "measure", "key", "first_month", *FigureYear.MONTHS[: span.month]
    )
    series: dict[tuple[int, str], list] = {}
    for project_id, measure, key, first, *months_of in rows:
        if project_id not in projects or measure not in indicators:
            continue
        if measure == NEW_HIRES:
            _add_jobs(projects[project_id], key, months_of)
        _add_series(series, (project_id, measure), months_of, first)
    for (project_id, measure), (first, months_of) in series.items():
        indicator = indicators[measure]
        value = _over_months(indicator, first, months_of)
        if value is not None:
            projects[project_id].figure(indicator).parts.append(value)
    return projects


def _add_project_timeliness(
    projects: dict[int, ProjectFigures], span: _Span, *, sliced: bool
) -> None:
    """Each project's reports owed, on time and late."""
    arrivals = _arrivals(span, "project_id")
    if sliced:
        arrivals = arrivals.filter(AnyOf("project_id", projects))
    for project_id, _period, on_time, late in arrivals:
        if project_id in projects:
            cell = projects[project_id].reports
            cell.on_time += on_time
            cell.late += late
    # Months owed and past due: whole-month arithmetic on each project's period.
    for figures in projects.values():
        if figures.status == ProjectStatus.CANCELLED:
            continue
        for month in span.months:
            if figures.period_start <= month <= figures.period_end:
                if _is_due(month, figures.due_day, span.today):
                    figures.reports.expected += 1
                else:
                    figures.reports.not_yet_due += 1


# --- shared by both -------------------------------------------------------------------


def _arrivals(span: _Span, by: str):
    """Reports received in the months, on time and late, counted by ``by``
    (``district_id`` or ``project_id``) and month. Each report's arrival was
    judged when it came (``MonthlyReport.arrived_on_time``)."""
    return (
        MonthlyReport.objects.filter(
            period__gte=span.start,
            period__lte=span.period,
            first_submitted_at__isnull=False,
        )
        .filter(_report_scope(span.scope))
        .values_list(by, "period")
        .annotate(
            on_time=Count("pk", filter=Q(arrived_on_time=True)),
            late=Count("pk", filter=~Q(arrived_on_time=True)),
        )
        .order_by()
    )


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


def _holders(districts: dict, projects: dict, project_id: int, district_id: int):
    """Where a project's figures add up: its district and, when listed, itself."""
    if district_id in districts:
        yield districts[district_id]
    if project_id in projects:
        yield projects[project_id]


def _add_retention(span: _Span, districts: dict, projects: dict) -> None:
    """Six-month retention from the roster of each project's latest accepted
    month that has one (``reporting.checks.six_month_retention``), added to its
    district and, when listed, to the project."""
    from projects.months import month_end
    from reporting.checks import six_month_retention

    latest = (
        _scoped_values(MonthlyReport.objects.all(), **span.scope)
        .filter(
            period__gte=span.start,
            period__lte=span.period,
            accepted_version__in=RosterEntry.objects.values("version_id"),
        )
        .values("project_id", "district_id")
        .annotate(latest=Max("period"))
        .order_by()
    )
    district_of = {row["project_id"]: row["district_id"] for row in latest}
    if not district_of:
        return
    versions = MonthlyReport.objects.filter(
        Q(
            *[Q(project_id=row["project_id"], period=row["latest"]) for row in latest],
            _connector=Q.OR,
        )
    ).values_list("project_id", "accepted_version_id")
    version_of = dict(versions)
    rosters: dict[int, list[dict]] = {}
    for version_id, hire_date, end_date in RosterEntry.objects.filter(
        version_id__in=version_of.values()
    ).values_list("version_id", "hire_date", "end_date"):
        rosters.setdefault(version_id, []).append(
            {"hire_date": hire_date, "end_date": end_date}
        )
    for project_id, version_id in version_of.items():
        retained, eligible = six_month_retention(
            rosters.get(version_id, []), month_end(span.period)
        )
        for holder in _holders(
            districts, projects, project_id, district_of[project_id]
        ):
            so_far = holder.retention or (0, 0)
            holder.retention = (so_far[0] + retained, so_far[1] + eligible)


def _add_pending(span: _Span, districts: dict, projects: dict) -> None:
    """What the district has submitted and the city not yet accepted: the
    submitted versions' figures minus those they would replace, added to the
    project's district and, when listed, to the project. Only indicators
    that are sums over the months (flows) have a pending difference; a head
    count or an average is shown once accepted."""
    flows = [
        code
        for code, indicator in span.indicators.items()
        if isinstance(indicator.rule, SumRule)
    ]
    waiting = _scoped_values(MonthlyReport.objects.all(), **span.scope).filter(
        period__gte=span.start, period__lte=span.period, status=ReportStatus.SUBMITTED
    )
    submitted = (
        ReportValue.objects.filter(version_id__in=waiting.values("current_version_id"))
        .filter(measure__in=flows)
        .values_list("project_id", "district_id", "measure")
        .annotate(total=Sum("value"))
        .order_by()
    )
    replaced = (
        ReportValue.objects.filter(
            in_force=True, version_id__in=waiting.values("accepted_version_id")
        )
        .filter(measure__in=flows)
        .values_list("project_id", "district_id", "measure")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for sign, rows in ((1, submitted), (-1, replaced)):
        for project_id, district_id, measure, total in rows:
            indicator = span.indicators[measure]
            for figures in _holders(districts, projects, project_id, district_id):
                if measure == NEW_HIRES:
                    figures.pending_jobs += sign * total
                figures.figure(indicator).pending += sign * total
    for project_id, district_id, count in (
        waiting.values_list("project_id", "district_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        for figures in _holders(districts, projects, project_id, district_id):
            figures.pending_reports += count


def year_over_year(
    *,
    indicator: Indicator | str,
    year: int,
    month: int,
    this_year: Figure | None = None,
    district: Organisation | None = None,
    project: Project | None = None,
    call: Any = None,
) -> YearOverYear:
    """One indicator (an ``Indicator`` or its code) by the same month of this
    year and the years before it (accepted figures), oldest first, each with
    its growth over the year before it; across calls, because the indicator
    is the same object in each. ``this_year`` is the roll-up's own figure
    when it has one already. Years before the first with a figure are left
    out."""
    if isinstance(indicator, str):
        indicator = Indicator.objects.get(code=indicator)
    years = range(year - YEAR_OVER_YEAR_YEARS + 1, year + (this_year is None))
    rows = _scoped_values(
        FigureYear.objects.filter(
            year__in=years, measure=indicator.code, first_month__lte=month
        ),
        district=district,
        project=project,
        call=call,
    )
    sums = _month_sums()
    to_month = {name: sums[name] for name in FigureYear.MONTHS[:month]}
    rule = indicator.rule
    by_year: dict[int, Figure] = {}
    if rule.additive:
        for y, *months_of in rows.values_list("year").annotate(**to_month).order_by():
            by_year[y] = rule.over_months(months_of) or 0
    else:
        parts: dict[int, list[Figure]] = {}
        for y, _project, first, *months_of in (
            rows.values_list("year", "project_id")
            .annotate(first=Min("first_month"), **to_month)
            .order_by()
        ):
            value = _over_months(indicator, first, months_of)
            if value is not None:
                parts.setdefault(y, []).append(value)
        by_year = {y: rule.across(values) or 0 for y, values in parts.items()}
    if this_year is not None:
        by_year[year] = this_year
    first_year = min((y for y, value in by_year.items() if value), default=year)
    figures, previous = [], None
    for y in range(first_year, year + 1):
        value = by_year.get(y, 0)
        figures.append(
            YearFigure(
                y,
                value,
                scoring.growth(value, previous) if previous is not None else None,
            )
        )
        previous = value
    return YearOverYear(indicator=indicator, years=figures)


# --- scope for a person ----------------------------------------------------------


def data_stamp(*, year: int, month: int, district=None) -> str:
    """A short text that changes whenever anything a report file shows could
    change: the accepted figures, the reports' arrival, the plans and projects."""
    start, period = date(year, 1, 1), date(year, month, 1)
    scope = {"district": district, "project": None, "call": None}
    # The figures in force are those of the accepted versions: every acceptance
    # (a correction too) names a new version and saves its report.
    accepted = (
        _accepted_reports(district=district)
        .filter(period__gte=date(year - YEAR_OVER_YEAR_YEARS, 1, 1), period__lte=period)
        .aggregate(
            n=Count("pk"),
            versions=Sum("accepted_version_id"),
            changed=Max("updated_at"),
        )
    )
    reports = _scoped_values(
        MonthlyReport.objects.filter(period__gte=start, period__lte=period), **scope
    ).aggregate(n=Count("pk"), changed=Max("updated_at"))
    projects = projects_in_year(year=year, district=district)
    plans = ProjectPlan.objects.filter(project__in=projects).aggregate(
        n=Count("pk"), last=Max("pk")
    )
    changed = projects.aggregate(n=Count("pk"), changed=Max("updated_at"))
    return repr((accepted, reports, plans, changed))


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
