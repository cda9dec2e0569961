"""The monthly upload: read the file, check it with the report's own rules,
show what would change, and save it whole — or not at all.

``upload_preview`` never writes. ``upload_confirm`` runs the same preview again
on the same bytes and, when nothing blocks, saves through
``reporting.services.report_save_draft`` in one transaction. A file whose
content equals the current version saves nothing (uploading twice is harmless).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts import access
from projects.models import Project
from projects.months import month_label, seoul_today
from reporting import workflow
from reporting.checks import CheckResult, PlanIndicator, ReportContext, check_report
from reporting.models import MonthlyReport, ReportVersion
from reporting.selectors import report_context, version_roster, version_values
from reporting.services import report_save_draft

from .safety import PERSONAL_DATA, CellProblem, SpreadsheetRefused
from .template import FIGURES_SHEET, ROSTER_SHEET_NAMES
from .upload import ParsedReport, check_identity, parse_monthly_file, refused_identity


@dataclass
class Change:
    label: str  # the figure's name, in the reader's language
    old: int | None
    new: int | None

    @property
    def text(self) -> str:
        return self.label


@dataclass
class WarningItem:
    key: str
    message: str  # a check's message, in the reader's language
    answered: bool
    sheet: str
    cell: str

    @property
    def text(self) -> str:
        return self.message

    @property
    def code(self) -> str:
        return getattr(self.message, "code", "")


@dataclass
class UploadPreview:
    project: Project
    period: date
    report: MonthlyReport | None
    parsed: ParsedReport
    errors: list[CellProblem] = field(default_factory=list)
    warnings: list[WarningItem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    other_changes: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    unchanged: bool = False
    can_save: bool = False
    # What the figures were checked against (the confirm saves with it).
    context: ReportContext | None = None

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def month(self) -> str:
        return month_label(self.period)

    def lines(self) -> list[str]:
        """The preview as plain lines (the command prints these)."""
        out = [f"{self.project.code} {month_label(self.period)}"]
        if self.unchanged:
            out.append(_("No change: the file equals the current version."))
        for change in self.changes:
            old = "–" if change.old is None else f"{change.old:,}"
            new = "–" if change.new is None else f"{change.new:,}"
            out.append(
                _("Change: %(what)s: %(old)s → %(new)s")
                % {"what": change.label, "old": old, "new": new}
            )
        out += [_("Change: %(what)s") % {"what": text} for text in self.other_changes]
        for warning in self.warnings:
            state = (
                pgettext("warning", "answered")
                if warning.answered
                else _("needs a comment")
            )
            out.append(
                _("Warning [%(state)s] %(sheet)s %(cell)s: %(message)s")
                % {
                    "state": state,
                    "sheet": warning.sheet,
                    "cell": warning.cell,
                    "message": warning.message,
                }
            )
        out += [_("Error: %(message)s") % {"message": e.message} for e in self.errors]
        return out


@dataclass
class UploadOutcome:
    preview: UploadPreview
    version: ReportVersion | None
    changed: bool


class UploadRejected(Exception):
    """Confirm found errors: nothing was saved."""

    def __init__(self, preview: UploadPreview):
        super().__init__("; ".join(e.message for e in preview.errors[:5]))
        self.preview = preview


def _labels(indicators: dict[str, PlanIndicator]) -> dict[tuple[str, str], str]:
    """(indicator, key) → the label of each figure of the plan, in the reader's
    language, in the plan's order."""
    labels = {}
    for planned in indicators.values():
        name = planned.indicator.name
        for key, member in planned.members.items():
            labels[(planned.code, key)] = (
                f"{name} · {member.name}" if planned.is_split else name
            )
    return labels


def refused_inputs(parsed: ParsedReport) -> set[str]:
    """The keys of the figures whose cell was refused ("new_hires.women"), plus
    "roster" when a roster row was."""
    problem_cells = {(p.sheet, p.cell) for p in parsed.problems}
    refused = {
        key
        for key, where in parsed.cells.items()
        if where in problem_cells and "." in key
    }
    roster_sheets = {
        sheet
        for key, (sheet, _cell) in parsed.cells.items()
        if key.startswith("roster.")
    }
    if any(
        p.sheet in roster_sheets or p.sheet in ROSTER_SHEET_NAMES
        for p in parsed.problems
    ):
        refused.add("roster")
    return refused


def depends_on_refused(key: str, refused: set[str], result: CheckResult) -> bool:
    """Whether a check's error or warning at ``key`` is computed from a refused
    input. Its own cell's problem is already reported; a knock-on message about
    another cell ("employed exceeds hires" beside a refused hires figure) would
    send the officer to a cell that is right. Once the refused cell is fixed the
    next upload checks everything again. The checks say which indicators each
    message was computed from (``CheckResult.inputs``)."""
    if not refused:
        return False
    inputs = result.inputs.get(key, set())
    if "roster" in inputs and "roster" in refused:
        return True  # the counts are compared with the roster
    refused_indicators = {k.partition(".")[0] for k in refused if k != "roster"}
    return bool(inputs & refused_indicators)


def _roster_key(rows: list[dict]) -> set:
    return {
        (r["participant_code"], r["target_group_code"], r["hire_date"], r["end_date"])
        for r in rows
    }


def upload_preview(
    *,
    data: bytes,
    filename: str,
    actor,
    project: Project | None = None,
    period: date | None = None,
    extra_comments: dict[str, str] | None = None,
    now: datetime | None = None,
    check_may_save: bool = True,
) -> UploadPreview:
    """Everything the officer sees before confirming. ``project``/``period``
    are the report the file is uploaded to (the page's); without them (the
    command) the file's identity says which, and the actor must see it.
    Refusals of the whole file raise ``SpreadsheetRefused``. ``check_may_save``
    off: a dry run by the operator, who files nothing."""
    now = now or timezone.now()
    parsed, named_project = parse_monthly_file(data, filename)
    if project is None:
        if named_project is None or not access.can_view(actor, named_project):
            raise refused_identity(
                _("There is no project %(code)s you may see.")
                % {"code": parsed.identity.project_code}
            )
        project = named_project
    check_identity(parsed.identity, project=project, period=period)
    period = parsed.identity.period
    report = (
        MonthlyReport.objects.filter(project=project, period=period)
        .select_related("current_version")
        .first()
    )
    preview = UploadPreview(
        project=project, period=period, report=report, parsed=parsed
    )
    preview.errors = list(parsed.problems)
    if any(p.code == PERSONAL_DATA for p in parsed.problems):
        return preview  # personal data: name the cells, read nothing further

    comments = {
        **parsed.comments,
        **{k: v for k, v in (extra_comments or {}).items() if (v or "").strip()},
    }
    context = report_context(project=project, period=period, today=seoul_today(now))
    preview.context = context
    problem_keys = {
        key
        for key, (sheet, cell) in parsed.cells.items()
        if any(p.sheet == sheet and p.cell == cell for p in parsed.problems)
    }
    values = {
        m: {k: v for k, v in figures.items() if f"{m}.{k}" not in problem_keys}
        for m, figures in parsed.values.items()
    }
    result = check_report(
        context=context,
        values=values,
        roster=parsed.roster or None,
        texts={"narrative": parsed.narrative},
        comments=comments,
        for_submission=True,
    )
    default_sheet = (
        "csv"
        if parsed.kind == "csv"
        else parsed.cells.get("period", (FIGURES_SHEET, ""))[0]
    )
    refused = refused_inputs(parsed)
    for key, messages in result.errors.items():
        if depends_on_refused(key, refused, result):
            continue
        sheet, cell = (
            parsed.cells.get(key)
            or parsed.cells.get(key.removeprefix("comments."))
            or (default_sheet, "")
        )
        for message in messages:
            preview.errors.append(CellProblem.shown(sheet, cell, message))
    for key, message in result.warnings.items():
        if depends_on_refused(key, refused, result):
            continue
        sheet, cell = parsed.cells.get(f"comments.{key}") or (default_sheet, "")
        preview.warnings.append(
            WarningItem(
                key, message, bool((comments.get(key) or "").strip()), sheet, cell
            )
        )
    preview.values = result.values

    version = report.current_version if report else None
    old = version_values(version)
    labels = _labels(context.indicators)
    order = {key: index for index, key in enumerate(labels)}
    changes = []
    for measure in set(old) | set(result.values):
        new_figures = result.values.get(measure, {})
        for key in set(old[measure]) | set(new_figures):
            before, after = old[measure].get(key), new_figures.get(key)
            if before != after:
                changes.append(((measure, key), before, after))
    for (measure, key), before, after in sorted(
        changes, key=lambda c: (order.get(c[0], len(order)), c[0])
    ):
        preview.changes.append(
            Change(labels.get((measure, key), f"{measure}.{key}"), before, after)
        )
    old_narrative = version.narrative if version else ""
    old_comments = dict(version.comments or {}) if version else {}
    old_roster = (
        version_roster(version) if version is not None and version.has_roster else []
    )
    if parsed.narrative != old_narrative:
        preview.other_changes.append(_("Narrative"))
    if comments != old_comments:
        preview.other_changes.append(_("Comments"))
    if _roster_key(result.roster) != _roster_key(old_roster):
        preview.other_changes.append(
            _("Participant roster: %(old)d → %(new)d people")
            % {"old": len(old_roster), "new": len(result.roster)}
        )
    preview.unchanged = (
        version is not None and not preview.changes and not preview.other_changes
    )
    preview.can_save = workflow.may(
        actor, "save", district=project.district, report=report
    )
    if check_may_save and not preview.unchanged and not preview.can_save:
        status = report.status_label if report else "-"
        preview.errors.append(
            CellProblem(
                default_sheet,
                "",
                f"지금 상태({status})에서는 이 보고를 고칠 수 없습니다(구·군 담당자가 작성·반려된 보고만)",
                f"this report cannot be changed in its current status ({status}); only the district's officer "
                "files a draft or a returned report",
                "not_editable",
            )
        )
    return preview


@transaction.atomic
def upload_confirm(
    *,
    data: bytes,
    filename: str,
    actor,
    project: Project | None = None,
    period: date | None = None,
    extra_comments: dict[str, str] | None = None,
    now: datetime | None = None,
) -> UploadOutcome:
    """Save the whole file as the month's draft, or nothing: any error raises
    ``UploadRejected`` before a row is written; the same content twice is a no-op."""
    now = now or timezone.now()
    preview = upload_preview(
        data=data,
        filename=filename,
        actor=actor,
        project=project,
        period=period,
        extra_comments=extra_comments,
        now=now,
    )
    if preview.errors:
        raise UploadRejected(preview)
    if preview.unchanged:
        return UploadOutcome(preview, preview.report.current_version, changed=False)
    if not preview.can_save:
        raise PermissionDenied
    parsed = preview.parsed
    comments = {
        **parsed.comments,
        **{k: v for k, v in (extra_comments or {}).items() if (v or "").strip()},
    }
    version = report_save_draft(
        project=preview.project,
        period=preview.period,
        actor=actor,
        values=parsed.values,
        narrative=parsed.narrative,
        comments=comments,
        roster=parsed.roster or None,
        now=now,
        context=preview.context,  # read by the preview, in this transaction
    )
    return UploadOutcome(preview, version, changed=True)


def template_for(*, actor, project: Project, period: date) -> bytes:
    """The template of a month the actor may see (``actor=None``: the operator
    at the server's shell)."""
    from .template import build_template

    if actor is not None and not access.can_view(actor, project):
        raise PermissionDenied
    if not project.covers(period):
        raise SpreadsheetRefused(
            _(
                "%(month)s is outside the project period (%(start)s to %(end)s); choose a month within it."
            )
            % {
                "month": month_label(period),
                "start": month_label(project.period_start),
                "end": month_label(project.period_end),
            }
        )
    return build_template(project=project, period=period, actor=actor)
