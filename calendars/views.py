"""The calendar feed a calendar application fetches, and the admin screen
where a person sees, copies and renews its address."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from wagtail.admin import messages

from accounts import access
from accounts.language import preferred_language

from . import ical, selectors, services


@require_safe
def feed(request, token: str):
    """The owner's events as iCalendar, in the owner's language. No session is
    needed or used: whoever holds the address sees its owner's calendar, so
    an unknown or replaced token, and a deactivated owner, answer 404."""
    calendar_feed = selectors.feed_by_token(token)
    if calendar_feed is None:
        raise Http404
    user = calendar_feed.user
    now = timezone.now()
    with translation.override(preferred_language(user)):
        body = ical.calendar_file(
            events=selectors.calendar_events(user=user),
            name=_("Sangsaeng deadlines"),
            uid=f"sangsaeng-calendar-{user.pk}",
            stamp=now,
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sangsaeng.ics"'
    # A private address: kept by no shared cache, sent nowhere as a referrer.
    response["Cache-Control"] = "private, max-age=0"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_http_methods(["GET", "POST"])
def feed_settings(request):
    """Account → More actions → Calendar: one's own address, to copy into a
    calendar application, and a button that makes a new one (the old one
    stops working at once)."""
    if not access.can(request.user, "keep_calendar_feed"):
        raise PermissionDenied
    if request.method == "POST":
        had_one = selectors.feed_of(request.user) is not None
        services.calendar_feed_renew(user=request.user)
        messages.success(
            request,
            _("A new calendar address is ready; the old one no longer works.")
            if had_one
            else _("Your calendar address is ready. Copy it into your calendar app."),
        )
        return redirect("calendars_feed_settings")
    calendar_feed = selectors.feed_of(request.user)
    return TemplateResponse(
        request,
        "calendars/feed_settings.html",
        {
            "page_title": _("Deadline calendar"),
            "header_icon": "date",
            "feed": calendar_feed,
            "feed_url": selectors.feed_url(calendar_feed) if calendar_feed else "",
            "contents": contents_for(request.user),
        },
    )


def contents_for(user) -> list[str]:
    """What the person's calendar holds, in words, for the screen."""
    contents = []
    if access.can(user, "manage_calls"):
        contents += [
            _("Every call's proposal deadline and review window."),
            _("The monthly report due days of all projects, one event per day."),
        ]
        return contents
    if access.user_district(user) is not None:
        contents += [
            _("The proposal deadlines of the calls your district may apply to."),
            _("The monthly report due days of your district's projects."),
        ]
    if access.is_reviewer(user):
        contents.append(_("The review windows of the calls whose panel you sit on."))
    return contents
