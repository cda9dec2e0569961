"""The evaluation workbook (openpyxl): a summary sheet, one sheet per district,
a project × month matrix, native Excel charts, number formats, frozen headers
and A4 print setup. Every number comes from one ``selectors.rollup``."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from common.spreadsheets import safe_cell, workbook_bytes

INTEGER = "#,##0"
DECIMAL = "#,##0.0"
PERCENT = "0.0%"
HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="BBBBBB")
BORDER = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
HEADER_ROW = 4  # rows 1–3: title, period, note


def _ratio(percent):
    """A percentage (100.0) as the fraction Excel's % format expects (1.0)."""
    return None if percent is None else float(percent) / 100


def _sheet_title(text: str) -> str:
    return re.sub(r"[\[\]\*\?/\\:]", " ", text)[:31]


def _print_setup(ws: Worksheet, *, landscape: bool = True) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "&P / &N"


def _heading(ws: Worksheet, title: str, subtitle: str, note: str = "") -> None:
    ws["A1"] = title
    ws["A1"].font = Font(size=14, bold=True)
    ws["A2"] = subtitle
    if note:
        ws["A3"] = note
        ws["A3"].font = Font(italic=True, color="666666")


def _table(
    ws: Worksheet,
    headers: list[str],
    rows: list[list],
    formats: list[str | None],
    *,
    total: list | None = None,
    widths: list[int] | None = None,
) -> int:
    """Write a table at HEADER_ROW; returns the last row written."""
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(
            wrap_text=True, vertical="center", horizontal="center"
        )
    row_number = HEADER_ROW
    for values in rows + ([total] if total else []):
        row_number += 1
        is_total = total is not None and values is total
        for col, (value, number_format) in enumerate(
            zip(values, formats, strict=True), start=1
        ):
            cell = ws.cell(row=row_number, column=col, value=safe_cell(value))
            cell.border = BORDER
            if number_format:
                cell.number_format = number_format
            if is_total:
                cell.font = Font(bold=True)
                cell.fill = TOTAL_FILL
    for col, width in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    return row_number


FIGURE_FORMATS = [
    INTEGER,
    INTEGER,
    PERCENT,
    INTEGER,
    INTEGER,
    PERCENT,
    INTEGER,
    PERCENT,
]


def _figure_cells(figures) -> list:
    return [
        figures.jobs_created,
        figures.jobs_target,
        _ratio(figures.achievement),
        figures.spending,
        figures.budget,
        _ratio(figures.execution_rate),
        figures.cost_per_job,
        _ratio(figures.on_time_rate),
    ]


def _figure_headers() -> list[str]:
    return [
        _("Jobs created"),
        _("Jobs target"),
        _("Achievement"),
        _("Spent (KRW)"),
        _("Budget (KRW)"),
        _("Execution rate"),
        _("Cost per job (KRW)"),
        _("Reports on time"),
    ]


def INDICATOR_HEADERS() -> list[str]:  # noqa: N802 (translated when called)
    return [
        _("Scope"),
        _("Indicator code"),
        _("Indicator"),
        _("Unit"),
        _("Figure"),
        _("Target"),
        _("Achievement"),
    ]


def _number_format(indicator) -> str:
    return INTEGER if indicator.rule.whole else DECIMAL


def _indicator_row(ws: Worksheet, row: int, scope: str, figure) -> None:
    """One indicator's figure: its code, name and unit from the catalogue."""
    ws.cell(row=row, column=1, value=safe_cell(scope))
    ws.cell(row=row, column=2, value=figure.code)
    ws.cell(row=row, column=3, value=safe_cell(figure.name))
    ws.cell(row=row, column=4, value=safe_cell(figure.unit))
    ws.cell(row=row, column=5, value=figure.value).number_format = _number_format(
        figure.indicator
    )
    ws.cell(row=row, column=6, value=figure.target).number_format = INTEGER
    ws.cell(row=row, column=7, value=_ratio(figure.achievement)).number_format = PERCENT


def build_workbook(rollup, *, title: str, progress=None) -> bytes:
    """The workbook as bytes. ``progress(done, total)`` is called per sheet."""
    workbook = Workbook()
    period = _("January to %(month)s/%(year)s, accepted reports only") % {
        "month": rollup.month,
        "year": rollup.year,
    }
    steps = 3 + len(rollup.districts)
    done = 0

    def tick():
        nonlocal done
        done += 1
        if progress:
            progress(done, steps)

    # Summary.
    ws = workbook.active
    ws.title = _sheet_title(pgettext("workbook sheet", "Summary"))
    totals = rollup.totals
    _heading(
        ws,
        title,
        period,
        _("%(projects)s projects in %(districts)s districts created %(jobs)s jobs.")
        % {
            "projects": totals.project_count,
            "districts": rollup.district_count,
            "jobs": f"{totals.jobs_created:,}",
        },
    )
    headers = [_("Code"), _("District"), _("Projects"), *_figure_headers()]
    rows = [
        [d.code, d.name, d.project_count, *_figure_cells(d)] for d in rollup.districts
    ]
    total = ["", _("City total"), totals.project_count, *_figure_cells(totals)]
    last = _table(
        ws,
        headers,
        rows,
        [None, None, INTEGER, *FIGURE_FORMATS],
        total=total,
        widths=[8, 16, 9, 12, 12, 12, 16, 16, 12, 16, 12],
    )
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3)
    if rows:
        chart = BarChart()
        chart.type = "col"
        chart.title = _("Jobs created and target by district")
        chart.y_axis.title = _("Jobs")
        data = Reference(
            ws, min_col=4, max_col=5, min_row=HEADER_ROW, max_row=HEADER_ROW + len(rows)
        )
        categories = Reference(
            ws, min_col=2, min_row=HEADER_ROW + 1, max_row=HEADER_ROW + len(rows)
        )
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(categories)
        chart.height, chart.width = 8, 18
        ws.add_chart(chart, f"A{last + 3}")
    # Year over year and target groups, under the chart.
    row = last + 21
    compared = rollup.year_over_year.indicator
    ws.cell(
        row=row,
        column=1,
        value=safe_cell(
            _("Same month in earlier years: %(indicator)s (%(code)s, %(unit)s)")
            % {
                "indicator": compared.name,
                "code": compared.code,
                "unit": compared.unit,
            }
        ),
    ).font = Font(bold=True)
    for offset, year in enumerate(rollup.year_over_year, start=1):
        ws.cell(row=row + offset, column=1, value=year.year)
        ws.cell(
            row=row + offset, column=2, value=year.value
        ).number_format = _number_format(compared)
        ws.cell(
            row=row + offset, column=3, value=_ratio(year.growth)
        ).number_format = PERCENT
    row += len(rollup.year_over_year) + 2
    ws.cell(row=row, column=1, value=_("Jobs by target group")).font = Font(bold=True)
    for offset, group in enumerate(totals.groups.values(), start=1):
        ws.cell(row=row + offset, column=1, value=group.code)
        ws.cell(row=row + offset, column=2, value=safe_cell(group.name))
        ws.cell(row=row + offset, column=3, value=group.jobs).number_format = INTEGER
        ws.cell(row=row + offset, column=4, value=group.target).number_format = INTEGER
        ws.cell(
            row=row + offset, column=5, value=_ratio(group.achievement)
        ).number_format = PERCENT
    _print_setup(ws)
    tick()

    # One sheet per district.
    for district in rollup.districts:
        ws = workbook.create_sheet(_sheet_title(f"{district.name} {district.code}"))
        _heading(ws, f"{district.name} ({district.code})", period)
        headers = [_("Code"), _("Project"), *_figure_headers()]
        rows = [[p.code, p.name, *_figure_cells(p)] for p in district.projects]
        total = ["", _("District total"), *_figure_cells(district)]
        last = _table(
            ws,
            headers,
            rows,
            [None, None, *FIGURE_FORMATS],
            total=total,
            widths=[14, 40, 12, 12, 12, 16, 16, 12, 16, 12],
        )
        ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3)
        row = last + 2
        for col, header in enumerate(INDICATOR_HEADERS(), start=1):
            cell = ws.cell(row=row, column=col, value=header)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
        for project in district.projects:
            for output in project.outputs.values():
                row += 1
                _indicator_row(ws, row, project.code, output)
        _print_setup(ws)
        tick()

    # Project × month.
    ws = workbook.create_sheet(_sheet_title(_("Project x month")))
    _heading(ws, _("New jobs per month, by project"), period)
    month_headers = [f"{rollup.year}-{m:02d}" for m in range(1, rollup.month + 1)]
    headers = [
        _("Code"),
        _("Project"),
        _("District"),
        *month_headers,
        _("Total"),
        _("Target"),
    ]
    rows = [
        [
            p.code,
            p.name,
            p.district_code,
            *p.monthly_jobs,
            p.jobs_created,
            p.jobs_target,
        ]
        for p in rollup.projects
    ]
    total = [
        "",
        _("City total"),
        "",
        *totals.monthly_jobs,
        totals.jobs_created,
        totals.jobs_target,
    ]
    formats = [None, None, None, *[INTEGER] * (rollup.month + 2)]
    last = _table(
        ws,
        headers,
        rows,
        formats,
        total=total,
        widths=[14, 40, 9] + [9] * (rollup.month + 2),
    )
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=4)
    chart = LineChart()
    chart.title = _("New jobs per month, city total")
    chart.y_axis.title = _("Jobs")
    data = Reference(
        ws, min_col=4, max_col=3 + rollup.month, min_row=last, max_row=last
    )
    chart.add_data(data, from_rows=True, titles_from_data=False)
    chart.set_categories(
        Reference(
            ws,
            min_col=4,
            max_col=3 + rollup.month,
            min_row=HEADER_ROW,
            max_row=HEADER_ROW,
        )
    )
    chart.height, chart.width = 8, 18
    ws.add_chart(chart, f"B{last + 3}")
    _print_setup(ws)
    tick()

    # Reporting timeliness: district × month.
    ws = workbook.create_sheet(_sheet_title(_("Reporting")))
    _heading(ws, _("Monthly reports: on time / late / missing"), period)
    names = {
        "on_time": _("on time"),
        "late": _("late"),
        "missing": _("missing"),
        "not_yet_due": _("not yet due"),
        "none": "",
    }
    headers = [_("District"), *month_headers, _("Reports on time")]
    rows = [
        [d.name, *[names[cell.state] for cell in d.heat], _ratio(d.on_time_rate)]
        for d in rollup.districts
    ]
    _table(
        ws,
        headers,
        rows,
        [None, *[None] * rollup.month, PERCENT],
        widths=[16] + [10] * (rollup.month + 1),
    )
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=2)
    _print_setup(ws)
    tick()

    # Every indicator, the city's and each district's total: one indicator a row.
    ws = workbook.create_sheet(_sheet_title(_("By indicator")))
    _heading(ws, _("Totals by indicator"), period)
    row = HEADER_ROW
    for col, header in enumerate(INDICATOR_HEADERS(), start=1):
        cell = ws.cell(row=row, column=col, value=header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for scope, figures in [
        (_("City total"), totals),
        *((f"{d.name} ({d.code})", d) for d in rollup.districts),
    ]:
        for figure in figures.indicators.values():
            row += 1
            _indicator_row(ws, row, scope, figure)
    for col, width in enumerate([22, 18, 28, 10, 14, 14, 12], start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    _print_setup(ws)

    workbook.properties.title = title
    workbook.properties.creator = "Sangsaeng"
    # Output names and units are typed by districts: the one safe writer.
    return workbook_bytes(workbook)
