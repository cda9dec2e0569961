from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Funded projects")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts.roles import EXTRA_ROLE_PERMISSIONS, Role

        EXTRA_ROLE_PERMISSIONS[Role.CITY_MANAGER] += [
            "projects.view_project",
            "projects.change_project",
            "projects.view_changerequest",
            "projects.change_changerequest",
        ]
        for role in (Role.DISTRICT_OFFICER, Role.DISTRICT_APPROVER):
            EXTRA_ROLE_PERMISSIONS[role] += [
                "projects.view_project",
                "projects.view_changerequest",
            ]
        EXTRA_ROLE_PERMISSIONS[Role.DISTRICT_OFFICER] += ["projects.add_changerequest"]
