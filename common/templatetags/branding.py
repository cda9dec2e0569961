"""``{% load branding %}``: the product's name and the city's logo in the
admin (templates/wagtailadmin/…), one language at a time."""

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import gettext

register = template.Library()

DEFAULT_LOGO = "img/sangsaeng-emblem.svg"


@register.simple_tag
def product_name() -> str:
    """ "상생" to a Korean reader, "Sangsaeng" to an English one."""
    return gettext("Sangsaeng")


@register.simple_tag
def brand_logo_url() -> str:
    """The city's logo: ``SANGSAENG_BRAND_LOGO`` — a static file's path (the
    default emblem unless set) or a full address (``https://…`` or ``/media/…``)."""
    logo = getattr(settings, "SANGSAENG_BRAND_LOGO", "") or DEFAULT_LOGO
    if logo.startswith("/") or "://" in logo:
        return logo
    return static(logo)
