"""The city's settlement summary (정산 총괄표): every project of a call (or of
a year) in one workbook, one row per project — agreed, city money paid,
spent, the city's share of the spending, unspent city money, interest and
what is returned — with per-district subtotals and a city total as SUM
formulas. Built by a Celery task with a ``BackgroundJob`` whose progress the
person watches (a city of thousands of projects takes seconds).

Money comes from the records through ``settlement_inputs_for`` and the rule
(``compute_settlement``); a filed settlement (정산 보고) contributes its
interest and its spending as filed (as on its statement), a project without
one has interest 0. Who may build it: a city
manager for the whole city, a district user for their own district only
(``accounts.access.district_scope_for``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from accounts import access
from common.models import BackgroundJob
from common.services import (
    job_mark_running,
    job_progress,
    job_start,
    job_succeed,
    owner_language,
)
from common.spreadsheets import own_formula, workbook_bytes, write_text
from projects.models import Project

from .models import Settlement, SettlementStatus
from .settlement import filed_inputs
from .settlement_inputs import settlement_inputs_for
from .settlement_rules import compute_settlement
from .tasks import build_settlement_summary as build_settlement_summary_task

KIND = "funding.settlement_summary"
MONEY = "#,##0"
BOLD = Font(bold=True)
SHADE = PatternFill("solid", fgColor="DDE7F3")
SUBTOTAL = PatternFill("solid", fgColor="F2F2F2")
# Progress is saved every this many projects (a save per project would cost
# more than the work).
PROGRESS_EVERY = 250

# The money columns, in order: (attribute of SummaryRow, heading).
MONEY_COLUMNS = (
    ("agreed", "City share agreed"),
    ("city_paid", "City money paid"),
    ("spent", "Spent"),
    ("city_spent", "City's share of spending"),
    ("unspent", "Unspent city money"),
    ("interest", "Interest earned"),
    ("interest_returned", "Interest returned"),
    ("returned", "Returned to the city"),
)


@dataclass(frozen=True)
class SummaryRow:
    district: str
    code: str
    title: str
    agreed: int
    city_paid: int
    spent: int
    city_spent: int
    unspent: int
    interest: int
    interest_returned: int
    returned: int
    status: str


def _projects(user, *, call_id, year, district_id):
    district = None
    if district_id:
        from accounts.models import Organisation

        district = Organisation.objects.filter(pk=district_id).first()
    scope = access.district_scope_for(user, district)
    projects = access.visible_to(user, Project).select_related("district")
    if scope is not None:
        projects = projects.filter(district=scope)
    if call_id:
        projects = projects.filter(call_id=call_id)
    if year:
        projects = projects.filter(period_start__year=year)
    return list(projects.order_by("district__code", "code"))


def summary_rows(
    *,
    user,
    call_id: int | None = None,
    year: int | None = None,
    district_id: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[SummaryRow]:
    """One row per project the user may see with a signed agreement, grouped
    by district (a project with nothing signed has nothing to settle)."""
    projects = _projects(user, call_id=call_id, year=year, district_id=district_id)
    inputs = settlement_inputs_for(projects)
    settlements = {
        settlement.project_id: settlement
        for settlement in Settlement.objects.filter(
            project_id__in=inputs
        ).prefetch_related("lines")
    }
    rows = []
    for done, project in enumerate(projects, start=1):
        project_inputs = inputs.get(project.pk)
        if project_inputs is not None:
            settlement = settlements.get(project.pk)
            if settlement is not None and settlement.status != SettlementStatus.DRAFT:
                project_inputs = filed_inputs(settlement, project_inputs)
            result = compute_settlement(project_inputs)
            rows.append(
                SummaryRow(
                    district=project.district.name,
                    code=project.code,
                    title=project.display_title,
                    agreed=project_inputs.periods[-1].city_share,
                    city_paid=result.city_received,
                    spent=result.spent,
                    city_spent=result.city_spent,
                    unspent=result.city_unspent,
                    interest=result.interest,
                    interest_returned=result.interest_returned,
                    returned=result.returned,
                    status=settlement.get_status_display()
                    if settlement
                    else _("Not filed"),
                )
            )
        if progress and (done % PROGRESS_EVERY == 0 or done == len(projects)):
            progress(done, len(projects))
    return rows


def _headings(sheet, row: int) -> None:
    labels = [_("District"), _("Project"), _("Project title")]
    labels += [_(heading) for _attribute, heading in MONEY_COLUMNS]
    labels.append(_("Settlement status"))
    for column, label in enumerate(labels, start=1):
        cell = write_text(sheet.cell(row=row, column=column), label)
        cell.font = BOLD
        cell.fill = SHADE
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _total_row(sheet, row: int, label: str, formulas: Callable[[str], str], fill):
    write_text(sheet.cell(row=row, column=1), label).font = BOLD
    for offset in range(len(MONEY_COLUMNS)):
        letter = chr(ord("D") + offset)
        cell = own_formula(sheet.cell(row=row, column=4 + offset), formulas(letter))
        cell.number_format = MONEY
        cell.font = BOLD
    for column in range(1, 5 + len(MONEY_COLUMNS)):
        sheet.cell(row=row, column=column).fill = fill


def summary_workbook(
    rows: list[SummaryRow],
    *,
    title: str,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """The summary in the active language: projects by district, each
    district's subtotal (SUM of its rows) and the city total (SUM of the
    subtotals), as formulas."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Settlement summary")
    write_text(sheet["A1"], title).font = Font(bold=True, size=14)
    _headings(sheet, 3)
    row, subtotals, written = 4, [], 0
    for district, group in groupby(rows, key=lambda r: r.district):
        first = row
        for line in group:
            write_text(sheet.cell(row=row, column=1), line.district)
            write_text(sheet.cell(row=row, column=2), line.code)
            write_text(sheet.cell(row=row, column=3), line.title)
            for offset, (attribute, _heading) in enumerate(MONEY_COLUMNS):
                cell = sheet.cell(row=row, column=4 + offset)
                cell.value = getattr(line, attribute)
                cell.number_format = MONEY
            write_text(sheet.cell(row=row, column=4 + len(MONEY_COLUMNS)), line.status)
            row += 1
            written += 1
            if progress and written % PROGRESS_EVERY == 0:
                progress(written)
        last = row - 1
        _total_row(
            sheet,
            row,
            _("Subtotal: %(district)s") % {"district": district},
            lambda c, a=first, b=last: f"=SUM({c}{a}:{c}{b})",
            SUBTOTAL,
        )
        subtotals.append(row)
        row += 1
    _total_row(
        sheet,
        row,
        _("City total"),
        lambda c: "=" + "+".join(f"{c}{r}" for r in subtotals) if subtotals else "=0",
        SHADE,
    )
    widths = [14, 16, 36] + [16] * len(MONEY_COLUMNS) + [16]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[
            sheet.cell(row=1, column=column).column_letter
        ].width = width
    sheet.freeze_panes = "D4"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return workbook_bytes(workbook)


# --- the job ------------------------------------------------------------------


def settlement_summary_start(
    *,
    owner,
    call_id: int | None = None,
    year: int | None = None,
    district_id: int | None = None,
) -> BackgroundJob:
    """Record the job and send its task after commit. Whether the owner may
    build it is checked by the view and again by the task (the owner's scope)."""
    return job_start(
        kind=KIND,
        owner=owner,
        task=build_settlement_summary_task,
        parameters={"call_id": call_id, "year": year, "district_id": district_id},
    )


def _title(parameters: dict) -> str:
    from competitions.models import CallPage

    call = CallPage.objects.filter(pk=parameters.get("call_id") or 0).first()
    if call is not None:
        return _("Settlement summary: %(call)s") % {"call": call.display_title}
    if parameters.get("year"):
        return _("Settlement summary %(year)s") % {"year": parameters["year"]}
    return _("Settlement summary")


def settlement_summary_build(*, job: BackgroundJob) -> BackgroundJob:
    """Compute every project's settlement, write the workbook and keep it on
    the job; progress counts projects computed, then rows written."""
    parameters = job.parameters
    job_mark_running(job=job, total=0)
    with owner_language(job):
        computed = 0

        def computing(done, total):
            nonlocal computed
            computed = total
            job_progress(job=job, done=done, total=total * 2)

        rows = summary_rows(
            user=job.owner,
            call_id=parameters.get("call_id"),
            year=parameters.get("year"),
            district_id=parameters.get("district_id"),
            progress=computing,
        )
        total = computed * 2 or 1
        data = summary_workbook(
            rows,
            title=_title(parameters),
            progress=lambda written: job_progress(
                job=job, done=computed + written, total=total
            ),
        )
    job.result_file.save(
        f"settlement-summary-{job.pk}.xlsx", ContentFile(data), save=False
    )
    job_succeed(job=job, result={"projects": len(rows)}, message="ok")
    return job
