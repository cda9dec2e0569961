"""The objection state machine (이의 신청): every status, every allowed move,
and who may make it.

    (new) ──submit──▶ submitted ──answer───▶ answered
                          └──────withdraw──▶ withdrawn

A district officer submits (within the call's window) and may withdraw until
the city answers; a city manager answers. Services call ``move`` and nothing
else changes ``Objection.status``; each move is an ``ObjectionTransition``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User

from .models import Objection, ObjectionStatus, ObjectionTransition

S = ObjectionStatus


def _officer_of_district(user: User, objection: Objection) -> bool:
    return access.is_officer_of(user, objection.district)


def _city_manager(user: User, objection: Objection) -> bool:
    return access.is_city_manager(user)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    may: Callable[[User, Objection], bool]


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition("submit", ("",), S.SUBMITTED, _officer_of_district),
        Transition("withdraw", (S.SUBMITTED,), S.WITHDRAWN, _officer_of_district),
        Transition("answer", (S.SUBMITTED,), S.ANSWERED, _city_manager),
    ]
}

# Statuses that count as "received" on the public results page.
RECEIVED_STATUSES = (S.SUBMITTED, S.ANSWERED)


def can(user: User, action: str, objection: Objection) -> bool:
    transition = TRANSITIONS[action]
    current = objection.status if objection.pk else ""
    return current in transition.sources and bool(transition.may(user, objection))


def available_actions(user: User, objection: Objection) -> list[str]:
    return [action for action in TRANSITIONS if can(user, action, objection)]


def move(
    *, objection: Objection, action: str, actor: User, now: datetime
) -> ObjectionTransition:
    """Take one allowed step and record it; a ValidationError otherwise.
    ``submit`` saves the new objection."""
    if not can(actor, action, objection):
        current = objection.status if objection.pk else ""
        if current not in TRANSITIONS[action].sources:
            raise ValidationError(
                {
                    "status": ValidationError(
                        _("This objection is %(status)s; this cannot be done now.")
                        % {"status": objection.get_status_display()},
                        code="wrong_status",
                    )
                }
            )
        raise ValidationError(
            {
                "status": ValidationError(
                    _("You may not do this to this objection."), code="not_allowed"
                )
            }
        )
    before = objection.status if objection.pk else ""
    objection.status = TRANSITIONS[action].target
    objection.save()
    return ObjectionTransition.objects.create(
        objection=objection,
        from_status=before,
        to_status=objection.status,
        actor=actor,
        at=now,
    )
