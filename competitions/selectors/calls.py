"""Things that read calls: the public list, a district's open calls, the time
left, and the calls the city is reviewing."""

from datetime import datetime

from django.utils import timezone

from accounts.models import Organisation

from ..models import CallIndexPage, CallPage
from ..models.calls import CallState
from ..workflow import SENT_TO_CITY_STATUSES


def calls_by_state(
    *, index_page: CallIndexPage | None = None, now: datetime | None = None
) -> dict[str, list[CallPage]]:
    """Live public calls grouped as open (nearest deadline first), upcoming
    (soonest first) and closed (latest first)."""
    now = now or timezone.now()
    calls = CallPage.objects.live().public()
    if index_page is not None:
        calls = calls.child_of(index_page)
    grouped: dict[str, list[CallPage]] = {state: [] for state in CallState.values}
    for call in calls:
        grouped[call.state(now)].append(call)
    grouped[CallState.OPEN].sort(key=lambda call: call.deadline)
    grouped[CallState.UPCOMING].sort(key=lambda call: call.opens_at)
    grouped[CallState.CLOSED].sort(key=lambda call: call.deadline, reverse=True)
    return grouped


def open_calls_for(
    *, district: Organisation | None, now: datetime | None = None
) -> list[CallPage]:
    """Open calls a district may send a proposal to."""
    now = now or timezone.now()
    if district is None:
        return []
    calls = CallPage.objects.live().filter(
        eligible_districts=district, opens_at__lte=now, deadline__gt=now
    )
    return list(calls.order_by("deadline"))


def time_left(*, call: CallPage, now: datetime | None = None) -> dict[str, int] | None:
    """Days, hours and minutes until the deadline; None once it has passed."""
    now = now or timezone.now()
    remaining = call.deadline - now
    if remaining.total_seconds() <= 0:
        return None
    minutes = int(remaining.total_seconds() // 60)
    return {
        "days": minutes // (24 * 60),
        "hours": minutes // 60 % 24,
        "minutes": minutes % 60,
    }


def calls_in_review(*, now: datetime | None = None) -> list[CallPage]:
    """Calls past their deadline that received proposals, latest first."""
    now = now or timezone.now()
    calls = CallPage.objects.filter(
        deadline__lte=now, proposals__status__in=SENT_TO_CITY_STATUSES
    ).distinct()
    return list(calls.order_by("-deadline"))
