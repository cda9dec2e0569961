from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicator catalogue")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_core, sender=self)

        from accounts.roles import EXTRA_ROLE_PERMISSIONS, Role

        # The city keeps the catalogue and its rules; districts read both (what
        # a figure means, what their reports are checked against); reviewers
        # read the indicators a proposal's outputs are measured with.
        EXTRA_ROLE_PERMISSIONS[Role.CITY_MANAGER] += [
            f"indicators.{verb}_{model}"
            for model in ("indicator", "validationrule")
            for verb in ("view", "add", "change", "delete")
        ]
        for role in (Role.DISTRICT_OFFICER, Role.DISTRICT_APPROVER):
            EXTRA_ROLE_PERMISSIONS[role] += [
                "indicators.view_indicator",
                "indicators.view_validationrule",
            ]
        EXTRA_ROLE_PERMISSIONS[Role.REVIEWER] += ["indicators.view_indicator"]


def _ensure_core(**kwargs):
    # After migrate and after a test's flush: the core entries and default
    # rules are always there (the reporting code names them by code).
    from .builtins import ensure_core

    ensure_core()
