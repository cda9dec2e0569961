"""The reviewers' confidentiality and conflict-of-interest pledges (보안 서약,
이해충돌 서약), signed in the system for each call before any of its proposals
opens to them (the gate itself is the access rule in competitions.rules; the
review services ask again before a declaration or a score)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User

from ..models import CallPage, ReviewerPledge
from ..selectors.pledges import pledge_of, pledge_signed


def _refused(field: str, message: str, code: str) -> ValidationError:
    """A refusal on one field, with a stable code tests and callers can check."""
    return ValidationError({field: ValidationError(message, code=code)})


def require_pledge(*, reviewer: User, call: CallPage) -> None:
    """Refuse a step of the review of a call whose pledges the reviewer has not signed."""
    if not pledge_signed(reviewer=reviewer, call=call):
        raise _refused(
            "pledge",
            _(
                "Sign the confidentiality and conflict-of-interest pledges of this "
                "call before you open, declare on or score any of its proposals."
            ),
            "pledge_required",
        )


@transaction.atomic
def pledge_sign(
    *,
    call: CallPage,
    actor: User,
    confidentiality: bool,
    conflict: bool,
    ip_address: str | None = None,
    now: datetime | None = None,
) -> ReviewerPledge:
    """The reviewer signs both pledges of the call, as shown to them (the
    texts in their language are copied into the signature). Only a reviewer of
    the call signs, for themselves; both pledges must be accepted. Signing
    again changes nothing."""
    now = now or timezone.now()
    if not access.can(actor, "sign_pledge", call):
        raise _refused(
            "actor",
            _("Only a reviewer on this call's panel signs its pledges."),
            "not_on_panel",
        )
    existing = pledge_of(reviewer=actor, call=call)
    if existing is not None:
        return existing
    errors = {}
    if not confidentiality:
        errors["confidentiality"] = ValidationError(
            _("Tick the box to accept the confidentiality pledge."),
            code="confidentiality_not_accepted",
        )
    if not conflict:
        errors["conflict"] = ValidationError(
            _("Tick the box to accept the conflict-of-interest pledge."),
            code="conflict_not_accepted",
        )
    if errors:
        raise ValidationError(errors)
    return ReviewerPledge.objects.create(
        call=call,
        reviewer=actor,
        confidentiality_text=call.pledge_text("confidentiality"),
        conflict_text=call.pledge_text("conflict"),
        language=(translation.get_language() or "ko")[:8],
        signed_at=now,
        ip_address=ip_address,
    )
