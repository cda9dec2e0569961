"""Sending an announcement: recorded, then delivered through notifications."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from competitions.models import CallPage
from notifications.services import notify

from .models import CALL_AUDIENCES, Announcement, Audience
from .selectors import audience_members


@transaction.atomic
def announcement_send(
    *,
    actor: User,
    title: str,
    body: str,
    audience: str,
    call: CallPage | None = None,
    now: datetime | None = None,
) -> Announcement:
    """Record the announcement with the people it reaches and tell each of
    them through ``notifications.notify`` (the inbox, and e-mail as each
    chose). City managers only; refused, with nothing saved, without a title
    or a message, without the call a call's audience needs, or when the
    audience has nobody in it."""
    if not access.can(actor, "send_announcement"):
        raise PermissionDenied
    title, body = title.strip(), body.strip()
    errors = {}
    if not title:
        errors["title"] = ValidationError(
            _("Give the announcement a title."), code="announcement_title_required"
        )
    if not body:
        errors["body"] = ValidationError(
            _("Write the message to send."), code="announcement_body_required"
        )
    if audience not in Audience.values:
        errors["audience"] = ValidationError(
            _("Choose who receives the announcement."),
            code="announcement_audience_unknown",
        )
    elif audience in CALL_AUDIENCES and call is None:
        errors["call"] = ValidationError(
            _("Choose the call whose applicants or panel receive the announcement."),
            code="announcement_call_required",
        )
    if errors:
        raise ValidationError(errors)
    if audience not in CALL_AUDIENCES:
        call = None
    people = list(audience_members(audience=audience, call=call))
    if not people:
        raise ValidationError(
            {
                "audience": ValidationError(
                    _(
                        "Nobody is in this audience yet (no active person): "
                        "choose another audience or call."
                    ),
                    code="announcement_no_recipients",
                )
            }
        )
    announcement = Announcement.objects.create(
        title=title,
        body=body,
        audience=audience,
        call=call,
        sent_by=actor,
        sent_at=now or timezone.now(),
    )
    announcement.recipients.set(people)
    notify(
        recipients=people,
        kind="announcement",
        dedupe_key=f"announcement:{announcement.pk}",
        params={"title": title, "text": body},
        call=call,
    )
    return announcement
