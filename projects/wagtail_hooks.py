import django_filters
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views import generic

from accounts.models import Organisation
from common.columns import LabelledChoiceFilter, MonthColumn, call_title
from common.viewsets import ScopedEditView, ScopedIndexView, ScopedModelViewSet

from . import views
from .models import ChangeRequest, ChangeRequestStatus, Project
from .months import month_label


class ProjectEditView(ScopedEditView):
    def save_instance(self):
        """Save (in the view's transaction); a new due day judges the reports
        already received again, so every screen keeps one rule."""
        project = super().save_instance()
        if "report_due_day" in self.form.changed_data:
            from reporting.services import arrivals_rejudge

            arrivals_rejudge(project)
        return project


class ProjectViewSet(ScopedModelViewSet):
    """Projects are created from selected proposals (no add form); the city edits
    the descriptive fields; targets and budget change only by change request."""

    model = Project
    icon = "folder-open-inverse"
    menu_label = _("Projects")
    add_to_admin_menu = False
    list_display = [
        "code",
        "title",
        "district",
        MonthColumn("period_start", label=capfirst(_("first month"))),
        MonthColumn("period_end", label=capfirst(_("last month"))),
        "status",
    ]
    list_filter = ["district", "status"]
    search_fields = ["code", "title", "title_en"]
    form_fields = [
        "title",
        "title_en",
        "summary",
        "delivery_partners",
        "report_due_day",
        "status",
    ]
    inspect_view_enabled = True
    inspect_view_class = views.ProjectInspectView
    edit_view_class = ProjectEditView


# --- change requests as a work queue --------------------------------------------


def _change_months():
    return [
        (month.isoformat(), month_label(month))
        for month in ChangeRequest.objects.dates(
            "effective_from", "month", order="DESC"
        )
    ]


def _calls(request=None):
    from competitions.models import CallPage

    return CallPage.objects.order_by("-year", "title")


class ChangeRequestFilterSet(WagtailFilterSet):
    """Change requests by district, call, status and the month they apply from."""

    district = django_filters.ModelChoiceFilter(
        label=_("district"),
        field_name="project__district",
        queryset=Organisation.objects.filter(kind__in=Organisation.LOCAL_KINDS),
    )
    call = LabelledChoiceFilter(
        label=_("call"),
        field_name="project__call",
        queryset=_calls,
        label_from_instance=call_title,
    )
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=ChangeRequestStatus.choices
    )
    effective_from = django_filters.ChoiceFilter(
        label=_("applies from (month)"), choices=_change_months
    )

    class Meta:
        model = ChangeRequest
        fields = ["district", "call", "status", "effective_from"]


class ChangeRequestIndexView(ScopedIndexView):
    """Each request is read and decided on its project's page."""

    def get_edit_url(self, instance):
        return reverse("projects:inspect", args=[instance.project_id])

    def get_add_url(self):
        return None


class ChangeRequestCreateView(generic.CreateView):
    """A change is proposed from its project's page (the service's form)."""

    def get(self, request, *args, **kwargs):
        raise PermissionDenied

    post = get


class ChangeRequestEditView(ScopedEditView):
    needs_change_permission = False

    def get(self, request, *args, **kwargs):
        return redirect("projects:inspect", self.get_object().project_id)

    post = get


class ChangeRequestViewSet(ScopedModelViewSet):
    """The change requests of the projects the person may see: filtered,
    sorted and exported; decided on the project's page."""

    model = ChangeRequest
    icon = "edit"
    menu_label = _("Change requests")
    add_to_admin_menu = False
    list_display = [
        "project",
        "effective_from",
        "status",
        "proposed_by",
        "proposed_at",
        "decided_at",
    ]
    filterset_class = ChangeRequestFilterSet
    search_fields = ["project__code", "project__title", "reason"]
    list_export = [
        "project",
        "effective_from",
        "get_status_display",
        "proposed_by",
        "proposed_at",
        "decided_at",
        "reason",
    ]
    export_headings = {"get_status_display": _("status")}
    export_filename = "change-requests"
    form_fields = []
    index_view_class = ChangeRequestIndexView
    add_view_class = ChangeRequestCreateView
    edit_view_class = ChangeRequestEditView

    def protected_reason(self, instance, action):
        if action == "delete":
            return _(
                "A change request is never deleted: it is the record of what "
                "was asked and decided."
            )
        return None


@hooks.register("register_admin_urls")
def register_project_urls():
    return [
        path(
            "projects/<int:project_id>/change-request/",
            views.change_request_new,
            name="projects_change_request_new",
        ),
        path(
            "projects/change-requests/<int:pk>/",
            views.change_request_detail,
            name="projects_change_request",
        ),
        path(
            "projects/change-requests/<int:pk>/<str:decision>/",
            views.change_request_decide,
            name="projects_change_request_decide",
        ),
    ]
