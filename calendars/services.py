"""What changes a calendar address: making one, or a new one in its place."""

import secrets
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts import access
from accounts.models import User

from .models import CalendarFeed


def new_token() -> str:
    """256 random bits, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


@transaction.atomic
def calendar_feed_renew(*, user: User, now: datetime | None = None) -> CalendarFeed:
    """Give ``user`` a private calendar address, or a new one in place of the
    old, which answers 404 from then on (revoking is making a new one). Only
    for the person themself, and only for a role that has deadlines."""
    if not access.can(user, "keep_calendar_feed"):
        raise PermissionDenied
    now = now or timezone.now()
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        return CalendarFeed.objects.create(user=user, token=new_token(), created_at=now)
    feed.token = new_token()
    feed.created_at = now
    feed.save(update_fields=["token", "created_at"])
    return feed
