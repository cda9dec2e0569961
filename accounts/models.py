from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A public body in the tree province → metropolitan city → district/county.

    The city runs calls and approves reports; districts and counties propose and
    report. One installation serves one city today, and the tree lets it serve a
    province later without a change of model.
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province")
        METROPOLITAN_CITY = "metropolitan_city", _("Metropolitan city")
        CITY = "city", _("City")
        DISTRICT = "district", _("District (gu)")
        COUNTY = "county", _("County (gun)")
        EXTERNAL = "external", _("Outside body (e.g. university, institute)")

    CITY_LEVEL_KINDS = (Kind.PROVINCE, Kind.METROPOLITAN_CITY, Kind.CITY)
    LOCAL_KINDS = (Kind.DISTRICT, Kind.COUNTY)

    code = models.CharField(
        _("code"),
        max_length=16,
        unique=True,
        help_text=_("Short code used in receipt numbers, e.g. BP for Bupyeong-gu."),
    )
    name_ko = models.CharField(_("Korean name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language: Korean unless English is active."""
        return (
            self.name_en if (get_language() or "ko").startswith("en") else self.name_ko
        )

    @property
    def is_local(self) -> bool:
        return self.kind in self.LOCAL_KINDS

    @property
    def is_city_level(self) -> bool:
        return self.kind in self.CITY_LEVEL_KINDS


class DistrictProfile(models.Model):
    """A district's (or county's) standing details for the city: the department
    in charge of the programme, the person in charge, their phone and the
    office address. Kept once per district and used to prefill every new
    proposal (and the agreement, when there is one). The phone is personal
    data: it is shown to whoever works with the district, never written into a
    report, an export or the audit trail."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("district"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    department = models.CharField(_("department"), max_length=100, blank=True)
    person_in_charge = models.CharField(
        _("person in charge"), max_length=100, blank=True
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("district profile")
        verbose_name_plural = _("district profiles")

    def __str__(self):
        return str(self.organisation)


class User(AbstractUser):
    """A person who signs in. Every user belongs to exactly one organisation."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="users",
    )

    REQUIRED_FIELDS = ["email", "organisation"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class RoleGroup(models.Model):
    """Ties a Django group to a role code, so code never matches a group by its
    display name (which a city may translate or rename)."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="role")
    code = models.CharField(_("role code"), max_length=32, unique=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self):
        from .roles import group_label

        return group_label(self.group)


class TwoFactorEvent(models.Model):
    """A change to someone's two-factor sign-in: enrolled, removed by the
    person, or reset by a city manager (after a lost phone). Kept as a record;
    the application never edits or deletes one."""

    class Action(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled an authenticator app")
        REMOVED = "removed", _("Removed their authenticator app")
        RESET = "reset", _("Reset by a city manager")

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="two_factor_events",
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        User,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("two-factor sign-in change")
        verbose_name_plural = _("two-factor sign-in changes")

    def __str__(self):
        return f"{self.user} {self.action} {self.at:%Y-%m-%d %H:%M}"


class PasswordResetRequest(models.Model):
    """One accepted request for a password-reset mail, kept for the limit's
    window (an hour) to limit how many are sent per address and per client
    (accounts.services). The
    address is kept only as a keyed digest: typed addresses that belong to no
    one are not stored, and a digest does not say whether it has an account."""

    address_digest = models.CharField(_("address digest"), max_length=64, db_index=True)
    client_address = models.GenericIPAddressField(
        _("client address"), null=True, blank=True
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")

    def __str__(self):
        return f"{self.client_address or '-'} {self.at:%Y-%m-%d %H:%M}"
