"""Signing out and asking for a password-reset mail: Wagtail's own views, with
what they lack here. Mounted ahead of Wagtail's admin URLs (same paths and
names) by accounts.account_urls."""

from django.core.exceptions import ValidationError
from wagtail.admin.views import account as wagtail_account

from . import services
from .client_address import client_address


class LogoutView(wagtail_account.LogoutView):
    """Wagtail's sign-out answers a GET (an old link, a bookmark) with Django's
    405 and still deletes the session cookie, so the browser looks signed out
    while the session stays valid on the server for anyone holding its key. A
    GET now ends the session exactly as the sign-out button (a POST) does."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return self.post(request, *args, **kwargs)


class PasswordResetView(wagtail_account.PasswordResetView):
    """Wagtail's "forgot password" form, with a limit on mails per address and
    per client (``services.password_reset_request_record``)."""

    def form_valid(self, form):
        try:
            services.password_reset_request_record(
                email=form.cleaned_data["email"],
                client_address=client_address(self.request),
            )
        except ValidationError as error:
            form.add_error(None, error)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)
