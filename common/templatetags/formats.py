"""``{% load formats %}``: the helpers of common/formats.py as filters, so a
template shows a person, a month, money, a yes-or-no and a report status the
way every other screen does."""

from django import template

from common import formats

register = template.Library()

register.filter("person_name", formats.person_name)
register.filter("month_label", formats.month_label)
register.filter("won", formats.won)
register.filter("report_status", formats.report_status_label)


@register.filter
def yes_no(value, words: str = ""):
    """``{{ report.is_locked|yes_no:_("locked,open") }}``; plain "예"/"아니요"
    without words."""
    yes, _sep, no = str(words).partition(",") if words else ("", "", "")
    return formats.yes_no(value, yes or None, no or None)
