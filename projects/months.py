"""Months as first-of-month dates, the unit of every project period and report."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + (month.month - 1) + count
    return date(index // 12, index % 12 + 1, 1)


def month_end(month: date) -> date:
    """The last day of the month."""
    return add_months(first_of_month(month), 1) - timedelta(days=1)


def months_between(start: date, end: date) -> list[date]:
    """Every month from start to end, both included."""
    months, month = [], first_of_month(start)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


def parse_month(text: str) -> date:
    """'2019-03' (or '2019-03-01') → date(2019, 3, 1); ValueError otherwise."""
    parts = text.strip().split("-")
    if len(parts) not in (2, 3):
        raise ValueError(text)
    return date(int(parts[0]), int(parts[1]), 1)


def month_label(month: date) -> str:
    return f"{month.year}-{month.month:02d}"


def seoul_today(now: datetime) -> date:
    return now.astimezone(SEOUL).date()
