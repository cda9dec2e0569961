"""A person's private calendar address (iCalendar feed)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarFeed(models.Model):
    """The private address of one person's deadline calendar.

    The token in the address is the only credential a calendar application
    (Outlook, Google, Naver) can send, so it is a long random string (256 bits)
    kept here to be shown again and copied; making a new one replaces it, and
    the old address then answers 404. A deactivated person's address answers
    404 too."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("address made at"))

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")

    def __str__(self):
        return f"{self.user}"
