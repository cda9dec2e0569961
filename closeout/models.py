"""The final report (결과 보고서) of a project and the record of its closing.

A project has one ``FinalReport``; each filing is a ``FinalReportVersion``
(a returned report is answered with a new version, the old one kept with the
city's comment). A version's ``snapshot`` is the figures as they stood when it
was submitted — targets against results, retention, spending by category and
the sections other apps add — stored as JSON so it never changes afterwards;
counts and codes only, never personal data. Statuses change only through
``closeout.workflow``.

``ProjectClosure`` is the history of closing: one row per closing, with its
reopening (who, when, why) when it was reopened.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cms.models import english_active


class FinalReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("final report status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("final report status", "Submitted")
    RETURNED = "returned", pgettext_lazy("final report status", "Returned")
    ACCEPTED = "accepted", pgettext_lazy("final report status", "Accepted")


class FinalReport(models.Model):
    """The final report of one project; ``status`` is its current version's."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="final_report",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=FinalReportStatus.choices,
        default=FinalReportStatus.DRAFT,
    )
    created_at = models.DateTimeField(_("started at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(
        pgettext_lazy("final report", "accepted at"), null=True, blank=True
    )

    class Meta:
        ordering = ["project"]
        verbose_name = _("final report")
        verbose_name_plural = _("final reports")

    def __str__(self):
        return f"{self.project.code} {self.get_status_display()}"

    @property
    def current(self) -> "FinalReportVersion | None":
        return self.versions.order_by("-number").first()


class FinalReportVersion(models.Model):
    """One filing of the final report: the district's narrative and, once
    submitted, the frozen snapshot of the figures; the city's decision."""

    report = models.ForeignKey(
        FinalReport, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    achievements = models.TextField(_("achievements"), blank=True)
    achievements_en = models.TextField(_("achievements (English)"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    problems_en = models.TextField(_("problems (English)"), blank=True)
    lessons = models.TextField(_("lessons"), blank=True)
    lessons_en = models.TextField(_("lessons (English)"), blank=True)
    snapshot = models.JSONField(_("figures at submission"), null=True, blank=True)
    saved_at = models.DateTimeField(_("saved at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    city_comment = models.TextField(_("city's comment"), blank=True)

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("final report version")
        verbose_name_plural = _("final report versions")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="one_final_report_version_number"
            )
        ]

    def __str__(self):
        return f"{self.report.project.code} v{self.number}"

    def _localized(self, field: str) -> str:
        english = getattr(self, f"{field}_en")
        return english if english_active() and english else getattr(self, field)

    @property
    def achievements_text(self) -> str:
        return self._localized("achievements")

    @property
    def problems_text(self) -> str:
        return self._localized("problems")

    @property
    def lessons_text(self) -> str:
        return self._localized("lessons")


class FinalReportTransition(models.Model):
    """One move of a final report: who, when, from, to, and why."""

    report = models.ForeignKey(
        FinalReport, on_delete=models.CASCADE, related_name="transitions"
    )
    version = models.ForeignKey(
        FinalReportVersion,
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    action = models.CharField(_("action"), max_length=16)
    from_status = models.CharField(_("from"), max_length=16)
    to_status = models.CharField(_("to"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["report", "at", "pk"]
        verbose_name = _("final report history")
        verbose_name_plural = _("final report history")

    def __str__(self):
        return f"{self.report} {self.action}"

    @property
    def action_label(self) -> str:
        from .workflow import action_label

        return action_label(self.action)


class ProjectClosure(models.Model):
    """One closing of a project (사업 종료) and, if it was reopened, the
    reopening: close → reopen → close is two rows, all kept."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="closures",
    )
    previous_status = models.CharField(_("status before closing"), max_length=16)
    closed_at = models.DateTimeField(_("closed at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    class Meta:
        ordering = ["project", "closed_at", "pk"]
        verbose_name = _("closing of a project")
        verbose_name_plural = _("closings of projects")

    def __str__(self):
        return f"{self.project.code} {self.closed_at:%Y-%m-%d}"

    def get_additional_data(self) -> dict | None:
        """The audit trail's entry of a reopening says why (common.audit)."""
        if self.reopened_at is None:
            return None
        return {"kind": "project_reopened", "reason": self.reopen_reason}
