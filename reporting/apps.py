from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Performance reporting")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts.roles import EXTRA_ROLE_PERMISSIONS, Role

        EXTRA_ROLE_PERMISSIONS[Role.CITY_MANAGER] += [
            "reporting.view_monthlyreport",
            "reporting.change_monthlyreport",
        ]
        # No add permission for anyone: a month's report is opened from its project
        # (the admin's add form would be an empty page reachable by URL).
        EXTRA_ROLE_PERMISSIONS[Role.DISTRICT_OFFICER] += [
            "reporting.view_monthlyreport",
            "reporting.change_monthlyreport",
        ]
        EXTRA_ROLE_PERMISSIONS[Role.DISTRICT_APPROVER] += [
            "reporting.view_monthlyreport",
            "reporting.change_monthlyreport",
        ]

        # Reminders are notices of their own kind (notifications.kinds).
        from notifications.kinds import register

        from .services.reminders import REMINDER_KIND

        register(REMINDER_KIND)
