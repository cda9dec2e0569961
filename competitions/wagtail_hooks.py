import django_filters
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.components import Component

from accounts import access
from accounts.models import Organisation
from common.viewsets import ScopedModelViewSet

from . import views
from .forms import ProposalForm
from .models import CallPage, Proposal, ProposalStatus


class ProposalFilterSet(WagtailFilterSet):
    call = django_filters.ModelChoiceFilter(
        label=_("call"), queryset=CallPage.objects.order_by("-year", "title")
    )
    district = django_filters.ModelChoiceFilter(
        label=_("district"),
        queryset=Organisation.objects.filter(kind__in=Organisation.LOCAL_KINDS),
    )
    status = django_filters.ChoiceFilter(label=_("status"), choices=ProposalStatus.choices)

    class Meta:
        model = Proposal
        fields = ["call", "district", "status"]


class ProposalViewSet(ScopedModelViewSet):
    """Proposals in the admin: districts write theirs, the city lists, filters
    and exports what was sent to it."""

    model = Proposal
    icon = "doc-full"
    menu_label = _("Proposals")
    menu_order = 200
    add_to_admin_menu = True
    index_view_class = views.ProposalIndexView
    add_view_class = views.ProposalCreateView
    edit_view_class = views.ProposalEditView
    inspect_view_class = views.ProposalInspectView
    inspect_view_enabled = True
    create_template_name = "competitions/admin/proposal_form.html"
    edit_template_name = "competitions/admin/proposal_form.html"
    inspect_template_name = "competitions/admin/proposal_inspect.html"
    list_display = ["title", "receipt_number", "district", "call", "status", "city_share",
                    "submitted_at"]
    filterset_class = ProposalFilterSet
    search_fields = ["title", "receipt_number"]
    list_export = ["receipt_number", "title"]  # shows the buttons; the resource writes the file
    export_filename = "proposals"
    edit_handler = ObjectList(Proposal.panels, base_form_class=ProposalForm)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/do/<str:action>/", views.proposal_transition, name="transition"),
            path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
            path("calls/<int:call_id>/zip/", views.AttachmentsZipView.as_view(),
                 name="attachments_zip"),
            path("jobs/<uuid:job_id>/", views.JobView.as_view(), name="job"),
        ]


@hooks.register("register_admin_viewset")
def register_proposal_viewset():
    return ProposalViewSet("proposals")


# --- review and selection ------------------------------------------------------


class CityReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can_manage_review(request.user)


class ReviewerMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can_score(request.user)


@hooks.register("register_admin_menu_item")
def register_review_menu_item():
    return CityReviewMenuItem(
        _("Review and selection"), reverse("review_calls"), icon_name="tasks", order=210
    )


@hooks.register("register_admin_menu_item")
def register_my_assignments_menu_item():
    return ReviewerMenuItem(
        _("My assignments"), reverse("review_my_assignments"), icon_name="clipboard-list",
        order=205,
    )


@hooks.register("register_admin_urls")
def register_review_urls():
    return [
        path("review/", views.ReviewCallsView.as_view(), name="review_calls"),
        path("review/<int:call_id>/panel/", views.PanelView.as_view(), name="review_panel"),
        path("review/<int:call_id>/ranking/", views.RankingView.as_view(), name="review_ranking"),
        path("review/<int:call_id>/score-sheet.xlsx", views.score_sheet, name="review_score_sheet"),
        path("my-assignments/", views.MyAssignmentsView.as_view(), name="review_my_assignments"),
        path("my-assignments/<int:pk>/", views.AssignmentView.as_view(), name="review_assignment"),
        path("my-assignments/<int:pk>/declare/", views.declare_conflict, name="review_declare"),
    ]


class ReviewNoticePanel(Component):
    """The dashboard notice: for the city, conflicts waiting for a new reviewer;
    for a reviewer, how many assignments wait for them."""

    name = "review_notice"
    template_name = "competitions/admin/dashboard_panel.html"
    order = 80

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        from .models import AssignmentStatus, ReviewAssignment
        from .selectors import assignments_ended_by_tie, conflicts_to_reassign

        if access.can_manage_review(self.user):
            return {"conflicts": conflicts_to_reassign(), "is_city": True,
                    "ended_by_tie": assignments_ended_by_tie()}
        waiting = ReviewAssignment.objects.filter(
            reviewer=self.user,
            status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.NO_CONFLICT],
            proposal__call__results_publication__isnull=True,
        ).count()
        return {"waiting": waiting, "is_city": False}


@hooks.register("construct_homepage_panels")
def add_review_notice_panel(request, panels):
    if access.can_manage_review(request.user) or access.can_score(request.user):
        panels.append(ReviewNoticePanel(request.user))
