from django.db import models
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from accounts import access
from common.columns import CallColumn, LabelledChoiceFilter, PersonColumn, call_title
from common.viewsets import (
    ScopedDeleteView,
    ScopedEditView,
    ScopedIndexView,
    ScopedInspectView,
    ScopedModelViewSet,
)

from . import views
from .models import EvaluationScheme, QualitativeScore, published_refusal

SUBMENU_HOOK = "register_evaluation_menu_item"


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can(request.user, "view_rollup")


class SchemeIndexView(ScopedIndexView):
    """Each scheme's row leads to its evaluation (scores, ranks, grades)."""

    def get_inspect_url(self, instance):
        return reverse("evaluation_detail", args=[instance.pk])


class RefusePublishedMixin:
    """A view that changes a scheme, its tiers or its scores: once the grades
    are published it changes nothing, whoever asks (superusers too) and by
    whatever method (a forged POST as much as the form), and sends the person
    to the evaluation's page, where reopening is. The models refuse the same
    (``clean`` and ``save``), for any door not listed here."""

    def scheme_id_of(self, obj) -> int | None:
        return obj.scheme_id

    def _refusal(self, request):
        # After Wagtail's permission check (dispatch) and the access module's
        # (get_object): whoever may not see or change it is told so first.
        scheme_id = self.scheme_id_of(self.get_object())
        if (
            scheme_id is not None
            and EvaluationScheme.objects.filter(
                pk=scheme_id, published_at__isnull=False
            ).exists()
        ):
            messages.error(request, published_refusal().messages[0])
            return redirect("evaluation_detail", scheme_id)
        return None

    def get(self, request, *args, **kwargs):
        return self._refusal(request) or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._refusal(request) or super().post(request, *args, **kwargs)


class SchemeEditView(RefusePublishedMixin, ScopedEditView):
    def scheme_id_of(self, obj):
        return obj.pk


class SchemeDeleteView(RefusePublishedMixin, ScopedDeleteView):
    def scheme_id_of(self, obj):
        return obj.pk


class ScoreEditView(RefusePublishedMixin, ScopedEditView):
    pass


class ScoreDeleteView(RefusePublishedMixin, ScopedDeleteView):
    pass


class LocalTimeInspectView(ScopedInspectView):
    """Wagtail's inspect view shows a date and time as stored (UTC); people
    read every time in Seoul's (the active) time zone, as on every other screen."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(field, models.DateTimeField) and value is not None:
            return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
        return value


class EvaluationSchemeViewSet(ScopedModelViewSet):
    model = EvaluationScheme
    icon = "pick"
    menu_label = _("Evaluation schemes")
    list_display = ["year", CallColumn(), "evaluated_at", "published_at"]
    index_view_class = SchemeIndexView
    edit_view_class = SchemeEditView
    delete_view_class = SchemeDeleteView
    inspect_view_class = LocalTimeInspectView
    inspect_view_enabled = True
    delete_view_enabled = False


def scheme_label(scheme) -> str:
    """A scheme as its ``__str__`` names it, its call in the reader's language."""
    return f"{scheme.year} · {call_title(scheme.call)}"


class QualitativeScoreFilterSet(WagtailFilterSet):
    # The field has no label of its own: the filter would read "Scheme".
    scheme = LabelledChoiceFilter(
        label=capfirst(_("evaluation scheme")),
        queryset=EvaluationScheme.objects.select_related("call"),
        label_from_instance=scheme_label,
    )

    class Meta:
        model = QualitativeScore
        fields = ["scheme"]


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Qualitative scores are entered by the reviewers themselves, on their
    own screen (``qualitative.qualitative_score_submit``): the generic admin
    lists them and opens none for adding, editing or deleting, to anyone,
    superusers included, so the city cannot enter a score on a reviewer's
    behalf through this door."""

    WRITES = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        if action in self.WRITES:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)


register_permission_policy(QualitativeScore, ReadOnlyPermissionPolicy(QualitativeScore))


class QualitativeScoreViewSet(ScopedModelViewSet):
    """A listing of the reviewers' scores, for the city to read and export."""

    model = QualitativeScore
    icon = "user"
    menu_label = _("Qualitative scores")
    list_display = [
        "project",
        Column(
            "scheme",
            label=capfirst(_("evaluation scheme")),
            accessor=lambda score: scheme_label(score.scheme),
            sort_key="scheme",
        ),
        PersonColumn("reviewer", label=capfirst(_("reviewer"))),
        "score",
        "comment",
    ]
    filterset_class = QualitativeScoreFilterSet
    form_fields = ["scheme", "project", "reviewer", "score", "comment"]
    edit_view_class = ScoreEditView
    delete_view_class = ScoreDeleteView


class EvaluationGroup(ViewSetGroup):
    menu_label = _("Outcomes and evaluation")
    menu_icon = "table"
    menu_order = 310
    items = (
        EvaluationSchemeViewSet("evaluation_schemes"),
        QualitativeScoreViewSet("qualitative_scores"),
    )
    submenu_hook = SUBMENU_HOOK


@hooks.register("register_admin_viewset")
def register_evaluation_viewsets():
    return EvaluationGroup()


@hooks.register(SUBMENU_HOOK)
def register_dashboard_item():
    return DashboardMenuItem(
        _("Outcomes dashboard"),
        reverse("evaluation_dashboard"),
        icon_name="table",
        order=1,
    )


class QualitativeReviewerMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can(request.user, "score")


@hooks.register("register_admin_menu_item")
def register_qualitative_menu_item():
    return QualitativeReviewerMenuItem(
        _("Year-end evaluation"),
        reverse("evaluation_qualitative_mine"),
        icon_name="pick",
        order=206,
    )


@hooks.register("register_admin_urls")
def register_evaluation_urls():
    return [
        path(
            "evaluation/qualitative/",
            views.qualitative_mine,
            name="evaluation_qualitative_mine",
        ),
        path(
            "evaluation/qualitative/<int:pk>/",
            views.qualitative_scheme,
            name="evaluation_qualitative_scheme",
        ),
        path(
            "evaluation/qualitative/<int:pk>/<int:project_pk>/",
            views.qualitative_score,
            name="evaluation_qualitative_score",
        ),
        path("outcomes/", views.dashboard, name="evaluation_dashboard"),
        path(
            "outcomes/reports/", views.report_request, name="evaluation_report_request"
        ),
        path(
            "outcomes/reports/jobs/<uuid:job_id>/",
            views.report_job,
            name="evaluation_job",
        ),
        path(
            "outcomes/reports/<int:pk>/",
            views.report_file_page,
            name="evaluation_report_file",
        ),
        path(
            "outcomes/reports/<int:pk>/download/",
            views.report_file_download,
            name="evaluation_report_download",
        ),
        path("evaluation/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
        path(
            "evaluation/<int:pk>/<str:action>/",
            views.evaluation_action,
            name="evaluation_action",
        ),
    ]
