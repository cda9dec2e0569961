"""Changes to a person's two-factor sign-in. Each one that adds or takes away a
device is recorded as a TwoFactorEvent."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import access
from .models import TwoFactorEvent, User
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


def totp_verify(*, request, token: str) -> TOTPDevice:
    """The second step of signing in: check the code against the person's
    device and mark the session as verified."""
    device = confirmed_device(request.user)
    if device is None:
        raise ValidationError(_("You have not set up an authenticator app yet."), code="no_device")
    _refuse_wrong_code(device, token)
    # A new session key once the session gains the second factor.
    request.session.cycle_key()
    otp_login(request, device)
    return device


def totp_code_check(*, user: User, token: str) -> None:
    """Check a code without changing the session (re-authentication)."""
    device = confirmed_device(user)
    if device is None:
        raise ValidationError(_("You have not set up an authenticator app yet."), code="no_device")
    _refuse_wrong_code(device, token)


def totp_enrolment_device(*, user: User) -> TOTPDevice:
    """The device being enrolled: one unconfirmed device per person, kept
    across page loads so the QR code does not change under them."""
    if confirmed_device(user) is not None:
        raise PermissionDenied
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def totp_enrolment_confirm(*, request, device: TOTPDevice, token: str) -> TOTPDevice:
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
        if not (access.can_manage_users(actor) and access.can_view(actor, user)):
            raise PermissionDenied
        if not reason.strip():
            raise ValidationError(
                {"reason": _("Say why the sign-in codes are reset (for example: phone lost).")}
            )
    removed, _details = TOTPDevice.objects.filter(user=user).delete()
    TwoFactorEvent.objects.create(
        user=user,
        actor=actor,
        action=TwoFactorEvent.Action.REMOVED if own else TwoFactorEvent.Action.RESET,
        reason=reason.strip(),
    )
    return removed

