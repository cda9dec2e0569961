"""Values as a person reads them, in the active language: one helper per kind
of value, used by the admin's columns (common/columns.py), its templates (the
``formats`` template library) and anywhere else a value is shown.

- a person: their name, not their username (``person_name``);
- a month: "2019년 10월" / "October 2019", never a day (``month_label``; not
  ``projects.months.month_label``, which is the "2019-10" key of URLs and files);
- money: "1,234,000원" / "KRW 1,234,000" (``won``);
- a yes-or-no: a word, never True/False (``yes_no``);
- a report's status code: its word (``report_status_label``).
"""

from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

EMPTY = "–"


def person_name(user) -> str:
    """The person's name as they gave it (Wagtail's own order: first name, then
    last name), their username only when they gave none; "–" for nobody."""
    if user is None or user == "":
        return EMPTY
    get_full_name = getattr(user, "get_full_name", None)
    if get_full_name is None:
        return str(user)
    return get_full_name().strip() or user.get_username()


def month_label(value) -> str:
    """A month as words: "2019년 10월" in Korean, "October 2019" in English.
    Takes a date (any day of the month), an aware datetime (read in Seoul) or
    a "2019-10" key; anything else is shown as it is."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, str):
        from projects.months import parse_month

        try:
            value = parse_month(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    if not isinstance(value, date):
        return str(value)
    return formats.date_format(value, "YEAR_MONTH_FORMAT")


def won(amount) -> str:
    """Whole won with thousands separators: "1,234,000원" / "KRW 1,234,000"."""
    if amount is None or amount == "":
        return EMPTY
    try:
        whole = int(amount)
    except (TypeError, ValueError):
        return str(amount)
    return gettext("KRW %(amount)s") % {"amount": f"{whole:,}"}


YES, NO = _("Yes"), _("No")


def yes_no(value, yes=None, no=None) -> str:
    """A word for a yes-or-no ("예" / "아니요" unless the caller names the two
    states, such as "잠김" / "열림"); "–" when unknown."""
    if value is None:
        return EMPTY
    return str((yes or YES) if value else (no or NO))


def report_status_label(code: str) -> str:
    """A monthly report's status as its word ("제출됨"); "–" for none (the
    first move of a report starts from no status)."""
    if not code:
        return EMPTY
    from reporting.models import ReportStatus

    try:
        return str(ReportStatus(code).label)
    except ValueError:
        return code
