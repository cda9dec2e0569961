from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    """Site visits (현장점검): the city's visits to a funded project, the
    call's checklist, and the findings (지적 사항) the district corrects."""

    name = "inspections"
    verbose_name = _("Site visits")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts.roles import EXTRA_ROLE_PERMISSIONS, Role

        from . import notices  # noqa: F401  (registers the kinds of notice)

        EXTRA_ROLE_PERMISSIONS[Role.CITY_MANAGER] += [
            "inspections.view_sitevisit",
            "inspections.view_visitchecklistitem",
            "inspections.add_visitchecklistitem",
            "inspections.change_visitchecklistitem",
            "inspections.delete_visitchecklistitem",
        ]
        for role in (Role.DISTRICT_OFFICER, Role.DISTRICT_APPROVER):
            EXTRA_ROLE_PERMISSIONS[role] += ["inspections.view_sitevisit"]
