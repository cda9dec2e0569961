"""The public site's own pages outside the page tree: search over the public
pages, and the privacy and copyright policies every government site links
from its footer (개인정보처리방침, 저작권 정책)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Page

RESULTS_PER_PAGE = 10
MAX_QUERY = 100


def search(request):
    """Wagtail search over live public pages, ten results a page."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().specific().search(query)
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
