"""Sign-in and browser security applied to every request."""

from urllib.parse import urlencode

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from . import twofactor

# Admin addresses open to a signed-in person who has not passed the second
# step yet: the step itself, signing out, and what those pages load.
OPEN_BEFORE_SECOND_STEP = {
    "accounts_2fa_setup",
    "accounts_2fa_verify",
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
}


def _admin_prefix() -> str:
    return reverse("wagtailadmin_home")


class TwoFactorMiddleware:
    """Sends a signed-in person who must use a code (city managers, reviewers,
    and anyone who enrolled) to the second step before any admin page: to
    enrolment when they have no authenticator yet, otherwise to the code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if target := self._second_step_for(request):
            return redirect(
                f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)

    def _second_step_for(self, request) -> str | None:
        if not (twofactor.is_on() and request.path_info.startswith(_admin_prefix())):
            return None
        user = request.user
        if not user.is_authenticated or twofactor.is_verified(user):
            return None
        if twofactor.confirmed_device(user) is not None:
            target = "accounts_2fa_verify"
        elif twofactor.is_required_for(user):
            target = "accounts_2fa_setup"
        else:
            return None
        # Only someone on their way to a second step needs the address looked up.
        try:
            url_name = resolve(request.path_info).url_name or ""
        except Resolver404:
            url_name = ""
        if url_name in OPEN_BEFORE_SECOND_STEP or url_name.startswith(
            "wagtailadmin_password_reset"
        ):
            return None
        return target


# Admin pages where passwords and codes are typed: they run no inline code, so
# they keep the strict policy of the public site.
STRICT_POLICY_ADMIN_PAGES = {
    "wagtailadmin_login",
    "accounts_2fa_setup",
    "accounts_2fa_verify",
    "accounts_reauth",
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp, with the admin's policy (``SANGSAENG_ADMIN_CONTENT_SECURITY_POLICY``)
    under /admin/ and the strict ``CONTENT_SECURITY_POLICY`` everywhere else
    (and on the admin's sign-in steps)."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        match = getattr(request, "resolver_match", None)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(_admin_prefix())
            and not (match and match.url_name in STRICT_POLICY_ADMIN_PAGES)
        ):
            parts.config = default_config(
                settings.SANGSAENG_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
            )
        return parts
