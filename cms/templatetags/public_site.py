"""``{% load public_site %}``: the government site's chrome (identity header,
main navigation, breadcrumbs, footer) read from the site settings and the page
tree, in the reader's language."""

from django import template
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from cms.models import PublicSiteSettings

register = template.Library()

DEFAULT_EMBLEM = "img/sangsaeng-emblem.svg"
# The open-data helper's dataset pages, by the URL names they may carry; the
# OpenAPI description until one of them exists.
OPEN_DATA_URL_NAMES = (
    "datasets:list",
    "open_data:datasets",
    "open_data:dataset_index",
    "public_datasets",
    "datasets",
    "open_data:openapi",
)


def first_reversible(names) -> str | None:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def _first_live(model_path: str, order: str | None = None):
    from django.apps import apps

    model = apps.get_model(model_path)
    pages = model.objects.live().public()
    if order:
        pages = pages.order_by(order)
    return pages.first()


@register.simple_tag(takes_context=True)
def site_identity(context) -> dict:
    """The city's name and emblem, the bureau's contacts, the quality mark."""
    request = context.get("request")
    if request is not None:
        settings = PublicSiteSettings.for_request(request)
    else:
        settings = PublicSiteSettings.for_site(Site.objects.get(is_default_site=True))
    emblem = settings.emblem
    return {
        "settings": settings,
        "city_name": settings.localized("city_name"),
        "bureau_name": settings.localized("bureau_name"),
        "address": settings.localized("address"),
        "phone": settings.phone,
        "emblem_url": emblem.file.url if emblem else static(DEFAULT_EMBLEM),
        "accessibility_mark": settings.accessibility_mark,
    }


@register.simple_tag(takes_context=True)
def public_nav(context) -> list[dict]:
    """The four sections a citizen looks for: calls, selection results,
    outcomes and open data; the current one marked."""
    request = context.get("request")
    path = request.path if request else ""
    calls = _first_live("competitions.CallIndexPage")
    outcomes = _first_live("evaluation.OutcomesPage", "-year")
    items = [
        ("calls", _("Calls"), calls.url if calls else None),
        ("results", _("Selection results"), reverse("public:results")),
        ("outcomes", _("Outcomes"), outcomes.url if outcomes else None),
        ("open-data", _("Open data"), first_reversible(OPEN_DATA_URL_NAMES)),
    ]
    return [
        {
            "code": code,
            "label": label,
            "url": url,
            "current": bool(url) and url != "/" and path.startswith(url),
        }
        for code, label, url in items
        if url
    ]


@register.simple_tag(takes_context=True)
def breadcrumb_trail(context) -> list[dict]:
    """Home, then the page's ancestors below the site root, then the page."""
    page = context.get("page")
    trail = [{"label": _("Home"), "url": "/"}]
    if isinstance(page, Page):
        for ancestor in page.get_ancestors().filter(depth__gt=2).specific():
            trail.append(
                {
                    "label": getattr(ancestor, "display_title", ancestor.title),
                    "url": ancestor.url,
                }
            )
        if page.depth > 2:
            trail.append(
                {"label": getattr(page, "display_title", page.title), "url": None}
            )
    return trail


@register.filter
def days_from_today(moment) -> int | None:
    """Calendar days from today to ``moment``'s day, both in Seoul (0 = today)."""
    from competitions.selectors.calls import days_left

    return days_left(until=moment) if moment else None
