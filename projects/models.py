"""Funded projects (사업) and what was agreed for them, month by month.

A project's targets, budget and period are never edited in place: each agreement
is a ``ProjectPlan`` that applies from a month on (the first one from the
project's start, later ones from approved ``ChangeRequest``s). A report is
checked against ``project.plan_for(report month)``, so history stays true.
"""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation
from cms.models import english_active
from common.models import TimeStampedModel

from .months import months_between


class ProjectStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("project status", "Active")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    # Set and cleared only by closeout.workflow (closing, reopening).
    CLOSED = "closed", pgettext_lazy("project status", "Closed")


class Project(TimeStampedModel):
    """A selected proposal, funded: the district's project and its reporting
    schedule (a report per month, due on ``report_due_day`` of the next month)."""

    code = models.CharField(
        _("code"), max_length=32, unique=True, help_text=_("e.g. 2019-BP-01")
    )
    call = models.ForeignKey(
        "competitions.CallPage",
        verbose_name=_("call"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    source_proposal = models.OneToOneField(
        "competitions.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project",
    )
    district = models.ForeignKey(
        Organisation,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    title = models.CharField(_("project title"), max_length=200)
    title_en = models.CharField(
        _("project title (English)"), max_length=200, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    delivery_partners = models.TextField(_("delivery partners"), blank=True)
    period_start = models.DateField(_("first month"))
    period_end = models.DateField(_("last month"))
    report_due_day = models.PositiveSmallIntegerField(
        _("report due day"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("Day of the following month by which a monthly report is due."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProjectStatus.choices,
        default=ProjectStatus.ACTIVE,
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [models.Index(fields=["district", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="project_period_in_order",
            )
        ]

    def __str__(self):
        return f"{self.code} {self.display_title}"

    @property
    def display_title(self) -> str:
        return self.title_en if english_active() and self.title_en else self.title

    @property
    def months(self) -> list[date]:
        return months_between(self.period_start, self.period_end)

    def covers(self, month: date) -> bool:
        return self.period_start <= month <= self.period_end

    def plan_for(self, month: date) -> "ProjectPlan | None":
        """The plan in force for a month: the latest one effective by then (the
        first plan for any month before it)."""
        plans = self.plans.order_by("-effective_from", "-pk")
        return plans.filter(effective_from__lte=month).first() or plans.last()

    @property
    def current_plan(self) -> "ProjectPlan | None":
        return self.plans.order_by("-effective_from", "-pk").first()


class ProjectPlan(models.Model):
    """What was agreed for a project from ``effective_from`` on: period, shares,
    planned jobs per target group, output targets and budget lines."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="plans",
    )
    effective_from = models.DateField(_("applies from (month)"))
    period_start = models.DateField(_("first month"))
    period_end = models.DateField(_("last month"))
    city_share = models.PositiveBigIntegerField(_("city share (KRW)"), default=0)
    district_share = models.PositiveBigIntegerField(
        _("district share (KRW)"), default=0
    )
    approved_at = models.DateTimeField(_("agreed at"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agreed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    change_request = models.OneToOneField(
        "projects.ChangeRequest",
        verbose_name=_("change request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resulting_plan",
    )

    class Meta:
        ordering = ["project", "effective_from", "pk"]
        verbose_name = _("agreed plan")
        verbose_name_plural = _("agreed plans")

    def __str__(self):
        return f"{self.project.code} @ {self.effective_from:%Y-%m}"

    @property
    def total_budget(self) -> int:
        return self.city_share + self.district_share

    @property
    def planned_jobs(self) -> int:
        return sum(row.planned_jobs for row in self.target_groups.all())


class _Bilingual(models.Model):
    code = models.SlugField(_("code"), max_length=32)
    name_ko = models.CharField(_("Korean name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if english_active() and self.name_en else self.name_ko


class PlanTargetGroup(_Bilingual):
    plan = models.ForeignKey(
        ProjectPlan, on_delete=models.CASCADE, related_name="target_groups"
    )
    planned_jobs = models.PositiveIntegerField(_("planned jobs"))

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("planned jobs of a target group")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"], name="unique_plan_target_group"
            )
        ]


class PlanOutput(models.Model):
    """An output target of the plan: one of the catalogue's indicators (what
    the figure is, its unit, how it adds up) and the number agreed."""

    plan = models.ForeignKey(
        ProjectPlan, on_delete=models.CASCADE, related_name="outputs"
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    target = models.PositiveBigIntegerField(_("target"))

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("output target")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator"], name="one_target_per_plan_indicator"
            )
        ]

    def __str__(self):
        return self.name

    # The figure's meaning is the catalogue's: these read it from there.
    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def name(self) -> str:
        return self.indicator.name

    @property
    def name_ko(self) -> str:
        return self.indicator.name_ko

    @property
    def name_en(self) -> str:
        return self.indicator.name_en

    @property
    def unit(self) -> str:
        return self.indicator.unit

    @property
    def unit_ko(self) -> str:
        return self.indicator.unit_ko

    @property
    def unit_en(self) -> str:
        return self.indicator.unit_en


class PlanBudgetLine(_Bilingual):
    plan = models.ForeignKey(
        ProjectPlan, on_delete=models.CASCADE, related_name="budget_lines"
    )
    amount = models.PositiveBigIntegerField(_("amount (KRW)"))

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("budget line")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"], name="unique_plan_budget_line"
            )
        ]


class ChangeRequestStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ChangeRequest(models.Model):
    """A district's proposed change of targets, budget or period, with its reason;
    the city approves (a new ``ProjectPlan`` from ``effective_from``) or rejects.

    ``proposed`` holds the whole proposed plan as plain data (see
    ``projects.services.plan_data``), so the request shows exactly what would apply;
    ``in_force_before`` the plan it replaced (or would have replaced), in the same
    shape, written when the city decides: the decision reads the same before and
    after later changes (``projects.selectors.change_request_comparison``).
    """

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="change_requests",
    )
    effective_from = models.DateField(_("applies from (month)"))
    reason = models.TextField(_("reason"))
    proposed = models.JSONField(_("proposed values"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ChangeRequestStatus.choices,
        default=ChangeRequestStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    in_force_before = models.JSONField(
        _("values in force when decided"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")

    def __str__(self):
        return f"{self.project.code} @ {self.effective_from:%Y-%m} ({self.get_status_display()})"
