"""Two-factor sign-in pages: enrolment, the second step, one's own device in the
account area, and a city manager's reset of someone else's (a lost phone)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from . import access, services, twofactor
from .forms import OTPTokenForm, TwoFactorResetForm
from .models import TwoFactorEvent, User
from .reauth import reauthentication_refusal, safe_next_url


def _show_errors(form, error: ValidationError, field: str) -> None:
    for message in error.messages:
        form.add_error(field, message)


@require_http_methods(["GET", "POST"])
def setup(request):
    """Enrolment: QR code and the key in groups of four; confirm with a code."""
    next_url = safe_next_url(request)
    if twofactor.confirmed_device(request.user) is not None:
        # A second device only after removing the first (which asks for the
        # password and a code): knowing the password is not enough.
        if twofactor.is_verified(request.user):
            return redirect("accounts_two_factor")
        return redirect(f"{reverse('accounts_2fa_verify')}?{request.GET.urlencode()}")
    device = services.totp_enrolment_device(user=request.user)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_enrolment_confirm(
                request=request, device=device, token=form.cleaned_data["otp_token"]
            )
        except ValidationError as error:
            _show_errors(form, error, "otp_token")
        else:
            messages.success(
                request,
                _("Your authenticator app is set up. Sign-in now asks for its code."),
            )
            return redirect(next_url)
    return TemplateResponse(
        request,
        "accounts/two_factor/setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": twofactor.qr_code_svg(device),
            "secret": twofactor.secret_in_groups(device),
            "required": twofactor.is_required_for(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of signing in: one input, ``otp_token``."""
    next_url = safe_next_url(request)
    if twofactor.confirmed_device(request.user) is None:
        return redirect(f"{reverse('accounts_2fa_setup')}?{request.GET.urlencode()}")
    if twofactor.is_verified(request.user):
        return redirect(next_url)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_verify(request=request, token=form.cleaned_data["otp_token"])
        except ValidationError as error:
            _show_errors(form, error, "otp_token")
        else:
            return redirect(next_url)
    return TemplateResponse(
        request, "accounts/two_factor/verify.html", {"form": form, "next": next_url}
    )


@require_http_methods(["GET", "POST"])
def own_device(request):
    """Account area: see one's authenticator; remove it to enrol a new phone."""
    device = twofactor.confirmed_device(request.user)
    if request.method == "POST" and device is not None:
        if refusal := reauthentication_refusal(request, next_url=request.path):
            return refusal
        services.totp_device_remove(user=request.user, actor=request.user)
        messages.success(request, _("Your authenticator app was removed."))
        if twofactor.is_required_for(request.user):
            return redirect("accounts_2fa_setup")
        return redirect("accounts_two_factor")
    return TemplateResponse(
        request,
        "accounts/two_factor/own_device.html",
        {
            "page_title": _("Two-step sign-in"),
            "header_icon": "key",
            "device": device,
            "required": twofactor.is_required_for(request.user),
            "events": access.visible_to(request.user, TwoFactorEvent)
            .filter(user=request.user)
            .select_related("actor")[:20],
        },
    )


@require_http_methods(["GET", "POST"])
def reset(request, user_id: int):
    """A city manager removes someone's authenticator (lost phone), with a
    reason; the person enrols again at their next sign-in."""
    if not access.can(request.user, "manage_users"):
        raise PermissionDenied
    person = access.get_visible_or_404(request.user, User, pk=user_id)
    if not access.can(request.user, "change_user", person):
        messages.error(
            request, _("Only a superuser can reset the sign-in codes of this account.")
        )
        return redirect("wagtailusers_users:index")
    # Asked before the form, so the reason typed is not lost on the way.
    if refusal := reauthentication_refusal(request, next_url=request.path):
        return refusal
    form = TwoFactorResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.totp_device_remove(
            user=person, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            _(
                "Sign-in codes of %(user)s reset; they set up their app again at their next sign-in."
            )
            % {"user": person.get_username()},
        )
        return redirect("accounts_2fa_reset", person.pk)
    return TemplateResponse(
        request,
        "accounts/two_factor/reset.html",
        {
            "page_title": _("Reset two-step sign-in"),
            "page_subtitle": person.get_username(),
            "header_icon": "key",
            "person": person,
            "form": form,
            "device": twofactor.confirmed_device(person),
            "events": access.visible_to(request.user, TwoFactorEvent)
            .filter(user=person)
            .select_related("actor")[:50],
        },
    )
