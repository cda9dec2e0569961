from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicator catalogue")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_core, sender=self)


def _ensure_core(**kwargs):
    # After migrate and after a test's flush: the core entries and default
    # rules are always there (the reporting code names them by code).
    from .builtins import ensure_core

    ensure_core()
