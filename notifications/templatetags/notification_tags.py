"""The bell: the signed-in person's unread notices, on every admin page."""

from django import template
from django.template.loader import render_to_string

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def notification_bell(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return render_to_string(
        "notifications/bell.html",
        {"unread": selectors.unread_count(request)},
        request=request,
    )
