from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "calendars"
    verbose_name = _("Deadline calendar")
    default_auto_field = "django.db.models.BigAutoField"
