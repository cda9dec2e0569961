"""The state machines of the end of a project.

Final report::

    draft ──submit (district officer, after the last month)──▶ submitted
    submitted ──accept (city)──▶ accepted
    submitted ──return (city, comment)──▶ returned ──submit (officer)──▶ submitted

The officer saves the narrative while the report is a draft or returned (a
returned report's next save starts a new version).

Project::

    active/completed ──close (city, every close condition met)──▶ closed
    closed ──reopen (city, re-authenticated, reason)──▶ the status before closing

Services call ``final_report_require``/``final_report_move`` and
``project_close_require`` and nothing else writes these statuses; each move is
recorded (``FinalReportTransition``, ``ProjectClosure``) and in the audit trail.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Organisation, User
from projects.models import Project, ProjectStatus

from .models import (
    FinalReport,
    FinalReportStatus,
    FinalReportTransition,
    FinalReportVersion,
)

F = FinalReportStatus


def _city_manager(user: User, district: Organisation) -> bool:
    return access.is_city_manager(user)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    may: Callable[[User, Organisation], bool]
    needs_note: bool = False


FINAL_REPORT_TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition("save", (F.DRAFT, F.RETURNED), "", access.is_officer_of),
        Transition("submit", (F.DRAFT, F.RETURNED), F.SUBMITTED, access.is_officer_of),
        Transition("accept", (F.SUBMITTED,), F.ACCEPTED, _city_manager),
        Transition("return", (F.SUBMITTED,), F.RETURNED, _city_manager, True),
    ]
}


def final_report_may(user: User, action: str, report: FinalReport) -> bool:
    transition = FINAL_REPORT_TRANSITIONS[action]
    return report.status in transition.sources and bool(
        transition.may(user, report.project.district)
    )


def available_actions(user: User, report: FinalReport) -> list[str]:
    return [a for a in FINAL_REPORT_TRANSITIONS if final_report_may(user, a, report)]


def final_report_require(user: User, action: str, report: FinalReport) -> None:
    """PermissionDenied for the wrong person, ValidationError for the wrong
    status (with the status in words)."""
    transition = FINAL_REPORT_TRANSITIONS[action]
    if not transition.may(user, report.project.district):
        raise PermissionDenied
    if report.status not in transition.sources:
        raise ValidationError(
            _("The final report is %(status)s: it cannot be %(action)s now.")
            % {"status": report.get_status_display(), "action": action_label(action)},
            code="wrong_status",
        )


def final_report_move(
    *,
    report: FinalReport,
    version: FinalReportVersion,
    action: str,
    actor: User | None,
    now: datetime,
    note: str = "",
) -> FinalReportTransition:
    """Record the move and change the status (the service has checked it)."""
    transition = FINAL_REPORT_TRANSITIONS[action]
    record = FinalReportTransition.objects.create(
        report=report,
        version=version,
        action=action,
        from_status=report.status,
        to_status=transition.target,
        actor=actor,
        at=now,
        note=note,
    )
    report.status = transition.target
    return record


def project_close_require(user: User, action: str, project: Project) -> None:
    """Close: a city manager, a project not closed. Reopen: a city manager, a
    closed project."""
    if not access.is_city_manager(user):
        raise PermissionDenied
    closed = project.status == ProjectStatus.CLOSED
    if action == "close" and closed:
        raise ValidationError(
            _("This project is already closed."), code="already_closed"
        )
    if action == "close" and project.status == ProjectStatus.CANCELLED:
        raise ValidationError(
            _("A cancelled project is not closed: it stays cancelled."),
            code="cancelled",
        )
    if action == "reopen" and not closed:
        raise ValidationError(
            _("This project is not closed: there is nothing to reopen."),
            code="not_closed",
        )


def action_label(action: str) -> str:
    labels = {
        "save": _("saved"),
        "submit": _("submitted"),
        "accept": _("accepted"),
        "return": _("returned"),
    }
    return labels.get(action, action)
