"""Reading a filled template (or a one-month CSV) into plain report data.

``parse_monthly_file`` turns the file into figures, comments, narrative and
roster rows, each remembered with the cell it came from, plus the problems of
single cells (not a number, not a date, personal data). Nothing here touches
the database but the plan lookups; checking and saving are in ``services``.
"""

from dataclasses import dataclass, field
from datetime import date

from projects.models import Project
from projects.months import month_label
from reporting.models import Measure

from . import template as layout_of
from .hidden_text import hidden_personal_data_problems
from .reader import (
    Sheet,
    ValueProblem,
    clean_text,
    day_value,
    read_sheets,
    whole_number,
)
from .safety import (
    CellProblem,
    Limits,
    SpreadsheetRefused,
    inspect_file,
    personal_data_problems,
)

CSV_SHEET = "csv"


@dataclass
class Identity:
    project_code: str
    period: date
    template_version: int | None  # None for a CSV


@dataclass
class ParsedReport:
    """A month's report as read from a file, every item with its cell."""

    kind: str
    identity: Identity
    values: dict[str, dict[str, int]] = field(default_factory=lambda: {m.value: {} for m in Measure})
    comments: dict[str, str] = field(default_factory=dict)
    narrative: str = ""
    roster: list[dict] = field(default_factory=list)
    # where things came from: "new_hires.women" → (sheet, cell); "roster.3" → …
    cells: dict[str, tuple[str, str]] = field(default_factory=dict)
    problems: list[CellProblem] = field(default_factory=list)

    def problem(self, sheet: str, cell: str, error: ValueProblem) -> None:
        self.problems.append(CellProblem(sheet, cell, error.ko, error.en))


def refused_identity(ko: str, en: str) -> SpreadsheetRefused:
    return SpreadsheetRefused(f"{ko} / {en}")


def read_identity(sheets: dict[str, Sheet]) -> Identity:
    """The template's identity from its hidden sheet; refuse a file that is not
    one of our templates or is an outdated one."""
    meta = sheets.get(layout_of.META_SHEET)
    if meta is None or clean_text(meta.at("A1")) != layout_of.MARKER:
        raise refused_identity(
            "상생 월별 실적 양식이 아닙니다. 보고 화면에서 이 달의 양식을 내려받아 작성해 주세요.",
            "This is not a Sangsaeng monthly report template; download this month's template "
            "from the report page and fill it in.",
        )
    version_raw = meta.at("B4")
    try:
        version = whole_number(version_raw)
    except ValueProblem:
        version = None
    if version != layout_of.TEMPLATE_VERSION:
        raise refused_identity(
            f"지난 양식(버전 {clean_text(version_raw) or '?'})입니다. 최신 양식(버전 {layout_of.TEMPLATE_VERSION})을 "
            "내려받아 다시 작성해 주세요.",
            f"This file uses an outdated template (version {clean_text(version_raw) or '?'}); download the "
            f"current template (version {layout_of.TEMPLATE_VERSION}) and fill it in again.",
        )
    from .reader import month_value

    try:
        period = month_value(meta.at("B3"))
    except ValueProblem:
        raise refused_identity("양식의 보고 월을 읽을 수 없습니다.", "The template's month cannot be read.") from None
    return Identity(clean_text(meta.at("B2")), period, version)


def check_identity(identity: Identity, *, project: Project | None, period: date | None) -> None:
    """A file for another project or month is refused, saying which."""
    if project is not None and identity.project_code != project.code:
        raise refused_identity(
            f"다른 사업({identity.project_code})의 파일입니다. 이 보고는 {project.code} 사업의 것입니다.",
            f"This file is for another project ({identity.project_code}); this report is for project {project.code}.",
        )
    if period is not None and identity.period != period:
        raise refused_identity(
            f"다른 달({month_label(identity.period)})의 파일입니다. 이 보고는 {month_label(period)}의 것입니다.",
            f"This file is for another month ({month_label(identity.period)}); this report is for {month_label(period)}.",
        )


def _choice_codes(items) -> dict[str, str]:
    """Every way a user may name a target group or budget line → its code."""
    codes = {}
    for item in items:
        for name in (item.code, item.name_ko, item.name_en, layout_of.choice_label(item.code, item.name_ko)):
            if name:
                codes[clean_text(name).casefold()] = item.code
    return codes


def _code_of(raw, codes: dict[str, str]) -> str | None:
    text = clean_text(raw)
    if not text:
        return None
    found = codes.get(text.casefold())
    if found is None and text.endswith(")") and "(" in text:
        found = codes.get(text.rsplit("(", 1)[1][:-1].strip().casefold())
    return found


def parse_monthly_file(data: bytes, filename: str) -> tuple[ParsedReport, Project | None]:
    """Safety checks, then the file's content with its cells. Returns the parsed
    report and the project it names (None when no such project exists)."""
    kind = inspect_file(data, filename, limits=Limits.monthly())
    sheets = read_sheets(data, kind)
    pii = personal_data_problems(sheets) + hidden_personal_data_problems(data, kind, sheets)
    if kind == "csv":
        parsed = _parse_csv(sheets[CSV_SHEET])
    else:
        parsed = ParsedReport(kind=kind, identity=read_identity(sheets))
    project = Project.objects.filter(code=parsed.identity.project_code).select_related("district").first()
    if pii:
        parsed.problems = pii + parsed.problems
        return parsed, project
    if kind != "csv" and project is not None:
        _parse_template(parsed, sheets, project)
    return parsed, project


def _parse_template(parsed: ParsedReport, sheets: dict[str, Sheet], project: Project) -> None:
    plan = project.plan_for(parsed.identity.period)
    budget_codes = _choice_codes(plan.budget_lines.all())
    group_codes = _choice_codes(plan.target_groups.all())
    meta = sheets[layout_of.META_SHEET]
    figures = sheets.get(layout_of.FIGURES_SHEET)
    if figures is None:
        raise refused_identity("실적 시트가 없습니다.", "The figures sheet (실적) is missing.")
    name = figures.name
    for row in meta.rows[5:]:
        entry = [clean_text(value) for value in row] + [""] * 6
        kind, measure, key = entry[0], entry[1], entry[2]
        if kind == "figure":
            value_cell, comment_cell = entry[3], entry[4]
            parsed.cells[f"{measure}.{key}"] = (name, value_cell)
            parsed.cells[f"comments.{measure}.{key}"] = (name, comment_cell)
            _read_figure(parsed, figures, measure, key, value_cell)
            comment = clean_text(figures.at(comment_cell))
            if comment:
                parsed.comments[f"{measure}.{key}"] = comment
        elif kind == "spending":
            category_cell, value_cell, comment_cell = entry[3], entry[4], entry[5]
            raw_category, raw_value = figures.at(category_cell), figures.at(value_cell)
            comment = clean_text(figures.at(comment_cell))
            if not clean_text(raw_category):
                if clean_text(raw_value) or comment:
                    parsed.problems.append(CellProblem(
                        name, category_cell, "예산 항목을 고르세요", "choose a budget category"))
                continue
            code = _code_of(raw_category, budget_codes)
            if code is None:
                shown = clean_text(raw_category)
                parsed.problems.append(CellProblem(
                    name, category_cell, f"'{shown}'은(는) 이 사업의 예산 항목이 아닙니다",
                    f"'{shown}' is not a budget category of this project"))
                continue
            if f"{Measure.SPENDING}.{code}" in parsed.cells:
                parsed.problems.append(CellProblem(
                    name, category_cell, "같은 예산 항목이 두 번 있습니다", "the same budget category appears twice"))
                continue
            parsed.cells[f"{Measure.SPENDING}.{code}"] = (name, value_cell)
            parsed.cells[f"comments.{Measure.SPENDING}.{code}"] = (name, comment_cell)
            _read_figure(parsed, figures, Measure.SPENDING, code, value_cell)
            if comment:
                parsed.comments[f"{Measure.SPENDING}.{code}"] = comment
        elif kind == "narrative":
            parsed.narrative = clean_text(figures.at(entry[3]))
            parsed.cells["narrative"] = (name, entry[3])
        elif kind == "comment":
            parsed.cells[f"comments.{key}"] = (name, entry[3])
            comment = clean_text(figures.at(entry[3]))
            if comment:
                parsed.comments[key] = comment
        elif kind == "roster":
            roster = sheets.get(key)
            if roster is not None:
                _read_roster(parsed, roster, entry[3], group_codes)
    parsed.cells.setdefault("period", (name, "B7"))


def _read_figure(parsed: ParsedReport, sheet: Sheet, measure: str, key: str, cell: str) -> None:
    try:
        number = whole_number(sheet.at(cell))
    except ValueProblem as error:
        parsed.problem(sheet.name, cell, error)
        return
    if number is not None:
        parsed.values[measure][key] = number


def _read_roster(parsed: ParsedReport, sheet: Sheet, first_cell: str, group_codes: dict[str, str]) -> None:
    from .reader import parse_address

    first_row, _column = parse_address(first_cell)
    for row_index in range(first_row, len(sheet.rows)):
        raw = [sheet.value(row_index, column) for column in range(4)]
        if not any(clean_text(value) for value in raw):
            continue  # blank rows, trailing or in between
        line = row_index + 1
        code = clean_text(raw[0])
        group = _code_of(raw[1], group_codes)
        if group is None:
            shown = clean_text(raw[1])
            parsed.problems.append(CellProblem(
                sheet.name, f"B{line}",
                f"'{shown}'은(는) 이 사업의 대상 계층이 아닙니다" if shown else "대상 계층을 고르세요",
                f"'{shown}' is not a target group of this project" if shown else "choose a target group"))
            continue
        dates = []
        for column, value in ((2, raw[2]), (3, raw[3])):
            try:
                dates.append(day_value(value))
            except ValueProblem as error:
                parsed.problem(sheet.name, f"{'CD'[column - 2]}{line}", error)
                dates = None
                break
        if dates is None:
            continue
        parsed.roster.append(
            {"participant_code": code, "target_group_code": group, "hire_date": dates[0], "end_date": dates[1]}
        )
        parsed.cells[f"roster.{len(parsed.roster)}"] = (sheet.name, f"A{line}")


# --- one month as CSV (the long format) -----------------------------------


def _parse_csv(sheet: Sheet) -> ParsedReport:
    from .bulk import LongFormatError, read_long_rows

    try:
        rows = read_long_rows(sheet).rows
    except LongFormatError as error:
        raise SpreadsheetRefused(error.message) from None
    if not rows:
        raise refused_identity("파일에 실적 행이 없습니다.", "The file has no rows of figures.")
    first = rows[0]
    parsed = ParsedReport(kind="csv", identity=Identity(first.project_code, first.period, None))
    for row in rows:
        for problem in row.problems:
            parsed.problems.append(CellProblem(CSV_SHEET, problem[0], problem[1], problem[2]))
        if row.problems:
            continue
        if row.project_code != first.project_code or row.period != first.period:
            parsed.problems.append(CellProblem(
                CSV_SHEET, f"A{row.line}",
                f"한 파일에는 한 사업·한 달({first.project_code} {month_label(first.period)})만 담습니다",
                f"one file holds one project's month ({first.project_code} {month_label(first.period)})"))
            continue
        key = f"{row.measure}.{row.key}"
        if key in parsed.cells:
            parsed.problems.append(CellProblem(
                CSV_SHEET, f"D{row.line}", "같은 항목이 두 번 있습니다", "the same item appears twice"))
            continue
        parsed.cells[key] = (CSV_SHEET, f"E{row.line}")
        parsed.values[row.measure][row.key] = row.value
    return parsed

