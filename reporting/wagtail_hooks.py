from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup

from accounts import access
from common.columns import MonthColumn, YesNoColumn
from common.viewsets import ScopedEditView, ScopedIndexView, ScopedModelViewSet
from projects.wagtail_hooks import ProjectViewSet

from . import retention_views, views
from .models import MonthlyReport

SUBMENU_HOOK = "register_reporting_menu_item"


class ReportIndexView(ScopedIndexView):
    """Each report opens its own page (figures, versions, actions)."""

    def get_edit_url(self, instance):
        return reverse("reporting_report", args=[instance.pk])

    def get_add_url(self):
        return None


class ReportEditView(ScopedEditView):
    needs_change_permission = False

    def get(self, request, *args, **kwargs):
        return redirect("reporting_report", self.get_object().pk)

    post = get


class MonthlyReportViewSet(ScopedModelViewSet):
    model = MonthlyReport
    icon = "doc-full"
    menu_label = _("Monthly reports")
    list_display = [
        "project",
        MonthColumn("period", label=_("Month")),
        "district",
        "status",
        "first_submitted_at",
        YesNoColumn(
            "is_locked",
            label=capfirst(_("locked")),
            yes=pgettext_lazy("report month", "Locked"),
            no=pgettext_lazy("report month", "Open"),
        ),
    ]
    list_filter = ["period", "district", "status", "is_locked"]
    search_fields = ["project__code", "project__title"]
    form_fields = []
    index_view_class = ReportIndexView
    edit_view_class = ReportEditView

    def protected_reason(self, instance, action):
        # Edits go through the report page (ReportEditView redirects there);
        # deleting would drop versions and figures the services keep forever.
        if action == "delete":
            return _(
                "A monthly report is never deleted: every version is kept. "
                "Return it or reopen the month on the report's page instead."
            )
        return None


class ReportingMenuItem(MenuItem):
    """Shown to city managers and district users, the people these screens serve."""

    def is_shown(self, request):
        return access.is_city_or_district_user(request.user)


class ReportingGroup(ViewSetGroup):
    menu_label = _("Projects and reports")
    menu_icon = "tasks"
    menu_order = 300
    items = (ProjectViewSet("projects"), MonthlyReportViewSet("monthly_reports"))
    submenu_hook = SUBMENU_HOOK


@hooks.register("register_admin_viewset")
def register_reporting_viewsets():
    return ReportingGroup()


@hooks.register(SUBMENU_HOOK)
def register_month_overview_item():
    return ReportingMenuItem(
        _("Reports of the month"),
        reverse("reporting_month"),
        icon_name="date",
        order=10,
    )


@hooks.register(SUBMENU_HOOK)
def register_overdue_item():
    return ReportingMenuItem(
        _("Overdue reports"),
        reverse("reporting_overdue"),
        icon_name="warning",
        order=11,
    )


class CityManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return access.is_city_manager(request.user)


@hooks.register(SUBMENU_HOOK)
def register_roster_destructions_item():
    return CityManagerMenuItem(
        _("Roster destruction ledger"),
        reverse("reporting_roster_destructions"),
        icon_name="bin",
        order=40,
    )


@hooks.register("register_admin_urls")
def register_reporting_urls():
    return [
        path("reports/month/", views.month_overview, name="reporting_month"),
        path("reports/overdue/", views.overdue_list, name="reporting_overdue"),
        path("reports/<int:pk>/", views.report_detail, name="reporting_report"),
        path(
            "reports/<int:pk>/<str:action>/",
            views.report_action,
            name="reporting_report_action",
        ),
        path(
            "reports/file/<int:project_id>/<str:month>/",
            views.report_form,
            name="reporting_report_form",
        ),
        path(
            "reports/roster-destructions/",
            retention_views.roster_destructions,
            name="reporting_roster_destructions",
        ),
    ]
