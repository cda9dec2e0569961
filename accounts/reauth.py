"""Re-authentication before an action that cannot be taken back quietly
(publishing a call's results, reopening a locked month, resetting someone's
sign-in codes): the person enters their password again, and the code of their
authenticator if they have one, at most ``SANGSAENG_REAUTH_MAX_AGE`` seconds
before.

A view guards its action with one line::

    if refusal := reauthentication_refusal(request, next_url=page_with_the_button):
        return refusal

or, when the whole view is the action, with ``@reauthentication_required()``.
Without a recent re-entry nothing is done: the person is sent to
``/admin/reauth/?next=…``, and back to ``next`` afterwards to press the button
again.
"""

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages

from . import twofactor
from .forms import ReauthenticationForm
from .services import totp_code_check

SESSION_KEY = "sangsaeng_reauthenticated_at"


def reauthenticated_recently(request) -> bool:
    """Did this person re-enter their password (and code) within the limit?"""
    stamp = request.session.get(SESSION_KEY)
    if not isinstance(stamp, (int, float)):
        return False
    return 0 <= time.time() - stamp <= settings.SANGSAENG_REAUTH_MAX_AGE


def mark_reauthenticated(request) -> None:
    request.session[SESSION_KEY] = time.time()


def reauthentication_url(next_url: str) -> str:
    return f"{reverse('accounts_reauth')}?{urlencode({'next': next_url})}"


def reauthentication_refusal(request, *, next_url: str):
    """None if the person re-authenticated recently; otherwise the redirect to
    the re-authentication page (the caller returns it and does nothing)."""
    if reauthenticated_recently(request):
        return None
    messages.warning(
        request,
        _(
            "This step needs your password again. Confirm it, then press the button once more."
        ),
    )
    return redirect(reauthentication_url(next_url))


def reauthentication_required(next_url=None):
    """Decorator form: ``next_url(request, *args, **kwargs)`` names the page to
    come back to (default: the same address)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            back = (
                next_url(request, *args, **kwargs)
                if next_url
                else request.get_full_path()
            )
            if refusal := reauthentication_refusal(request, next_url=back):
                return refusal
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def safe_next_url(request, default: str = "") -> str:
    """The ``next`` parameter if it stays on this site, else ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse("wagtailadmin_home")


class ReauthenticateView(FormView):
    """Password (and code) again; then back to the page with the button."""

    form_class = ReauthenticationForm
    template_name = "accounts/two_factor/reauthenticate.html"
    page_title = gettext_lazy("Confirm it is you")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["with_code"] = (
            twofactor.is_on()
            and twofactor.confirmed_device(self.request.user) is not None
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "next": safe_next_url(self.request),
                "max_minutes": settings.SANGSAENG_REAUTH_MAX_AGE // 60,
            }
        )
        return context

    def form_valid(self, form):
        user = self.request.user
        authenticated = authenticate(
            self.request,
            username=user.get_username(),
            password=form.cleaned_data["password"],
        )
        if authenticated is None or authenticated.pk != user.pk:
            form.add_error("password", _("That password is not right."))
            return self.form_invalid(form)
        if "otp_token" in form.fields:
            try:
                totp_code_check(user=user, token=form.cleaned_data["otp_token"])
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("otp_token", message)
                return self.form_invalid(form)
        mark_reauthenticated(self.request)
        messages.success(
            self.request, _("Confirmed. You can now take the step you were taking.")
        )
        return redirect(safe_next_url(self.request))
