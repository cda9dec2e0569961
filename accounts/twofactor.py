"""Two-factor sign-in: who must use it, and reading a person's device.

A second step after the password, with a TOTP authenticator app (django-otp's
TOTPDevice). City managers and reviewers must use it
(``SANGSAENG_TWO_FACTOR_REQUIRED_ROLES``); a district user may enrol, and once
enrolled is asked for a code like everyone else. Re-authentication
(``accounts.reauth``) asks for the code too, of anyone enrolled. Changes are in
``accounts.services``; the pages in ``accounts.views``; the middleware that
sends people to the second step in ``accounts.middleware``.
"""

from base64 import b32encode
from datetime import datetime

import segno
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import access
from .roles import Role

# The name of the device a person enrols (demo devices are named "demo").
DEVICE_NAME = "authenticator"


def is_on() -> bool:
    """Two-factor sign-in is on unless no role requires it: an empty
    ``SANGSAENG_TWO_FACTOR_REQUIRED_ROLES`` switches it off for everyone (the
    test suite, which signs people in with ``force_login``)."""
    return bool(settings.SANGSAENG_TWO_FACTOR_REQUIRED_ROLES)


def is_required_for(user) -> bool:
    """Must this user sign in with a code (by role)? Superusers count as city
    managers, as they do everywhere in the access module."""
    required = set(settings.SANGSAENG_TWO_FACTOR_REQUIRED_ROLES)
    if not required:
        return False
    if access.is_superuser(user) and Role.CITY_MANAGER in required:
        return True
    return bool(required & access.roles_of(user))


def confirmed_device(user) -> TOTPDevice | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def is_verified(user) -> bool:
    """Did this session pass the second step (django-otp's OTPMiddleware)?"""
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def locked_until(device: TOTPDevice) -> datetime | None:
    """When a throttled device checks codes again, or None if it does now."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    return (details or {}).get("locked_until")


def key_in_groups(key: bytes) -> str:
    """A key as people type it into an app: base32 in groups of four."""
    secret = b32encode(key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def secret_in_groups(device: TOTPDevice) -> str:
    return key_in_groups(device.bin_key)


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// address as an inline SVG QR code (no script, no image
    request), labelled for screen readers."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=2, dark="#1a1a1a", light="#ffffff", omitsize=False
    )
    title = format_html(
        '<svg role="img" aria-label="{}" ',
        _("QR code for your authenticator app"),
    )
    return mark_safe(svg.replace("<svg ", title, 1))  # noqa: S308 - segno's own markup
