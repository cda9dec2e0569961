from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    """The money of a funded project: its grant agreement (협약) and the
    disbursement of the city's share (교부)."""

    name = "funding"
    verbose_name = _("Agreements and disbursement")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts.roles import EXTRA_ROLE_PERMISSIONS, Role

        from . import notices  # noqa: F401  (registers the kinds of notice)

        EXTRA_ROLE_PERMISSIONS[Role.CITY_MANAGER] += [
            "funding.view_agreement",
            "funding.change_agreement",
            "funding.view_grantconditions",
            "funding.add_grantconditions",
            "funding.change_grantconditions",
        ]
        for role in (Role.DISTRICT_OFFICER, Role.DISTRICT_APPROVER):
            EXTRA_ROLE_PERMISSIONS[role] += [
                "funding.view_agreement",
            ]
