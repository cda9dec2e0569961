"""Bulk and historical import of figures in long format.

One row per figure: project code, period (YYYY-MM), indicator (the catalogue
indicator's code: new_hires, employed, spending, households_visited …),
disaggregation (the member: a target group or budget line code, a fixed member
such as "female"; blank or "total" for an indicator that is not split) and
value. A file of the old format, whose outputs were "output" with the output's
code as the disaggregation, is read as that indicator of the project's plan. Every row is checked first, each
problem tied to its row and column; then ``bulk_apply`` commits the whole
import in one transaction through reporting's own service,
``reporting.services.report_import_accepted`` (set-wise; COPY on PostgreSQL).

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

A row's problem is kept in both languages until it is shown (``RowError``'s
message is in the reader's language, the job's owner's in the Celery task) and
carries a stable ``code``.
"""

import gc
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from operator import itemgetter
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from common import audit
from indicators.models import TOTAL_KEY, Indicator
from projects.models import PlanOutput, Project, ProjectPlan
from projects.months import month_label, seoul_today
from reporting.checks import ReportContext, check_report
from reporting.models import MonthlyReport, ReportStatus, ReportValue
from reporting.selectors import (
    core_indicators,
    indicators_of_plan,
    target_group_members,
)
from reporting.services import ImportedMonth, report_import_accepted

from .reader import (
    LEGACY_OUTPUT,
    Sheet,
    ValueProblem,
    clean_text,
    column_letter,
    month_value,
    whole_number,
)
from .safety import (
    CellProblem,
    Limits,
    SpreadsheetRefused,
    inspect_file,
    reader_is_english,
)

NEW, UPDATED, UNCHANGED, REJECTED = "new", "updated", "unchanged", "rejected"


def import_note() -> str:
    """The note on the versions an import records, in the importer's language."""
    return _("Historical import")


COLUMNS = ["project_code", "period", "indicator", "disaggregation", "value"]
COLUMN_HEADERS = {
    "project_code": ("사업 코드", "project code"),
    "period": ("보고 월", "period"),
    "indicator": ("지표 코드", "indicator"),
    "disaggregation": ("세부 구분", "disaggregation"),
    "value": ("값", "value"),
}
_HEADER_NAMES = {
    "project_code": {
        "project code",
        "project",
        "project_code",
        "code",
        "사업 코드",
        "사업코드",
    },
    "period": {"period", "month", "보고 월", "보고월", "월", "기간"},
    "indicator": {
        "indicator",
        "indicator code",
        "indicator_code",
        "measure",
        "지표",
        "지표 코드",
        "지표코드",
    },
    "disaggregation": {
        "disaggregation",
        "key",
        "item",
        "세부 구분",
        "세부구분",
        "구분",
        "항목",
    },
    "value": {"value", "값", "실적"},
}


def indicator_names() -> dict[str, str]:
    """Every way a file may name a catalogue indicator (its code, its Korean
    or English name) → its code; "output" for the old format's outputs."""
    names = {LEGACY_OUTPUT: LEGACY_OUTPUT}
    rows = Indicator.objects.values_list("code", "name_ko", "name_en")
    for code, name_ko, name_en in rows:
        for name in (name_ko, name_en, name_ko.replace(" ", "")):
            if name:
                names.setdefault(name.casefold(), code)
    for code, _ko, _en in rows:
        names[code.casefold()] = code
    return names


def header_of(column: str) -> str:
    """A column's header in the reader's language (a file may use either)."""
    ko, en = COLUMN_HEADERS[column]
    return en if reader_is_english() else ko


class LongFormatError(Exception):
    def __init__(self, message: str, code: str = "missing_headers"):
        super().__init__(message)
        self.message = message
        self.code = code


class LongRow(NamedTuple):
    line: int  # 1-based row of the file
    project_code: str
    period: date | None
    measure: str
    key: str
    value: int | None
    problems: list | tuple  # (cell, ko, en, code), in column order


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
        shown = ", ".join(header_of(c) for c in missing)
        raise LongFormatError(
            _("The first row lacks the column headers: %(headers)s.")
            % {"headers": shown}
        )
    return found


class _Problem:
    """A raw value that cannot be used, remembered once per distinct value."""

    __slots__ = ("column", "ko", "en", "code")

    def __init__(self, column: str, ko: str, en: str, code: str):
        self.column, self.ko, self.en, self.code = column, ko, en, code


def _month_or_problem(raw) -> "date | _Problem":
    try:
        return month_value(raw)
    except ValueProblem as error:
        return _Problem("period", error.ko, error.en, error.code)


def _number_or_problem(raw) -> "int | _Problem":
    try:
        value = whole_number(raw)
    except ValueProblem as error:
        return _Problem("value", error.ko, error.en, error.code)
    return (
        _Problem("value", "값이 없습니다", "the value is missing", "value_missing")
        if value is None
        else value
    )


def read_long_rows(sheet: Sheet, names: dict[str, str] | None = None) -> "LongRows":
    """Rows of a long-format sheet, each value cleaned or its problem noted
    with its cell. Blank rows (trailing ones too) are skipped.

    A long file repeats the same few codes and months on every row, so the
    sheet is read column by column and each distinct raw value of a column is
    cleaned once; a row is kept as a plain tuple: a 100,000-row file makes no
    object per row, and no Python loop runs per row unless a row has a problem."""
    rows = sheet.rows
    header_index = next(
        (i for i, row in enumerate(rows) if any(clean_text(v) for v in row)), None
    )
    if header_index is None:
        return LongRows([], {}, {c: column_letter(i) for i, c in enumerate(COLUMNS)})
    columns = _header_columns(rows[header_index])
    letters = {c: column_letter(i) for c, i in columns.items()}
    width = max(columns.values()) + 1
    body = rows[header_index + 1 :]
    if min(map(len, body), default=width) < width:  # .csv rows may be ragged
        body = [
            row if len(row) >= width else [*row, *[""] * (width - len(row))]
            for row in body
        ]
    raw = [list(map(itemgetter(columns[c]), body)) for c in COLUMNS]
    lines: range | list[int] = range(header_index + 2, header_index + 2 + len(body))
    if any("" in column for column in raw):
        kept = [
            i for i, cells in enumerate(zip(*raw, strict=True)) if cells != _BLANK_ROW
        ]
        if len(kept) < len(body):
            raw = [[column[i] for i in kept] for column in raw]
            lines = [header_index + 2 + i for i in kept]
    raw_projects, raw_periods, raw_indicators, raw_keys, raw_values = raw
    project_codes, project_distinct = _cleaned(raw_projects, clean_text)
    periods, period_distinct = _cleaned(raw_periods, _month_or_problem)
    # ``names``: every way a file may name an indicator (``indicator_names``),
    # read from the database by the caller before the parsing child forks.
    names = indicator_names() if names is None else names
    measures, measure_distinct = _cleaned(
        raw_indicators, lambda raw: names.get(clean_text(raw).casefold(), "")
    )
    # A blank key is the one figure of an indicator that is not split.
    keys, key_distinct = _cleaned(raw_keys, lambda raw: clean_text(raw) or TOTAL_KEY)
    values, value_distinct = _cleaned(raw_values, _value_or_problem)
    records = list(
        zip(lines, project_codes, periods, measures, keys, values, strict=True)
    )
    problems: dict[int, list] = {}
    if (
        "" in project_distinct
        or "" in measure_distinct
        or "" in key_distinct
        or any(type(period) is not date for period in period_distinct)
        or any(type(value) is not int for value in value_distinct)
    ):
        for index, (line, code, period, measure, key, value) in enumerate(records):
            if (
                type(period) is not date
                or type(value) is not int
                or not code
                or not key
                or not measure
            ):
                problems[index] = _row_problems(
                    line,
                    letters,
                    code,
                    period,
                    measure,
                    key,
                    value,
                    raw_indicators[index],
                )
                records[index] = (
                    line,
                    code,
                    period if type(period) is date else None,
                    measure,
                    key,
                    value if type(value) is int else None,
                )
    return LongRows(records, problems, letters)


_BLANK_ROW = ("",) * len(COLUMNS)


def _cleaned(column: list, clean: Callable) -> tuple[list, set]:
    """``clean`` of every cell of a column, computed once per distinct raw
    value, and the distinct results."""
    if bool in set(map(type, column)):
        # True, 1 and 1.0 are one key to a dict: tell them apart by type.
        typed = list(zip(map(type, column), column, strict=True))
        by_typed = {cell: clean(cell[1]) for cell in set(typed)}
        return list(map(by_typed.__getitem__, typed)), set(by_typed.values())
    by_raw = {cell: clean(cell) for cell in set(column)}
    return list(map(by_raw.__getitem__, column)), set(by_raw.values())


def _value_or_problem(raw) -> "int | _Problem":
    kind = type(raw)
    if kind is float and raw >= 0 and raw.is_integer():
        return int(raw)
    if kind is int and raw >= 0:
        return raw
    return _number_or_problem(raw)


def _row_problems(
    line, letters, project_code, period, measure, key, value, raw_indicator
) -> list:
    """A row's problems, (cell, ko, en, code) in column order."""
    found = []
    for problem in (period, value):
        if type(problem) is _Problem:
            found.append(
                (letters[problem.column], problem.ko, problem.en, problem.code)
            )
    if not project_code:
        found.append(
            (
                letters["project_code"],
                "사업 코드가 없습니다",
                "the project code is missing",
                "project_code_missing",
            )
        )
    if not measure:
        shown = clean_text(raw_indicator)
        found.append(
            (
                letters["indicator"],
                f"'{shown}'은(는) 지표 목록에 없는 지표 코드입니다. 사업 계획의 지표 코드"
                "(예: new_hires, employed, spending, 산출 지표의 코드)를 적어 주세요",
                f"'{shown}' is not an indicator code of the catalogue; write the code of "
                "one of the plan's indicators (e.g. new_hires, employed, spending, or an "
                "output's code)",
                "unknown_indicator",
            )
        )
    return sorted((f"{letter}{line}", ko, en, code) for letter, ko, en, code in found)


@dataclass
class LongRows:
    """The rows of a long-format file: ``records`` holds one plain tuple per
    row, (line, project code, period, measure, key, value); ``problems`` the
    problems of the rows that have some, by their index in ``records``."""

    records: list[tuple]
    problems: dict[int, list]  # index → [(cell, ko, en, code)], in column order
    letters: dict[str, str]  # column name → its letter in this file

    def __len__(self):
        return len(self.records)

    @property
    def rows(self) -> list[LongRow]:
        """The rows as named tuples, for callers that read a few."""
        problems = self.problems
        return [
            LongRow(*record, problems.get(index, ()))
            for index, record in enumerate(self.records)
        ]


@dataclass
class RowError:
    line: int
    column: str  # letter
    message: str  # "E12: …", in the reader's language
    code: str = ""

    @property
    def cell(self) -> str:
        return f"{self.column}{self.line}"


@dataclass(slots=True)
class MonthWork:
    """A (project, month) the import would write."""

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
    errors: list[RowError] = field(default_factory=list)
    months: dict[tuple[int, date], MonthWork] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return self.statuses.count(status)

    @property
    def summary(self) -> dict[str, int]:
        counts = Counter(self.statuses)
        return {
            status: counts[status] for status in (NEW, UPDATED, UNCHANGED, REJECTED)
        }

    @property
    def has_rejections(self) -> bool:
        return REJECTED in self.statuses

    def errors_by_line(self) -> dict[int, list[RowError]]:
        grouped: dict[int, list[RowError]] = {}
        for error in self.errors:
            grouped.setdefault(error.line, []).append(error)
        return grouped


def _message(cell: str, ko: str, en: str) -> str:
    """The problem at ``cell`` in the reader's language."""
    return f"{cell}: {en if reader_is_english() else ko}"


def _plans_by_project(project_ids) -> dict[int, list]:
    plans = (
        ProjectPlan.objects.filter(project_id__in=project_ids)
        .prefetch_related(
            "target_groups",
            Prefetch("outputs", PlanOutput.objects.select_related("indicator")),
            "budget_lines",
        )
        .order_by("project_id", "effective_from", "pk")
    )
    grouped: dict[int, list] = {}
    for plan in plans:
        grouped.setdefault(plan.project_id, []).append(plan)
    return grouped


class _PlanKeys:
    """The plan in force for a project's month, as plain data; each plan's
    indicators, members and names are read once."""

    def __init__(self, plans: dict[int, list]):
        self.plans = plans
        self.core = core_indicators()
        self.names: dict[int, tuple] = {}

    def of(self, project_id: int, period: date):
        """(plan, {code: PlanIndicator}, {target group code: Member})."""
        plans = self.plans.get(project_id) or []
        plan = None
        for candidate in plans:
            if candidate.effective_from <= period:
                plan = candidate
        plan = plan or (plans[0] if plans else None)
        if plan is None:
            return None, {}, {}
        names = self.names.get(plan.pk)
        if names is None:
            names = self.names[plan.pk] = (
                indicators_of_plan(plan, core=self.core),
                {m.key: m for m in target_group_members(plan)},
            )
        return plan, *names


@dataclass(slots=True)
class _Month:
    """What every row of one (project, month) shares."""

    refusal: tuple | None = None  # (column letter, ko, en, code)
    project_id: int | None = None
    keys: dict | None = None  # indicator code → its members (key → Member)
    indicators: dict | None = None  # indicator code → PlanIndicator
    in_force: dict | None = None
    locked: bool = False
    work: "MonthWork | None" = None
    rows: dict | None = None  # measure → key → index of its row: a figure comes once


def _month_of(
    code, period, projects, plans, reports, in_force, this_month, letters, plan
) -> _Month:
    project = projects.get(code)
    if project is None:
        return _Month(
            (
                letters["project_code"],
                f"'{code}' 사업이 없거나 볼 수 없습니다",
                f"there is no project '{code}' you may see",
                "unknown_project",
            )
        )
    if (
        not (project.period_start <= period <= project.period_end)
        or period > this_month
    ):
        return _Month(
            (
                letters["period"],
                f"{month_label(period)}은(는) 사업 기간({month_label(project.period_start)}~"
                f"{month_label(project.period_end)}) 밖이거나 아직 오지 않은 달입니다",
                f"{month_label(period)} is outside the project period ({month_label(project.period_start)} to "
                f"{month_label(project.period_end)}) or in the future",
                "period_outside_project",
            )
        )
    _plan, indicators, _groups = plans.of(project.pk, period)
    keys = {code: planned.members for code, planned in indicators.items()}
    base = in_force.get((project.pk, period)) or {}
    figures_in_force = {m: dict(base.get(m, ())) for m in {*keys, *base}}
    rows = {m: {} for m in figures_in_force}
    report = reports.get((project.pk, period))
    if report is not None:
        if report["is_locked"]:
            return _Month(
                None,
                project.pk,
                keys,
                indicators,
                figures_in_force,
                locked=True,
                rows=rows,
            )
        reopened = (
            report["accepted_version_id"] is not None
            and report["status"] == ReportStatus.DRAFT
        )
        if not reopened:
            status_label = ReportStatus(report["status"]).label
            return _Month(
                (
                    letters["period"],
                    f"{month_label(period)} 보고가 진행 중입니다({status_label}). 먼저 처리해 주세요",
                    f"the report for {month_label(period)} is in the workflow ({status_label}); decide it first",
                    "report_in_workflow",
                )
            )
    work = MonthWork(
        project,
        period,
        report,
        {m: dict(v) for m, v in figures_in_force.items()},
        figures_in_force,
    )
    plan.months[(project.pk, period)] = work
    return _Month(
        None, project.pk, keys, indicators, figures_in_force, work=work, rows=rows
    )


def bulk_validate(
    long_rows: "LongRows",
    *,
    actor,
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> BulkPlan:
    """Check every row and decide what it would do; writes nothing."""
    now = now or timezone.now()
    this_month = seoul_today(now).replace(day=1)
    records, problems, letters = (
        long_rows.records,
        long_rows.problems,
        long_rows.letters,
    )
    plan = BulkPlan(total_rows=len(records))
    codes = {record[1] for record in records if record[1]}
    projects = {
        p.code: p
        for p in access.visible_to(actor, Project)
        .filter(code__in=codes)
        .select_related("district")
    }
    plans = _PlanKeys(_plans_by_project([p.pk for p in projects.values()]))
    periods = {record[2] for record in records} - {None}
    reports: dict[tuple[int, date], dict] = {}
    in_force: dict[tuple[int, date], dict[str, dict[str, int]]] = {}
    if projects and periods:
        since, until = min(periods), max(periods)
        for report in MonthlyReport.objects.filter(
            project__in=projects.values(), period__gte=since, period__lte=until
        ).values(
            "pk",
            "project_id",
            "period",
            "status",
            "is_locked",
            "accepted_version_id",
            "current_version_id",
        ):
            reports[(report["project_id"], report["period"])] = report
        if reports:
            values = ReportValue.objects.filter(
                project__in=projects.values(),
                period__gte=since,
                period__lte=until,
                in_force=True,
            ).values_list("project_id", "period", "measure", "key", "value")
            for project_id, period, measure, key, value in values.iterator(
                chunk_size=10_000
            ):
                in_force.setdefault((project_id, period), {}).setdefault(measure, {})[
                    key
                ] = value

    statuses = plan.statuses
    status = statuses.append
    errors = plan.errors
    month_cache: dict[tuple, _Month] = {}
    letter_value, letter_key = letters["value"], letters["disaggregation"]
    letter_indicator = letters["indicator"]
    month = last_code = last_period = None
    for index, (line, code, period, measure, key, value) in enumerate(records):
        if problems and index in problems:
            for cell, ko, en, problem_code in problems[index]:
                errors.append(
                    RowError(
                        line,
                        cell.rstrip("0123456789"),
                        _message(cell, ko, en),
                        problem_code,
                    )
                )
            status(REJECTED)
            continue
        if code != last_code or period != last_period:
            # Rows of one month usually come together: look the month up once for them.
            last_code, last_period = code, period
            month = month_cache.get((code, period))
            if month is None:
                month = month_cache[(code, period)] = _month_of(
                    code,
                    period,
                    projects,
                    plans,
                    reports,
                    in_force,
                    this_month,
                    letters,
                    plan,
                )
        if month.refusal is not None:
            letter, ko, en, refusal_code = month.refusal
            errors.append(
                RowError(
                    line, letter, _message(f"{letter}{line}", ko, en), refusal_code
                )
            )
            status(REJECTED)
            continue
        members = month.keys.get(measure)
        if members is None and measure == LEGACY_OUTPUT:
            # The old format: "output" with the output's indicator code.
            legacy = month.indicators.get(key)
            if legacy is not None and not legacy.is_split:
                measure, key = key, TOTAL_KEY
                records[index] = (line, code, period, measure, key, value)
                members = month.keys[measure]
            else:
                errors.append(
                    RowError(
                        line,
                        letter_key,
                        _message(
                            f"{letter_key}{line}",
                            f"'{key}'은(는) {month_label(period)}에 적용 중인 계획의 산출 지표가 아닙니다. "
                            f"{letter_indicator}열에 지표 코드를, 이 열은 비워 두세요",
                            f"'{key}' is not an output indicator of the plan in force for "
                            f"{month_label(period)}; write the indicator's code in column "
                            f"{letter_indicator} and leave this column blank",
                        ),
                        "not_an_output",
                    )
                )
                status(REJECTED)
                continue
        if members is None:
            shown = ", ".join(month.keys)
            errors.append(
                RowError(
                    line,
                    letter_indicator,
                    _message(
                        f"{letter_indicator}{line}",
                        f"'{measure}'은(는) {month_label(period)}에 적용 중인 계획의 지표가 아닙니다"
                        f"(이 계획의 지표: {shown})",
                        f"'{measure}' is not an indicator of the plan in force for "
                        f"{month_label(period)} (its indicators: {shown})",
                    ),
                    "not_in_plan",
                )
            )
            status(REJECTED)
            continue
        if key not in members:
            planned = month.indicators[measure]
            shown = ", ".join(members)
            errors.append(
                RowError(
                    line,
                    letter_key,
                    _message(
                        f"{letter_key}{line}",
                        f"'{key}'은(는) {month_label(period)}에 적용 중인 계획의 "
                        f"{planned.indicator.name_ko} 항목이 아닙니다(항목: {shown})",
                        f"'{key}' is not an item of {planned.indicator.name_en or planned.indicator.name_ko} "
                        f"in the plan in force for {month_label(period)} (its items: {shown})",
                    ),
                    "unknown_item",
                )
            )
            status(REJECTED)
            continue
        rows_of_measure = month.rows.setdefault(measure, {})
        first_index = rows_of_measure.get(key)
        if first_index is not None:
            first_line = records[first_index][0]
            errors.append(
                RowError(
                    line,
                    letter_key,
                    _message(
                        f"{letter_key}{line}",
                        f"같은 수치가 {first_line}행에도 있습니다",
                        f"the same figure is also in row {first_line}",
                    ),
                    "duplicate_figure",
                )
            )
            status(REJECTED)
            continue
        rows_of_measure[key] = index
        current = month.in_force.setdefault(measure, {}).get(key)
        if month.locked:
            if current == value:
                status(UNCHANGED)
                continue
            errors.append(
                RowError(
                    line,
                    letter_value,
                    _message(
                        f"{letter_value}{line}",
                        f"{month_label(period)}은(는) 승인되어 잠긴 달입니다. 시 담당자가 다시 열어야 고칠 수 있습니다",
                        f"{month_label(period)} is accepted and locked; a city manager must reopen it first",
                    ),
                    "month_locked",
                )
            )
            status(REJECTED)
            continue
        work = month.work
        work.figures.setdefault(measure, {})[key] = value
        if current is None:
            status(NEW)
            work.changed = True
        elif current != value:
            status(UPDATED)
            work.changed = True
        else:
            status(UNCHANGED)
        if progress is not None and index % 20_000 == 0 and index:
            progress(index)

    # The monthly report's own checks, month by month, on plain data.
    for (project_id, period), work in plan.months.items():
        _plan, indicators, groups = plans.of(project_id, period)
        context = ReportContext(
            period=period,
            period_start=work.project.period_start,
            period_end=work.project.period_end,
            today=this_month,
            indicators=indicators,
            target_groups=groups,
        )
        result = check_report(
            context=context, values=work.figures, for_submission=False
        )
        if not result.errors:
            continue
        rows_of = month_cache[(work.project.code, period)].rows
        for field_key, messages in result.errors.items():
            measure, _dot, code = field_key.partition(".")
            index = rows_of.get(measure, {}).get(code)
            if index is None:
                continue
            line = records[index][0]
            for text in messages:
                plan.errors.append(
                    RowError(
                        line,
                        letter_value,
                        f"{letter_value}{line}: {text}",
                        getattr(text, "code", ""),
                    )
                )
            statuses[index] = REJECTED
            # A refused figure keeps the month's figure in force.
            if code in work.in_force.get(measure, {}):
                work.figures[measure][code] = work.in_force[measure][code]
            else:
                work.figures[measure].pop(code, None)
            work.changed = work.figures != work.in_force
    plan.errors.sort(key=lambda e: (e.line, e.column))
    return plan


# --- writing --------------------------------------------------------------


@transaction.atomic
def bulk_apply(
    plan: BulkPlan,
    *,
    actor,
    now: datetime | None = None,
    skip_rejected: bool = False,
    filename: str = "",
    job=None,
) -> dict:
    """Commit a validated import, in one transaction: the months it changes
    are recorded as accepted by reporting's ``report_import_accepted``, and the
    audit trail gets one entry for the whole import (file, counts, months).
    Refuses to run with rejected rows unless told to skip them (then only
    valid rows count)."""
    if not access.is_city_manager(actor):
        raise access_denied()
    if plan.has_rejections and not skip_rejected:
        raise SpreadsheetRefused(rejected_message(), "rows_rejected")
    months = [
        ImportedMonth(
            project_id=work.project.pk,
            district_id=work.project.district_id,
            period=work.period,
            figures=work.figures,
            report_id=work.report["pk"] if work.report is not None else None,
        )
        for work in plan.months.values()
        if work.changed
    ]
    try:
        created, corrected = report_import_accepted(
            months=months, actor=actor, note=import_note(), now=now
        )
    except ValidationError as error:
        refusals = getattr(error, "error_list", [])
        code = (refusals[0].code if refusals else None) or "import_refused"
        raise SpreadsheetRefused(" ".join(error.messages), code) from None
    result = plan.summary | {"months_created": created, "months_corrected": corrected}
    audit.record_bulk_import(
        actor=actor,
        counts=result,
        filename=filename,
        job=job,
        months=[
            (work.project.code, work.period)
            for work in plan.months.values()
            if work.changed
        ],
    )
    return result


def rejected_message() -> str:
    return _("Some rows were rejected; nothing was saved.")


def access_denied():
    from django.core.exceptions import PermissionDenied

    return PermissionDenied()


# --- the whole path -------------------------------------------------------


@dataclass
class BulkOutcome:
    plan: BulkPlan
    applied: bool
    result: dict


def read_long_sheet(data: bytes, filename: str) -> Sheet:
    """The sheet of a long-format file that holds the rows, after the safety
    checks, the bounded read (bulk bounds) and the personal-data check of every
    sheet and every place text hides. The one road in for the Celery import and
    the admin's dry run alike."""
    from .bounds import ReadBounds
    from .reader import read_sheets

    kind = inspect_file(data, filename, limits=Limits.bulk())
    sheets = read_sheets(
        data, kind, bounds=ReadBounds.bulk(), check=partial(_long_sheet, data, kind)
    )
    return next(iter(sheets.values()))


def read_long_file(data: bytes, filename: str) -> LongRows:
    """The rows of a long-format file, by the same road as ``read_long_sheet``;
    the rows are made in the child that parses the file (``read_sheets_into``),
    so only they, not every cell, come back through the pipe."""
    from .bounds import ReadBounds
    from .reader import read_sheets_into

    kind = inspect_file(data, filename, limits=Limits.bulk())
    names = indicator_names()  # here: the child must not use the database
    return read_sheets_into(
        data, kind, partial(_long_rows, data, kind, names), bounds=ReadBounds.bulk()
    )


def _long_sheet(data: bytes, kind: str, sheets: dict[str, Sheet]) -> dict[str, Sheet]:
    """The sheet that holds the rows, once every sheet and every place text
    hides has passed the personal-data check. Runs in the parsing child."""
    from .hidden_text import hidden_personal_data_problems
    from .safety import personal_data_problems

    pii = personal_data_problems(sheets) + hidden_personal_data_problems(
        data, kind, sheets
    )
    if pii:
        raise PersonalDataRefused(pii)
    visible = [s for s in sheets.values() if not s.hidden] or list(sheets.values())
    return {visible[0].name: visible[0]}


def _long_rows(
    data: bytes, kind: str, names: dict[str, str], sheets: dict[str, Sheet]
) -> LongRows:
    """Runs in the parsing child: the checked sheet's rows."""
    (sheet,) = _long_sheet(data, kind, sheets).values()
    try:
        return read_long_rows(sheet, names)
    except LongFormatError as error:
        raise SpreadsheetRefused(error.message, error.code) from None


class PersonalDataRefused(SpreadsheetRefused):
    def __init__(self, problems: list[CellProblem]):
        shown = "; ".join(p.message for p in problems[:20])
        super().__init__(shown, "personal_data")
        self.problems = problems

    def __reduce__(self):
        # Raised in the parsing child, rebuilt here from its problems (the
        # message is in the reader's language, which the child shares).
        return (PersonalDataRefused, (self.problems,))


@contextmanager
def cyclic_gc_paused():
    """Python's cycle collector off for the span of an import. A 100,000-row
    file makes a few hundred thousand small objects that live until the end
    (rows, months, COPY lines) and no reference cycles; left on, the collector
    walks all of them again and again as they pile up: about a tenth of the
    import's time, for nothing to collect."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def bulk_import_file(
    data: bytes,
    filename: str,
    *,
    actor,
    dry_run: bool,
    skip_rejected: bool = False,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    job=None,
) -> BulkOutcome:
    """Read, check every row, and (unless a dry run) write in one transaction.
    ``progress(done, total)`` is called outside the transaction only."""
    if not access.is_city_manager(actor):
        raise access_denied()
    with cyclic_gc_paused():
        return _bulk_import_file(
            data,
            filename,
            actor=actor,
            dry_run=dry_run,
            skip_rejected=skip_rejected,
            now=now,
            progress=progress,
            job=job,
        )


def _bulk_import_file(
    data, filename, *, actor, dry_run, skip_rejected, now, progress, job
) -> BulkOutcome:
    report = progress or (lambda done, total: None)
    report(0, 100)
    rows = read_long_file(data, filename)
    report(30, 100)
    total = max(len(rows), 1)
    plan = bulk_validate(
        rows,
        actor=actor,
        now=now,
        progress=lambda done: report(30 + 30 * done // total, 100),
    )
    report(60, 100)
    if dry_run or (plan.has_rejections and not skip_rejected):
        return BulkOutcome(plan, False, plan.summary)
    result = bulk_apply(
        plan,
        actor=actor,
        now=now,
        skip_rejected=skip_rejected,
        filename=filename,
        job=job,
    )
    return BulkOutcome(plan, True, result)
