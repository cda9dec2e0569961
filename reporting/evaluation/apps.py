from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """Roll-ups, dashboards, evaluation reports, grades, outcomes pages and open data."""

    name = "reporting.evaluation"
    label = "evaluation"
    verbose_name = _("Roll-up and evaluation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts.roles import EXTRA_ROLE_PERMISSIONS, Role

        from .caching import connect_signals

        connect_signals()

        EXTRA_ROLE_PERMISSIONS[Role.CITY_MANAGER] += [
            "evaluation.view_evaluationscheme",
            "evaluation.add_evaluationscheme",
            "evaluation.change_evaluationscheme",
            # Read only: the reviewers enter their own qualitative scores.
            "evaluation.view_qualitativescore",
            "evaluation.view_projectevaluation",
        ]
