from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """Roll-ups, dashboards, evaluation reports, grades, outcomes pages and open data."""

    name = "reporting.evaluation"
    label = "evaluation"
    verbose_name = _("Roll-up and evaluation")
    default_auto_field = "django.db.models.BigAutoField"
