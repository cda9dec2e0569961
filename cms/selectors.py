"""What the public home page reads: calls with their countdown, the latest
results and the latest year's outcomes in figures."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

LATEST_RESULTS = 3


@dataclass(frozen=True)
class CallCountdown:
    """A call on the home page: open (days to the deadline) or upcoming (days
    to the opening), counted in calendar days in Seoul (D-day is 0)."""

    call: object
    state: str
    days_left: int
    moment: datetime


@dataclass(frozen=True)
class HeadlineFigures:
    """A year's outcomes in a few figures, each in its own unit (projects,
    districts, people, per cent): never added to one another."""

    page: object
    year: int
    month: int
    project_count: int
    district_count: int
    jobs_created: int
    jobs_target: int
    achievement: Decimal | None


def home_calls(*, now: datetime | None = None) -> list[CallCountdown]:
    """Open calls (nearest deadline first), then upcoming ones (soonest first)."""
    from competitions.models.calls import CallState
    from competitions.selectors.calls import calls_by_state, days_left

    now = now or timezone.now()
    grouped = calls_by_state(now=now)
    listed = [
        CallCountdown(
            call, CallState.OPEN, days_left(until=call.deadline, now=now), call.deadline
        )
        for call in grouped[CallState.OPEN]
    ]
    listed += [
        CallCountdown(
            call,
            CallState.UPCOMING,
            days_left(until=call.opens_at, now=now),
            call.opens_at,
        )
        for call in grouped[CallState.UPCOMING]
    ]
    return listed


def latest_results(*, limit: int = LATEST_RESULTS) -> list:
    """The last published results pages, latest announcement first."""
    from competitions.models import CallResultsPage

    pages = (
        CallResultsPage.objects.live()
        .public()
        .order_by("-announced_on", "-first_published_at")
    )
    return list(pages[:limit])


def headline_figures() -> HeadlineFigures | None:
    """The latest year's figures for the home page, from the same public
    roll-up the outcomes page shows."""
    from reporting.evaluation.public.selectors import headline_figures as latest

    return latest()
