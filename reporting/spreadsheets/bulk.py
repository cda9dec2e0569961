"""Bulk and historical import of figures in long format.

One row per figure: project code, period (YYYY-MM), indicator (a measure code:
new_hires, employed, output, spending), disaggregation (the target group,
output or budget line code) and value. Every row is checked first, each
problem tied to its row and column; then everything is written in one
transaction with bulk operations (PostgreSQL: COPY for the figures).

What a row does to its month:

* a month with no report yet gets a report whose single version is accepted
  (the historical record), figures in force, month locked;
* a month a city manager reopened gets its open correction filled in and
  accepted, as ``report_accept`` would, with a correction record per figure;
* a locked (accepted) month takes no change: a row equal to the figure in force
  is "unchanged", any other is rejected until a city manager reopens the month;
* a month whose report is in the district's hands (draft, submitted, returned)
  is rejected: the workflow decides it first.

Rows upsert single figures: figures of the month the file does not mention stay.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts import access
from projects.models import Project, ProjectPlan
from projects.months import month_label, seoul_today
from reporting import workflow
from reporting.checks import MEASURE_NAMES, ReportContext, check_report
from reporting.models import (
    Measure,
    MonthlyReport,
    ReportStatus,
    ReportTransition,
    ReportValue,
    ReportVersion,
)
from reporting.services.reports import report_close_accepted

from .reader import (
    Sheet,
    ValueProblem,
    clean_text,
    column_letter,
    month_value,
    whole_number,
)
from .safety import CellProblem, Limits, SpreadsheetRefused, inspect_file

NEW, UPDATED, UNCHANGED, REJECTED = "new", "updated", "unchanged", "rejected"
IMPORT_ACTION = "import"
IMPORT_NOTE = "과거 실적 일괄 등록 / Historical import"

COLUMNS = ["project_code", "period", "indicator", "disaggregation", "value"]
COLUMN_HEADERS = {
    "project_code": ("사업 코드", "project code"),
    "period": ("보고 월", "period"),
    "indicator": ("지표 코드", "indicator"),
    "disaggregation": ("세부 구분", "disaggregation"),
    "value": ("값", "value"),
}
_HEADER_NAMES = {
    "project_code": {"project code", "project", "project_code", "code", "사업 코드", "사업코드"},
    "period": {"period", "month", "보고 월", "보고월", "월", "기간"},
    "indicator": {"indicator", "indicator code", "indicator_code", "measure", "지표", "지표 코드", "지표코드"},
    "disaggregation": {"disaggregation", "key", "item", "세부 구분", "세부구분", "구분", "항목"},
    "value": {"value", "값", "실적"},
}


def _indicator_names() -> dict[str, str]:
    names = {}
    for measure in Measure:
        ko, en = MEASURE_NAMES[measure]
        for name in (measure.value, ko, en, ko.replace(" ", "")):
            names[name.casefold()] = measure.value
    return names


INDICATORS = _indicator_names()


class LongFormatError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(slots=True)
class LongRow:
    line: int  # 1-based row of the file
    project_code: str
    period: date | None
    measure: str
    key: str
    value: int | None
    problems: list | tuple  # (cell, ko, en), in column order


def _header_columns(header: list) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, raw in enumerate(header):
        text = clean_text(raw).casefold()
        parts = {text} | {part.strip() for part in text.replace("\n", "/").split("/")}
        for column, names in _HEADER_NAMES.items():
            if column not in found and parts & names:
                found[column] = index
    missing = [c for c in COLUMNS if c not in found]
    if missing:
        shown = ", ".join(f"{COLUMN_HEADERS[c][0]}({COLUMN_HEADERS[c][1]})" for c in missing)
        raise LongFormatError(
            f"첫 행에 열 제목이 없습니다: {shown}. / The first row lacks the column headers: {shown}."
        )
    return found


def read_long_rows(sheet: Sheet, *, progress: Callable[[int], None] | None = None) -> "LongRows":
    """Rows of a long-format sheet, each value cleaned or its problem noted
    with its cell. Blank rows (trailing ones too) are skipped.

    Long files repeat the same few codes and months on every row, so each
    distinct raw value is cleaned once (per column caches)."""
    rows = sheet.rows
    header_index = next((i for i, row in enumerate(rows) if any(clean_text(v) for v in row)), None)
    if header_index is None:
        return LongRows([], {c: column_letter(i) for i, c in enumerate(COLUMNS)})
    columns = _header_columns(rows[header_index])
    c_project, c_period, c_indicator, c_key, c_value = (columns[c] for c in COLUMNS)
    letters = {c: column_letter(i) for c, i in columns.items()}
    width = max(columns.values()) + 1
    codes: dict = {}
    months: dict = {}
    indicators: dict = {}
    result = []
    append = result.append
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        if len(row) < width:
            row = list(row) + [""] * (width - len(row))
        raw_project, raw_period, raw_indicator = row[c_project], row[c_period], row[c_indicator]
        raw_key, raw_value = row[c_key], row[c_value]
        if raw_project == "" and raw_period == "" and raw_indicator == "" and raw_key == "" and raw_value == "":
            continue
        problems = None
        project_code = codes.get(raw_project)
        if project_code is None:
            project_code = codes[raw_project] = clean_text(raw_project)
        key = codes.get(raw_key)
        if key is None:
            key = codes[raw_key] = clean_text(raw_key)
        period = months.get(raw_period)
        if period is None:
            try:
                period = months[raw_period] = month_value(raw_period)
            except ValueProblem as error:
                period, problems = None, [(letters["period"], error.ko, error.en)]
        measure = indicators.get(raw_indicator)
        if measure is None:
            measure = indicators[raw_indicator] = INDICATORS.get(clean_text(raw_indicator).casefold(), "")
        if type(raw_value) is float and raw_value >= 0 and raw_value.is_integer():
            value = int(raw_value)
        else:
            try:
                value = whole_number(raw_value)
                if value is None:
                    problems = (problems or []) + [(letters["value"], "값이 없습니다", "the value is missing")]
            except ValueProblem as error:
                value = None
                problems = (problems or []) + [(letters["value"], error.ko, error.en)]
        if not project_code or not key or not measure:
            problems = (problems or []) + _missing(letters, project_code, key, measure, raw_indicator)
        if problems:
            line = index + 1
            problems = [(f"{letter}{line}", ko, en) for letter, ko, en in problems]
            problems.sort()
        append(LongRow(index + 1, project_code, period, measure, key, value, problems or ()))
        if progress is not None and len(result) % 20_000 == 0:
            progress(len(result))
    return LongRows(result, letters)


def _missing(letters, project_code, key, measure, raw_indicator) -> list:
    problems = []
    if not project_code:
        problems.append((letters["project_code"], "사업 코드가 없습니다", "the project code is missing"))
    if not measure:
        shown = clean_text(raw_indicator)
        problems.append((
            letters["indicator"],
            f"'{shown}'은(는) 지표 코드가 아닙니다(new_hires, employed, output, spending)",
            f"'{shown}' is not an indicator code (new_hires, employed, output, spending)",
        ))
    if not key:
        problems.append((letters["disaggregation"], "세부 구분이 없습니다", "the disaggregation is missing"))
    return problems


@dataclass
class LongRows:
    rows: list[LongRow]
    letters: dict[str, str]  # column name → its letter in this file

    def __len__(self):
        return len(self.rows)


@dataclass
class RowError:
    line: int
    column: str  # letter
    message: str  # bilingual

    @property
    def cell(self) -> str:
        return f"{self.column}{self.line}"


@dataclass
class MonthWork:
    project: Project
    period: date
    report: dict | None  # MonthlyReport fields, when there is one
    figures: dict[str, dict[str, int]]  # the month's figures after the import
    in_force: dict[str, dict[str, int]]
    changed: bool = False


@dataclass
class BulkPlan:
    """What the import would do, row by row, before anything is written."""

    total_rows: int = 0
    statuses: list[str] = field(default_factory=list)  # per row, in file order
    lines: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    months: dict[tuple[int, date], MonthWork] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return self.statuses.count(status)

    @property
    def summary(self) -> dict[str, int]:
        counts = {NEW: 0, UPDATED: 0, UNCHANGED: 0, REJECTED: 0}
        for status in self.statuses:
            counts[status] += 1
        return counts

    @property
    def has_rejections(self) -> bool:
        return any(status == REJECTED for status in self.statuses)

    def errors_by_line(self) -> dict[int, list[RowError]]:
        grouped: dict[int, list[RowError]] = {}
        for error in self.errors:
            grouped.setdefault(error.line, []).append(error)
        return grouped


def _message(cell: str, ko: str, en: str) -> str:
    return f"{cell}: {ko} / {en}"


def _plans_by_project(project_ids) -> dict[int, list]:
    plans = (
        ProjectPlan.objects.filter(project_id__in=project_ids)
        .prefetch_related("target_groups", "outputs", "budget_lines")
        .order_by("project_id", "effective_from", "pk")
    )
    grouped: dict[int, list] = {}
    for plan in plans:
        grouped.setdefault(plan.project_id, []).append(plan)
    return grouped


class _PlanKeys:
    """The plan in force for a project's month, as plain data; each plan's
    codes and names are read once."""

    EMPTY = {"target_groups": {}, "outputs": {}, "budget_lines": {}}

    def __init__(self, plans: dict[int, list]):
        self.plans = plans
        self.names: dict[int, dict] = {}

    def of(self, project_id: int, period: date):
        plans = self.plans.get(project_id) or []
        plan = None
        for candidate in plans:
            if candidate.effective_from <= period:
                plan = candidate
        plan = plan or (plans[0] if plans else None)
        if plan is None:
            return None, self.EMPTY
        names = self.names.get(plan.pk)
        if names is None:
            names = self.names[plan.pk] = {
                "target_groups": {r.code: (r.name_ko, r.name_en, r.planned_jobs) for r in plan.target_groups.all()},
                "outputs": {r.code: (r.name_ko, r.name_en, r.target) for r in plan.outputs.all()},
                "budget_lines": {r.code: (r.name_ko, r.name_en, r.amount) for r in plan.budget_lines.all()},
            }
        return plan, names


_KEYS_OF = {
    Measure.NEW_HIRES: "target_groups",
    Measure.EMPLOYED: "target_groups",
    Measure.OUTPUT: "outputs",
    Measure.SPENDING: "budget_lines",
}


@dataclass(slots=True)
class _Month:
    """What every row of one (project, month) shares."""

    refusal: tuple | None = None  # (column letter, ko, en)
    project_id: int | None = None
    keys: dict | None = None  # measure → known codes
    in_force: dict | None = None
    locked: bool = False
    work: "MonthWork | None" = None


def _month_of(code, period, projects, plans, reports, in_force, this_month, letters, plan) -> _Month:
    project = projects.get(code)
    if project is None:
        return _Month((letters["project_code"], f"'{code}' 사업이 없거나 볼 수 없습니다",
                       f"there is no project '{code}' you may see"))
    if not (project.period_start <= period <= project.period_end) or period > this_month:
        return _Month((
            letters["period"],
            f"{month_label(period)}은(는) 사업 기간({month_label(project.period_start)}~"
            f"{month_label(project.period_end)}) 밖이거나 아직 오지 않은 달입니다",
            f"{month_label(period)} is outside the project period ({month_label(project.period_start)} to "
            f"{month_label(project.period_end)}) or in the future",
        ))
    _plan, names = plans.of(project.pk, period)
    keys = {measure: names[_KEYS_OF[measure]] for measure in Measure}
    base = in_force.get((project.pk, period)) or {}
    figures_in_force = {m: dict(base.get(m, {})) for m in Measure}
    report = reports.get((project.pk, period))
    if report is not None:
        if report["is_locked"]:
            return _Month(None, project.pk, keys, figures_in_force, locked=True)
        reopened = report["accepted_version_id"] is not None and report["status"] == ReportStatus.DRAFT
        if not reopened:
            status_label = ReportStatus(report["status"]).label
            return _Month((
                letters["period"],
                f"{month_label(period)} 보고가 진행 중입니다({status_label}). 먼저 처리해 주세요",
                f"the report for {month_label(period)} is in the workflow ({status_label}); decide it first",
            ))
    work = MonthWork(project, period, report, {m: dict(v) for m, v in figures_in_force.items()}, figures_in_force)
    plan.months[(project.pk, period)] = work
    return _Month(None, project.pk, keys, figures_in_force, work=work)


def bulk_validate(
    long_rows: "LongRows", *, actor, now: datetime | None = None, progress: Callable[[int], None] | None = None
) -> BulkPlan:
    """Check every row and decide what it would do; writes nothing."""
    now = now or timezone.now()
    this_month = seoul_today(now).replace(day=1)
    rows, letters = long_rows.rows, long_rows.letters
    plan = BulkPlan(total_rows=len(rows))
    codes = {row.project_code for row in rows if row.project_code}
    projects = {
        p.code: p for p in access.visible_to(actor, Project).filter(code__in=codes).select_related("district")
    }
    plans = _PlanKeys(_plans_by_project([p.pk for p in projects.values()]))
    periods = [row.period for row in rows if row.period is not None]
    reports: dict[tuple[int, date], dict] = {}
    in_force: dict[tuple[int, date], dict[str, dict[str, int]]] = {}
    if projects and periods:
        since, until = min(periods), max(periods)
        for report in MonthlyReport.objects.filter(
            project__in=projects.values(), period__gte=since, period__lte=until
        ).values("pk", "project_id", "period", "status", "is_locked", "accepted_version_id", "current_version_id"):
            reports[(report["project_id"], report["period"])] = report
        if reports:
            values = ReportValue.objects.filter(
                project__in=projects.values(), period__gte=since, period__lte=until, in_force=True
            ).values_list("project_id", "period", "measure", "key", "value")
            for project_id, period, measure, key, value in values.iterator(chunk_size=10_000):
                in_force.setdefault((project_id, period), {m: {} for m in Measure}).setdefault(measure, {})[key] = value

    seen: dict[tuple, int] = {}
    row_of_figure: dict[tuple, int] = {}  # (project_id, period, measure, key) → index in rows
    statuses = plan.statuses
    errors = plan.errors
    month_cache: dict[tuple, _Month] = {}
    letter_value, letter_key = letters["value"], letters["disaggregation"]
    for index, row in enumerate(rows):
        line = row.line
        plan.lines.append(line)
        if row.problems:
            for cell, ko, en in row.problems:
                errors.append(RowError(line, cell.rstrip("0123456789"), _message(cell, ko, en)))
            statuses.append(REJECTED)
            continue
        month_key = (row.project_code, row.period)
        month = month_cache.get(month_key)
        if month is None:
            month = month_cache[month_key] = _month_of(
                row.project_code, row.period, projects, plans, reports, in_force, this_month, letters, plan
            )
        if month.refusal is not None:
            letter, ko, en = month.refusal
            errors.append(RowError(line, letter, _message(f"{letter}{line}", ko, en)))
            statuses.append(REJECTED)
            continue
        measure, key, value = row.measure, row.key, row.value
        if key not in month.keys[measure]:
            period = row.period
            errors.append(RowError(line, letter_key, _message(
                f"{letter_key}{line}",
                f"'{key}'은(는) {month_label(period)}에 적용 중인 계획의 {MEASURE_NAMES[measure][0]} 항목이 아닙니다",
                f"'{key}' is not a {MEASURE_NAMES[measure][1].lower()} item of the plan in force for "
                f"{month_label(period)}")))
            statuses.append(REJECTED)
            continue
        figure = (month.project_id, row.period, measure, key)
        first_line = seen.get(figure)
        if first_line is not None:
            errors.append(RowError(line, letter_key, _message(
                f"{letter_key}{line}", f"같은 수치가 {first_line}행에도 있습니다",
                f"the same figure is also in row {first_line}")))
            statuses.append(REJECTED)
            continue
        seen[figure] = line
        current = month.in_force[measure].get(key)
        if month.locked:
            if current == value:
                statuses.append(UNCHANGED)
                continue
            period = row.period
            errors.append(RowError(line, letter_value, _message(
                f"{letter_value}{line}",
                f"{month_label(period)}은(는) 승인되어 잠긴 달입니다. 시 담당자가 다시 열어야 고칠 수 있습니다",
                f"{month_label(period)} is accepted and locked; a city manager must reopen it first")))
            statuses.append(REJECTED)
            continue
        work = month.work
        work.figures[measure][key] = value
        row_of_figure[figure] = index
        if current is None:
            statuses.append(NEW)
            work.changed = True
        elif current != value:
            statuses.append(UPDATED)
            work.changed = True
        else:
            statuses.append(UNCHANGED)
        if progress is not None and index % 20_000 == 0 and index:
            progress(index)

    # The monthly report's own checks, month by month, on plain data.
    for (project_id, period), work in plan.months.items():
        _plan, names = plans.of(project_id, period)
        context = ReportContext(
            period=period, period_start=work.project.period_start, period_end=work.project.period_end,
            today=this_month, target_groups=names["target_groups"], outputs=names["outputs"],
            budget_lines=names["budget_lines"],
        )
        result = check_report(context=context, values=work.figures, for_submission=False)
        for key, messages in result.errors.items():
            measure, _dot, code = key.partition(".")
            index = row_of_figure.get((project_id, period, measure, code))
            if index is None:
                continue
            line = rows[index].line
            for text in messages:
                plan.errors.append(RowError(line, letters["value"], f"{letters['value']}{line}: {text}"))
            statuses[index] = REJECTED
            # A refused figure keeps the month's figure in force.
            if code in work.in_force[measure]:
                work.figures[measure][code] = work.in_force[measure][code]
            else:
                work.figures[measure].pop(code, None)
            work.changed = work.figures != work.in_force
    plan.errors.sort(key=lambda e: (e.line, e.column))
    return plan


# --- writing --------------------------------------------------------------


@transaction.atomic
def bulk_apply(plan: BulkPlan, *, actor, now: datetime | None = None, skip_rejected: bool = False) -> dict:
    """Write what ``bulk_validate`` decided, in one transaction. Refuses to run
    with rejected rows unless told to skip them (then only valid rows count)."""
    if not access.is_city_manager(actor):
        raise access_denied()
    if plan.has_rejections and not skip_rejected:
        raise SpreadsheetRefused(
            "거부된 행이 있어 아무것도 저장하지 않았습니다. / Some rows were rejected; nothing was saved."
        )
    now = now or timezone.now()
    new_months = [w for w in plan.months.values() if w.changed and w.report is None]
    reopened = [w for w in plan.months.values() if w.changed and w.report is not None]

    if new_months:
        if connection.vendor == "postgresql":
            _create_months_postgresql(new_months, actor=actor, now=now)
        else:
            _create_months_orm(new_months, actor=actor, now=now)
    for work in reopened:
        _accept_correction(work, actor=actor, now=now)
    return plan.summary | {"months_created": len(new_months), "months_corrected": len(reopened)}


def _create_months_orm(new_months: list[MonthWork], *, actor, now: datetime) -> None:
    """New months, accepted and locked, with the ORM's bulk operations."""
    reports = MonthlyReport.objects.bulk_create(
        [
            MonthlyReport(
                project=w.project, period=w.period, district_id=w.project.district_id, status=ReportStatus.ACCEPTED,
                first_submitted_at=now, is_locked=True, locked_at=now,
            )
            for w in new_months
        ],
        batch_size=2_000,
    )
    if any(r.pk is None for r in reports):
        ids = dict(
            ((p, pe), pk) for pk, p, pe in MonthlyReport.objects.filter(
                project_id__in={w.project.pk for w in new_months}, period__in={w.period for w in new_months}
            ).values_list("pk", "project_id", "period")
        )
        for report, work in zip(reports, new_months, strict=True):
            report.pk = ids[(work.project.pk, work.period)]
    versions = ReportVersion.objects.bulk_create(
        [
            ReportVersion(
                report=report, number=1, status=ReportStatus.ACCEPTED, created_by=actor, created_at=now,
                updated_at=now, submitted_by=actor, submitted_at=now, decided_by=actor, decided_at=now,
                decision_comment=IMPORT_NOTE,
            )
            for report in reports
        ],
        batch_size=2_000,
    )
    if any(v.pk is None for v in versions):
        by_report = dict(ReportVersion.objects.filter(report__in=reports).values_list("report_id", "pk"))
        for version, report in zip(versions, reports, strict=True):
            version.pk = by_report[report.pk]
    ReportValue.objects.bulk_create(
        (
            ReportValue(version_id=version.pk, measure=measure, key=key, value=value, project_id=work.project.pk,
                        district_id=work.project.district_id, period=work.period, in_force=True)
            for version, work in zip(versions, new_months, strict=True)
            for measure, figures in work.figures.items()
            for key, value in figures.items()
        ),
        batch_size=2_000,
    )
    if reports:
        version_of_report = ReportVersion.objects.filter(report=OuterRef("pk")).values("pk")[:1]
        for start in range(0, len(reports), 5_000):
            MonthlyReport.objects.filter(pk__in=[r.pk for r in reports[start:start + 5_000]]).update(
                current_version=Subquery(version_of_report), accepted_version=Subquery(version_of_report)
            )
        ReportTransition.objects.bulk_create(
            [
                ReportTransition(
                    report=report, version=version, action=IMPORT_ACTION, from_status="",
                    to_status=ReportStatus.ACCEPTED, actor=actor, at=now, note=IMPORT_NOTE,
                )
                for report, version in zip(reports, versions, strict=True)
            ],
            batch_size=2_000,
        )


def _create_months_postgresql(new_months: list[MonthWork], *, actor, now: datetime) -> None:
    """New months, accepted and locked, by COPY. Ids come from the tables'
    sequences first, so a report can name its version before the version row
    exists (Django's foreign keys are deferred to the commit)."""
    count = len(new_months)
    reports_table, versions_table = MonthlyReport._meta.db_table, ReportVersion._meta.db_table
    with connection.cursor() as cursor:
        ids = []
        for table in (reports_table, versions_table):
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            ids.append([row[0] for row in cursor.fetchall()])
        report_ids, version_ids = ids
        raw = cursor.cursor
        accepted = ReportStatus.ACCEPTED.value
        with raw.copy(
            f"COPY {reports_table} (id, project_id, period, district_id, status, current_version_id, "
            "accepted_version_id, first_submitted_at, is_locked, locked_at, created_at, updated_at) FROM STDIN"
        ) as copy:
            for report_id, version_id, work in zip(report_ids, version_ids, new_months, strict=True):
                copy.write_row((report_id, work.project.pk, work.period, work.project.district_id, accepted,
                                version_id, version_id, now, True, now, now, now))
        with raw.copy(
            f"COPY {versions_table} (id, report_id, number, status, narrative, comments, warnings, has_roster, "
            "created_by_id, created_at, updated_at, submitted_by_id, submitted_at, decided_by_id, decided_at, "
            "decision_comment) FROM STDIN"
        ) as copy:
            for report_id, version_id in zip(report_ids, version_ids, strict=True):
                copy.write_row((version_id, report_id, 1, accepted, "", "{}", "{}", False, actor.pk, now, now,
                                actor.pk, now, actor.pk, now, IMPORT_NOTE))
        # Figures: codes are plan codes ([a-z0-9_-]) and numbers, so plain text lines are safe.
        values_table = ReportValue._meta.db_table
        with raw.copy(
            f"COPY {values_table} (version_id, measure, key, value, project_id, district_id, period, in_force) "
            "FROM STDIN"
        ) as copy:
            lines = []
            for version_id, work in zip(version_ids, new_months, strict=True):
                tail = f"\t{work.project.pk}\t{work.project.district_id}\t{work.period.isoformat()}\tt\n"
                for measure, figures in work.figures.items():
                    head = f"{version_id}\t{measure}\t"
                    lines.extend(f"{head}{key}\t{value}{tail}" for key, value in figures.items())
                if len(lines) > 50_000:
                    copy.write("".join(lines))
                    lines = []
            copy.write("".join(lines))
        with raw.copy(
            f"COPY {ReportTransition._meta.db_table} (report_id, version_id, action, from_status, to_status, "
            "actor_id, at, note) FROM STDIN"
        ) as copy:
            for report_id, version_id in zip(report_ids, version_ids, strict=True):
                copy.write_row((report_id, version_id, IMPORT_ACTION, "", accepted, actor.pk, now, IMPORT_NOTE))


def _accept_correction(work: MonthWork, *, actor, now: datetime) -> None:
    """Fill a reopened month's open correction with the imported figures and
    accept it, as ``report_accept`` does (figures in force, month locked,
    a correction record per changed figure)."""
    report = MonthlyReport.objects.select_for_update().get(pk=work.report["pk"])
    version = report.current_version
    version.values.all().delete()
    project = work.project
    ReportValue.objects.filter(project_id=project.pk, period=work.period, in_force=True).update(in_force=False)
    ReportValue.objects.bulk_create(
        ReportValue(version=version, measure=m, key=k, value=x, project_id=project.pk,
                    district_id=project.district_id, period=work.period, in_force=True)
        for m, figures in work.figures.items() for k, x in figures.items()
    )
    version.submitted_by = version.decided_by = actor
    version.submitted_at = version.decided_at = version.updated_at = now
    version.decision_comment = IMPORT_NOTE
    version.save(update_fields=["submitted_by", "submitted_at", "decided_by", "decided_at", "updated_at",
                                "decision_comment"])
    corrections = (
        (m, k, work.in_force[m].get(k), work.figures[m].get(k))
        for m in Measure for k in sorted(set(work.in_force[m]) | set(work.figures[m]))
        if work.in_force[m].get(k) != work.figures[m].get(k)
    )
    report_close_accepted(report=report, version=version, corrections=corrections,
                          corrected_by=actor, actor=actor, now=now)
    workflow.record(report=report, version=version, action=IMPORT_ACTION, from_status=ReportStatus.DRAFT,
                    to_status=ReportStatus.ACCEPTED, actor=actor, at=now, note=IMPORT_NOTE)


def access_denied():
    from django.core.exceptions import PermissionDenied

    return PermissionDenied()


# --- the whole path -------------------------------------------------------


@dataclass
class BulkOutcome:
    plan: BulkPlan
    applied: bool
    result: dict


def read_long_file(data: bytes, filename: str, *, progress=None) -> LongRows:
    """Safety checks, reading (calamine / csv) and row parsing of a long-format file."""
    from .reader import read_sheets
    from .safety import personal_data_problems

    kind = inspect_file(data, filename, limits=Limits.bulk())
    sheets = read_sheets(data, kind)
    visible = [s for s in sheets.values() if not s.hidden] or list(sheets.values())
    sheet = visible[0]
    pii = personal_data_problems(sheets)
    if pii:
        raise PersonalDataRefused(pii)
    try:
        return read_long_rows(sheet, progress=progress)
    except LongFormatError as error:
        raise SpreadsheetRefused(error.message) from None


class PersonalDataRefused(SpreadsheetRefused):
    def __init__(self, problems: list[CellProblem]):
        shown = "; ".join(p.message for p in problems[:20])
        super().__init__(shown)
        self.problems = problems


def bulk_import_file(
    data: bytes, filename: str, *, actor, dry_run: bool, skip_rejected: bool = False,
    now: datetime | None = None, progress: Callable[[int, int], None] | None = None,
) -> BulkOutcome:
    """Read, check every row, and (unless a dry run) write in one transaction.
    ``progress(done, total)`` is called outside the transaction only."""
    if not access.is_city_manager(actor):
        raise access_denied()
    report = progress or (lambda done, total: None)
    report(0, 100)
    rows = read_long_file(data, filename)
    report(30, 100)
    total = max(len(rows), 1)
    plan = bulk_validate(rows, actor=actor, now=now, progress=lambda done: report(30 + 30 * done // total, 100))
    report(60, 100)
    if dry_run or (plan.has_rejections and not skip_rejected):
        return BulkOutcome(plan, False, plan.summary)
    result = bulk_apply(plan, actor=actor, now=now, skip_rejected=skip_rejected)
    return BulkOutcome(plan, True, result)
