"""The destruction ledger (파기 대장) in the admin: read-only, city managers only."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import access

from .models import RosterDestruction


@require_GET
def roster_destructions(request):
    if not access.is_city_manager(request.user):
        raise PermissionDenied
    entries = access.visible_to(request.user, RosterDestruction).select_related(
        "destroyed_by"
    )[:500]
    return TemplateResponse(
        request,
        "reporting/roster_destructions.html",
        {
            "page_title": _("Roster destruction ledger"),
            "header_icon": "bin",
            "entries": entries,
        },
    )
