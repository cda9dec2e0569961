from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from accounts import access


@hooks.register("register_admin_urls")
def register_calendar_urls():
    from .admin_urls import urlpatterns

    return urlpatterns


@hooks.register("register_account_menu_item")
def calendar_account_menu_item(request):
    """Account → More actions: one's private deadline calendar address."""
    if not access.can(request.user, "keep_calendar_feed"):
        return None
    return {
        "url": reverse("calendars_feed_settings"),
        "label": _("Deadline calendar"),
        "help_text": _("Your deadlines in Outlook, Google Calendar or Naver Calendar."),
    }
