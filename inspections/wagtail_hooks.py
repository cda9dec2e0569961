import django_filters
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup

from accounts import access
from accounts.models import Organisation
from common.columns import LabelledChoiceFilter, call_title
from common.viewsets import ScopedEditView, ScopedIndexView, ScopedModelViewSet

from . import views
from .home import FindingsHome
from .models import SiteVisit, VisitChecklistItem, VisitStatus

SUBMENU_HOOK = "register_inspections_menu_item"


def _calls(request=None):
    from competitions.models import CallPage

    return CallPage.objects.order_by("-year", "title")


class SiteVisitFilterSet(WagtailFilterSet):
    """Visits by call, district and status."""

    call = LabelledChoiceFilter(
        label=_("call"),
        field_name="project__call",
        queryset=_calls,
        label_from_instance=call_title,
    )
    district = django_filters.ModelChoiceFilter(
        label=_("district"),
        field_name="project__district",
        queryset=Organisation.objects.filter(kind__in=Organisation.LOCAL_KINDS),
    )
    status = django_filters.ChoiceFilter(label=_("status"), choices=VisitStatus.choices)

    class Meta:
        model = SiteVisit
        fields = ["call", "district", "status"]


class ChecklistFilterSet(WagtailFilterSet):
    """Checklist lines by call (the call named in the reader's language)."""

    call = LabelledChoiceFilter(
        label=_("call"),
        field_name="call",
        queryset=_calls,
        label_from_instance=call_title,
    )

    class Meta:
        model = VisitChecklistItem
        fields = ["call"]


class SiteVisitIndexView(ScopedIndexView):
    """Each visit opens its own page (checklist, findings)."""

    def get_edit_url(self, instance):
        return reverse("inspections_visit", args=[instance.pk])

    def get_add_url(self):
        if access.can(self.request.user, "plan_site_visit"):
            return reverse("inspections_visit_new")
        return None


class SiteVisitAddView(generic.CreateView):
    """A visit is planned on its own screen (the service's rules)."""

    def get(self, request, *args, **kwargs):
        raise PermissionDenied

    post = get


class SiteVisitEditView(ScopedEditView):
    """Changed on its own screen, through the service: the generic edit sends
    the city there."""

    def get(self, request, *args, **kwargs):
        self.get_object()
        return redirect("inspections_visit", self.kwargs["pk"])

    post = get


class SiteVisitViewSet(ScopedModelViewSet):
    """The visits of the projects the person may see."""

    model = SiteVisit
    icon = "clipboard-list"
    menu_label = _("Site visits")
    add_to_admin_menu = False
    list_display = ["project", "planned_on", "status", "visited_on"]
    filterset_class = SiteVisitFilterSet
    search_fields = ["project__code", "project__title"]
    list_export = ["project", "planned_on", "get_status_display", "visited_on"]
    export_headings = {"get_status_display": _("status")}
    export_filename = "site-visits"
    form_fields = ["planned_on", "purpose"]
    index_view_class = SiteVisitIndexView
    add_view_class = SiteVisitAddView
    edit_view_class = SiteVisitEditView


class ChecklistItemViewSet(ScopedModelViewSet):
    """The site-visit checklist of each call (a call without one uses the
    default five lines)."""

    model = VisitChecklistItem
    icon = "list-ol"
    menu_label = _("Site-visit checklists")
    add_to_admin_menu = False
    list_display = ["call", "order", "text_ko", "text_en"]
    filterset_class = ChecklistFilterSet
    form_fields = ["call", "order", "text_ko", "text_en"]


class InspectionsMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can(request.user, "view_site_visits")


class CityMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can(request.user, "plan_site_visit")


class InspectionsGroup(ViewSetGroup):
    menu_label = _("Site visits")
    menu_icon = "clipboard-list"
    menu_order = 320
    items = (
        SiteVisitViewSet("site_visits"),
        ChecklistItemViewSet("visit_checklists"),
    )
    submenu_hook = SUBMENU_HOOK


@hooks.register("register_admin_viewset")
def register_inspections_viewsets():
    return InspectionsGroup()


@hooks.register(SUBMENU_HOOK)
def register_findings_item():
    return InspectionsMenuItem(
        _("Findings"), reverse("inspections_findings"), icon_name="warning", order=1
    )


@hooks.register(SUBMENU_HOOK)
def register_plan_item():
    return CityMenuItem(
        _("Plan a site visit"),
        reverse("inspections_visit_new"),
        icon_name="plus",
        order=2,
    )


@hooks.register("construct_homepage_panels", order=1010)
def add_findings_panel(request, panels):
    """Open findings on the city's and the district's home, beside the other
    role panels (``common.home``)."""
    if access.can(request.user, "view_site_visits"):
        panels.append(FindingsHome(request.user))


@hooks.register("register_admin_urls")
def register_inspections_urls():
    return [
        path("site-visits/new/", views.visit_new, name="inspections_visit_new"),
        path("site-visits/<int:pk>/", views.visit_detail, name="inspections_visit"),
        path(
            "site-visits/<int:pk>/change/",
            views.visit_edit,
            name="inspections_visit_edit",
        ),
        path(
            "site-visits/<int:pk>/record/",
            views.visit_record,
            name="inspections_visit_record",
        ),
        path(
            "site-visits/<int:pk>/cancel/",
            views.visit_cancel,
            name="inspections_visit_cancel",
        ),
        path(
            "site-visits/<int:pk>/findings/new/",
            views.finding_new,
            name="inspections_finding_new",
        ),
        path("findings/", views.findings, name="inspections_findings"),
        path("findings/<int:pk>/", views.finding_detail, name="inspections_finding"),
        path(
            "findings/<int:pk>/<str:action>/",
            views.finding_action,
            name="inspections_finding_action",
        ),
        path(
            "findings/evidence/<int:pk>/",
            views.evidence_download,
            name="inspections_evidence",
        ),
        path(
            "site-visits/projects/<int:project_id>/",
            views.project_visits,
            name="inspections_project",
        ),
    ]
