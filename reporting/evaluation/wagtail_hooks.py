from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup

from accounts import access
from common.viewsets import ScopedIndexView, ScopedModelViewSet

from . import views
from .models import EvaluationScheme, QualitativeScore

SUBMENU_HOOK = "register_evaluation_menu_item"


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can_view_rollup(request.user)


class SchemeIndexView(ScopedIndexView):
    """Each scheme's row leads to its evaluation (scores, ranks, grades)."""

    def get_inspect_url(self, instance):
        return reverse("evaluation_detail", args=[instance.pk])


class EvaluationSchemeViewSet(ScopedModelViewSet):
    model = EvaluationScheme
    icon = "pick"
    menu_label = _("Evaluation schemes")
    list_display = ["year", "call", "evaluated_at", "published_at"]
    index_view_class = SchemeIndexView
    inspect_view_enabled = True
    delete_view_enabled = False


class QualitativeScoreViewSet(ScopedModelViewSet):
    model = QualitativeScore
    icon = "user"
    menu_label = _("Qualitative scores")
    list_display = ["scheme", "project", "reviewer", "score"]
    list_filter = ["scheme"]
    form_fields = ["scheme", "project", "reviewer", "score"]


class EvaluationGroup(ViewSetGroup):
    menu_label = _("Outcomes and evaluation")
    menu_icon = "table"
    menu_order = 310
    items = (EvaluationSchemeViewSet("evaluation_schemes"), QualitativeScoreViewSet("qualitative_scores"))
    submenu_hook = SUBMENU_HOOK


@hooks.register("register_admin_viewset")
def register_evaluation_viewsets():
    return EvaluationGroup()


@hooks.register(SUBMENU_HOOK)
def register_dashboard_item():
    return DashboardMenuItem(_("Outcomes dashboard"), reverse("evaluation_dashboard"), icon_name="table", order=1)


@hooks.register("register_admin_urls")
def register_evaluation_urls():
    return [
        path("outcomes/", views.dashboard, name="evaluation_dashboard"),
        path("outcomes/reports/", views.report_request, name="evaluation_report_request"),
        path("outcomes/reports/jobs/<uuid:job_id>/", views.report_job, name="evaluation_job"),
        path("outcomes/reports/<int:pk>/", views.report_file_page, name="evaluation_report_file"),
        path("outcomes/reports/<int:pk>/download/", views.report_file_download, name="evaluation_report_download"),
        path("evaluation/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
        path("evaluation/<int:pk>/<str:action>/", views.evaluation_action, name="evaluation_action"),
    ]
