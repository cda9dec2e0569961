"""What the city announced, to whom, when and by whom."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Audience(models.TextChoices):
    DISTRICT_OFFICERS = "district_officers", _("All districts' officers")
    CALL_APPLICANTS = "call_applicants", _("A call's applicants")
    PANEL_REVIEWERS = "panel_reviewers", _("A call's review panel")


# Audiences that are a call's: the announcement names the call.
CALL_AUDIENCES = (Audience.CALL_APPLICANTS, Audience.PANEL_REVIEWERS)


class Announcement(models.Model):
    """A message a city manager sent to an audience, delivered to each
    recipient's inbox and by e-mail (notifications), and kept as sent: the
    words, the audience, the call, the sender, the moment and the people it
    reached. Never changed after sending."""

    title = models.CharField(pgettext_lazy("announcement", "title"), max_length=200)
    body = models.TextField(_("message"))
    audience = models.CharField(_("audience"), max_length=32, choices=Audience.choices)
    call = models.ForeignKey(
        "competitions.CallPage",
        verbose_name=_("call"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="announcements",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"))
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("sent to"), related_name="+"
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self):
        return self.title
