from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitionsConfig(AppConfig):
    name = "competitions"
    verbose_name = _("Calls and proposals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts.roles import EXTRA_ROLE_PERMISSIONS, Role

        # Which proposals and what may be done to them is decided by the access
        # module and the workflow; these only open the admin screens.
        additions = {
            Role.CITY_MANAGER: [
                "competitions.view_proposal",
                # Review and selection: panels, assignments, every review, decisions.
                "competitions.view_reviewerpanelmember",
                "competitions.add_reviewerpanelmember",
                "competitions.view_reviewassignment",
                "competitions.add_reviewassignment",
                "competitions.view_review",
                "competitions.view_selectiondecision",
                "competitions.add_selectiondecision",
                "competitions.change_selectiondecision",
                # The reviewer pool and its fields of expertise (평가위원 풀).
                *(
                    f"competitions.{verb}_{model}"
                    for model in ("reviewerpoolmember", "expertisefield")
                    for verb in ("view", "add", "change", "delete")
                ),
            ],
            # Which assignments and reviews is the access module's business.
            Role.REVIEWER: [
                "competitions.view_reviewassignment",
                "competitions.view_review",
                "competitions.add_review",
                "competitions.change_review",
            ],
            Role.DISTRICT_OFFICER: [
                "competitions.view_proposal",
                "competitions.add_proposal",
                "competitions.change_proposal",
            ],
            Role.DISTRICT_APPROVER: ["competitions.view_proposal"],
        }
        for role, permissions in additions.items():
            for permission in permissions:
                if permission not in EXTRA_ROLE_PERMISSIONS[role]:
                    EXTRA_ROLE_PERMISSIONS[role].append(permission)
