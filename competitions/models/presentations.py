"""Presentation reviews (발표 심사): a call's timetable of sessions (a time,
a room or a video link) with one slot per shortlisted proposal, and the
panel's presentation scores, a second score set on the call's rubric.

Scores follow the document review's rules: blind, one decimal place, each
criterion 0 to its weight, never by a reviewer tied to the district. The
ranking combines the two by the call's weight of the presentation stage."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class PresentationSession(models.Model):
    """A sitting of the presentation review: when and where (Asia/Seoul)."""

    call = models.ForeignKey(
        "competitions.CallPage",
        verbose_name=_("call"),
        on_delete=models.CASCADE,
        related_name="presentation_sessions",
    )
    starts_at = models.DateTimeField(_("starts at"))
    room = models.CharField(_("room"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)

    class Meta:
        ordering = ["call", "starts_at", "pk"]
        verbose_name = _("presentation session")
        verbose_name_plural = _("presentation sessions")

    def __str__(self):
        return f"{self.call_id}: {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def place(self) -> str:
        return self.room or self.video_link


class PresentationSlot(models.Model):
    """One proposal's presentation: its start and length within a session."""

    session = models.ForeignKey(
        PresentationSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="slots",
    )
    proposal = models.OneToOneField(
        "competitions.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="presentation_slot",
    )
    starts_at = models.DateTimeField(_("starts at"))
    length_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )

    class Meta:
        ordering = ["session__starts_at", "starts_at", "pk"]
        verbose_name = _("presentation slot")
        verbose_name_plural = _("presentation slots")

    def __str__(self):
        return f"{self.proposal} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.length_minutes)


class PresentationTimetableSending(models.Model):
    """The timetable sent to the districts and the panel (each sending kept)."""

    call = models.ForeignKey(
        "competitions.CallPage",
        verbose_name=_("call"),
        on_delete=models.CASCADE,
        related_name="presentation_sendings",
    )
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        ordering = ["call", "-sent_at", "-pk"]
        verbose_name = _("timetable sending")
        verbose_name_plural = _("timetable sendings")

    def __str__(self):
        return f"{self.call_id}: {self.sent_at:%Y-%m-%d %H:%M}"


class PresentationReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class PresentationReview(models.Model):
    """One reviewer's presentation scores of one proposal; submitting locks it."""

    slot = models.ForeignKey(
        PresentationSlot,
        verbose_name=_("presentation slot"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="presentation_reviews",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PresentationReviewStatus.choices,
        default=PresentationReviewStatus.DRAFT,
    )
    comment = models.TextField(_("overall comment"), blank=True)
    updated_at = models.DateTimeField(_("saved at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["slot", "reviewer__username"]
        verbose_name = _("presentation review")
        verbose_name_plural = _("presentation reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "reviewer"], name="unique_presentation_review"
            )
        ]

    def __str__(self):
        return f"{self.slot} – {self.reviewer}"

    @property
    def is_submitted(self) -> bool:
        return self.status == PresentationReviewStatus.SUBMITTED


class PresentationScore(models.Model):
    """The presentation score of one rubric criterion, 0 to its weight."""

    review = models.ForeignKey(
        PresentationReview,
        verbose_name=_("presentation review"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    criterion = models.ForeignKey(
        "competitions.RubricCriterion",
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1)

    class Meta:
        ordering = ["review", "criterion__sort_order", "criterion__pk"]
        verbose_name = _("presentation score")
        verbose_name_plural = _("presentation scores")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="unique_presentation_score"
            )
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"
