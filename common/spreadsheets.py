"""Helpers for every spreadsheet the system writes."""

from decimal import Decimal

# Text a spreadsheet program would read as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Numbers stay numbers; text that starts like a formula is neutralised with
    a leading apostrophe, as OWASP recommends, so a project title such as
    "=HYPERLINK(…)" is shown, never run."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
