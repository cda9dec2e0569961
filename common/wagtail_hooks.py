from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts import access
from accounts.models import Organisation

from . import audit_views, guide_views, views
from .viewsets import ScopedModelViewSet

# --- organisations: registered here so that accounts, the lowest app, imports
# no other app of the project (see [tool.importlinter] in pyproject.toml) ------


class OrganisationViewSet(ScopedModelViewSet):
    model = Organisation
    icon = "site"
    menu_label = _("Organisations")
    menu_order = 900
    add_to_admin_menu = True
    list_display = ["code", "name_ko", "name_en", "kind", "parent"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name_ko", "name_en"]
    form_fields = ["code", "name_ko", "name_en", "kind", "parent", "is_active"]
    inspect_view_enabled = True


@hooks.register("register_admin_viewset")
def register_organisation_viewset():
    return OrganisationViewSet("organisations")


@hooks.register("register_admin_urls")
def register_job_urls():
    return [
        path("jobs/<uuid:job_id>/", views.job_status, name="job_status"),
        path("jobs/<uuid:job_id>/file/", views.job_download, name="job_download"),
    ]


# --- the audit trail (감사 기록): city managers only, read only ------------------


class AuditTrailMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can(request.user, "view_audit_trail")


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [
        path("audit/", audit_views.AuditIndexView.as_view(), name="audit_index"),
        path(
            "audit/results/",
            audit_views.AuditIndexView.as_view(results_only=True),
            name="audit_index_results",
        ),
        path(
            "audit/<int:pk>/",
            audit_views.AuditDetailView.as_view(),
            name="audit_detail",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_audit_menu_item():
    return AuditTrailMenuItem(
        _("Audit trail"), reverse("audit_index"), icon_name="history", order=950
    )


@hooks.register("construct_reports_menu")
def hide_site_history(request, menu_items):
    """Wagtail's site history is for superusers only (see common.views.site_history)."""
    if not access.sees_wagtail_site_history(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "site-history"]


# --- the home page: each role's work, not Wagtail's page summary ------------------


# Both run after every other app's hook (order), so what Wagtail's own apps
# add is there to be removed.
@hooks.register("construct_homepage_summary_items", order=1000)
def keep_site_summary_for_superusers(request, summary_items):
    # "7 pages, 0 images" says nothing to an officer, approver, reviewer or
    # city manager; a superuser who edits the site keeps it.
    if not access.is_superuser(request.user):
        summary_items.clear()


@hooks.register("construct_homepage_panels", order=1000)
def add_role_home_panels(request, panels):
    from .home import WAGTAIL_PAGE_PANELS, panels_for

    if not access.is_superuser(request.user):
        panels[:] = [
            panel
            for panel in panels
            if getattr(panel, "name", None) not in WAGTAIL_PAGE_PANELS
        ]
    panels.extend(panels_for(request.user))


# --- paper and help (issue 21): the print stylesheet, printed documents, the guide --


@hooks.register("insert_global_admin_css")
def print_stylesheet():
    """Every admin page prints its content only: no sidebar, no header
    furniture, tables wrapped to the page (assets/css/admin-print.css)."""
    return format_html(
        '<link rel="stylesheet" media="print" href="{}" data-print-stylesheet>',
        static("css/admin-print.css"),
    )


@hooks.register("register_admin_urls")
def register_document_urls():
    from .documents import views as documents

    return [
        path(
            "documents/proposals/<int:pk>/receipt/",
            documents.proposal_receipt,
            name="documents_proposal_receipt",
        ),
        path(
            "documents/reports/<int:pk>/submitted/",
            documents.report_as_submitted,
            name="documents_report_as_submitted",
        ),
        path(
            "documents/calls/<int:call_id>/selection/",
            documents.selection_result,
            name="documents_selection_result",
        ),
        path(
            "documents/change-requests/<int:pk>/decision/",
            documents.change_decision,
            name="documents_change_decision",
        ),
    ]


@hooks.register("register_admin_urls")
def register_guide_urls():
    return [
        path("guide/", guide_views.guide_index, name="guide_index"),
        path(
            "guide/img/<str:language>/<str:name>",
            guide_views.guide_image,
            name="guide_image",
        ),
        path("guide/<slug:role>/", guide_views.guide_page, name="guide_page"),
    ]


@hooks.register("register_help_menu_item")
def register_user_guide_menu_item():
    return MenuItem(
        _("User guide"),
        reverse("guide_index"),
        icon_name="help",
        order=900,
        name="user-guide",
    )


@hooks.register("construct_help_menu")
def replace_wagtail_guides(request, menu_items):
    """Wagtail's English editor guide and release notes are for site editors
    of any Wagtail site; our users read the product's own guide instead."""
    menu_items[:] = [
        item
        for item in menu_items
        if item.name != "editor-guide" and not item.name.startswith("whats-new")
    ]
