"""One notice per person: the outbox row (is it e-mailed, when, with what
outcome) and the inbox item (read or not) are the same record.

What a notice says is not stored as text: its kind and plain parameters are,
and the words are written when they are read or sent, in the reader's
language (``notifications.rendering``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Delivery(models.TextChoices):
    """How a person wants one kind of notice."""

    IMMEDIATELY = "immediately", _("E-mail immediately")
    DAILY_DIGEST = "daily_digest", _("Daily digest e-mail (09:00)")
    INBOX_ONLY = "inbox_only", _("Inbox only, no e-mail")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    DIGEST_WAITING = "digest_waiting", _("Waiting for the daily digest")
    INBOX_ONLY = "inbox_only", _("Inbox only")


class Notification(models.Model):
    """Who must act, on what, by when, and where: one per recipient.

    ``dedupe_key`` names the event (``report-submitted:<version id>``): a
    second notice of the same event to the same person is never created, so
    calling ``notify`` twice, or a retried task calling it, sends nothing new.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # A path of this site ("/admin/reports/12/"): made absolute when e-mailed.
    link = models.CharField(_("link"), max_length=500, blank=True)
    due = models.DateTimeField(
        pgettext_lazy("notification", "due by"), null=True, blank=True
    )
    # A due day, not a moment: shown as "2019년 10월 10일" without a time.
    due_is_day = models.BooleanField(_("due on a day"), default=False)
    reason = models.TextField(_("reason"), blank=True)
    mandatory = models.BooleanField(_("mandatory"), default=False)
    dedupe_key = models.CharField(_("event"), max_length=200)
    # What the notice is about, for the inbox's filters (no import of those apps).
    call = models.ForeignKey(
        "competitions.CallPage",
        verbose_name=_("call"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    # --- the outbox ---
    delivery = models.CharField(
        _("delivery"),
        max_length=16,
        choices=Delivery.choices,
        default=Delivery.IMMEDIATELY,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OutboxStatus.choices,
        default=OutboxStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                name="notification_once_per_event_and_person",
            )
        ]
        indexes = [
            # The bell: a person's unread count on every admin page.
            models.Index(
                fields=["recipient", "read_at"], name="notification_unread_idx"
            ),
            # The sender and the city's outbox: rows by status.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_idx"),
        ]

    def __str__(self):
        from .rendering import subject_of

        return subject_of(self)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """One person's choice for one kind of notice (none: e-mail immediately).
    Mandatory kinds ignore it: they are always e-mailed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=64)
    delivery = models.CharField(_("delivery"), max_length=16, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notification_preference_once_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.delivery}"
