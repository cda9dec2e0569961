"""One person's events written as an iCalendar file (RFC 5545) that Outlook,
Google Calendar and Naver Calendar subscribe to: the basics only (PRODID,
VERSION, CALSCALE, METHOD:PUBLISH, the calendar's name as X-WR-CALNAME and
NAME), all-day events as dates, moments with TZID=Asia/Seoul and the
VTIMEZONE that defines it, and a UID per event that stays the same from one
fetch to the next so an application updates an event instead of doubling it."""

from collections.abc import Iterable
from datetime import datetime, timedelta

import icalendar

from projects.months import SEOUL

from .selectors import CalendarEvent

PRODID = "-//Sangsaeng//Deadline calendar//KO"
REFRESH = timedelta(hours=6)


def calendar_file(
    *, events: Iterable[CalendarEvent], name: str, uid: str, stamp: datetime
) -> bytes:
    calendar = icalendar.Calendar.new(
        prodid=PRODID,
        name=name,
        uid=uid,
        calscale="GREGORIAN",
        method="PUBLISH",
        refresh_interval=REFRESH,
    )
    calendar.add("X-WR-TIMEZONE", "Asia/Seoul")
    calendar.add("X-PUBLISHED-TTL", REFRESH)
    timed = False
    for event in events:
        start = event.start
        if isinstance(start, datetime):
            start, timed = start.astimezone(SEOUL), True
        component = icalendar.Event.new(
            uid=event.uid,
            summary=event.summary,
            start=start,
            end=event.end,
            stamp=stamp,
            description=event.description or None,
            url=event.url or None,
            transparency=icalendar.TRANSP.TRANSPARENT,
        )
        calendar.add_component(component)
    if timed:
        calendar.add_missing_timezones()
    return calendar.to_ical()
