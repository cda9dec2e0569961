from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpreadsheetsConfig(AppConfig):
    """Monthly reports through Excel: templates, uploads, bulk historical import."""

    name = "reporting.spreadsheets"
    label = "spreadsheets"
    verbose_name = _("Report spreadsheets")
    default_auto_field = "django.db.models.BigAutoField"
