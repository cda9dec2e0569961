"""What changes the end of a project: writing, submitting and deciding its
final report (결과 보고서), closing it (사업 종료) and reopening it.

Rules held here (and nowhere else):

* the district's officer writes the narrative (achievements, problems,
  lessons; Korean required, English optional) and submits it only once the
  project's last month is over (Seoul time);
* a submission freezes the figures as they are at that moment
  (``FinalReportVersion.snapshot``); a returned report is answered with a new
  version, the returned one kept with the city's comment;
* no text holds personal data (names, phone or registration numbers);
* a project is closed only when every close condition holds
  (``closeout.conditions``), all unmet ones reported together; reopening
  needs a reason (and, in the view, a fresh re-authentication).

Every move is one transaction, recorded in the workflow's history and the
audit trail, and the other side is told (``notifications``).
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from common.personal_data import describe_findings, scan_personal_data
from notifications import recipients
from notifications.rendering import in_languages
from notifications.services import notify
from projects.models import Project, ProjectStatus
from projects.months import add_months, month_label, seoul_today

from . import workflow
from .conditions import unmet_close_conditions
from .models import (
    FinalReport,
    FinalReportVersion,
    ProjectClosure,
)
from .selectors import project_outcome

TEXT_FIELDS = (
    "achievements",
    "achievements_en",
    "problems",
    "problems_en",
    "lessons",
    "lessons_en",
)
REQUIRED_FIELDS = ("achievements", "problems", "lessons")


def _labels() -> dict[str, str]:
    return {
        "achievements": _("Achievements"),
        "achievements_en": _("Achievements (English)"),
        "problems": _("Problems"),
        "problems_en": _("Problems (English)"),
        "lessons": _("Lessons"),
        "lessons_en": _("Lessons (English)"),
    }


def _clean_texts(texts: dict) -> dict[str, str]:
    return {field: (texts.get(field) or "").strip() for field in TEXT_FIELDS}


def _text_errors(
    texts: dict[str, str], *, required: bool
) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    labels = _labels()
    for field, value in texts.items():
        if required and field in REQUIRED_FIELDS and not value:
            errors[field] = [
                ValidationError(
                    _("%(field)s: write it in Korean before submitting.")
                    % {"field": labels[field]},
                    code="text_required",
                )
            ]
            continue
        findings = scan_personal_data(value) if value else []
        if findings:
            errors[field] = [
                ValidationError(
                    _(
                        "%(field)s looks like it holds personal data (%(found)s). "
                        "Write it without names, phone numbers or registration numbers."
                    )
                    % {"field": labels[field], "found": describe_findings(findings)},
                    code="personal_data",
                )
            ]
    return errors


def submittable_from(project: Project):
    """The first day the final report may be submitted: the day after the
    project's last month."""
    return add_months(project.period_end.replace(day=1), 1)


def _locked_project(project: Project, actor: User) -> Project:
    project = (
        Project.objects.select_for_update(of=("self",))
        .select_related("district", "call")
        .get(pk=project.pk)
    )
    if not access.can_view(actor, project):
        raise PermissionDenied
    return project


def _report_of(project: Project, actor: User, now: datetime) -> FinalReport:
    report = (
        FinalReport.objects.select_for_update(of=("self",))
        .filter(project=project)
        .first()
    )
    if report is None:
        # Only someone who may write it starts it (the workflow says who).
        if not access.can(actor, "write_final_report", project):
            raise PermissionDenied
        report = FinalReport.objects.create(
            project=project, created_at=now, created_by=actor
        )
    report.project = project
    return report


def _writable_version(report: FinalReport, now: datetime) -> FinalReportVersion:
    """The draft version: the current one while unsubmitted, else a new one."""
    current = report.current
    if current is not None and current.submitted_at is None:
        return current
    number = (current.number + 1) if current is not None else 1
    version = FinalReportVersion(report=report, number=number, saved_at=now)
    if current is not None:  # a returned report starts from what was sent
        for field in TEXT_FIELDS:
            setattr(version, field, getattr(current, field))
    return version


@transaction.atomic
def final_report_save(
    *, actor: User, project: Project, texts: dict, now: datetime | None = None
) -> FinalReportVersion:
    """The officer saves the narrative as typed (nothing is required yet, but
    no personal data is kept)."""
    now = now or timezone.now()
    project = _locked_project(project, actor)
    report = _report_of(project, actor, now)
    workflow.final_report_require(actor, "save", report)
    cleaned = _clean_texts(texts)
    errors = _text_errors(cleaned, required=False)
    if errors:
        raise ValidationError(errors)
    version = _writable_version(report, now)
    for field, value in cleaned.items():
        setattr(version, field, value)
    version.saved_at = now
    version.save()
    return version


@transaction.atomic
def final_report_submit(
    *,
    actor: User,
    project: Project,
    texts: dict | None = None,
    now: datetime | None = None,
) -> FinalReportVersion:
    """Save the narrative (when given) and submit: only after the last month,
    with every Korean text written; the figures are frozen now."""
    now = now or timezone.now()
    project = _locked_project(project, actor)
    report = _report_of(project, actor, now)
    workflow.final_report_require(actor, "submit", report)
    version = _writable_version(report, now)
    if texts is not None:
        for field, value in _clean_texts(texts).items():
            setattr(version, field, value)
    errors = _text_errors(
        {field: getattr(version, field) for field in TEXT_FIELDS}, required=True
    )
    opens = submittable_from(project)
    if seoul_today(now) < opens:
        errors.setdefault("__all__", []).append(
            ValidationError(
                _(
                    "The project runs until the end of %(month)s: its final report can "
                    "be submitted from %(day)s. Save it as a draft until then."
                )
                % {"month": month_label(project.period_end), "day": opens.isoformat()},
                code="period_not_over",
            )
        )
    if errors:
        raise ValidationError(errors)
    version.snapshot = project_outcome(project, now=now)
    version.saved_at = now
    version.submitted_at = now
    version.submitted_by = actor
    version.city_comment = ""
    version.save()
    workflow.final_report_move(
        report=report, version=version, action="submit", actor=actor, now=now
    )
    report.save(update_fields=["status"])
    _tell(report, version, submitted=True)
    return version


def _decide(
    *, actor: User, report: FinalReport, action: str, comment: str, now: datetime
) -> FinalReportVersion:
    report = (
        FinalReport.objects.select_for_update(of=("self",))
        .select_related("project__district")
        .get(pk=report.pk)
    )
    if not access.can_view(actor, report):
        raise PermissionDenied
    workflow.final_report_require(actor, action, report)
    comment = (comment or "").strip()
    if action == "return" and not comment:
        raise ValidationError(
            {
                "comment": [
                    ValidationError(
                        _(
                            "Say what the district must change: a returned report "
                            "needs the city's comment."
                        ),
                        code="comment_required",
                    )
                ]
            }
        )
    if comment and (findings := scan_personal_data(comment)):
        raise ValidationError(
            {
                "comment": [
                    ValidationError(
                        _(
                            "The comment looks like it holds personal data "
                            "(%(found)s). Write it without names, phone numbers or "
                            "registration numbers."
                        )
                        % {"found": describe_findings(findings)},
                        code="personal_data",
                    )
                ]
            }
        )
    version = report.current
    version.decided_at = now
    version.decided_by = actor
    version.city_comment = comment
    version.save(update_fields=["decided_at", "decided_by", "city_comment"])
    workflow.final_report_move(
        report=report,
        version=version,
        action=action,
        actor=actor,
        now=now,
        note=comment,
    )
    if action == "accept":
        report.accepted_at = now
    report.save(update_fields=["status", "accepted_at"])
    _tell(report, version, submitted=False)
    return version


@transaction.atomic
def final_report_accept(
    *,
    actor: User,
    report: FinalReport,
    comment: str = "",
    now: datetime | None = None,
) -> FinalReportVersion:
    """The city accepts: the report's summary may now be published and the
    project closed (when its other conditions hold)."""
    return _decide(
        actor=actor,
        report=report,
        action="accept",
        comment=comment,
        now=now or timezone.now(),
    )


@transaction.atomic
def final_report_return(
    *, actor: User, report: FinalReport, comment: str, now: datetime | None = None
) -> FinalReportVersion:
    """The city returns the report with a comment saying what to change."""
    return _decide(
        actor=actor,
        report=report,
        action="return",
        comment=comment,
        now=now or timezone.now(),
    )


def _tell(report: FinalReport, version: FinalReportVersion, *, submitted: bool) -> int:
    """Submitted: the city's managers are asked to review. Decided: the
    district's officers and approvers are told, with the city's comment."""
    project = report.project
    return notify(
        recipients=(
            recipients.city_managers()
            if submitted
            else recipients.district_staff(project.district)
        ),
        kind="final_report_submitted" if submitted else "final_report_decided",
        dedupe_key=f"final-report-{report.status}:{version.pk}",
        params={
            "project": in_languages(lambda: f"{project.code} {project.display_title}"),
            "district": in_languages(lambda: project.district.name),
            "decision": in_languages(report.get_status_display),
        },
        link=reverse("closeout_final_report", args=[project.pk]),
        reason="" if submitted else version.city_comment,
        project=project,
        call=project.call_id,
    )


# --- closing ---------------------------------------------------------------------


def close_refusal(project: Project) -> ValidationError | None:
    """Every unmet close condition as one error (a message each), or None."""
    reasons = unmet_close_conditions(project)
    if not reasons:
        return None
    return ValidationError(
        [ValidationError(reason, code="close_condition_unmet") for reason in reasons]
    )


@transaction.atomic
def project_close(
    *, actor: User, project: Project, now: datetime | None = None
) -> ProjectClosure:
    """The city closes the project: only when every close condition holds."""
    now = now or timezone.now()
    project = _locked_project(project, actor)
    if not access.can(actor, "close_project", project):
        raise PermissionDenied
    workflow.project_close_require(actor, "close", project)
    if (refusal := close_refusal(project)) is not None:
        raise refusal
    closure = ProjectClosure.objects.create(
        project=project,
        previous_status=project.status,
        closed_at=now,
        closed_by=actor,
    )
    project.status = ProjectStatus.CLOSED
    project.save(update_fields=["status", "updated_at"])
    _tell_closure(project, closure, closed=True)
    return closure


@transaction.atomic
def project_reopen(
    *, actor: User, project: Project, reason: str, now: datetime | None = None
) -> ProjectClosure:
    """The city reopens a closed project, saying why; it returns to the
    status it had before closing. The view asks for re-authentication first."""
    now = now or timezone.now()
    project = _locked_project(project, actor)
    if not access.can(actor, "close_project", project):
        raise PermissionDenied
    workflow.project_close_require(actor, "reopen", project)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": [
                    ValidationError(
                        _(
                            "Say why the project is reopened: it is kept in its history."
                        ),
                        code="reason_required",
                    )
                ]
            }
        )
    if findings := scan_personal_data(reason):
        raise ValidationError(
            {
                "reason": [
                    ValidationError(
                        _(
                            "The reason looks like it holds personal data (%(found)s). "
                            "Write it without names, phone numbers or registration "
                            "numbers."
                        )
                        % {"found": describe_findings(findings)},
                        code="personal_data",
                    )
                ]
            }
        )
    closure = (
        ProjectClosure.objects.select_for_update(of=("self",))
        .filter(project=project, reopened_at__isnull=True)
        .latest("closed_at", "pk")
    )
    closure.reopened_at = now
    closure.reopened_by = actor
    closure.reopen_reason = reason
    closure.save()
    project.status = closure.previous_status or ProjectStatus.ACTIVE
    project.save(update_fields=["status", "updated_at"])
    _tell_closure(project, closure, closed=False)
    return closure


def _tell_closure(project: Project, closure: ProjectClosure, *, closed: bool) -> int:
    return notify(
        recipients=recipients.district_staff(project.district),
        kind="project_closed" if closed else "project_reopened",
        dedupe_key=f"project-{'closed' if closed else 'reopened'}:{closure.pk}",
        params={
            "project": in_languages(lambda: f"{project.code} {project.display_title}"),
        },
        link=reverse("closeout_final_report", args=[project.pk]),
        reason="" if closed else closure.reopen_reason,
        project=project,
        call=project.call_id,
    )
