"""The evaluation report as PDF, for the council and the press (fpdf2, pure pip).

Korean text is set in Noto Sans KR (SIL Open Font License), shipped by the
``pylopdf-fonts-ko`` wheel and embedded (subset) in the file. Charts are the
same SVG as on screen (``charts.py``), drawn by fpdf2 as vectors.
"""

import io
import logging
import re

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import Align, TableCellFillMode
from fpdf.fonts import FontFace

from .. import charts

FONT_NAME = "NotoSansKR"

# fontTools reports every table it subsets at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def korean_font_path() -> str:
    import pylopdf_fonts_ko

    return str(pylopdf_fonts_ko.sans_path())


def _number(value) -> str:
    if value is None:
        return "–"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _percent(value) -> str:
    return "–" if value is None else f"{value} %"


class ReportPDF(FPDF):
    def __init__(self, title: str):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.report_title = title
        self.add_font(FONT_NAME, fname=korean_font_path())
        self.add_font(FONT_NAME, style="B", fname=korean_font_path())
        self.set_font(FONT_NAME, size=10)
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(title)
        self.set_creator("Sangsaeng")
        self.set_lang("ko")

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT_NAME, size=8)
        self.set_text_color(110)
        self.cell(0, 8, f"{self.report_title} · {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)

    def heading(self, text: str, size: int = 13):
        self.ln(2)
        self.set_font(FONT_NAME, size=size)
        self.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT_NAME, size=9)
        self.ln(1)

    def svg(self, markup: str, width: float):
        # fpdf2 draws shapes and text; the accessible title and description
        # (and tooltips) are for screens, so they are left out of the PDF.
        markup = re.sub(r"<(title|desc)\b[^>]*>.*?</\1>", "", markup, flags=re.S)
        self.image(io.BytesIO(markup.encode("utf-8")), w=width, x=Align.C)
        self.ln(2)

    def grid(self, rows: list[list[str]], widths: tuple, *, total: bool = False):
        self.set_font(FONT_NAME, size=8)
        with self.table(
            col_widths=widths,
            text_align=("LEFT",) + ("RIGHT",) * (len(widths) - 1),
            headings_style=FontFace(emphasis=None, fill_color=(221, 231, 243)),
            cell_fill_color=(246, 246, 246),
            cell_fill_mode=TableCellFillMode.ROWS,
            line_height=5,
            padding=1,
        ) as table:
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(str(value))
        self.ln(3)


def build_pdf(rollup, *, title: str, progress=None) -> bytes:
    pdf = ReportPDF(title)
    steps = 4 + len(rollup.districts)
    done = 0

    def tick():
        nonlocal done
        done += 1
        if progress:
            progress(done, steps)

    totals = rollup.totals
    pdf.add_page()
    pdf.heading(title, size=16)
    pdf.set_font(FONT_NAME, size=10)
    pdf.multi_cell(
        0,
        6,
        _("January to %(month)s/%(year)s, accepted reports only")
        % {"month": rollup.month, "year": rollup.year},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.heading(
        _(
            "%(projects)s projects in %(districts)s districts created %(jobs)s jobs by %(month)s/%(year)s."
        )
        % {
            "projects": totals.project_count,
            "districts": rollup.district_count,
            "jobs": f"{totals.jobs_created:,}",
            "month": rollup.month,
            "year": rollup.year,
        },
        size=12,
    )
    pdf.grid(
        [
            [_("Figure"), _("Value")],
            [_("Jobs created"), _number(totals.jobs_created)],
            [_("Jobs target"), _number(totals.jobs_target)],
            [_("Achievement"), _percent(totals.achievement)],
            [_("Spent (KRW)"), _number(totals.spending)],
            [_("Budget (KRW)"), _number(totals.budget)],
            [_("Execution rate"), _percent(totals.execution_rate)],
            [_("Cost per job (KRW)"), _number(totals.cost_per_job)],
            [_("Reports on time"), _percent(totals.on_time_rate)],
        ]
        + [
            [
                _("%(indicator)s in %(year)s (%(unit)s)")
                % {
                    "indicator": rollup.year_over_year.indicator.name,
                    "year": y.year,
                    "unit": rollup.year_over_year.indicator.unit,
                },
                f"{_number(y.value)} ({y.growth_display})",
            ]
            for y in rollup.year_over_year[:-1]
        ],
        (70, 50),
    )
    # Every indicator of the city, one a row: a total adds one indicator only.
    pdf.heading(_("Totals by indicator"), size=11)
    pdf.grid(
        [[_("Indicator"), _("Indicator code"), _("Unit"), _("Figure"), _("Target")]]
        + [
            [
                f.name,
                f.code,
                f.unit,
                _number(f.value),
                _number(f.target),
            ]
            for f in totals.indicators.values()
        ],
        (62, 40, 20, 28, 28),
    )
    pdf.svg(charts.cumulative_jobs(rollup, font=FONT_NAME).svg, 170)
    tick()

    pdf.add_page()
    pdf.heading(_("Districts"))
    pdf.grid(
        [
            [
                _("District"),
                _("Projects"),
                _("Jobs created"),
                _("Jobs target"),
                _("Achievement"),
                _("Execution rate"),
                _("Reports on time"),
            ]
        ]
        + [
            [
                d.name,
                _number(d.project_count),
                _number(d.jobs_created),
                _number(d.jobs_target),
                _percent(d.achievement),
                _percent(d.execution_rate),
                _percent(d.on_time_rate),
            ]
            for d in rollup.districts
        ]
        + [
            [
                _("City total"),
                _number(totals.project_count),
                _number(totals.jobs_created),
                _number(totals.jobs_target),
                _percent(totals.achievement),
                _percent(totals.execution_rate),
                _percent(totals.on_time_rate),
            ]
        ],
        (34, 20, 24, 24, 24, 24, 26),
    )
    pdf.svg(charts.new_jobs_by_district(rollup, font=FONT_NAME).svg, 170)
    tick()
    pdf.svg(charts.reporting_heat_map(rollup, font=FONT_NAME).svg, 170)
    tick()

    pdf.add_page()
    pdf.heading(_("Projects"))
    pdf.svg(charts.project_achievement(rollup, font=FONT_NAME).svg, 175)
    tick()
    for district in rollup.districts:
        pdf.heading(f"{district.name} ({district.code})", size=11)
        rows = [
            [
                _("Project"),
                _("Jobs created"),
                _("Jobs target"),
                _("Achievement"),
                _("Spent (KRW)"),
                _("Execution rate"),
            ]
        ]
        rows += [
            [
                f"{p.code} {p.name}",
                _number(p.jobs_created),
                _number(p.jobs_target),
                _percent(p.achievement),
                _number(p.spending),
                _percent(p.execution_rate),
            ]
            for p in district.projects
        ]
        pdf.grid(rows, (66, 20, 20, 22, 30, 22))
        outputs = [
            [
                _("Output"),
                _("Indicator code"),
                _("Unit"),
                _("Delivered"),
                _("Target"),
                _("Achievement"),
            ]
        ]
        for project in district.projects:
            outputs += [
                [
                    f"{project.code} {o.name}",
                    o.code,
                    o.unit,
                    _number(o.value),
                    _number(o.target),
                    _percent(o.achievement),
                ]
                for o in project.outputs.values()
            ]
        if len(outputs) > 1:
            pdf.grid(outputs, (56, 30, 16, 24, 24, 24))
        tick()
    out = pdf.output()
    return bytes(out)


# --- the citizen's one-page summary (시민용 한 장 요약) ---------------------------

PAGE_BOTTOM = 282  # mm: above the footer of an A4 page
CHART_HEIGHT = 62  # mm, at most


def _fit_line_height(pdf: ReportPDF, rows: int, keep_below: float) -> float:
    """The line height that fits ``rows`` table rows (each with half a
    millimetre of padding) above ``keep_below`` mm kept for what follows,
    between 1.8 and 5 mm; the chart gives way when even that does not fit."""
    room = PAGE_BOTTOM - keep_below - pdf.get_y()
    if room / max(rows, 1) < 2.3:
        room = PAGE_BOTTOM - pdf.get_y() - 2
    return max(1.8, min(5.0, room / max(rows, 1) - 0.5))


def _font_size_for(line_height: float) -> int:
    return 8 if line_height >= 4 else 6 if line_height >= 2.6 else 5


def build_outcomes_one_page(rollup, *, title: str) -> bytes:
    """The year's outcomes on exactly one A4 page, for citizens: the headline,
    the key figures, a table of the districts and the jobs chart. The page
    does not break: the district table's rows shrink to leave room for the
    chart, and the chart is left out rather than spill onto a second page."""
    pdf = ReportPDF(title)
    pdf.set_auto_page_break(auto=False)
    totals = rollup.totals
    pdf.add_page()
    pdf.heading(title, size=15)
    pdf.set_font(FONT_NAME, size=9)
    pdf.multi_cell(
        0,
        5,
        _("January to %(month)s/%(year)s, accepted reports only")
        % {"month": rollup.month, "year": rollup.year},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.heading(
        _(
            "%(projects)s projects in %(districts)s districts created %(jobs)s jobs by %(month)s/%(year)s."
        )
        % {
            "projects": totals.project_count,
            "districts": rollup.district_count,
            "jobs": f"{totals.jobs_created:,}",
            "month": rollup.month,
            "year": rollup.year,
        },
        size=11,
    )
    pdf.grid(
        [
            [
                _("Jobs created"),
                _("Jobs target"),
                _("Achievement"),
                _("Spent (KRW)"),
                _("Budget (KRW)"),
                _("Execution rate"),
            ],
            [
                _number(totals.jobs_created),
                _number(totals.jobs_target),
                _percent(totals.achievement),
                _number(totals.spending),
                _number(totals.budget),
                _percent(totals.execution_rate),
            ],
        ],
        (28, 28, 28, 36, 36, 34),
    )
    rows = [
        [
            _("District"),
            _("Projects"),
            _("Jobs created"),
            _("Jobs target"),
            _("Achievement"),
            _("Execution rate"),
        ]
    ]
    rows += [
        [
            d.name,
            _number(d.project_count),
            _number(d.jobs_created),
            _number(d.jobs_target),
            _percent(d.achievement),
            _percent(d.execution_rate),
        ]
        for d in rollup.districts
        if d.project_count
    ]
    rows.append(
        [
            _("City total"),
            _number(totals.project_count),
            _number(totals.jobs_created),
            _number(totals.jobs_target),
            _percent(totals.achievement),
            _percent(totals.execution_rate),
        ]
    )
    line_height = _fit_line_height(pdf, len(rows), keep_below=CHART_HEIGHT + 4)
    pdf.set_font(FONT_NAME, size=_font_size_for(line_height))
    with pdf.table(
        col_widths=(50, 22, 28, 28, 28, 34),
        text_align=("LEFT",) + ("RIGHT",) * 5,
        headings_style=FontFace(emphasis=None, fill_color=(221, 231, 243)),
        cell_fill_color=(246, 246, 246),
        cell_fill_mode=TableCellFillMode.ROWS,
        line_height=line_height,
        padding=(0.25, 1),
    ) as table:
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(str(value))
    pdf.ln(2)
    room = PAGE_BOTTOM - pdf.get_y()
    if room >= 30:
        chart = charts.cumulative_jobs(rollup, font=FONT_NAME)
        markup = re.sub(r"<(title|desc)\b[^>]*>.*?</\1>", "", chart.svg, flags=re.S)
        pdf.image(
            io.BytesIO(markup.encode("utf-8")), h=min(CHART_HEIGHT, room), x=Align.C
        )
    return bytes(pdf.output())
