from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CloseoutConfig(AppConfig):
    """The end of a project: its final report (결과 보고서) and its closing
    (사업 종료), with the registries other apps fill (close conditions, report
    sections)."""

    name = "closeout"
    verbose_name = _("Final reports and closing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import conditions

        conditions.register_builtin_conditions()
