"""The city's announcements: the record of those sent, one in full, and the
form to write a new one."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from accounts import access

from .forms import AnnouncementForm
from .models import Announcement
from .selectors import announcements_for
from .services import announcement_send


def _refuse_unless_city(request) -> None:
    if not access.can(request.user, "send_announcement"):
        raise PermissionDenied


def index(request):
    _refuse_unless_city(request)
    return TemplateResponse(
        request,
        "announcements/index.html",
        {
            "page_title": _("Announcements"),
            "header_icon": "mail",
            "announcements": announcements_for(request.user).annotate(
                recipient_count=Count("recipients")
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def new(request):
    _refuse_unless_city(request)
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            announcement = announcement_send(
                actor=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                audience=form.cleaned_data["audience"],
                call=form.cleaned_data["call"],
            )
        except ValidationError as error:
            # What was typed stays on the form, with the reason by its field.
            for field, errors in error.error_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                _("The announcement was sent to %(count)s people.")
                % {"count": announcement.recipients.count()},
            )
            return redirect("announcements_detail", pk=announcement.pk)
    return TemplateResponse(
        request,
        "announcements/new.html",
        {"page_title": _("New announcement"), "header_icon": "mail", "form": form},
    )


def detail(request, pk: int):
    announcement = access.get_visible_or_404(request.user, Announcement, pk=pk)
    return TemplateResponse(
        request,
        "announcements/detail.html",
        {
            "page_title": announcement.title,
            "header_icon": "mail",
            "announcement": announcement,
            "recipients": announcement.recipients.select_related(
                "organisation"
            ).order_by("organisation__code", "last_name", "first_name", "username"),
        },
    )
