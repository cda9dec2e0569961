"""The state machines of the money: an agreement and each tranche.

Agreement::

    draft ──sign (city)──▶ signed ──(a later version signed)──▶ superseded

Tranche (only while the project has a signed agreement in force)::

    scheduled ──request (district officer)──▶ requested ──approve (city)──▶ approved
    refused ────request (district officer)──▶ requested ──refuse (city, reason)──▶ refused
    approved ──pay (city)──▶ paid

Settlement (정산), once the project's last month is over and its reports are
all accepted::

    draft ──submit (district officer)──▶ submitted ──accept (city)──▶ accepted
    returned ──submit (district officer)──▶ submitted ──return (city, comment)──▶ returned
    accepted ──settle (city records the return 반납)──▶ settled

(accepting a settlement with nothing to return settles it at once). An
accepted or settled settlement locks the project's money.

Services call ``tranche_move``, ``settlement_move`` and ``agreement_move`` and nothing else writes a
status; each tranche move is recorded as a ``TrancheTransition`` (the
agreement's signature is on the agreement itself and in the audit trail).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Organisation, User

from .models import (
    Agreement,
    AgreementStatus,
    Settlement,
    SettlementStatus,
    SettlementTransition,
    Tranche,
    TrancheStatus,
    TrancheTransition,
)

T = TrancheStatus
A = AgreementStatus


def _city_manager(user: User, district: Organisation) -> bool:
    return access.is_city_manager(user)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    may: Callable[[User, Organisation], bool]
    needs_note: bool = False


TRANCHE_TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(
            "request", (T.SCHEDULED, T.REFUSED), T.REQUESTED, access.is_officer_of
        ),
        Transition("approve", (T.REQUESTED,), T.APPROVED, _city_manager),
        Transition("refuse", (T.REQUESTED,), T.REFUSED, _city_manager, True),
        Transition("pay", (T.APPROVED,), T.PAID, _city_manager),
    ]
}

AGREEMENT_TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition("sign", (A.DRAFT,), A.SIGNED, _city_manager),
    ]
}

# Statuses whose amount the city has committed (approved) or paid.
COMMITTED_STATUSES = (T.APPROVED, T.PAID)


def tranche_may(user: User, action: str, tranche: Tranche) -> bool:
    """May this user take this action on this tranche now (status and role)?"""
    transition = TRANCHE_TRANSITIONS[action]
    return tranche.status in transition.sources and bool(
        transition.may(user, tranche.project.district)
    )


def available_tranche_actions(user: User, tranche: Tranche) -> list[str]:
    return [a for a in TRANCHE_TRANSITIONS if tranche_may(user, a, tranche)]


def tranche_require(user: User, action: str, tranche: Tranche) -> None:
    """PermissionDenied for the wrong person, ValidationError for the wrong
    status (with the status in words)."""
    transition = TRANCHE_TRANSITIONS[action]
    if not transition.may(user, tranche.project.district):
        raise PermissionDenied
    if tranche.status not in transition.sources:
        raise ValidationError(
            _(
                "Tranche %(number)s is %(status)s: this step (%(action)s) cannot be "
                "taken now."
            )
            % {
                "number": tranche.number,
                "status": tranche.get_status_display(),
                "action": action_label(action),
            },
            code="wrong_status",
        )


def tranche_move(
    *,
    tranche: Tranche,
    action: str,
    actor: User | None,
    now: datetime,
    note: str = "",
    amount: int | None = None,
) -> TrancheTransition:
    """Record the move and change the status (the service has checked it)."""
    transition = TRANCHE_TRANSITIONS[action]
    record = TrancheTransition.objects.create(
        tranche=tranche,
        action=action,
        from_status=tranche.status,
        to_status=transition.target,
        actor=actor,
        at=now,
        amount=amount,
        note=note,
    )
    tranche.status = transition.target
    return record


def agreement_require(user: User, action: str, agreement: Agreement) -> None:
    transition = AGREEMENT_TRANSITIONS[action]
    if not transition.may(user, agreement.district):
        raise PermissionDenied
    if agreement.status not in transition.sources:
        raise ValidationError(
            _("This agreement is %(status)s: it cannot be signed again.")
            % {"status": agreement.get_status_display()},
            code="wrong_status",
        )


S = SettlementStatus

SETTLEMENT_TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition("submit", (S.DRAFT, S.RETURNED), S.SUBMITTED, access.is_officer_of),
        Transition("return", (S.SUBMITTED,), S.RETURNED, _city_manager, True),
        Transition("accept", (S.SUBMITTED,), S.ACCEPTED, _city_manager),
        Transition("settle", (S.ACCEPTED,), S.SETTLED, _city_manager),
    ]
}

# Statuses in which the district may still change what it files.
SETTLEMENT_EDITABLE = (S.DRAFT, S.RETURNED)


def settlement_may(user: User, action: str, settlement: Settlement) -> bool:
    transition = SETTLEMENT_TRANSITIONS[action]
    return settlement.status in transition.sources and bool(
        transition.may(user, settlement.project.district)
    )


def available_settlement_actions(user: User, settlement: Settlement) -> list[str]:
    return [a for a in SETTLEMENT_TRANSITIONS if settlement_may(user, a, settlement)]


def settlement_require(user: User, action: str, settlement: Settlement) -> None:
    """PermissionDenied for the wrong person, ValidationError for the wrong
    status (with the status in words)."""
    transition = SETTLEMENT_TRANSITIONS[action]
    if not transition.may(user, settlement.project.district):
        raise PermissionDenied
    if settlement.status not in transition.sources:
        raise ValidationError(
            _(
                "This settlement is %(status)s: this step (%(action)s) cannot be taken now."
            )
            % {
                "status": settlement.get_status_display(),
                "action": action_label(action),
            },
            code="wrong_status",
        )


def settlement_move(
    *,
    settlement: Settlement,
    action: str,
    actor: User | None,
    now: datetime,
    note: str = "",
    returned: int | None = None,
) -> SettlementTransition:
    """Record the move and change the status (the service has checked it)."""
    transition = SETTLEMENT_TRANSITIONS[action]
    record = SettlementTransition.objects.create(
        settlement=settlement,
        action=action,
        from_status=settlement.status,
        to_status=transition.target,
        actor=actor,
        at=now,
        returned=returned,
        note=note,
    )
    settlement.status = transition.target
    return record


def action_label(action: str) -> str:
    labels = {
        "submit": _("submit the settlement"),
        "return": _("return it for changes"),
        "accept": _("accept the settlement"),
        "settle": _("record the return"),
        "request": _("request the payment"),
        "approve": _("approve the payment"),
        "refuse": _("refuse the payment"),
        "pay": _("record the payment"),
        "sign": _("sign"),
    }
    return labels.get(action, action)
