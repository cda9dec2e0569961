import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = _(
    "The connection to the database was lost, so nothing was saved. "
    "Please try again in a moment."
)


class KoreanFirstLocaleMiddleware(LocaleMiddleware):
    """Korean unless the person chose otherwise.

    Django's LocaleMiddleware follows the browser's Accept-Language, so anyone
    with an English browser would get English pages. Here only an explicit choice
    counts: the language cookie set by the switcher (public site). The admin then
    applies each signed-in user's own preference on top.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen and translation.check_for_language(chosen):
            language = translation.get_supported_language_variant(chosen)
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class DatabaseUnavailableMiddleware:
    """A view that loses its database connection (the server restarted, the
    network dropped, a failover) answers 503 with a page saying, in the
    person's language, that nothing was saved and to try again — not a bare 500. Writes
    are atomic, so "nothing was saved" holds: the transaction never committed.

    The page is rendered without the request's context processors, which could
    need the database that just went away."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError

        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error(
            "database unavailable during %s %s",
            request.method,
            request.path,
            exc_info=exception,
        )
        if "application/json" in request.headers.get("Accept", ""):
            response = JsonResponse({"detail": database_unavailable_text()}, status=503)
        else:
            response = HttpResponse(
                render_to_string(
                    "common/database_unavailable.html", {"back": _back_url(request)}
                ),
                status=503,
            )
        response["Retry-After"] = "30"
        return response


def _back_url(request) -> str:
    """The page the person came from (the form to send again), if it is ours."""
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return referer
    return request.path if request.method == "GET" else "/"


def database_unavailable_text() -> str:
    """The message in the request's language (chosen before the database went away)."""
    return str(DATABASE_UNAVAILABLE)
