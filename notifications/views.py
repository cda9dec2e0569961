"""The inbox (everyone's own), the notification settings, and the city's
outbox. Every view asks ``accounts.access``; a notice of someone else is a
404, as if it did not exist."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from accounts import access

from . import kinds, rendering, selectors, services
from .models import Delivery, Notification, NotificationPreference, OutboxStatus

PAGE_SIZE = 50


def _own_or_404(request, pk: int) -> Notification:
    notification = Notification.objects.filter(pk=pk).first()
    if notification is None or not access.can(
        request.user, "read_notification", notification
    ):
        raise Http404
    return notification


def _row(notification: Notification) -> dict:
    return {
        "notification": notification,
        "subject": rendering.subject_of(notification),
        "text": rendering.text_of(notification),
        "details": rendering.details_of(notification),
        "kind": kinds.label_of(notification.kind),
    }


def inbox(request):
    """My notices, newest first, with filters (unread, kind, call, project)."""
    filters = selectors.InboxFilters.from_query(request.GET)
    notices = filters.apply(selectors.inbox(request.user))
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "notifications/inbox.html",
        {
            "page_title": _("Notifications"),
            "header_icon": "mail",
            "rows": [_row(notification) for notification in page.object_list],
            "page_obj": page,
            "filters": filters,
            "choices": selectors.inbox_choices(request.user),
            "filter_query": query.urlencode(),
            "unread": selectors.unread_count(request),
        },
    )


def open_notice(request, pk: int):
    """Opening a notice's link marks it read and goes to where one acts."""
    notification = _own_or_404(request, pk)
    services.notification_mark_read(notification=notification, actor=request.user)
    target = notification.link or reverse("notifications_inbox")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("notifications_inbox")
    return redirect(target)


def _back(request):
    back = request.POST.get("next", "")
    if back.startswith(reverse("notifications_inbox")):
        return redirect(back)
    return redirect("notifications_inbox")


@require_POST
def mark_read(request, pk: int):
    notification = _own_or_404(request, pk)
    services.notification_mark_read(notification=notification, actor=request.user)
    return _back(request)


@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(actor=request.user)
    messages.success(request, _("%(count)s notices marked as read.") % {"count": count})
    return _back(request)


def _kinds_for(user) -> list[kinds.Kind]:
    roles = access.roles_of(user)
    return [
        kind
        for kind in kinds.KINDS.values()
        if access.is_superuser(user) or not kind.roles or roles & set(kind.roles)
    ]


def notification_settings(request):
    """How I receive each kind of notice: at once, in the daily digest, or in
    the inbox only; mandatory kinds are always e-mailed and cannot be changed."""
    shown = _kinds_for(request.user)
    chosen = dict(
        NotificationPreference.objects.filter(user=request.user).values_list(
            "kind", "delivery"
        )
    )
    errors: dict[str, str] = {}
    if request.method == "POST":
        choices = {
            kind.code: request.POST.get(f"kind-{kind.code}", "")
            for kind in shown
            if not kind.mandatory
        }
        for code, delivery in choices.items():
            if delivery not in Delivery.values:
                errors[code] = _("Choose one of the ways offered.")
        if not errors:
            try:
                services.preferences_set(user=request.user, choices=choices)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Your notification settings are saved."))
                return redirect("notifications_settings")
        # What the person chose stays on screen while they fix it.
        chosen.update({code: value for code, value in choices.items() if value})
        messages.error(request, _("Some choices were not saved: see below."))
    return TemplateResponse(
        request,
        "notifications/settings.html",
        {
            "page_title": _("Notification settings"),
            "header_icon": "cog",
            "rows": [
                {
                    "kind": kind,
                    "delivery": chosen.get(kind.code, Delivery.IMMEDIATELY),
                    "error": errors.get(kind.code, ""),
                }
                for kind in shown
            ],
            "deliveries": Delivery.choices,
            "has_email": bool(request.user.email),
        },
    )


def outbox(request):
    """The city's view of sending: every notice's status, attempts and last
    error, filtered by status, with "send again" on the failed ones."""
    if not access.can(request.user, "view_outbox"):
        raise PermissionDenied
    status = request.GET.get("status", "")
    if status not in OutboxStatus.values:
        status = ""
    notices = access.visible_to(request.user, selectors.outbox(status))
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "notifications/outbox.html",
        {
            "page_title": _("Outbox"),
            "header_icon": "mail",
            "rows": [_row(notification) for notification in page.object_list],
            "page_obj": page,
            "status": status,
            "filter_query": f"status={status}" if status else "",
            "statuses": OutboxStatus.choices,
            "failed": OutboxStatus.FAILED,
        },
    )


@require_POST
def retry(request, pk: int):
    notification = access.get_visible_or_404(request.user, Notification, pk=pk)
    try:
        services.notification_retry(notification=notification, actor=request.user)
    except PermissionDenied:
        raise
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, _("The notice is being sent again."))
    back = request.POST.get("next", "")
    if not back.startswith(reverse("notifications_outbox")):
        back = reverse("notifications_outbox")
    return redirect(back)
