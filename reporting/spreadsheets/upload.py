"""Reading a filled template (or a one-month CSV) into plain report data.

``parse_monthly_file`` turns the file into figures, comments, narrative and
roster rows, each remembered with the cell it came from, plus the problems of
single cells (not a number, not a date, personal data). Nothing here touches
the database but the plan lookups; checking and saving are in ``services``.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from projects.models import Project
from projects.months import month_label
from reporting.checks import spike_key

from . import template as layout_of
from .hidden_text import hidden_personal_data_problems
from .layout import (
    IDENTITY_ROWS,
    KeyedSheet,
    LayoutEntry,
    find_meta,
    find_sheet,
    layout_entries,
    shown,
)
from .reader import (
    Sheet,
    ValueProblem,
    cell_address,
    clean_text,
    day_value,
    legacy_output,
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
    # indicator code → member key → value
    values: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    comments: dict[str, str] = field(default_factory=dict)
    narrative: str = ""
    roster: list[dict] = field(default_factory=list)
    # where things came from: "new_hires.women" → (sheet, cell); "roster.3" → …
    cells: dict[str, tuple[str, str]] = field(default_factory=dict)
    problems: list[CellProblem] = field(default_factory=list)

    def problem(self, sheet: str, cell: str, error: ValueProblem) -> None:
        self.problems.append(CellProblem(sheet, cell, error.ko, error.en, error.code))


def cell_problem(sheet: str, cell: str, message, **params) -> CellProblem:
    """A cell's problem in both catalogues' words (``message`` a lazy gettext
    with an English msgid); the preview shows the reader's language."""
    texts = []
    for language in ("ko", "en"):
        with translation.override(language):
            texts.append(str(message) % params if params else str(message))
    return CellProblem(sheet, cell, *texts)


def refused_identity(message: str, code: str = "identity") -> SpreadsheetRefused:
    """The whole file is refused because of what it is (not one of ours, another
    project or month, an outdated template); ``message`` is in the reader's language."""
    return SpreadsheetRefused(message, code)


def read_identity(sheets: dict[str, Sheet]) -> Identity:
    """The template's identity from its hidden sheet; refuse a file that is not
    one of our templates or is an outdated one."""
    meta = find_meta(sheets)
    if meta is None:
        raise refused_identity(
            _(
                "This is not a Sangsaeng monthly report template; download this month's template "
                "from the report page and fill it in."
            )
        )
    version_raw = meta.at("B4")
    try:
        version = whole_number(version_raw)
    except ValueProblem:
        version = None
    if version != layout_of.TEMPLATE_VERSION:
        raise refused_identity(
            _(
                "This file uses an outdated template (version %(version)s); download the current template "
                "(version %(current)s) and fill it in again."
            )
            % {
                "version": clean_text(version_raw) or "?",
                "current": layout_of.TEMPLATE_VERSION,
            }
        )
    from .reader import month_value

    try:
        period = month_value(meta.at("B3"))
    except ValueProblem:
        raise refused_identity(
            _(
                "The template's month cannot be read; download this month's template again."
            )
        ) from None
    return Identity(clean_text(meta.at("B2")), period, version)


def check_identity(
    identity: Identity, *, project: Project | None, period: date | None
) -> None:
    """A file for another project or month is refused, saying which."""
    if project is not None and identity.project_code != project.code:
        raise refused_identity(
            _(
                "This file is for another project (%(file_project)s); this report is for project %(project)s."
            )
            % {"file_project": identity.project_code, "project": project.code}
        )
    if period is not None and identity.period != period:
        raise refused_identity(
            _(
                "This file is for another month (%(file_month)s); this report is for %(month)s."
            )
            % {"file_month": month_label(identity.period), "month": month_label(period)}
        )


def _choice_codes(items) -> dict[str, str]:
    """Every way a user may name a target group or budget line → its code."""
    codes = {}
    for item in items:
        for name in (
            item.code,
            item.name_ko,
            item.name_en,
            layout_of.choice_label(item.code, item.name_ko),
            layout_of.choice_label(item.code, item.name_en or item.name_ko),
        ):
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


def parse_monthly_file(
    data: bytes, filename: str
) -> tuple[ParsedReport, Project | None]:
    """Safety checks, then the file's content with its cells. Returns the parsed
    report and the project it names (None when no such project exists)."""
    kind = inspect_file(data, filename, limits=Limits.monthly())
    sheets = read_sheets(data, kind)
    pii = personal_data_problems(sheets) + hidden_personal_data_problems(
        data, kind, sheets
    )
    if kind == "csv":
        parsed = _parse_csv(sheets[CSV_SHEET])
    else:
        parsed = ParsedReport(kind=kind, identity=read_identity(sheets))
    project = (
        Project.objects.filter(code=parsed.identity.project_code)
        .select_related("district")
        .first()
    )
    if pii:
        parsed.problems = pii + parsed.problems
        return parsed, project
    if kind != "csv" and project is not None:
        _parse_template(parsed, sheets, project)
    return parsed, project


def _parse_template(
    parsed: ParsedReport, sheets: dict[str, Sheet], project: Project
) -> None:
    """Every cell is found by its row key and column header (``layout``), never
    by the address it had in the template; the messages name the cell where it
    is now, so the officer finds it."""
    plan = project.plan_for(parsed.identity.period)
    budget_codes = _choice_codes(plan.budget_lines.all())
    group_codes = _choice_codes(plan.target_groups.all())
    entries = layout_entries(find_meta(sheets))
    figures = find_sheet(sheets, layout_of.FIGURES_IDENTITY, layout_of.FIGURES_SHEET)
    roster = find_sheet(sheets, layout_of.ROSTER_IDENTITY, layout_of.ROSTER_SHEET)
    figure_columns = figures.columns(
        "header:figures",
        layout_of.FIGURE_COLUMNS,
        required=("measure", "item", "value", "comment"),
    )
    spending_columns = figures.columns(
        "header:spending",
        layout_of.SPENDING_COLUMNS,
        required=("measure", "category", "value", "comment"),
    )
    figures.check_nothing_unknown(
        from_row=figures.rows["header:figures"],
        keyed_rows_only=True,
        known_columns=set(figure_columns.values()) | set(spending_columns.values()),
    )
    name, sheet = figures.name, figures.sheet

    def located(entry: LayoutEntry, columns: dict[str, int]) -> int:
        labels = (entry.measure_label, entry.item_label)
        row = figures.row(
            entry.row_key, " · ".join(shown(label) for label in labels if label)
        )
        figures.check_label(row, columns.get("measure"), entry.measure_label)
        if entry.item_label:
            figures.check_label(row, columns.get("item"), entry.item_label)
        return row

    for entry in entries:
        kind, measure, key = entry.kind, entry.measure, entry.key
        if kind == "figure":
            measure, key = legacy_output(measure, key)
            row = located(entry, figure_columns)
            value_cell = cell_address(row, figure_columns["value"])
            comment_cell = cell_address(row, figure_columns["comment"])
            parsed.cells[f"{measure}.{key}"] = (name, value_cell)
            parsed.cells[f"comments.{measure}.{key}"] = (name, comment_cell)
            _read_figure(parsed, sheet, measure, key, value_cell)
            comment = clean_text(sheet.at(comment_cell))
            if comment:
                parsed.comments[f"{measure}.{key}"] = comment
        elif kind == "spending":
            row = located(entry, spending_columns)
            category_cell = cell_address(row, spending_columns["category"])
            value_cell = cell_address(row, spending_columns["value"])
            comment_cell = cell_address(row, spending_columns["comment"])
            raw_category, raw_value = sheet.at(category_cell), sheet.at(value_cell)
            comment = clean_text(sheet.at(comment_cell))
            if not clean_text(raw_category):
                if clean_text(raw_value) or comment:
                    parsed.problems.append(
                        cell_problem(
                            name, category_cell, _lazy("choose a budget category")
                        )
                    )
                continue
            code = _code_of(raw_category, budget_codes)
            if code is None:
                shown_text = clean_text(raw_category)
                parsed.problems.append(
                    cell_problem(
                        name,
                        category_cell,
                        _lazy(
                            "'%(value)s' is not a budget category of this project; choose one "
                            "from the list"
                        ),
                        value=shown_text,
                    )
                )
                continue
            if f"{measure}.{code}" in parsed.cells:
                parsed.problems.append(
                    cell_problem(
                        name,
                        category_cell,
                        _lazy(
                            "the same budget category appears twice; put its spending in one row"
                        ),
                    )
                )
                continue
            parsed.cells[f"{measure}.{code}"] = (name, value_cell)
            parsed.cells[f"comments.{measure}.{code}"] = (name, comment_cell)
            _read_figure(parsed, sheet, measure, code, value_cell)
            if comment:
                parsed.comments[f"{measure}.{code}"] = comment
        elif kind == "narrative":
            cell = cell_address(located(entry, figure_columns), figure_columns["item"])
            parsed.narrative = clean_text(sheet.at(cell))
            parsed.cells["narrative"] = (name, cell)
        elif kind == "comment":
            key = legacy_comment_key(key)
            cell = cell_address(located(entry, figure_columns), figure_columns["value"])
            parsed.cells[f"comments.{key}"] = (name, cell)
            comment = clean_text(sheet.at(cell))
            if comment:
                parsed.comments[key] = comment
        elif kind == "roster":
            _read_roster(parsed, roster, entry.row_key, group_codes)
    parsed.cells.setdefault("period", (name, "B7"))


def legacy_comment_key(key: str) -> str:
    """A warning's key in a template of before the catalogue ("spike.new_hires",
    "spike.output.households") as the checks name it now."""
    if key == "spike.new_hires":
        return spike_key("new_hires")
    if key.startswith("spike.output."):
        return spike_key(key.removeprefix("spike.output."))
    return key


def _read_figure(
    parsed: ParsedReport, sheet: Sheet, measure: str, key: str, cell: str
) -> None:
    try:
        number = whole_number(sheet.at(cell))
    except ValueProblem as error:
        parsed.problem(sheet.name, cell, error)
        return
    if number is not None:
        parsed.values[measure][key] = number


def _read_roster(
    parsed: ParsedReport,
    roster: KeyedSheet,
    first_row_key: str,
    group_codes: dict[str, str],
) -> None:
    columns = roster.columns(
        "header:roster",
        layout_of.ROSTER_COLUMNS,
        required=("code", "group", "hire_date", "end_date"),
    )
    first_row = roster.row(first_row_key, layout_of.ROSTER_SHEET)
    roster.check_nothing_unknown(
        from_row=first_row, known_columns=set(columns.values()), keyed_rows_only=False
    )
    sheet = roster.sheet
    order = [
        columns["code"],
        columns["group"],
        columns["hire_date"],
        columns["end_date"],
    ]
    for row_index in range(first_row, len(sheet.rows)):
        raw = [sheet.value(row_index, column) for column in order]
        if not any(clean_text(value) for value in raw):
            continue  # blank rows, trailing or in between
        code = clean_text(raw[0])
        group = _code_of(raw[1], group_codes)
        if group is None:
            shown_text = clean_text(raw[1])
            parsed.problems.append(
                cell_problem(
                    sheet.name,
                    cell_address(row_index, order[1]),
                    _lazy(
                        "'%(value)s' is not a target group of this project; choose one from the list"
                    )
                    if shown_text
                    else _lazy("choose a target group"),
                    value=shown_text,
                )
            )
            continue
        dates = []
        for column in order[2:]:
            try:
                dates.append(day_value(sheet.value(row_index, column)))
            except ValueProblem as error:
                parsed.problem(sheet.name, cell_address(row_index, column), error)
                dates = None
                break
        if dates is None:
            continue
        parsed.roster.append(
            {
                "participant_code": code,
                "target_group_code": group,
                "hire_date": dates[0],
                "end_date": dates[1],
            }
        )
        parsed.cells[f"roster.{len(parsed.roster)}"] = (
            sheet.name,
            cell_address(row_index, order[0]),
        )


# --- one month as CSV (the long format) -----------------------------------


# What a sheet of the template saved as CSV starts with, or carries in its hidden key column.
_TEMPLATE_TITLES = {"월별 실적 보고", "Monthly performance report"}


def is_template_copy(sheet: Sheet) -> bool:
    """A sheet of the template saved as CSV ("Save as… CSV" keeps the active
    sheet only: no identity, no roster, no layout)."""
    for row in sheet.rows[:IDENTITY_ROWS]:
        for value in row:
            text = clean_text(value)
            if text in _TEMPLATE_TITLES or text.startswith(layout_of.MARKER):
                return True
    return False


def _parse_csv(sheet: Sheet) -> ParsedReport:
    from .bulk import LongFormatError, read_long_rows

    if is_template_copy(sheet):
        # Accepting it would mean guessing the project, month and template
        # version from visible text: refuse, saying what to upload instead.
        raise SpreadsheetRefused(
            _(
                "This is a CSV copy of the template; a CSV keeps only one sheet and loses the template's "
                "identity. Upload the .xlsx file itself (the template you downloaded and filled in)."
            )
        )
    try:
        rows = read_long_rows(sheet).rows
    except LongFormatError as error:
        raise SpreadsheetRefused(error.message) from None
    if not rows:
        raise refused_identity(_("The file has no rows of figures."))
    first = rows[0]
    parsed = ParsedReport(
        kind="csv", identity=Identity(first.project_code, first.period, None)
    )
    for row in rows:
        for problem in row.problems:
            parsed.problems.append(
                CellProblem(CSV_SHEET, problem[0], problem[1], problem[2], problem[3])
            )
        if row.problems:
            continue
        if row.project_code != first.project_code or row.period != first.period:
            parsed.problems.append(
                cell_problem(
                    CSV_SHEET,
                    f"A{row.line}",
                    _lazy(
                        "one file holds one project's month (%(project)s %(month)s); upload other months "
                        "or projects as separate files"
                    ),
                    project=first.project_code,
                    month=month_label(first.period),
                )
            )
            continue
        measure, member = legacy_output(row.measure, row.key)
        key = f"{measure}.{member}"
        if key in parsed.cells:
            parsed.problems.append(
                cell_problem(
                    CSV_SHEET,
                    f"D{row.line}",
                    _lazy("the same item appears twice; keep one row for it"),
                )
            )
            continue
        parsed.cells[key] = (CSV_SHEET, f"E{row.line}")
        parsed.values[measure][member] = row.value
    return parsed
