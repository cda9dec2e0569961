"""The monthly report's state machine: statuses, allowed moves, who may make them.

    (none) ─save─▶ draft ─submit─▶ submitted ─accept─▶ accepted (locked)
                     │                 └─return─▶ returned ─save─▶ draft (new version)
                     └─submit (call needs sign-off)─▶ awaiting approver
    awaiting approver ─sign_off─▶ submitted
    awaiting approver ─approver_return─▶ returned
    accepted ─reopen (city, with reason)─▶ draft (new version, a copy of the accepted)

The status is the current version's. Services call ``require`` before a move and
``record`` after it; nothing else writes ``status``. Every move is a
``ReportTransition``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Organisation, User

from .models import MonthlyReport, ReportStatus, ReportTransition, ReportVersion

S = ReportStatus


def city_manager(user: User, district: Organisation) -> bool:
    return access.is_city_manager(user)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str | None, ...]  # None: the report has no version yet
    target: str | None  # None: decided by the service (submit: sign-off or not)
    may: Callable[[User, Organisation], bool]
    needs_note: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition("save", (None, S.DRAFT, S.RETURNED), S.DRAFT, access.is_officer_of),
        Transition("submit", (S.DRAFT,), None, access.is_officer_of),
        Transition(
            "sign_off", (S.AWAITING_APPROVAL,), S.SUBMITTED, access.is_approver_of
        ),
        Transition(
            "approver_return",
            (S.AWAITING_APPROVAL,),
            S.RETURNED,
            access.is_approver_of,
            needs_note=True,
        ),
        Transition("accept", (S.SUBMITTED,), S.ACCEPTED, city_manager),
        Transition("return", (S.SUBMITTED,), S.RETURNED, city_manager, needs_note=True),
        Transition("reopen", (S.ACCEPTED,), S.DRAFT, city_manager, needs_note=True),
    ]
}


def current_status(report: MonthlyReport | None) -> str | None:
    if report is None or report.current_version_id is None:
        return None
    return report.status


def may(
    user: User, action: str, *, district: Organisation, report: MonthlyReport | None
) -> bool:
    """May this user take this action now (status and role both allow it)?"""
    transition = TRANSITIONS[action]
    return current_status(report) in transition.sources and transition.may(
        user, district
    )


def allowed_actions(user: User, report: MonthlyReport) -> list[str]:
    return [
        action
        for action in TRANSITIONS
        if may(user, action, district=report.district, report=report)
    ]


def require(
    user: User,
    action: str,
    *,
    district: Organisation,
    report: MonthlyReport | None,
    note: str = "",
) -> Transition:
    """Refuse a move the user may not make (PermissionDenied) or the report's
    status does not allow (ValidationError with a code, in the reader's language)."""
    transition = TRANSITIONS[action]
    if not transition.may(user, district):
        raise PermissionDenied
    status = current_status(report)
    if status not in transition.sources:
        if report is not None and report.is_locked:
            raise ValidationError(
                _(
                    "An accepted month is locked; a city manager must reopen it, with a "
                    "reason, before it can be corrected."
                ),
                code="month_locked",
            )
        raise ValidationError(
            _("This action is not possible in the current status (%(status)s).")
            % {"status": ReportStatus(status).label if status else "-"},
            code="wrong_status",
        )
    if transition.needs_note and not (note or "").strip():
        raise ValidationError(
            {
                "note": ValidationError(
                    _("A comment (reason) is required."), code="note_required"
                )
            }
        )
    return transition


def record(
    *,
    report: MonthlyReport,
    version: ReportVersion,
    action: str,
    from_status: str | None,
    to_status: str,
    actor: User | None,
    at: datetime,
    note: str = "",
) -> ReportTransition:
    """Set the new status on version and report and record the move."""
    version.status = to_status
    version.save(update_fields=["status"])
    report.status = to_status
    report.current_version = version
    report.save(update_fields=["status", "current_version", "updated_at"])
    return ReportTransition.objects.create(
        report=report,
        version=version,
        action=action,
        from_status=from_status or "",
        to_status=to_status,
        actor=actor,
        at=at,
        note=note,
    )
