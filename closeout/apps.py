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
        from django.utils.translation import gettext

        from funding.settlement import final_report_money, settlement_close_blocker
        from inspections.selectors import close_blocker, final_report_findings

        from . import conditions, sections

        conditions.register_builtin_conditions()
        # A project closes only when its settlement (정산) is done and every
        # finding of its site visits (현장점검) is closed; the final report
        # carries both, frozen when it is submitted.
        conditions.register_close_condition(settlement_close_blocker)
        conditions.register_close_condition(close_blocker)
        sections.register_final_report_section(
            "settlement", lambda: gettext("Spending and settlement"), final_report_money
        )
        sections.register_final_report_section(
            "findings",
            lambda: gettext("Findings of the site visits"),
            final_report_findings,
        )
