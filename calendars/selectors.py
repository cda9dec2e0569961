"""What one person's deadline calendar holds: only their own dates.

Each section asks ``accounts.access`` for the address's owner, as any screen
would: a district's people get the calls their district may propose to and
the report due days of their district's projects; a reviewer the review
windows of the calls whose panel they sit on (or whose proposals they were
given); the city every call's deadline and review window and the report due
days of all projects. Report due days are one event per due day with the
number of projects due, never one per project.
Settlement (정산) due days likewise: one event per day with the projects whose
settlement falls due then (signed agreement, not yet accepted).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from common.formats import month_label
from competitions.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    CallPage,
    ReviewAssignment,
    ReviewerPanelMember,
)
from projects.models import Project, ProjectStatus
from projects.months import SEOUL, add_months, months_between

from .models import CalendarFeed

UID_DOMAIN = "sangsaeng"


@dataclass(frozen=True)
class CalendarEvent:
    """One event: ``start`` an aware datetime (a moment) or a date (all day,
    ``end`` the day after the last one, as iCalendar counts it)."""

    uid: str
    summary: str
    start: date | datetime
    end: date | None = None
    description: str = ""
    url: str = ""


def feed_of(user: User) -> CalendarFeed | None:
    return access.visible_to(user, CalendarFeed).filter(user=user).first()


def feed_by_token(token: str) -> CalendarFeed | None:
    """The address with this token, if its owner may still keep one (active,
    with a role that has deadlines)."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not access.can(feed.user, "keep_calendar_feed"):
        return None
    return feed


def absolute(path: str) -> str:
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"


def feed_url(feed: CalendarFeed) -> str:
    return absolute(reverse("calendars_feed", kwargs={"token": feed.token}))


def calendar_events(*, user: User) -> list[CalendarEvent]:
    """Every event of ``user``'s calendar, in the active language."""
    events = [
        *call_deadlines(user=user),
        *review_windows(user=user),
        *report_due_days(user=user),
        *settlement_due_days(user=user),
        *site_visit_dates(user=user),
    ]
    return sorted(events, key=lambda event: (_sort_key(event.start), event.uid))


def _sort_key(start: date | datetime) -> datetime:
    if isinstance(start, datetime):
        return start
    return datetime.combine(start, datetime.min.time(), tzinfo=SEOUL)


# --- calls ---------------------------------------------------------------------


def calls_for(user: User) -> list[CallPage]:
    """The calls whose deadline is the person's business: every live call for
    the city, the live calls a district may propose to for its people."""
    calls = CallPage.objects.live()
    if access.can(user, "manage_calls"):
        return list(calls.order_by("deadline"))
    district = access.user_district(user)
    if district is None:
        return []
    return list(calls.filter(eligible_districts=district).order_by("deadline"))


def call_deadlines(*, user: User) -> list[CalendarEvent]:
    events = []
    for call in calls_for(user):
        deadline = timezone.localtime(call.deadline, SEOUL)
        events.append(
            CalendarEvent(
                uid=f"call-{call.pk}-deadline@{UID_DOMAIN}",
                summary=_("Proposal deadline: %(call)s") % {"call": call.display_title},
                start=deadline,
                description=_(
                    "Proposals to this call must be submitted by %(time)s "
                    "(Asia/Seoul); the server's clock decides."
                )
                % {"time": f"{deadline:%Y-%m-%d %H:%M}"},
                url=call.get_full_url() or "",
            )
        )
    return events


# --- review windows ------------------------------------------------------------


def reviewed_calls_for(user: User) -> list[CallPage]:
    """Calls whose review window is the person's: every call for the city;
    for a reviewer the calls whose panel they sit on or whose proposals they
    were given (their own rows, as the access rules let them see)."""
    calls = CallPage.objects.live().filter(
        Q(review_starts_on__isnull=False) | Q(review_ends_on__isnull=False)
    )
    if access.can(user, "manage_review"):
        return list(calls.order_by("review_starts_on", "pk"))
    if not access.is_reviewer(user):
        return []
    panels = access.visible_to(user, ReviewerPanelMember).filter(reviewer=user)
    assignments = access.visible_to(user, ReviewAssignment).filter(
        reviewer=user, status__in=ACTIVE_ASSIGNMENT_STATUSES
    )
    return list(
        calls.filter(
            Q(pk__in=panels.values("call_id"))
            | Q(pk__in=assignments.values("proposal__call_id"))
        ).order_by("review_starts_on", "pk")
    )


def review_windows(*, user: User) -> list[CalendarEvent]:
    if access.can(user, "manage_review"):
        link = "review_calls"
    else:
        link = "review_my_assignments"
    events = []
    for call in reviewed_calls_for(user):
        first = call.review_starts_on or call.review_ends_on
        last = call.review_ends_on or call.review_starts_on
        assert first is not None and last is not None  # one of them, by the query
        events.append(
            CalendarEvent(
                uid=f"call-{call.pk}-review@{UID_DOMAIN}",
                summary=_("Review: %(call)s") % {"call": call.display_title},
                start=first,
                end=last + timedelta(days=1),
                description=_("Review window from %(first)s to %(last)s.")
                % {"first": f"{first:%Y-%m-%d}", "last": f"{last:%Y-%m-%d}"},
                url=absolute(reverse(link)),
            )
        )
    return events


# --- report due days -----------------------------------------------------------


def site_visit_dates(*, user: User) -> list[CalendarEvent]:
    """Site visits (현장점검) and the due days of open findings, as the
    inspections app lists them for the person."""
    from inspections.selectors import calendar_dates

    return [
        CalendarEvent(
            uid=f"{row['key']}@{UID_DOMAIN}",
            summary=row["summary"],
            start=row["day"],
            end=row["day"] + timedelta(days=1),
            description=row["description"],
            url=absolute(row["path"]),
        )
        for row in calendar_dates(user)
    ]


def report_due_days(*, user: User) -> list[CalendarEvent]:
    """One event per day on which monthly reports of the projects the person
    may see fall due: a district's people see their district's projects by
    code, the city a count per district."""
    projects = access.visible_to(
        user, Project.objects.exclude(status=ProjectStatus.CANCELLED)
    )
    district = access.user_district(user)
    english = (get_language() or "ko").startswith("en")
    rows = projects.values_list(
        "code",
        "district__name_en" if english else "district__name_ko",
        "period_start",
        "period_end",
        "report_due_day",
    ).order_by("code")
    due: dict[date, list[tuple[str, str, date]]] = defaultdict(list)
    for code, district_name, first, last, due_day in rows.iterator():
        for period in months_between(first, last):
            due[add_months(period, 1).replace(day=due_day)].append(
                (code, district_name, period)
            )
    scope = f"district-{district.pk}" if district is not None else "all"
    events = []
    for day, items in sorted(due.items()):
        months = sorted({period for _code, _name, period in items})
        summary = ngettext(
            "Monthly report due (%(months)s): %(count)d project",
            "Monthly reports due (%(months)s): %(count)d projects",
            len(items),
        ) % {
            "months": ", ".join(month_label(period) for period in months),
            "count": len(items),
        }
        if district is not None:
            lines = [f"{code} {month_label(period)}" for code, _name, period in items]
        else:
            per_district = Counter(name for _code, name, _period in items)
            lines = [
                ngettext(
                    "%(district)s: %(count)d project",
                    "%(district)s: %(count)d projects",
                    count,
                )
                % {"district": name, "count": count}
                for name, count in sorted(per_district.items())
            ]
        path = reverse("reporting_month")
        events.append(
            CalendarEvent(
                uid=f"reports-due-{day:%Y%m%d}-{scope}@{UID_DOMAIN}",
                summary=summary,
                start=day,
                end=day + timedelta(days=1),
                description="\n".join(lines),
                url=absolute(f"{path}?month={months[0]:%Y-%m}"),
            )
        )
    return events


# --- settlement due days -------------------------------------------------------


def settlement_due_days(*, user: User) -> list[CalendarEvent]:
    """One event per day on which settlements of the projects the person may
    see fall due (the call's days after the project's last month, 30 unless
    its conditions of grant say otherwise), until they are accepted."""
    from funding.models import SETTLEMENT_LOCKED, AgreementStatus, GrantConditions

    projects = (
        access.visible_to(user, Project.objects.exclude(status=ProjectStatus.CANCELLED))
        .filter(agreements__status=AgreementStatus.SIGNED)
        .exclude(settlement__status__in=SETTLEMENT_LOCKED)
        .distinct()
    )
    days_of = dict(
        GrantConditions.objects.values_list("call_id", "settlement_due_days")
    )
    district = access.user_district(user)
    due: dict[date, list[str]] = defaultdict(list)
    for code, call_id, last in projects.values_list(
        "code", "call_id", "period_end"
    ).order_by("code"):
        days = days_of.get(call_id, 30)
        due[add_months(last.replace(day=1), 1) + timedelta(days=days - 1)].append(code)
    scope = f"district-{district.pk}" if district is not None else "all"
    path = reverse("funding_settlements")
    return [
        CalendarEvent(
            uid=f"settlements-due-{day:%Y%m%d}-{scope}@{UID_DOMAIN}",
            summary=ngettext(
                "Settlement due: %(count)d project",
                "Settlements due: %(count)d projects",
                len(codes),
            )
            % {"count": len(codes)},
            start=day,
            end=day + timedelta(days=1),
            description="\n".join(codes),
            url=absolute(path),
        )
        for day, codes in sorted(due.items())
    ]
