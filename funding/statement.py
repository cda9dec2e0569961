"""The settlement statement (정산서) of one project as an Excel workbook whose
figures are **native formulas the auditor can follow**: the spending sheet
(집행내역) holds what was spent, period by period and budget category by
category, as plain values; the statement sheet (정산서) adds them up and
applies the settlement rule (``funding.settlement_rules``) cell by cell, so
whoever opens the file sees how each won was reached, and a spreadsheet
program recomputes the same numbers as the system (checked by recalculating
in LibreOffice, tests/funding/test_statement_libreoffice.py).

Every text that comes from the records (titles, names, categories) goes
through the one writer (``common.spreadsheets``) and is neutralised; only the
formulas built here are written with ``own_formula``.

Spreadsheet arithmetic is in binary floating point: a city share is exact
while ``spent × city share`` stays below 10^15 won² (a period spending
30 billion won at a 30 billion city share); the system's own integer figure
is printed beside the statement's in the PDF.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from common.spreadsheets import own_formula, workbook_bytes, write_text

from .settlement_rules import (
    INTEREST_BY_RATIO,
    INTEREST_KEPT,
    INTEREST_TO_CITY,
    SettlementInputs,
    SettlementResult,
)

MONEY = "#,##0"
HEADING = Font(bold=True)
TITLE = Font(bold=True, size=14)
SHADE = PatternFill("solid", fgColor="DDE7F3")


@dataclass(frozen=True)
class StatementHeader:
    """What the statement says about the project, besides the money."""

    project_code: str
    title: str
    district: str
    call: str
    agreement_versions: str = ""
    signed_dates: str = ""
    interest_rule: str = INTEREST_TO_CITY
    language: str = "ko"
    category_names: dict[str, str] = field(default_factory=dict)


def interest_rule_label(rule: str) -> str:
    return {
        INTEREST_TO_CITY: _("All interest is returned to the city"),
        INTEREST_BY_RATIO: _(
            "Interest is returned in the city's part of the money deposited"
        ),
        INTEREST_KEPT: _("Interest stays with the district"),
    }[rule]


def rule_text() -> list[str]:
    """The settlement rule as the statement prints it (the note block)."""
    return [
        _(
            "1. The spending of each agreement period is split by that period's "
            "agreement: the city's share is spent × city share ÷ total, rounded "
            "down to the won; the district's share is the rest."
        ),
        _(
            "2. Unspent city money is the city money received minus the city's "
            "share of the spending, never below zero; if the city's share is "
            "more than it paid, the difference is the city's shortfall and "
            "nothing is returned."
        ),
        _(
            "3. Interest earned on the subsidy account is returned as the call "
            "says: all of it, the city's part of the money deposited (city "
            "received ÷ (city received + district contributed), rounded down to "
            "the won), or none."
        ),
        _("4. Returned = unspent city money + interest returned."),
    ]


def month_label(month: date | None) -> str:
    return month.strftime("%Y-%m") if month else "–"


def _money(cell, value=None):
    if value is not None:
        cell.value = value
    cell.number_format = MONEY
    return cell


def _formula(cell, formula: str):
    own_formula(cell, formula)
    return _money(cell)


def _heading_row(sheet, row: int, labels: list[str]) -> None:
    for column, label in enumerate(labels, start=1):
        cell = sheet.cell(row=row, column=column)
        write_text(cell, label)
        cell.font = HEADING
        cell.fill = SHADE
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _print_setup(sheet, widths: list[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _quoted(sheet) -> str:
    return "'" + sheet.title.replace("'", "''") + "'"


def _spending_sheet(workbook, header, result) -> tuple[object, list[tuple[int, int]]]:
    """One row per period and category, values only; returns each period's
    first and last row (a period without spending gets one row of 0)."""
    sheet = workbook.create_sheet(_("Spending"))
    write_text(sheet["A1"], _("Spending by period and budget category"))
    sheet["A1"].font = TITLE
    _heading_row(
        sheet,
        3,
        [
            pgettext("spending period", "Period"),
            pgettext("spending period", "From"),
            pgettext("spending period", "To"),
            _("Budget category"),
            _("Spent"),
        ],
    )
    row, spans = 4, []
    for number, period in enumerate(result.periods, start=1):
        first = row
        categories = period.categories or ()
        lines = [(c.category, c.spent) for c in categories] or [("", 0)]
        for code, spent in lines:
            sheet.cell(row=row, column=1, value=number)
            write_text(sheet.cell(row=row, column=2), month_label(period.first_month))
            write_text(sheet.cell(row=row, column=3), month_label(period.last_month))
            write_text(
                sheet.cell(row=row, column=4),
                header.category_names.get(code, code) if code else "–",
            )
            _money(sheet.cell(row=row, column=5), spent)
            row += 1
        spans.append((first, row - 1))
    _print_setup(sheet, [8, 11, 11, 30, 18])
    sheet.freeze_panes = "A4"
    return sheet, spans


def _field_rows(sheet, header: StatementHeader) -> int:
    write_text(sheet["A1"], _("Settlement statement"))
    sheet["A1"].font = TITLE
    fields = [
        (_("Project"), header.project_code),
        (_("Project title"), header.title),
        (_("District"), header.district),
        (_("Call"), header.call),
        (_("Agreement versions"), header.agreement_versions or "–"),
        (_("Signed on"), header.signed_dates or "–"),
        (_("Interest rule"), interest_rule_label(header.interest_rule)),
    ]
    row = 3
    for label, value in fields:
        write_text(sheet.cell(row=row, column=1), label).font = HEADING
        write_text(sheet.cell(row=row, column=2), value)
        row += 1
    return row + 1


def _period_rows(sheet, start: int, spending, spans, result) -> tuple[int, int, int]:
    """The period table; returns the totals row and its first and last period
    rows. Columns: D city share, E total, F spent, G city's share, H district's."""
    _heading_row(
        sheet,
        start,
        [
            pgettext("spending period", "Period"),
            pgettext("spending period", "From"),
            pgettext("spending period", "To"),
            _("City share (agreement)"),
            _("Total (agreement)"),
            _("Spent"),
            _("City's share of spending"),
            _("District's share of spending"),
        ],
    )
    ref = _quoted(spending)
    row = start + 1
    first = row
    for number, (period, (top, bottom)) in enumerate(
        zip(result.periods, spans, strict=True), start=1
    ):
        sheet.cell(row=row, column=1, value=number)
        write_text(sheet.cell(row=row, column=2), month_label(period.first_month))
        write_text(sheet.cell(row=row, column=3), month_label(period.last_month))
        _money(sheet.cell(row=row, column=4), period.city_share)
        _money(sheet.cell(row=row, column=5), period.total)
        _formula(sheet.cell(row=row, column=6), f"=SUM({ref}!E{top}:E{bottom})")
        _formula(
            sheet.cell(row=row, column=7),
            f"=IF(E{row}=0,0,ROUNDDOWN(F{row}*D{row}/E{row},0))",
        )
        _formula(sheet.cell(row=row, column=8), f"=F{row}-G{row}")
        row += 1
    last = row - 1
    write_text(sheet.cell(row=row, column=1), _("Total")).font = HEADING
    for column in "FGH":
        cell = sheet[f"{column}{row}"]
        _formula(cell, f"=SUM({column}{first}:{column}{last})")
        cell.font = HEADING
    return row, first, last


def _settlement_rows(sheet, start: int, totals: int, inputs, result) -> dict:
    """The money block: received, contributed, unspent, interest, returned.
    Values in column C, labels in A; returns the rows by name."""
    rows = {}

    def line(name, label, *, value=None, formula=None, bold=False):
        row = start + len(rows)
        rows[name] = row
        write_text(sheet.cell(row=row, column=1), label)
        cell = sheet.cell(row=row, column=3)
        if formula is not None:
            _formula(cell, formula)
        else:
            _money(cell, value)
        if bold:
            cell.font = sheet.cell(row=row, column=1).font = HEADING
        return row

    line(
        "received", _("City money received (tranches paid)"), value=inputs.city_received
    )
    line(
        "contributed",
        _("District money contributed"),
        value=inputs.district_contributed,
    )
    line("city_spent", _("City's share of spending"), formula=f"=G{totals}")
    line("district_spent", _("District's share of spending"), formula=f"=H{totals}")
    r, c = rows["received"], rows["city_spent"]
    line("unspent", _("Unspent city money"), formula=f"=MAX(0,C{r}-C{c})")
    line("shortfall", _("City's shortfall"), formula=f"=MAX(0,C{c}-C{r})")
    line(
        "district_unspent",
        _("Unspent district money"),
        formula=f"=MAX(0,C{rows['contributed']}-C{rows['district_spent']})",
    )
    line("interest", _("Interest earned"), value=inputs.interest)
    i, d = rows["interest"], rows["contributed"]
    if inputs.interest_rule == INTEREST_TO_CITY:
        returned_interest = f"=C{i}"
    elif inputs.interest_rule == INTEREST_BY_RATIO:
        returned_interest = f"=IF(C{r}+C{d}=0,0,ROUNDDOWN(C{i}*C{r}/(C{r}+C{d}),0))"
    else:
        returned_interest = "=0"
    line("interest_returned", _("Interest returned"), formula=returned_interest)
    line(
        "returned",
        _("Returned to the city"),
        formula=f"=C{rows['unspent']}+C{rows['interest_returned']}",
        bold=True,
    )
    return rows


# Where the statement sheet keeps each figure of ``SettlementResult`` (for the
# LibreOffice check and for anyone reading the file programmatically).
@dataclass(frozen=True)
class StatementLayout:
    period_rows: tuple[int, ...]
    totals_row: int
    money_rows: dict[str, int]


def build_statement(
    header: StatementHeader, inputs: SettlementInputs, result: SettlementResult
) -> tuple[Workbook, StatementLayout]:
    """The workbook and where its figures are (see ``statement_workbook``)."""
    with translation.override(header.language):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Settlement statement")
        spending, spans = _spending_sheet(workbook, header, result)
        start = _field_rows(sheet, header)
        totals, first, last = _period_rows(sheet, start, spending, spans, result)
        money_start = totals + 2
        write_text(
            sheet.cell(row=money_start, column=1), _("Settlement")
        ).font = HEADING
        rows = _settlement_rows(sheet, money_start + 1, totals, inputs, result)
        note = max(rows.values()) + 2
        write_text(sheet.cell(row=note, column=1), _("The rule")).font = HEADING
        for offset, text in enumerate(rule_text(), start=1):
            cell = write_text(sheet.cell(row=note + offset, column=1), text)
            sheet.merge_cells(
                start_row=note + offset,
                start_column=1,
                end_row=note + offset,
                end_column=8,
            )
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.row_dimensions[note + offset].height = 32
        _print_setup(sheet, [26, 30, 14, 18, 18, 18, 20, 20])
    return workbook, StatementLayout(
        period_rows=tuple(range(first, last + 1)), totals_row=totals, money_rows=rows
    )


def statement_workbook(
    header: StatementHeader, inputs: SettlementInputs, result: SettlementResult
) -> bytes:
    """The settlement statement (정산서) as xlsx bytes, in ``header.language``."""
    workbook, _layout = build_statement(header, inputs, result)
    return workbook_bytes(workbook)
