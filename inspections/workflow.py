"""The state machines of a site visit and of each of its findings.

Site visit (현장점검)::

    planned ──record (city)──▶ done
    planned ──cancel (city, reason)──▶ cancelled

Finding (지적 사항)::

    open ──answer (officer of the project's district)──▶ answered
    answered ──close (city)──▶ closed
    answered ──return (city, comment)──▶ open

Services call ``visit_require``/``finding_require`` and then ``visit_move``/
``finding_move``; nothing else writes a status. Each finding move is recorded
as a ``FindingTransition``; a visit's moves are on the visit itself (who
recorded it, when) and in the audit trail.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts import access
from accounts.models import Organisation, User

from .models import (
    Finding,
    FindingStatus,
    FindingTransition,
    SiteVisit,
    VisitStatus,
)

F = FindingStatus
V = VisitStatus


def _city_manager(user: User, district: Organisation) -> bool:
    return access.is_city_manager(user)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    may: Callable[[User, Organisation], bool]


VISIT_TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition("record", (V.PLANNED,), V.DONE, _city_manager),
        Transition("cancel", (V.PLANNED,), V.CANCELLED, _city_manager),
    ]
}

FINDING_TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition("answer", (F.OPEN,), F.ANSWERED, access.is_officer_of),
        Transition("close", (F.ANSWERED,), F.CLOSED, _city_manager),
        Transition("return", (F.ANSWERED,), F.OPEN, _city_manager),
    ]
}

# Findings that still stand between the project and its close.
UNCLOSED = (F.OPEN, F.ANSWERED)


def visit_require(user: User, action: str, visit: SiteVisit) -> None:
    """PermissionDenied for the wrong person, ValidationError for the wrong
    status (with the status in words)."""
    transition = VISIT_TRANSITIONS[action]
    if not transition.may(user, visit.project.district):
        raise PermissionDenied
    if visit.status not in transition.sources:
        raise ValidationError(
            _("This visit is %(status)s: it cannot be %(action)s now.")
            % {"status": visit.get_status_display(), "action": action_label(action)},
            code="wrong_status",
        )


def visit_move(*, visit: SiteVisit, action: str) -> None:
    visit.status = VISIT_TRANSITIONS[action].target


def finding_may(user: User, action: str, finding: Finding) -> bool:
    """May this user take this action on this finding now (status and role)?"""
    transition = FINDING_TRANSITIONS[action]
    return finding.status in transition.sources and bool(
        transition.may(user, finding.visit.project.district)
    )


def available_finding_actions(user: User, finding: Finding) -> list[str]:
    return [a for a in FINDING_TRANSITIONS if finding_may(user, a, finding)]


def finding_require(user: User, action: str, finding: Finding) -> None:
    transition = FINDING_TRANSITIONS[action]
    if not transition.may(user, finding.visit.project.district):
        raise PermissionDenied
    if finding.status not in transition.sources:
        raise ValidationError(
            _("Finding %(number)s is %(status)s: it cannot be %(action)s now.")
            % {
                "number": finding.number,
                "status": finding.get_status_display(),
                "action": action_label(action),
            },
            code="wrong_status",
        )


def finding_move(
    *, finding: Finding, action: str, actor: User | None, now: datetime, note: str = ""
) -> FindingTransition:
    """Record the move and change the status (the service has checked it)."""
    transition = FINDING_TRANSITIONS[action]
    record = FindingTransition.objects.create(
        finding=finding,
        action=action,
        from_status=finding.status,
        to_status=transition.target,
        actor=actor,
        at=now,
        note=note,
    )
    finding.status = transition.target
    return record


def action_label(action: str) -> str:
    labels = {
        "record": _("recorded"),
        "cancel": _("cancelled"),
        "answer": _("answered"),
        "close": pgettext("finding move", "closed"),
        "return": _("returned"),
    }
    return labels.get(action, action)
