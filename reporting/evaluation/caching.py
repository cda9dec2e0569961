"""HTTP caching of the public pages and the open-data API, keyed on a cheap
data stamp.

The roll-up's ``selectors.data_stamp`` aggregates reports, plans and projects:
right for a stored report file, too heavy to run on every request. Public
answers are keyed instead on ``PublicDataStamp``, one row moved whenever
public data could change: the accepted figures (``figure_years_refresh``, the
one place they are rebuilt), a project or its plan, an evaluation's grades, a
published or unpublished page. A conditional GET reads that row by primary key
and answers 304 before any other query.

The ETag carries the language: the same address answers in Korean or English
(cookie, then Accept-Language), hence ``Vary: Accept-Language, Cookie``.

The public *pages* (Wagtail's pages and the site's own views: search, results,
district and project pages, policies) answer the same way through
``public_page_response`` / ``public_page_cache``, with three differences:

* their language is the switcher's cookie alone (``KoreanFirstLocaleMiddleware``
  ignores Accept-Language), hence ``Vary: Cookie``;
* their tag also carries the page's live revision and the calls' clock (the
  Seoul date for countdowns, and how many calls have opened and closed: a call
  changes from upcoming to open to closed with no publish);
* only an anonymous visitor's page is ``public``: a signed-in person's has the
  back-office link and Wagtail's user bar, so it is ``private`` with no tag.
  An anonymous page carries nothing of one visitor — the language switcher is
  a GET form with no CSRF token (``cms.views.switch_language``) — so a shared
  cache may hand it to the next.

The site settings (city name, emblem, footer) are on every page: saving them
moves the stamp too.
"""

from datetime import UTC, datetime
from functools import wraps

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date, quote_etag

# A minute: a proxy or browser may reuse an answer that long without asking;
# after that it revalidates (cheaply, with the ETag).
MAX_AGE_SECONDS = 60
STAMP_PK = 1


def public_data_changed() -> None:
    """Move the stamp: every cached public answer is stale from now on.
    Called inside the writer's transaction, so a rolled-back change moves
    nothing."""
    from .models import PublicDataStamp

    now = timezone.now()
    moved = PublicDataStamp.objects.filter(pk=STAMP_PK).update(
        version=F("version") + 1, changed_at=now
    )
    if not moved:
        with transaction.atomic():
            PublicDataStamp.objects.get_or_create(
                pk=STAMP_PK, defaults={"version": 1, "changed_at": now}
            )


def current_stamp() -> tuple[int, datetime]:
    """(version, changed at) of the public data: one row read by primary key."""
    from .models import PublicDataStamp

    row = PublicDataStamp.objects.filter(pk=STAMP_PK).values_list(
        "version", "changed_at"
    )
    found = list(row)
    if found:
        return found[0]
    # Never moved yet (a fresh database): a fixed point in the past.
    return 0, datetime(2000, 1, 1, tzinfo=UTC)


def _etag(version: int, language: str, extra: str = "") -> str:
    return quote_etag(f"public-{version}-{language}{'-' + extra if extra else ''}")


def _language(request) -> str:
    """The page's language (the switcher's cookie, set by the middleware) and
    the API's (the cookie, else Accept-Language): both shape an answer."""
    page = translation.get_language() or "ko"
    api = translation.get_language_from_request(request) or "ko"
    return page if page == api else f"{page}.{api}"


def _private(response):
    """A signed-in person's answer: theirs alone, asked again every time."""
    for header in ("ETag", "Last-Modified"):
        if response.has_header(header):
            del response[header]
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ("Cookie",))
    return response


def public_cache(view):
    """Answer a public GET with ETag, Last-Modified and Cache-Control keyed on
    the data stamp; a matching If-None-Match / If-Modified-Since gets a 304
    before the view runs (nothing is built). The query string is part of the
    address, so it needs no place in the tag."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        if request.user.is_authenticated:
            return _private(view(request, *args, **kwargs))
        version, changed_at = current_stamp()
        etag = _etag(version, _language(request))
        last_modified = int(changed_at.timestamp())
        response = get_conditional_response(
            request, etag=etag, last_modified=last_modified
        )
        if response is None:
            response = view(request, *args, **kwargs)
        if response.status_code in (200, 304):
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified)
            response["Cache-Control"] = f"public, max-age={MAX_AGE_SECONDS}"
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    return wrapped


def _settings_changed(sender, created=False, **kwargs):
    """The site settings are created with their defaults on a page's first
    visit (what the page already showed): only a later save changes a page."""
    if not created:
        public_data_changed()


def calls_clock(now: datetime | None = None) -> str:
    """What time alone changes on a public page: the Seoul date (a countdown
    counts calendar days) and how many live calls have opened and closed by
    now (a call's state moves at its own minute, with nothing published)."""
    from django.db.models import Count, Q

    from competitions.models import CallPage
    from projects.months import SEOUL

    now = now or timezone.now()
    passed = CallPage.objects.live().aggregate(
        opened=Count("pk", filter=Q(opens_at__lte=now)),
        closed=Count("pk", filter=Q(deadline__lte=now)),
    )
    return f"{now.astimezone(SEOUL):%Y%m%d}.{passed['opened']}.{passed['closed']}"


def page_etag(request, *, page_key: str = "") -> str:
    """The tag of a public page for an anonymous visitor: the data stamp, the
    language, the calls' clock and (for a Wagtail page) its live revision."""
    version, _changed_at = current_stamp()
    language = translation.get_language() or "ko"
    parts = ["page", str(version), language, calls_clock()]
    if page_key:
        parts.append(page_key)
    return quote_etag("-".join(parts))


def public_page_response(request, build, *, page_key: str = "", restricted=False):
    """Serve a public page conditionally: ``build()`` makes the full answer,
    run only when the visitor's If-None-Match does not match. An anonymous
    visitor's 200 or 304 is ``public, max-age``; a signed-in person's, or a
    page behind a view restriction, is private and untagged."""
    if request.method not in ("GET", "HEAD"):
        return build()
    if restricted or request.user.is_authenticated:
        return _private(build())
    etag = page_etag(request, page_key=page_key)
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = build()
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
    if response.status_code in (200, 304):
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=MAX_AGE_SECONDS)
        patch_vary_headers(response, ("Cookie",))
    return response


def public_page_cache(view):
    """``public_page_response`` for a function view of the public site."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return public_page_response(request, lambda: view(request, *args, **kwargs))

    return wrapped


def _changed(sender, **kwargs):
    public_data_changed()


def connect_signals() -> None:
    """What else moves the stamp besides accepted figures: projects and their
    plans, evaluations and their grades, pages published or withdrawn (calls,
    results, outcomes), a target group's vulnerable flag (it changes what is
    withheld), the public site's settings (on every page)."""
    from wagtail.signals import page_published, page_unpublished

    from cms.models import PublicSiteSettings
    from competitions.models import CallTargetGroup
    from projects.models import Project, ProjectPlan

    from .models import EvaluationScheme, ProjectEvaluation

    for model in (
        Project,
        ProjectPlan,
        EvaluationScheme,
        ProjectEvaluation,
        CallTargetGroup,
    ):
        post_save.connect(_changed, sender=model, dispatch_uid=f"public-{model}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"public-d-{model}")
    post_save.connect(
        _settings_changed, sender=PublicSiteSettings, dispatch_uid="public-settings"
    )
    page_published.connect(_changed, dispatch_uid="public-page-published")
    page_unpublished.connect(_changed, dispatch_uid="public-page-unpublished")
