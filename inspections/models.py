"""Site visits (현장점검) of funded projects and their findings (지적 사항).

A call defines the checklist its visits go through; a visit copies the
checklist's words onto its answers when the result is recorded, so a later
edit of the checklist never rewrites what was checked. Statuses change only
through ``inspections.workflow`` (called by ``inspections.services``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cms.models import english_active
from common.models import private_storage
from competitions.attachments import validate_attachment


class VisitChecklistItem(models.Model):
    """One line of a call's site-visit checklist, in both languages."""

    call = models.ForeignKey(
        "competitions.CallPage",
        verbose_name=_("call"),
        on_delete=models.CASCADE,
        related_name="visit_checklist",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text_ko = models.CharField(_("item (Korean)"), max_length=300)
    text_en = models.CharField(_("item (English)"), max_length=300, blank=True)

    class Meta:
        ordering = ["call", "order", "pk"]
        verbose_name = _("site-visit checklist item")
        verbose_name_plural = _("site-visit checklist items")

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        return (self.text_en if english_active() else "") or self.text_ko


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", pgettext_lazy("site visit status", "Done")
    CANCELLED = "cancelled", _("Cancelled")


class SiteVisit(models.Model):
    """A visit the city plans to a project: when, who goes, why; then what
    the checklist showed (``answers``) and what must be corrected
    (``findings``)."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="site_visits",
    )
    planned_on = models.DateField(_("visit date"))
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspectors"),
        related_name="site_visits",
    )
    purpose = models.TextField(_("purpose"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=VisitStatus.choices,
        default=VisitStatus.PLANNED,
    )
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("planned by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    planned_at = models.DateTimeField(_("planned at"))
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    summary = models.TextField(pgettext_lazy("site visit", "summary"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        ordering = ["-planned_on", "-pk"]
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")

    def __str__(self):
        return f"{self.project.code} {self.planned_on:%Y-%m-%d}"

    @property
    def district(self):
        return self.project.district


class Answer(models.TextChoices):
    OK = "ok", _("In order")
    NOT_OK = "not_ok", _("Not in order")
    NOT_APPLICABLE = "na", _("Not applicable")


class ChecklistAnswer(models.Model):
    """What the visit found for one checklist item (its words copied)."""

    visit = models.ForeignKey(
        SiteVisit,
        verbose_name=_("site visit"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text_ko = models.CharField(_("item (Korean)"), max_length=300)
    text_en = models.CharField(_("item (English)"), max_length=300, blank=True)
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["visit", "order", "pk"]
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        return (self.text_en if english_active() else "") or self.text_ko


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    MODERATE = "moderate", _("Moderate")
    SERIOUS = "serious", _("Serious")


class FindingStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("finding status", "Open")
    ANSWERED = "answered", pgettext_lazy("finding status", "Answered")
    CLOSED = "closed", pgettext_lazy("finding status", "Closed")


class Finding(models.Model):
    """A finding (지적 사항) of a visit and its corrective action (시정 조치),
    due by a date; the district answers, the city closes or returns it."""

    visit = models.ForeignKey(
        SiteVisit,
        verbose_name=_("site visit"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("finding"))
    severity = models.CharField(
        pgettext_lazy("finding", "severity"), max_length=16, choices=Severity.choices
    )
    corrective_action = models.TextField(_("corrective action required"))
    due_on = models.DateField(_("due by"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=FindingStatus.choices,
        default=FindingStatus.OPEN,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    answer = models.TextField(_("district's answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("corrective action", "answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(
        pgettext_lazy("corrective action", "answered at"), null=True, blank=True
    )
    city_comment = models.TextField(_("city's comment"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["visit", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "number"], name="one_number_per_finding_of_a_visit"
            )
        ]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self):
        return f"{self.visit} #{self.number}"

    @property
    def project(self):
        return self.visit.project


def evidence_path(instance, filename: str) -> str:
    # Paths carry ids only; names chosen by users stay in the database.
    return f"inspections/{instance.finding.visit_id}/{instance.finding_id}/{filename}"


class FindingAttachment(models.Model):
    """Evidence of a corrective action, on private storage, checked as a
    proposal's attachments are (type by content, macros, size); served only
    by the download view, which asks the access module first."""

    finding = models.ForeignKey(
        Finding,
        verbose_name=_("finding"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(
        _("file"),
        storage=private_storage,
        upload_to=evidence_path,
        max_length=300,
        validators=[validate_attachment],
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["finding", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.filename

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""


class FindingTransition(models.Model):
    """One move of a finding: who, when, from, to, and the words with it."""

    finding = models.ForeignKey(
        Finding,
        verbose_name=_("finding"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    action = models.CharField(
        pgettext_lazy("inspection history", "action"), max_length=16
    )
    from_status = models.CharField(
        _("from"), max_length=16, choices=FindingStatus.choices
    )
    to_status = models.CharField(_("to"), max_length=16, choices=FindingStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("finding status change")
        verbose_name_plural = _("finding status changes")

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"
