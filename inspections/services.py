"""What changes site visits (현장점검) and their findings (지적 사항): planning
a visit, recording its checklist, recording findings, the district's answer
with evidence, and the city's close or return.

Rules held here (and nowhere else):

* only the city plans, records and cancels visits, records findings and
  closes or returns them; only an officer of the project's district answers;
* a visit's checklist is its call's (``VisitChecklistItem``), else the default
  below; the words are copied onto the answers when the result is recorded;
* findings are recorded on a done visit only, due on or after the visit day;
* evidence passes the checks of proposal attachments (type by content,
  macros, size) and is kept on private storage;
* every move is one transaction, audited (django-auditlog on the models and a
  ``FindingTransition`` per finding move), and the next person is notified
  after the commit.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from common.personal_data import describe_findings, scan_personal_data
from competitions.attachments import validate_attachment
from notifications import recipients
from notifications.rendering import in_languages
from notifications.services import notify
from projects.models import Project
from projects.months import seoul_today

from . import workflow
from .models import (
    Answer,
    ChecklistAnswer,
    Finding,
    FindingAttachment,
    FindingStatus,
    Severity,
    SiteVisit,
    VisitChecklistItem,
    VisitStatus,
)

# The checklist of a call that has not written its own: (Korean, English).
DEFAULT_CHECKLIST = [
    ("참여자 근로계약서 확인", "Participants' employment contracts checked"),
    ("출근부·근무일지", "Attendance records and work logs"),
    ("사업비 집행 증빙", "Evidence of the project's spending"),
    ("보조금 전용계좌", "Dedicated subsidy bank account"),
    ("홍보·현판", "Publicity and the project's signboard"),
]
MAX_EVIDENCE_FILES = 10


@dataclass(frozen=True)
class ChecklistLine:
    order: int
    text_ko: str
    text_en: str

    @property
    def text(self) -> str:
        from cms.models import english_active

        return (self.text_en if english_active() else "") or self.text_ko


@dataclass(frozen=True)
class AnswerRow:
    """What the inspectors found for the checklist line of the same order."""

    answer: str
    note: str = ""


def checklist_for(call) -> list[ChecklistLine]:
    """The call's checklist in order, or the default one when it has none."""
    items = list(VisitChecklistItem.objects.filter(call=call).order_by("order", "pk"))
    if items:
        return [
            ChecklistLine(number, item.text_ko, item.text_en)
            for number, item in enumerate(items, start=1)
        ]
    return [
        ChecklistLine(number, ko, en)
        for number, (ko, en) in enumerate(DEFAULT_CHECKLIST, start=1)
    ]


# --- the visit -------------------------------------------------------------------


def _require_city(actor: User, project: Project) -> None:
    if not access.can_view(actor, project):
        raise PermissionDenied
    if not access.can(actor, "plan_site_visit", project):
        raise PermissionDenied


def _inspector_errors(inspectors: Sequence[User]) -> list[ValidationError]:
    if not inspectors:
        return [
            ValidationError(
                _("Choose at least one inspector from the city's staff."),
                code="inspectors_required",
            )
        ]
    outside = [user for user in inspectors if not access.is_city_manager(user)]
    if outside:
        return [
            ValidationError(
                _("Inspectors are the city's staff: %(names)s is not.")
                % {
                    "names": ", ".join(u.get_full_name() or u.username for u in outside)
                },
                code="inspector_not_city",
            )
        ]
    return []


def _plan_errors(
    project: Project, planned_on: date | None, inspectors, purpose: str
) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    if planned_on is None:
        errors["planned_on"] = [
            ValidationError(_("Enter the day of the visit."), code="date_required")
        ]
    if inspector_errors := _inspector_errors(list(inspectors)):
        errors["inspectors"] = inspector_errors
    if not purpose:
        errors["purpose"] = [
            ValidationError(
                _("Say what the visit is for, so the district can prepare."),
                code="purpose_required",
            )
        ]
    return errors


@transaction.atomic
def visit_plan(
    *,
    actor: User,
    project: Project,
    planned_on: date | None,
    inspectors: Iterable[User],
    purpose: str,
    now: datetime | None = None,
) -> SiteVisit:
    """The city plans a visit to a project: the day, who goes, what for."""
    _require_city(actor, project)
    inspectors = list(inspectors)
    purpose = (purpose or "").strip()
    errors = _plan_errors(project, planned_on, inspectors, purpose)
    if errors:
        raise ValidationError(errors)
    visit = SiteVisit.objects.create(
        project=project,
        planned_on=planned_on,
        purpose=purpose,
        planned_by=actor,
        planned_at=now or timezone.now(),
    )
    visit.inspectors.set(inspectors)
    return visit


def _locked_visit(visit: SiteVisit, actor: User) -> SiteVisit:
    visit = (
        SiteVisit.objects.select_for_update(of=("self",))
        .select_related("project__district", "project__call")
        .get(pk=visit.pk)
    )
    if not access.can_view(actor, visit):
        raise PermissionDenied
    return visit


@transaction.atomic
def visit_update(
    *,
    actor: User,
    visit: SiteVisit,
    planned_on: date | None,
    inspectors: Iterable[User],
    purpose: str,
) -> SiteVisit:
    """The city moves a planned visit or changes who goes and why."""
    visit = _locked_visit(visit, actor)
    workflow.visit_require(actor, "record", visit)  # planned, and the city's
    inspectors = list(inspectors)
    purpose = (purpose or "").strip()
    errors = _plan_errors(visit.project, planned_on, inspectors, purpose)
    if errors:
        raise ValidationError(errors)
    visit.planned_on = planned_on
    visit.purpose = purpose
    visit.save()
    visit.inspectors.set(inspectors)
    return visit


@transaction.atomic
def visit_record(
    *,
    actor: User,
    visit: SiteVisit,
    visited_on: date | None,
    answers: Sequence[AnswerRow],
    summary: str = "",
    now: datetime | None = None,
) -> SiteVisit:
    """The city records what the visit found: each checklist line in order,
    in order / not in order / not applicable, with a note (required when not
    in order, so the finding can be understood)."""
    visit = _locked_visit(visit, actor)
    workflow.visit_require(actor, "record", visit)
    now = now or timezone.now()
    lines = checklist_for(visit.project.call)
    errors: dict[str, list[ValidationError]] = {}
    if visited_on is None:
        errors["visited_on"] = [
            ValidationError(_("Enter the day of the visit."), code="date_required")
        ]
    elif visited_on > seoul_today(now):
        errors["visited_on"] = [
            ValidationError(
                _("The day of the visit is in the future: record it once it is made."),
                code="visited_in_future",
            )
        ]
    if len(answers) != len(lines):
        errors.setdefault("__all__", []).append(
            ValidationError(
                _("Answer every line of the checklist (%(count)s lines).")
                % {"count": len(lines)},
                code="checklist_incomplete",
            )
        )
    else:
        for line, row in zip(lines, answers, strict=True):
            if row.answer not in Answer.values:
                errors.setdefault(f"answer_{line.order}", []).append(
                    ValidationError(
                        _("Choose in order, not in order or not applicable."),
                        code="answer_required",
                    )
                )
            elif row.answer == Answer.NOT_OK and not row.note.strip():
                errors.setdefault(f"note_{line.order}", []).append(
                    ValidationError(
                        _("Say what was not in order."), code="note_required"
                    )
                )
    if errors:
        raise ValidationError(errors)
    ChecklistAnswer.objects.bulk_create(
        ChecklistAnswer(
            visit=visit,
            order=line.order,
            text_ko=line.text_ko,
            text_en=line.text_en,
            answer=row.answer,
            note=row.note.strip(),
        )
        for line, row in zip(lines, answers, strict=True)
    )
    workflow.visit_move(visit=visit, action="record")
    visit.visited_on = visited_on
    visit.summary = (summary or "").strip()
    visit.recorded_by = actor
    visit.recorded_at = now
    visit.save()
    return visit


@transaction.atomic
def visit_cancel(*, actor: User, visit: SiteVisit, reason: str) -> SiteVisit:
    """The city calls a planned visit off, saying why."""
    visit = _locked_visit(visit, actor)
    workflow.visit_require(actor, "cancel", visit)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Say why the visit is cancelled."), code="reason_required"
                )
            }
        )
    workflow.visit_move(visit=visit, action="cancel")
    visit.cancel_reason = reason
    visit.save()
    return visit


# --- findings --------------------------------------------------------------------


def _locked_finding(finding: Finding, actor: User) -> Finding:
    finding = (
        Finding.objects.select_for_update(of=("self",))
        .select_related("visit__project__district", "visit__project__call")
        .get(pk=finding.pk)
    )
    if not access.can_view(actor, finding):
        raise PermissionDenied
    return finding


def _text_error(text: str, field: str) -> ValidationError | None:
    found = scan_personal_data(text)
    if found:
        return ValidationError(
            {
                field: ValidationError(
                    _(
                        "This looks like it holds personal data (%(found)s). Write "
                        "it without names, phone numbers or registration numbers."
                    )
                    % {"found": describe_findings(found)},
                    code="personal_data",
                )
            }
        )
    return None


@transaction.atomic
def finding_record(
    *,
    actor: User,
    visit: SiteVisit,
    text: str,
    severity: str,
    corrective_action: str,
    due_on: date | None,
    now: datetime | None = None,
) -> Finding:
    """The city records a finding of a done visit, with the corrective action
    (시정 조치) the district must take by ``due_on``; the district is told."""
    visit = _locked_visit(visit, actor)
    if not access.can(actor, "plan_site_visit", visit.project):
        raise PermissionDenied
    if visit.status != VisitStatus.DONE:
        raise ValidationError(
            _(
                "Findings are recorded once the visit's result is: record the "
                "checklist first."
            ),
            code="visit_not_done",
        )
    text, corrective_action = (text or "").strip(), (corrective_action or "").strip()
    errors: dict[str, list[ValidationError]] = {}
    if not text:
        errors["text"] = [
            ValidationError(_("Write what was found."), code="text_required")
        ]
    if severity not in Severity.values:
        errors["severity"] = [
            ValidationError(
                _("Choose minor, moderate or serious."), code="severity_required"
            )
        ]
    if not corrective_action:
        errors["corrective_action"] = [
            ValidationError(
                _("Say what the district must do to correct it."),
                code="action_required",
            )
        ]
    if due_on is None:
        errors["due_on"] = [
            ValidationError(
                _("Enter the day the correction is due."), code="due_required"
            )
        ]
    elif visit.visited_on and due_on < visit.visited_on:
        errors["due_on"] = [
            ValidationError(
                _("The correction cannot be due before the visit (%(day)s).")
                % {"day": visit.visited_on.isoformat()},
                code="due_before_visit",
            )
        ]
    if errors:
        raise ValidationError(errors)
    number = (visit.findings.aggregate(n=Max("number"))["n"] or 0) + 1
    finding = Finding.objects.create(
        visit=visit,
        number=number,
        text=text,
        severity=severity,
        corrective_action=corrective_action,
        due_on=due_on,
        recorded_by=actor,
        recorded_at=now or timezone.now(),
    )
    _tell(finding, "finding_recorded")
    return finding


def _check_files(files: Sequence) -> list[ValidationError]:
    if len(files) > MAX_EVIDENCE_FILES:
        return [
            ValidationError(
                _("Attach at most %(count)s files at a time.")
                % {"count": MAX_EVIDENCE_FILES},
                code="too_many_files",
            )
        ]
    errors = []
    for uploaded in files:
        try:
            validate_attachment(uploaded)
        except ValidationError as error:
            errors.extend(error.error_list)
    return errors


@transaction.atomic
def finding_answer(
    *,
    actor: User,
    finding: Finding,
    answer: str,
    files: Sequence = (),
    now: datetime | None = None,
) -> Finding:
    """The district's officer says how the finding was corrected, with
    evidence; the city is told."""
    finding = _locked_finding(finding, actor)
    workflow.finding_require(actor, "answer", finding)
    answer = (answer or "").strip()
    errors: dict[str, list[ValidationError]] = {}
    if not answer:
        errors["answer"] = [
            ValidationError(
                _("Say what was done to correct the finding."),
                code="answer_required",
            )
        ]
    elif (error := _text_error(answer, "answer")) is not None:
        errors.update(error.error_dict)
    if file_errors := _check_files(list(files)):
        errors["files"] = file_errors
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    workflow.finding_move(
        finding=finding, action="answer", actor=actor, now=now, note=answer
    )
    for uploaded in files:
        FindingAttachment.objects.create(
            finding=finding, file=uploaded, uploaded_by=actor
        )
    finding.answer = answer
    finding.answered_by = actor
    finding.answered_at = now
    finding.save()
    _tell(finding, "finding_answered")
    return finding


@transaction.atomic
def finding_close(
    *, actor: User, finding: Finding, note: str = "", now: datetime | None = None
) -> Finding:
    """The city accepts the correction: the finding is closed."""
    finding = _locked_finding(finding, actor)
    workflow.finding_require(actor, "close", finding)
    now = now or timezone.now()
    note = (note or "").strip()
    workflow.finding_move(
        finding=finding, action="close", actor=actor, now=now, note=note
    )
    finding.city_comment = note
    finding.closed_on = seoul_today(now)
    finding.save()
    return finding


@transaction.atomic
def finding_return(
    *, actor: User, finding: Finding, note: str, now: datetime | None = None
) -> Finding:
    """The city does not accept the answer: the finding opens again, with a
    comment saying what is missing; the district is told."""
    finding = _locked_finding(finding, actor)
    workflow.finding_require(actor, "return", finding)
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {
                "note": ValidationError(
                    _("Say what is missing, so the district knows what to do."),
                    code="comment_required",
                )
            }
        )
    now = now or timezone.now()
    transition = workflow.finding_move(
        finding=finding, action="return", actor=actor, now=now, note=note
    )
    finding.city_comment = note
    finding.save()
    _tell(finding, "finding_returned", event=transition.pk)
    return finding


# --- who is told -----------------------------------------------------------------


def _tell(finding: Finding, kind: str, event: int | None = None) -> int:
    """Recorded or returned: the district's officers and approvers; answered:
    the city's managers. Once per event (a second return is a new event)."""
    project = finding.visit.project
    to_city = kind == "finding_answered"
    return notify(
        recipients=(
            recipients.city_managers()
            if to_city
            else recipients.district_staff(project.district)
        ),
        kind=kind,
        dedupe_key=f"{kind}:{finding.pk}:{event or finding.transitions.count()}",
        params={
            "project": in_languages(lambda: f"{project.code} {project.display_title}"),
            "district": in_languages(lambda: project.district.name),
            "severity": in_languages(finding.get_severity_display),
            "finding": finding.text,
            "action": finding.corrective_action,
            "due": finding.due_on.isoformat(),
        },
        link=reverse("inspections_finding", args=[finding.pk]),
        due=None if to_city else finding.due_on,
        reason=finding.answer if to_city else finding.city_comment,
        project=project,
        call=project.call_id,
    )


def is_overdue(finding: Finding, today: date) -> bool:
    """Open (never answered, or returned) past its due day."""
    return finding.status == FindingStatus.OPEN and finding.due_on < today
