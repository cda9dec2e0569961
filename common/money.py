"""Money typed by a person: amounts in whole won, shown and typed with
thousands separators ("1,234,000"), posted and stored as integers.

``MoneyInput`` formats as the person types (assets/js/money-input.js, a static
file: the admin's Content-Security-Policy needs no inline script for it) and
hands the form the digits only; ``MoneyField`` turns them into an int and
refuses anything else with a message that says what to type."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# What people type around the digits of an amount: separators, spaces, "원",
# "KRW". Anything else (a letter, a decimal point) is not an amount.
_DECORATION = re.compile(r"[,\s\u00a0]|원$|^KRW", re.IGNORECASE)
_DIGITS = re.compile(r"^\d+$")


def money_digits(text: str) -> str:
    """ "1,234,000원" → "1234000"; text that is not an amount comes back as it
    was typed (stripped), for the field's or the checks' own message."""
    text = (text or "").strip()
    plain = _DECORATION.sub("", text)
    return plain if _DIGITS.match(plain) else text


def money_text(value) -> str:
    """1234000 → "1,234,000"; anything else as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, str) and _DIGITS.match(value):
        return f"{int(value):,}"
    return "" if value is None else str(value)


class MoneyInput(forms.TextInput):
    """A text input for won: shown with separators, read without them."""

    def __init__(self, attrs=None):
        defaults = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "data-money": "",
            "class": "money-input",
        }
        super().__init__({**defaults, **(attrs or {})})

    class Media:
        js = ["js/money-input.js"]

    def format_value(self, value):
        return money_text(value) or None

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return money_digits(value) if isinstance(value, str) else value


class MoneyField(forms.IntegerField):
    """Whole won, 0 or more, typed with or without separators."""

    widget = MoneyInput
    default_error_messages = {
        "invalid": _(
            "Type the amount in won with digits only, for example 1,234,000 "
            "(separators are fine; letters, signs and decimals are not)."
        ),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = money_digits(value)
            if value and not _DIGITS.match(value):
                raise ValidationError(
                    self.error_messages["invalid"], code="money_invalid"
                )
        return super().to_python(value)
