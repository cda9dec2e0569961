from django.urls import path
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from common.columns import MonthColumn
from common.viewsets import ScopedEditView, ScopedModelViewSet

from . import views
from .models import Project


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
