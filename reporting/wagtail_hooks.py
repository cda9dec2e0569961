import django_filters
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup

from accounts import access
from accounts.models import Organisation
from common.columns import LabelledChoiceFilter, MonthColumn, YesNoColumn, call_title
from common.viewsets import ScopedEditView, ScopedIndexView, ScopedModelViewSet
from competitions.models import CallPage
from projects.months import month_label
from projects.wagtail_hooks import ChangeRequestViewSet, ProjectViewSet

from . import retention_views, views
from .models import MonthlyReport, ReportStatus

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


def _report_months():
    return [
        (month.isoformat(), month_label(month))
        for month in MonthlyReport.objects.dates("period", "month", order="DESC")
    ]


class MonthlyReportFilterSet(WagtailFilterSet):
    """The monthly reports as a work queue: by district, call, status, month."""

    district = django_filters.ModelChoiceFilter(
        label=_("district"),
        queryset=Organisation.objects.filter(kind__in=Organisation.LOCAL_KINDS),
    )
    call = LabelledChoiceFilter(
        label=_("call"),
        field_name="project__call",
        queryset=CallPage.objects.order_by("-year", "title"),
        label_from_instance=call_title,
    )
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=ReportStatus.choices
    )
    period = django_filters.ChoiceFilter(label=_("month"), choices=_report_months)

    class Meta:
        model = MonthlyReport
        fields = ["district", "call", "status", "period", "is_locked"]


class MonthlyReportViewSet(ScopedModelViewSet):
    model = MonthlyReport
    # Not in Wagtail's reference index: it would be rebuilt after every save of
    # a month (a draft, an upload) for references nothing reads — the project is
    # PROTECTed and no usage screen lists months (issue 26).
    add_to_reference_index = False
    icon = "doc-full"
    menu_label = _("Monthly reports")
    list_display = [
        "project",
        MonthColumn("period", label=_("Month")),
        "district",
        "status",
        "first_submitted_at",
        "days_late",
        YesNoColumn(
            "is_locked",
            label=capfirst(_("locked")),
            yes=pgettext_lazy("report month", "Locked"),
            no=pgettext_lazy("report month", "Open"),
        ),
    ]
    filterset_class = MonthlyReportFilterSet
    search_fields = ["project__code", "project__title"]
    # Statuses and days late as a person reads them, not codes.
    list_export = [
        "project",
        "period",
        "district",
        "get_status_display",
        "first_submitted_at",
        "days_late",
    ]
    export_headings = {
        "get_status_display": _("status"),
        "days_late": _("days late"),
    }
    export_filename = "monthly-reports"
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
    items = (
        ProjectViewSet("projects"),
        MonthlyReportViewSet("monthly_reports"),
        ChangeRequestViewSet("change_requests"),
    )
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
        path(
            "reports/overdue/remind/",
            views.overdue_remind,
            name="reporting_overdue_remind",
        ),
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
