"""Documents an official files or signs: the proposal receipt (접수증), a
monthly report as submitted, a call's selection result with its reasons and a
change request's decision, as PDF.

They are drawn by the evaluation report's engine (fpdf2 with Noto Sans KR
embedded, ``reporting.evaluation.exports.pdf``): one engine, one font. Each
builder takes objects the view has already loaded through ``accounts.access``
and writes in the active language (the reader's); times are in Asia/Seoul and
money is in whole won with separators. A document is one or two pages and is
drawn in the request (about a quarter of a second, most of it subsetting the
font; see tests/documents/test_documents.py).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from fpdf.enums import TableCellFillMode
from fpdf.fonts import FontFace

from projects.months import SEOUL
from reporting.evaluation.exports.pdf import FONT_NAME, ReportPDF


def seoul_time(moment: datetime | None) -> str:
    """'2027-03-02 14:05 (KST)', or a dash for no time."""
    if moment is None:
        return "–"
    local = timezone.localtime(moment, SEOUL)
    return _("%(time)s (Korea Standard Time)") % {
        "time": local.strftime("%Y-%m-%d %H:%M")
    }


def month_text(month: date | None) -> str:
    """'2019년 10월' / 'October 2019'."""
    if month is None:
        return "–"
    return _("%(month)s %(year)s") % {
        "year": month.year,
        "month": _month_name(month.month),
    }


def _month_name(number: int) -> str:
    names = [
        _("January"),
        _("February"),
        _("March"),
        _("April"),
        _("May"),
        _("June"),
        _("July"),
        _("August"),
        _("September"),
        _("October"),
        _("November"),
        _("December"),
    ]
    return names[number - 1]


def won(amount: int | None) -> str:
    """12345000 → '12,345,000원' / 'KRW 12,345,000'."""
    if amount is None:
        return "–"
    return _("KRW %(amount)s") % {"amount": f"{int(amount):,}"}


def count(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def person(user) -> str:
    """A person's name as people read it (the username only when no name is kept)."""
    if user is None:
        return "–"
    return user.get_full_name() or user.get_username()


@dataclass
class Column:
    heading: str
    width: float
    align: str = "LEFT"


class DocumentPDF(ReportPDF):
    """An A4 document: a title block, labelled fields, tables and paragraphs;
    each page's footer names the document and when it was printed."""

    def __init__(self, title: str, *, printed_by=None, now: datetime | None = None):
        super().__init__(title)
        self.set_lang(get_language() or "ko")
        self.printed = _("Printed %(time)s by %(person)s") % {
            "time": seoul_time(now or timezone.now()),
            "person": person(printed_by),
        }
        self.add_page()
        self.set_font(FONT_NAME, size=9)
        self.set_text_color(90)
        self.cell(0, 5, _("Sangsaeng job projects"), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0)
        self.heading(title, size=17)

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT_NAME, size=7)
        self.set_text_color(110)
        self.cell(
            0,
            8,
            f"{self.report_title} · {self.printed} · {self.page_no()}/{{nb}}",
            align="C",
        )
        self.set_text_color(0)

    def fields(self, rows: list[tuple[str, str]], *, label_width: float = 45):
        """Label and value, one pair a row (the head of a form on paper)."""
        self.columns(
            [Column("", label_width), Column("", 190 - label_width)],
            [[label, value] for label, value in rows],
            headings=False,
        )

    def columns(
        self, columns: list[Column], rows: list[list[str]], *, headings: bool = True
    ):
        self.set_font(FONT_NAME, size=9)
        body = [[c.heading for c in columns]] if headings else []
        body += rows
        with self.table(
            col_widths=tuple(c.width for c in columns),
            text_align=tuple(c.align for c in columns),
            first_row_as_headings=headings,
            headings_style=FontFace(emphasis=None, fill_color=(221, 231, 243)),
            cell_fill_color=(246, 246, 246),
            cell_fill_mode=TableCellFillMode.ROWS
            if headings
            else TableCellFillMode.EVEN_COLUMNS,
            line_height=5.5,
            padding=1.2,
        ) as table:
            for values in body:
                row = table.row()
                for value in values:
                    row.cell(str(value))
        self.ln(3)

    def paragraph(self, text: str, *, size: int = 10):
        self.set_font(FONT_NAME, size=size)
        self.multi_cell(0, size * 0.55, text or "–", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def signature_lines(self, labels: list[str]):
        """Boxes to sign by hand: the paper copy's reason to exist."""
        self.ln(4)
        self.columns(
            [Column(label, 190 / len(labels), "CENTER") for label in labels],
            [["\n\n"] * len(labels)],
        )

    def render(self) -> bytes:
        return bytes(self.output())
