"""Things that read calls: the public list, a district's open calls, the time
left, and the calls the city is reviewing."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation
from projects.months import SEOUL

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


StrOrPromise = str | Promise


@dataclass(frozen=True)
class TimelineStep:
    """One step of a call's public timeline (공고 → 접수 → 심사 → 발표)."""

    code: str
    label: StrOrPromise  # a lazy translation, read in the page's language
    starts: date | None
    ends: date | None
    state: str  # "done", "current" or "next"


def call_timeline(*, call: CallPage, now: datetime | None = None) -> list[TimelineStep]:
    """The call's dates as four steps, each done, current or next on the day in
    Seoul: the notice (공고) on the day it opens, receipt (접수) to the deadline,
    review (심사) and the announcement (발표); a step with no date yet is next."""
    today = (now or timezone.now()).astimezone(SEOUL).date()
    opens = call.opens_at.astimezone(SEOUL).date()
    deadline = call.deadline.astimezone(SEOUL).date()
    spans = [
        ("notice", pgettext_lazy("call timeline", "Notice"), opens, opens),
        ("receipt", pgettext_lazy("call timeline", "Receipt"), opens, deadline),
        (
            "review",
            pgettext_lazy("call timeline", "Review"),
            call.review_starts_on,
            call.review_ends_on,
        ),
        (
            "announcement",
            pgettext_lazy("call timeline", "Announcement"),
            call.announcement_on,
            call.announcement_on,
        ),
    ]
    steps = []
    for code, label, starts, ends in spans:
        if ends is not None and ends < today:
            state = "done"
        elif starts is not None and starts <= today:
            state = "current"
        else:
            state = "next"
        steps.append(TimelineStep(code, label, starts, ends, state))
    return steps


def days_left(*, until: datetime, now: datetime | None = None) -> int:
    """Calendar days from today to the day of ``until``, both in Seoul: 0 on
    the day itself (D-day), whatever the hour, so a countdown turns at
    midnight Seoul time and not at midnight UTC."""
    today = (now or timezone.now()).astimezone(SEOUL).date()
    return (until.astimezone(SEOUL).date() - today).days
