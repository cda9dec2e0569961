"""The month a screen shows, read from its query string: ``?year=2019&month=10``
(the picker's GET form) or ``?month=2019-10`` (the previous/next links and older
bookmarks). A value that is not a month — a typo, month 13, year 99999 — is not
a 404: the screen shows its usual month and says what was wrong."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from projects.months import add_months, month_label, parse_month

FIRST_YEAR = 2000
LAST_YEAR = 2100


@dataclass(frozen=True)
class MonthChoice:
    period: date
    # Empty when the query named a month (or none); otherwise what to tell the person.
    error: str = ""
    error_code: str = ""

    @property
    def previous(self) -> date:
        return add_months(self.period, -1)

    @property
    def next(self) -> date:
        return add_months(self.period, 1)

    def picker(self, *, today: date) -> dict:
        """What the year/month picker shows: the years around the chosen one
        and today, and the twelve months."""
        low = min(self.period.year, today.year) - 5
        high = max(self.period.year, today.year) + 1
        return {
            "period": self.period,
            "label": month_label(self.period),
            "years": list(range(max(low, FIRST_YEAR), min(high, LAST_YEAR) + 1)),
            "months": list(range(1, 13)),
            "previous": self.previous,
            "next": self.next,
        }


def _int(text: str) -> int:
    text = (text or "").strip()
    if not text.isdigit():
        raise ValueError(text)
    return int(text)


def month_from_query(query, *, default: date) -> MonthChoice:
    """The month named by ``query`` (a QueryDict), else ``default``."""
    year_text = (query.get("year") or "").strip()
    month_text = (query.get("month") or "").strip()
    if not year_text and not month_text:
        return MonthChoice(default)
    typed = f"{year_text}-{month_text}" if year_text else month_text
    try:
        if year_text or (month_text and "-" not in month_text):
            year = _int(year_text) if year_text else default.year
            month = _int(month_text) if month_text else default.month
            if not 1 <= month <= 12:
                raise ValueError(month_text)
            period = date(year, month, 1)
        else:
            period = parse_month(month_text)
        if not FIRST_YEAR <= period.year <= LAST_YEAR:
            raise ValueError(typed)
    except ValueError:
        return MonthChoice(
            default,
            _(
                "“%(typed)s” is not a month this screen can show: choose a year "
                "from %(first)s to %(last)s and a month from 1 to 12."
            )
            % {"typed": typed, "first": FIRST_YEAR, "last": LAST_YEAR},
            "month_not_valid",
        )
    return MonthChoice(period)
