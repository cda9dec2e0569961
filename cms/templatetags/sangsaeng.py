from django import template
from django.utils.translation import gettext as _

from cms.models import english_active

register = template.Library()


@register.simple_tag
def localized(obj, field_name: str):
    """``{% localized obj "name" %}``: the English twin when English is active."""
    if english_active():
        english = getattr(obj, f"{field_name}_en", "")
        if english:
            return english
    return getattr(obj, f"{field_name}_ko", None) or getattr(obj, field_name, "")


@register.filter
def krw(amount) -> str:
    """12345000 → '12,345,000원'."""
    if amount is None or amount == "":
        return ""
    return _("KRW %(amount)s") % {"amount": f"{int(amount):,}"}
