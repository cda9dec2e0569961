"""The user guide inside the admin (see common.guide). Every signed-in admin
user may read every role's guide; the admin's own sign-in check guards them."""

from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from accounts import access

from . import guide


def _own_role(user) -> str | None:
    if access.is_city_manager(user):
        return "city-manager"
    if access.is_district_approver(user):
        return "approver"
    if access.is_district_officer(user):
        return "district-officer"
    if access.is_reviewer(user):
        return "reviewer"
    return None


def guide_index(request):
    own = _own_role(request.user)
    return TemplateResponse(
        request,
        "common/admin/guide_index.html",
        {
            "page_title": _("User guide"),
            "header_icon": "help",
            "roles": guide.ROLES,
            "own": own,
        },
    )


def guide_page(request, role: str):
    if role not in guide.ROLE_SLUGS:
        raise Http404
    return TemplateResponse(
        request,
        "common/admin/guide_page.html",
        {
            "page_title": _("User guide"),
            "page_subtitle": guide.ROLE_SLUGS[role].title,
            "header_icon": "help",
            "role": guide.ROLE_SLUGS[role],
            "roles": guide.ROLES,
            "body": guide.guide_html(role),
        },
    )


def guide_image(request, language: str, name: str):
    path = guide.image_path(language, name)
    if path is None:
        raise Http404
    response = FileResponse(path.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response
