"""The public site's own pages outside the page tree: search over the public
pages, and the privacy and copyright policies every government site links
from its footer (개인정보처리방침, 저작권 정책)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET
from wagtail.models import Page

from reporting.evaluation.caching import public_page_cache

RESULTS_PER_PAGE = 10
MAX_QUERY = 100


MAX_MATCHES = 200


@require_GET
def switch_language(request):
    """The public site's language switcher: a GET form with no CSRF token.

    Django's ``set_language`` takes a POST, so the switcher's form put a
    per-visitor CSRF token (and cookie) into every public page, and a shared
    cache could hand one visitor's token to the next. Choosing a language
    changes nothing but the visitor's own cookie, and a forged link can do no
    more than switch it (the switcher switches it back): a GET is safe here.
    The answer itself is never cached. An unknown language keeps the current
    one; a ``next`` off this site goes home."""
    language = request.GET.get("language", "")
    next_url = request.GET.get("next", "") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    add_never_cache_headers(response)
    return response


@public_page_cache
def search(request):
    """Live public pages matching the query, ten results a page: Wagtail's
    search, and the pages whose title, address or description contain the
    words as typed (PostgreSQL's full-text search does not split Korean words
    or "call-2018", so a plain match finds what a person typed)."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    results = Page.objects.none()
    if query:
        public = Page.objects.live().public()
        found = [page.pk for page in public.search(query)[:MAX_MATCHES]]
        typed = public.filter(
            Q(title__icontains=query)
            | Q(slug__icontains=query)
            | Q(search_description__icontains=query)
        ).values_list("pk", flat=True)[:MAX_MATCHES]
        results = public.filter(pk__in={*found, *typed}).order_by("path").specific()
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "cms/search.html",
        {"query": query, "results": page, "paginator": page.paginator},
    )


@public_page_cache
def privacy(request):
    return render(request, "cms/privacy.html")


@public_page_cache
def copyright_policy(request):
    return render(request, "cms/copyright.html")


@public_page_cache
def results_index(request):
    """Every published results page, latest announcement first, ten a page."""
    from competitions.models import CallResultsPage

    pages = (
        CallResultsPage.objects.live()
        .public()
        .order_by("-announced_on", "-first_published_at")
    )
    page = Paginator(pages, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "page": results,
            "call": results.get_parent().specific,
            "selected": results.entries.count(),
            "total": sum(entry.city_share for entry in results.entries.all()),
        }
        for results in page
    ]
    return render(
        request,
        "cms/results_index.html",
        {"rows": rows, "results": page, "paginator": page.paginator},
    )
