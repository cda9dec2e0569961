"""Objections (이의 신청) to published results, and the city's answers.

A district officer objects to the decision on one of their district's
proposals within the call's window after the results are published; the city
answers each objection (upheld or rejected, in writing) and may change the
decision as a result (``competitions.services.objections``). The reason, the
answer and the attachments are private to the district and the city; the
public results page shows only counts and which decisions changed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation
from common.models import private_storage
from competitions.attachments import validate_attachment


class ObjectionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted: awaiting the city's answer")
    ANSWERED = "answered", _("Answered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", pgettext_lazy("objection outcome", "Upheld")
    REJECTED = "rejected", pgettext_lazy("objection outcome", "Rejected")


class Objection(models.Model):
    """A district's objection to the decision on one of its proposals. Its
    status changes only through ``competitions.objection_workflow``."""

    proposal = models.ForeignKey(
        "competitions.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    district = models.ForeignKey(
        Organisation,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.SUBMITTED,
        editable=False,
    )
    reason = models.TextField(_("reason for the objection"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=ObjectionOutcome.choices, blank=True
    )
    answer = models.TextField(_("the city's answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # Set when the city changed the decision because of this objection.
    decision_before = models.CharField(_("decision before"), max_length=16, blank=True)
    decision_after = models.CharField(_("decision after"), max_length=16, blank=True)
    decision_changed_at = models.DateTimeField(
        _("decision changed at"), null=True, blank=True
    )

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self):
        return f"{self.proposal} ({self.submitted_at:%Y-%m-%d})"

    @property
    def decision_changed(self) -> bool:
        return bool(self.decision_after)


def objection_attachment_path(instance, filename: str) -> str:
    # Paths carry ids only; names chosen by users stay in the database.
    return f"objections/{instance.objection_id or 'new'}/{filename}"


class ObjectionAttachment(models.Model):
    """A document backing an objection, on private storage, checked as a
    proposal's attachments are (type by content, macros, size)."""

    objection = models.ForeignKey(
        Objection,
        verbose_name=_("objection"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(
        _("file"),
        storage=private_storage,
        upload_to=objection_attachment_path,
        max_length=300,
        validators=[validate_attachment],
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["objection", "pk"]
        verbose_name = _("objection attachment")
        verbose_name_plural = _("objection attachments")

    def __str__(self):
        return self.title or self.filename

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""


class ObjectionTransition(models.Model):
    """One change of an objection's status: who, when, from, to."""

    objection = models.ForeignKey(
        Objection,
        verbose_name=_("objection"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_status = models.CharField(
        _("from"), max_length=16, choices=ObjectionStatus.choices, blank=True
    )
    to_status = models.CharField(
        _("to"), max_length=16, choices=ObjectionStatus.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["objection", "at", "pk"]
        verbose_name = _("objection status change")
        verbose_name_plural = _("objection status changes")

    def __str__(self):
        return f"{self.objection_id}: {self.from_status or '-'} → {self.to_status}"
