"""The public site's own pages outside the page tree: search over the public
pages, and the privacy and copyright policies every government site links
from its footer (개인정보처리방침, 저작권 정책)."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from wagtail.models import Page

RESULTS_PER_PAGE = 10
MAX_QUERY = 100


MAX_MATCHES = 200


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


def privacy(request):
    return render(request, "cms/privacy.html")


def copyright_policy(request):
    return render(request, "cms/copyright.html")


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
