"""The prefilled template workbook of a project's month (openpyxl writes it).

Sheets: "실적" (figures: the project's facts, targets and totals so far, locked;
this month's figures and comments, unlocked with data validation), "명단"
(the optional participant roster, pseudonymous codes only), and two very hidden
sheets: "_sangsaeng" holds the workbook's identity (project, month, template
version) and its layout (which cell is which figure), "_lists" the choices of
the dropdowns.

The reader trusts no position: the protection stops casual edits only (its
password is in settings and is no secret). Each visible sheet carries a hidden
key column (``KEY_COLUMN``): its first cell names the sheet ("…:figures",
"…:roster", so a renamed sheet is still found), and every row the reader needs
has its key there ("figure:new_hires.women", "figure:households.total",
"narrative", …: ``figure:<indicator code>.<member key>``), so an inserted or
deleted row moves the key with it. Columns are found by their header labels.
The layout rows of "_sangsaeng" add, for each entry, its row key and the labels
the row shows, which the reader checks (rows sorted without the hidden column
would otherwise put figures under the wrong measure).

Everything a person reads — sheet names, labels, headers, units, dropdown
choices, the data-validation messages and notes — is in the language of the
person downloading it (the active one). The reader accepts a template in
either language (and those of before, which had both): the labels it checks
are the ones stored in the layout, and headers are found by their label in
either language.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from cms.models import english_active
from common.spreadsheets import merged, own_formula, styled, workbook_bytes
from indicators import builtins
from indicators.models import Disaggregation, Severity
from projects.models import Project
from projects.months import add_months, month_label
from reporting.checks import (
    PlanIndicator,
    rule_pairs,
    rule_warning_key,
    spike_checked,
    spike_key,
)
from reporting.models import MonthlyReport
from reporting.selectors import (
    active_rules,
    due_on,
    indicators_of_plan,
    month_figures,
    report_version_shown,
    starting_roster,
    totals_in_force,
    version_values,
)

# Raise when the layout changes in a way older files cannot be read with.
# 2: hidden key columns, labels checked, password on the protection.
TEMPLATE_VERSION = 2
MARKER = "sangsaeng-monthly-report"
FIGURES_IDENTITY = f"{MARKER}:figures"
ROSTER_IDENTITY = f"{MARKER}:roster"
KEY_COLUMN = "J"  # hidden, on both visible sheets; right of everything they show
META_SHEET = "_sangsaeng"
LISTS_SHEET = "_lists"
FIGURES_SHEET = "실적"
ROSTER_SHEET = "명단"
# The visible sheets' names in English (an English reader's template).
FIGURES_SHEET_EN = "Figures"
ROSTER_SHEET_EN = "Roster"
ROSTER_SHEET_NAMES = (ROSTER_SHEET, ROSTER_SHEET_EN)
# 1-based: a note on row 1, the headers on row 2 (templates of before: Korean
# headers on row 1, English beneath).
ROSTER_FIRST_ROW = 3
ROSTER_ROWS = 500
SPARE_SPENDING_ROWS = 2

WARNING_LABELS = {
    "no_activity": ("활동 없음에 대한 설명", "Explanation: no activity this month"),
}
NOTE_AUTHOR = "Sangsaeng"

# (role, Korean, English): the headers the reader finds its columns by.
FIGURE_COLUMNS = [
    ("measure", "구분", "Measure"),
    ("item", "항목", "Item"),
    ("unit", "단위", "Unit"),
    ("value", "이번 달 실적", "This month"),
    ("target", "목표", "Target"),
    ("total", "전월까지 누계", "Total to last month"),
    ("last", "전월 실적", "Last month"),
    ("comment", "의견", "Comment"),
]
SPENDING_COLUMNS = [
    ("measure", "구분", "Measure"),
    ("category", "예산 항목", "Budget category"),
    ("unit", "단위", "Unit"),
    ("value", "이번 달 집행액", "Spent this month"),
    ("budget", "예산", "Budget"),
    ("total", "전월까지 집행 누계", "Spent to last month"),
    ("last", "전월 집행액", "Last month"),
    ("comment", "의견", "Comment"),
]
ROSTER_COLUMNS = [
    ("code", "참여자 코드", "Participant code"),
    ("group", "대상 계층", "Target group"),
    ("hire_date", "채용일", "Hire date"),
    ("end_date", "종료일", "End date"),
]
NARRATIVE_LABEL = ("사업 추진 내용", "Narrative")
COMMENTS_TITLE = (
    "경고에 대한 설명 (해당할 때만)",
    "Explanations for warnings (only when asked)",
)

_HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
_FACT_FILL = PatternFill("solid", fgColor="F2F2F2")
_INPUT_FILL = PatternFill("solid", fgColor="FFF8D6")
_THIN = Side(style="thin", color="B0B0B0")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_UNLOCKED = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEADER_FONT = Font(bold=True, size=11)
_HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
_BOLD = Font(bold=True)
_LEFT = Alignment(horizontal="left")
_WHOLE = "#,##0"
_DATE = "yyyy-mm-dd"


def choice_label(code: str, name: str) -> str:
    """How a target group or budget category appears in a dropdown."""
    return f"{name} ({code})"


def in_reader_language(ko: str, en: str | None) -> str:
    """The Korean or the English of a label, by the person downloading."""
    return (en or ko) if english_active() else ko


def _named(item) -> str:
    """A target group's or budget line's name in the reader's language."""
    return in_reader_language(item.name_ko, item.name_en)


def sheet_names() -> tuple[str, str]:
    """(figures, roster): the visible sheets' names in the reader's language."""
    if english_active():
        return FIGURES_SHEET_EN, ROSTER_SHEET_EN
    return FIGURES_SHEET, ROSTER_SHEET


@dataclass
class TemplateData:
    """Everything the template shows, read once."""

    project: Project
    period: date
    report: MonthlyReport | None
    target_groups: list  # PlanTargetGroup
    budget_lines: list  # PlanBudgetLine
    # code → the plan's indicators (core ones and outputs) with their members
    indicators: dict[str, PlanIndicator]
    rules: list  # the city's active validation rules
    totals_before: dict
    last_month: dict
    current: dict  # this month's current version's figures
    narrative: str
    comments: dict
    roster: list[dict]


def template_data(*, project: Project, period: date, actor=None) -> TemplateData:
    plan = project.plan_for(period)
    report = (
        MonthlyReport.objects.filter(project=project, period=period)
        .select_related("current_version")
        .first()
    )
    # What the report page would show this person (never a draft the city may not see).
    version = report_version_shown(user=actor, report=report)
    # The roster is cumulative: a new month starts from last month's accepted one
    # (the web form starts from the same).
    roster = starting_roster(project=project, period=period, version=version)
    return TemplateData(
        project=project,
        period=period,
        report=report,
        target_groups=list(plan.target_groups.all()),
        budget_lines=list(plan.budget_lines.all()),
        indicators=indicators_of_plan(plan),
        rules=active_rules(),
        totals_before=totals_in_force(project=project, until=add_months(period, -1)),
        last_month=month_figures(project=project, period=add_months(period, -1)),
        current=version_values(version),
        narrative=version.narrative if version else "",
        comments=dict(version.comments or {}) if version else {},
        roster=roster,
    )


def _header(
    ws, row: int, columns: list[tuple[str, str, str]], *, tall: bool = False
) -> None:
    """The headers on ``row``, in the reader's language; ``tall``: each is
    merged with the row beneath (the figures sheet keeps two header rows, so
    that the cells keep the addresses they had)."""
    for column, (_role, ko, en) in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=column, value=in_reader_language(ko, en))
        styled(
            cell,
            fill=_HEADER_FILL,
            border=_BOX,
            font=_HEADER_FONT,
            alignment=_HEADER_ALIGNMENT,
        )
        if tall:
            merged(
                ws,
                start_row=row,
                start_column=column,
                end_row=row + 1,
                end_column=column,
            )


def _input(cell, value=None) -> None:
    cell.value = value
    styled(cell, protection=_UNLOCKED, fill=_INPUT_FILL, border=_BOX)


def build_template(*, project: Project, period: date, actor=None) -> bytes:
    """The .xlsx of a project's month as ``actor`` may see it, as bytes."""
    data = template_data(project=project, period=period, actor=actor)
    workbook = Workbook()
    figures = workbook.active
    figures_name, roster_name = sheet_names()
    figures.title = figures_name
    roster = workbook.create_sheet(roster_name)
    meta = workbook.create_sheet(META_SHEET)
    lists = workbook.create_sheet(LISTS_SHEET)
    layout: list[list] = []

    spending = spending_indicator(data.indicators)
    spending_code = spending.code if spending else builtins.SPENDING
    spending_label = (
        spending.indicator.name
        if spending
        else in_reader_language("집행액", "Spending")
    )

    # Choices of the dropdowns, with what the spending rows look up.
    group_labels = [choice_label(g.code, _named(g)) for g in data.target_groups]
    budget_labels = [choice_label(b.code, _named(b)) for b in data.budget_lines]
    for index, label in enumerate(group_labels, start=1):
        lists.cell(row=index, column=1, value=label)
    for index, line in enumerate(data.budget_lines, start=1):
        lists.cell(row=index, column=2, value=budget_labels[index - 1])
        lists.cell(row=index, column=3, value=line.amount)
        lists.cell(
            row=index,
            column=4,
            value=data.totals_before[spending_code].get(line.code, 0),
        )
        lists.cell(
            row=index, column=5, value=data.last_month[spending_code].get(line.code)
        )
    groups_range = f"'{LISTS_SHEET}'!$A$1:$A${max(len(group_labels), 1)}"
    budget_range = f"'{LISTS_SHEET}'!$B$1:$B${max(len(budget_labels), 1)}"
    workbook.defined_names["TargetGroups"] = DefinedName(
        "TargetGroups", attr_text=groups_range
    )
    workbook.defined_names["BudgetCategories"] = DefinedName(
        "BudgetCategories", attr_text=budget_range
    )

    _write_facts(figures, data)
    whole = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Whole number"),
        error=_("Enter a whole number, 0 or more."),
    )
    categories = DataValidation(
        type="list",
        formula1="=BudgetCategories",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Budget category"),
        error=_("Choose a budget category from the list."),
    )
    figures.add_data_validation(whole)
    figures.add_data_validation(categories)

    figures[f"{KEY_COLUMN}1"] = FIGURES_IDENTITY
    row = 13
    _header(figures, row, FIGURE_COLUMNS, tall=True)
    _key(figures, row, "header:figures")
    _key(figures, row + 1, "header:figures:en")
    row += 2
    # One row per member of each indicator of the plan, as the catalogue
    # names it; its definition is a note on the indicator's first row.
    for planned in data.indicators.values():
        if planned is spending:
            continue
        indicator, measure = planned.indicator, planned.code
        measure_label = indicator.name
        adds_up = indicator.aggregation == "sum"
        for number, (key, member) in enumerate(planned.members.items()):
            values = [measure_label, member.name, indicator.unit]
            for column, value in enumerate(values, start=1):
                cell = figures.cell(row=row, column=column, value=value)
                styled(cell, alignment=_WRAP, border=_BOX, fill=_FACT_FILL)
            if number == 0 and (indicator.definition_ko or indicator.definition_en):
                figures.cell(row=row, column=1).comment = _definition_note(indicator)
            _input(figures.cell(row=row, column=4), data.current[measure].get(key))
            styled(figures.cell(row=row, column=4), number_format=_WHOLE)
            whole.add(f"D{row}")
            target = member.target
            if target is None and not planned.is_split:
                target = planned.target
            total = data.totals_before[measure].get(key, 0) if adds_up else None
            for column, value in (
                (5, target),
                (6, total),
                (7, data.last_month[measure].get(key)),
            ):
                cell = figures.cell(row=row, column=column, value=value)
                styled(cell, border=_BOX, fill=_FACT_FILL, number_format=_WHOLE)
            comment_key = f"{measure}.{key}"
            _input(figures.cell(row=row, column=8), data.comments.get(comment_key))
            styled(figures.cell(row=row, column=8), alignment=_WRAP)
            row_key = _key(figures, row, f"figure:{measure}.{key}")
            layout.append(
                [
                    "figure",
                    measure,
                    key,
                    f"D{row}",
                    f"H{row}",
                    "",
                    row_key,
                    values[0],
                    values[1],
                ]
            )
            row += 1

    row += 1
    _header(figures, row, SPENDING_COLUMNS, tall=True)
    _key(figures, row, "header:spending")
    _key(figures, row + 1, "header:spending:en")
    row += 2
    spending_rows = list(data.budget_lines) + [None] * SPARE_SPENDING_ROWS
    for number, line in enumerate(spending_rows, start=1):
        styled(
            figures.cell(row=row, column=1, value=spending_label),
            border=_BOX,
            fill=_FACT_FILL,
        )
        if number == 1 and spending is not None:
            figures.cell(row=row, column=1).comment = _definition_note(
                spending.indicator
            )
        _input(
            figures.cell(row=row, column=2),
            choice_label(line.code, _named(line)) if line else None,
        )
        categories.add(f"B{row}")
        styled(
            figures.cell(row=row, column=3, value=in_reader_language("원", "KRW")),
            border=_BOX,
        )
        _input(
            figures.cell(row=row, column=4),
            data.current[spending_code].get(line.code) if line else None,
        )
        styled(figures.cell(row=row, column=4), number_format=_WHOLE)
        whole.add(f"D{row}")
        for column, lookup in ((5, 3), (6, 4), (7, 5)):
            cell = own_formula(
                figures.cell(row=row, column=column),
                f"=IFERROR(VLOOKUP($B{row},'{LISTS_SHEET}'!$B:$E,{lookup - 1},FALSE),\"\")",
            )
            styled(cell, border=_BOX, fill=_FACT_FILL, number_format=_WHOLE)
        _input(
            figures.cell(row=row, column=8),
            data.comments.get(f"{spending_code}.{line.code}") if line else None,
        )
        row_key = _key(figures, row, f"spending:{number}")
        layout.append(
            [
                "spending",
                spending_code,
                "",
                f"B{row}",
                f"D{row}",
                f"H{row}",
                row_key,
                spending_label,
            ]
        )
        row += 1

    row += 1
    narrative_label = in_reader_language(*NARRATIVE_LABEL)
    styled(figures.cell(row=row, column=1, value=narrative_label), font=_BOLD)
    merged(figures, start_row=row, start_column=2, end_row=row, end_column=8)
    _input(figures.cell(row=row, column=2), data.narrative or None)
    styled(figures.cell(row=row, column=2), alignment=_WRAP)
    figures.row_dimensions[row].height = 60
    layout.append(
        [
            "narrative",
            "",
            "",
            f"B{row}",
            "",
            "",
            _key(figures, row, "narrative"),
            narrative_label,
        ]
    )
    row += 2

    figures.cell(row=row, column=1, value=in_reader_language(*COMMENTS_TITLE))
    styled(figures.cell(row=row, column=1), font=_BOLD)
    _key(figures, row, "title:comments")
    row += 1
    for key, (ko, en) in warning_rows(data.indicators, data.rules).items():
        label = in_reader_language(ko, en)
        styled(figures.cell(row=row, column=1, value=label), alignment=_WRAP)
        merged(figures, start_row=row, start_column=1, end_row=row, end_column=3)
        merged(figures, start_row=row, start_column=4, end_row=row, end_column=8)
        _input(figures.cell(row=row, column=4), data.comments.get(key))
        styled(figures.cell(row=row, column=4), alignment=_WRAP)
        layout.append(
            [
                "comment",
                "",
                key,
                f"D{row}",
                "",
                "",
                _key(figures, row, f"comment:{key}"),
                label,
            ]
        )
        row += 1

    for column, width in zip("ABCDEFGH", (16, 26, 12, 16, 14, 16, 14, 36), strict=True):
        figures.column_dimensions[column].width = width
    figures.freeze_panes = "A15"
    figures.column_dimensions[KEY_COLUMN].hidden = True

    _write_roster(roster, data, layout)
    _write_meta(meta, data, layout)
    password = settings.SPREADSHEET_TEMPLATE_PASSWORD
    for sheet in (figures, roster, meta, lists):
        sheet.protection.sheet = True
        sheet.protection.password = password
        # Users may still format, widen columns and filter; never insert or delete rows.
        sheet.protection.formatColumns = False
        sheet.protection.formatRows = False
    meta.sheet_state = "veryHidden"
    lists.sheet_state = "veryHidden"
    workbook.security = WorkbookProtection(lockStructure=True)
    workbook.security.workbookPassword = password
    for name, address in (
        ("PROJECT", "$B$2"),
        ("PERIOD", "$B$3"),
        ("TEMPLATE_VERSION", "$B$4"),
    ):
        workbook.defined_names[f"SANGSAENG_{name}"] = DefinedName(
            f"SANGSAENG_{name}", attr_text=f"'{META_SHEET}'!{address}"
        )
    # Narrative, comments, names and units are typed text: the one safe writer
    # keeps them exactly, as text (only own_formula's cells stay formulas).
    return workbook_bytes(workbook)


def _definition_note(indicator) -> Comment:
    """The catalogue's definition, in the reader's language, as the cell's note."""
    text = in_reader_language(indicator.definition_ko, indicator.definition_en)
    return Comment(text or indicator.name, NOTE_AUTHOR, width=320, height=120)


def spending_indicator(indicators: dict[str, PlanIndicator]) -> PlanIndicator | None:
    """The indicator the spending rows hold (money by budget category), whose
    category each row chooses from a list."""
    for planned in indicators.values():
        if (
            planned.indicator.is_money
            and planned.indicator.disaggregation == Disaggregation.BUDGET_CATEGORY
        ):
            return planned
    return None


def warning_rows(
    indicators: dict[str, PlanIndicator], rules: list
) -> dict[str, tuple[str, str]]:
    """The warnings a month may raise, each with the row its comment goes in:
    no activity, a count far above its average, and the city's warning rules
    that apply to the plan (one per member they compare)."""
    rows = dict(WARNING_LABELS)
    for planned in indicators.values():
        if spike_checked(planned.indicator):
            ind = planned.indicator
            rows[spike_key(planned.code)] = (
                f"{ind.name_ko} 급증에 대한 설명",
                f"Explanation: {ind.name_en or ind.name_ko} well above average",
            )
    for rule in rules:
        if rule.severity != Severity.WARNING:
            continue
        left, right = rule.left, rule.right
        sign = rule.get_comparison_display()
        for key, _left, _right, member in rule_pairs(rule, indicators):
            rows[rule_warning_key(rule, key)] = (
                f"{left.name_ko} {sign} {right.name_ko}({member.name_ko})에 대한 설명",
                f"Explanation: {left.name_en or left.name_ko} {sign} "
                f"{right.name_en or right.name_ko} ({member.name_en or member.name_ko})",
            )
    return rows


def _key(ws, row: int, key: str) -> str:
    """Write a row's key into the hidden key column; returns the key."""
    ws[f"{KEY_COLUMN}{row}"] = key
    return key


def _write_facts(ws, data: TemplateData) -> None:
    project, period = data.project, data.period
    ws["A1"] = in_reader_language("월별 실적 보고", "Monthly performance report")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = _("Fill in the yellow cells; the grey ones are filled in for you.")
    ws["A2"].font = Font(italic=True)
    planned_jobs = sum(g.planned_jobs for g in data.target_groups)
    total_budget = sum(b.amount for b in data.budget_lines)
    facts = [
        (("사업 코드", "Project code"), project.code),
        (
            ("사업명", "Project title"),
            project.display_title,
        ),
        (("자치구·군", "District"), project.district.name),
        (("보고 월", "Month"), month_label(period)),
        (
            ("사업 기간", "Project period"),
            f"{month_label(project.period_start)} ~ {month_label(project.period_end)}",
        ),
        (("제출 기한", "Due"), due_on(project, period).isoformat()),
        (("계획 인원", "Planned jobs"), planned_jobs),
        (("총 예산(원)", "Total budget (KRW)"), total_budget),
        (("양식 버전", "Template version"), TEMPLATE_VERSION),
    ]
    for offset, ((ko, en), value) in enumerate(facts):
        row = 4 + offset
        label = ws.cell(row=row, column=1, value=in_reader_language(ko, en))
        styled(label, alignment=_WRAP, fill=_HEADER_FILL, border=_BOX)
        merged(ws, start_row=row, start_column=2, end_row=row, end_column=4)
        cell = ws.cell(row=row, column=2, value=value)
        styled(cell, alignment=_WRAP, fill=_FACT_FILL, border=_BOX)
        if isinstance(value, int):
            styled(cell, number_format=_WHOLE, alignment=_LEFT)


def _write_roster(ws, data: TemplateData, layout: list) -> None:
    ws[f"{KEY_COLUMN}1"] = ROSTER_IDENTITY
    ws["A1"] = _(
        "Pseudonymous codes only: never names, resident registration numbers or phone numbers."
    )
    ws["A1"].font = Font(bold=True)
    ws.merge_cells("A1:D1")
    _header(ws, 2, ROSTER_COLUMNS)
    _key(ws, 2, "header:roster")  # the columns are found by it
    _key(ws, ROSTER_FIRST_ROW, "data:roster")
    groups = DataValidation(
        type="list",
        formula1="=TargetGroups",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Target group"),
        error=_("Choose from the list."),
    )
    dates = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="1",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Date"),
        error=_("Enter a date (YYYY-MM-DD)."),
    )
    ws.add_data_validation(groups)
    ws.add_data_validation(dates)
    labels = {g.code: choice_label(g.code, _named(g)) for g in data.target_groups}
    last = ROSTER_FIRST_ROW + ROSTER_ROWS - 1
    groups.add(f"B{ROSTER_FIRST_ROW}:B{last}")
    dates.add(f"C{ROSTER_FIRST_ROW}:D{last}")
    entries = data.roster + [None] * (ROSTER_ROWS - len(data.roster))
    for offset, entry in enumerate(entries[:ROSTER_ROWS]):
        row = ROSTER_FIRST_ROW + offset
        values = (
            [
                entry["participant_code"],
                labels.get(entry["target_group_code"], entry["target_group_code"]),
                entry["hire_date"],
                entry["end_date"],
            ]
            if entry
            else [None] * 4
        )
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=column, value=value)
            if column >= 3:
                styled(cell, protection=_UNLOCKED, number_format=_DATE)
            else:
                styled(cell, protection=_UNLOCKED)
    ws.row_dimensions[1].height = 30
    ws["A1"].alignment = _WRAP
    for column, width in zip("ABCD", (18, 28, 14, 14), strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = f"A{ROSTER_FIRST_ROW}"
    ws.column_dimensions[KEY_COLUMN].hidden = True
    layout.append(
        ["roster", "", ws.title, f"A{ROSTER_FIRST_ROW}", "", "", "data:roster"]
    )


def _write_meta(ws, data: TemplateData, layout: list) -> None:
    ws["A1"], ws["B1"] = MARKER, _("Read by the system; do not edit.")
    ws["A2"], ws["B2"] = "project", data.project.code
    ws["A3"], ws["B3"] = "period", month_label(data.period)
    ws["A4"], ws["B4"] = "template_version", TEMPLATE_VERSION
    ws["A5"] = "layout"
    for offset, entry in enumerate(layout):
        for column, value in enumerate(entry, start=1):
            ws.cell(row=6 + offset, column=column, value=value)
