"""Changes to a person's two-factor sign-in. Each one that adds or takes away a
device is recorded as a TwoFactorEvent."""

import re
from datetime import timedelta
from typing import TypedDict, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import access
from .models import DistrictProfile, Organisation, TwoFactorEvent, User
from .twofactor import DEVICE_NAME, confirmed_device, locked_until


def _refuse_wrong_code(device: TOTPDevice, token: str) -> None:
    """Check a code with django-otp (which throttles: each wrong code in a row
    doubles the wait before the device checks another) or raise a clear error."""
    token = (token or "").replace(" ", "").strip()
    if not (token.isdigit() and len(token) == device.digits):
        raise ValidationError(
            _("Enter the %(digits)s-digit code your authenticator app shows.")
            % {"digits": device.digits},
            code="malformed",
        )
    with transaction.atomic():
        # Locked, so two requests can neither spend one code twice nor slip
        # past the throttle together.
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        until = locked_until(locked)
        accepted = until is None and locked.verify_token(token)
    if until is not None:
        raise ValidationError(
            _(
                "Too many wrong codes. Wait until %(time)s, then enter the code "
                "your app shows at that moment."
            )
            % {"time": formats.time_format(timezone.localtime(until), "H:i:s")},
            code="throttled",
        )
    if not accepted:
        raise ValidationError(
            _(
                "That code is not right, or was already used. Check that the "
                "clock of your phone is correct and enter the current code."
            ),
            code="wrong",
        )


def totp_verify(*, request: HttpRequest, token: str) -> TOTPDevice:
    """The second step of signing in: check the code against the person's
    device and mark the session as verified."""
    device = confirmed_device(request.user)
    if device is None:
        raise ValidationError(
            _("You have not set up an authenticator app yet."), code="no_device"
        )
    _refuse_wrong_code(device, token)
    # A new session key once the session gains the second factor.
    request.session.cycle_key()
    otp_login(request, device)
    return device


def totp_code_check(*, user: User, token: str) -> None:
    """Check a code without changing the session (re-authentication)."""
    device = confirmed_device(user)
    if device is None:
        raise ValidationError(
            _("You have not set up an authenticator app yet."), code="no_device"
        )
    _refuse_wrong_code(device, token)


def totp_enrolment_device(*, user: User) -> TOTPDevice:
    """The device being enrolled: one unconfirmed device per person, kept
    across page loads so the QR code does not change under them."""
    if confirmed_device(user) is not None:
        raise PermissionDenied
    device = (
        TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    )
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def totp_enrolment_confirm(
    *, request: HttpRequest, device: TOTPDevice, token: str
) -> TOTPDevice:
    """Confirm the device with a first code; the session counts as verified."""
    if device.user_id != request.user.pk or device.confirmed:
        raise PermissionDenied
    if confirmed_device(request.user) is not None:
        raise PermissionDenied
    # Outside the transaction below: a wrong code's throttle count must stay.
    _refuse_wrong_code(device, token)
    with transaction.atomic():
        device.refresh_from_db()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
        TwoFactorEvent.objects.create(
            user=request.user, actor=request.user, action=TwoFactorEvent.Action.ENROLLED
        )
    request.session.cycle_key()
    otp_login(request, device)
    return device


@transaction.atomic
def totp_device_remove(*, user: User, actor: User, reason: str = "") -> int:
    """Remove every authenticator of ``user``: by the person themself (to
    enrol a new phone), or by a city manager (a lost phone), with a reason.
    Returns how many devices were removed."""
    own = actor.pk == user.pk
    if not own:
        # Only for people whose account the actor may change: never a superuser's.
        if not access.can(actor, "change_user", user):
            raise PermissionDenied
        if not reason.strip():
            raise ValidationError(
                {
                    "reason": _(
                        "Say why the sign-in codes are reset (for example: phone lost)."
                    )
                }
            )
    removed, _details = TOTPDevice.objects.filter(user=user).delete()
    TwoFactorEvent.objects.create(
        user=user,
        actor=actor,
        action=TwoFactorEvent.Action.REMOVED if own else TwoFactorEvent.Action.RESET,
        reason=reason.strip(),
    )
    return removed


# --- password-reset mails ----------------------------------------------------


def _reset_address_digest(email: str) -> str:
    from django.utils.crypto import salted_hmac

    normalised = (email or "").strip().lower()
    return salted_hmac(
        "accounts.password_reset", normalised, algorithm="sha256"
    ).hexdigest()


class PasswordResetLimits(TypedDict):
    """``settings.SANGSAENG_PASSWORD_RESET_LIMITS``."""

    per_address: int
    per_client: int
    window: timedelta


@transaction.atomic
def password_reset_request_record(*, email: str, client_address: str | None) -> None:
    """Count a request for a password-reset mail, or refuse it when this
    address or this client already asked too often in the last hour
    (``SANGSAENG_PASSWORD_RESET_LIMITS``). Counted by the address typed, whether
    or not it has an account, so the refusal reveals nothing about accounts."""
    from django.conf import settings

    from .models import PasswordResetRequest

    limits = cast(PasswordResetLimits, settings.SANGSAENG_PASSWORD_RESET_LIMITS)
    now = timezone.now()
    since = now - limits["window"]
    # Nothing older than the window counts; nothing older is kept.
    PasswordResetRequest.objects.filter(at__lt=since).delete()
    recent = PasswordResetRequest.objects.all()
    digest = _reset_address_digest(email)
    too_many = recent.filter(address_digest=digest).count() >= limits[
        "per_address"
    ] or (
        client_address is not None
        and recent.filter(client_address=client_address).count() >= limits["per_client"]
    )
    if too_many:
        raise ValidationError(
            _(
                "Too many password reset requests were made for this address or from "
                "your connection. Wait an hour and try again; if no e-mail arrives, "
                "ask your city manager to send you a reset link."
            ),
            code="throttled",
        )
    PasswordResetRequest.objects.create(
        address_digest=digest, client_address=client_address
    )


# --- people: roles, organisations, passwords ---------------------------------


def user_organisation_check(
    *, roles: set[str], organisation: Organisation | None
) -> None:
    """Refuse an organisation the roles do not belong to
    (``roles.ROLE_ORGANISATION_KINDS``) or one that is no longer active."""
    from .roles import ROLE_ORGANISATION_KINDS, Role

    if organisation is None:
        return
    if not organisation.is_active:
        raise ValidationError(
            _("%(organisation)s is no longer active; choose an active organisation.")
            % {"organisation": organisation.name},
            code="inactive_organisation",
        )
    for role in sorted(roles):
        kinds = ROLE_ORGANISATION_KINDS.get(role)
        if kinds is not None and organisation.kind not in kinds:
            kind_names = {kind.value: kind.label for kind in organisation.Kind}
            raise ValidationError(
                _(
                    "People with the role “%(role)s” belong to one of these kinds "
                    "of organisation: %(kinds)s. %(organisation)s is not one of "
                    "them; choose another organisation or another role."
                )
                % {
                    "role": Role(role).label,
                    "kinds": ", ".join(str(kind_names[kind]) for kind in kinds),
                    "organisation": organisation.name,
                },
                code="organisation_not_for_role",
            )


def user_password_link_send(*, user: User, request: HttpRequest | None = None) -> None:
    """E-mail ``user`` a link to choose their own password (Wagtail's reset
    mail). Sent to new people whose account a city manager created, who may not
    type a password for them. Django's reset form skips accounts without a
    usable password, so the mail is built here with the same templates."""
    from django.conf import settings
    from django.contrib.auth.forms import PasswordResetForm
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    if not user.email:
        return
    base_url = settings.WAGTAILADMIN_BASE_URL
    protocol, _sep, domain = base_url.partition("://")
    context = {
        "email": user.email,
        "domain": request.get_host() if request is not None else domain.rstrip("/"),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": ("https" if request.is_secure() else "http")
        if request is not None
        else protocol,
    }
    PasswordResetForm().send_mail(
        "wagtailadmin/account/password_reset/email_subject.txt",
        "wagtailadmin/account/password_reset/email.txt",
        context,
        None,
        user.email,
    )


# --- district profiles ----------------------------------------------------------

# Digits with the usual separators: 032-509-6000, (032) 509 6000, +82 32 509 6000.
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-.]{5,30}$")


def district_profile_of(organisation: Organisation | None) -> DistrictProfile | None:
    """The district's stored profile, or None (nothing saved yet)."""
    if organisation is None or organisation.pk is None:
        return None
    return DistrictProfile.objects.filter(organisation=organisation).first()


@transaction.atomic
def district_profile_save(
    *,
    organisation: Organisation,
    actor: User,
    department: str,
    person_in_charge: str,
    phone: str,
    address: str,
) -> DistrictProfile:
    """Save a district's department, person in charge, phone and address: its
    own officers and city managers may. Each value is trimmed; a phone must
    look like one (digits with hyphens, spaces or parentheses)."""
    if not access.can(actor, "edit_district_profile", organisation):
        raise PermissionDenied
    values = {
        "department": (department or "").strip(),
        "person_in_charge": (person_in_charge or "").strip(),
        "phone": (phone or "").strip(),
        "address": (address or "").strip(),
    }
    if values["phone"] and not _PHONE.match(values["phone"]):
        raise ValidationError(
            {
                "phone": ValidationError(
                    _(
                        "Enter the phone number with digits and hyphens, e.g. "
                        "032-509-6000."
                    ),
                    code="phone_format",
                )
            }
        )
    profile = DistrictProfile.objects.select_for_update().filter(
        organisation=organisation
    ).first() or DistrictProfile(organisation=organisation)
    for name, value in values.items():
        setattr(profile, name, value)
    profile.updated_by = actor
    profile.full_clean(exclude=["organisation", "updated_by"])
    profile.save()
    return profile
