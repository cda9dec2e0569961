from datetime import datetime, time

import django_filters
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup

from accounts import access
from accounts.models import Organisation
from common.columns import CallColumn, LabelledChoiceFilter, MoneyColumn, call_title
from common.viewsets import ScopedModelViewSet
from projects.months import SEOUL, add_months, month_label, parse_month

from . import views
from .forms import ProposalForm
from .models import CallPage, Proposal, ProposalStatus
from .panels import KeptObjectList


def _submitted_months():
    months = Proposal.objects.filter(submitted_at__isnull=False).datetimes(
        "submitted_at", "month", order="DESC", tzinfo=SEOUL
    )
    return [(month_label(m.date()), month_label(m.date())) for m in months]


class ProposalFilterSet(WagtailFilterSet):
    call = LabelledChoiceFilter(
        label=_("call"),
        queryset=CallPage.objects.order_by("-year", "title"),
        label_from_instance=call_title,
    )
    district = django_filters.ModelChoiceFilter(
        label=_("district"),
        queryset=Organisation.objects.filter(kind__in=Organisation.LOCAL_KINDS),
    )
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=ProposalStatus.choices
    )
    month = django_filters.ChoiceFilter(
        label=_("month submitted"), choices=_submitted_months, method="in_month"
    )

    class Meta:
        model = Proposal
        fields = ["call", "district", "status"]

    def in_month(self, queryset, name, value):
        """Submitted within the month (Asia/Seoul)."""
        try:
            start = parse_month(value)
        except ValueError:
            return queryset.none()
        begin = datetime.combine(start, time.min, tzinfo=SEOUL)
        end = datetime.combine(add_months(start, 1), time.min, tzinfo=SEOUL)
        return queryset.filter(submitted_at__gte=begin, submitted_at__lt=end)


class ProposalViewSet(ScopedModelViewSet):
    """Proposals in the admin: districts write theirs, the city lists, filters
    and exports what was sent to it."""

    model = Proposal
    icon = "doc-full"
    menu_label = _("Proposals")
    # Not in Wagtail's reference index: indexing walked every output, target
    # group and budget row after each draft save (half the CPU of a save, about
    # 100 queries, issue 26). Nothing reads a proposal's references: the call it
    # belongs to is PROTECTed, and no usage screen lists proposals.
    add_to_reference_index = False
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
    list_display = [
        "title",
        "receipt_number",
        "district",
        CallColumn(),
        "status",
        MoneyColumn("city_share", label=_("City share")),
        "submitted_at",
    ]
    filterset_class = ProposalFilterSet
    search_fields = ["title", "receipt_number"]
    list_export = [
        "receipt_number",
        "title",
    ]  # shows the buttons; the resource writes the file
    export_filename = "proposals"
    edit_handler = KeptObjectList(Proposal.panels, base_form_class=ProposalForm)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path(
                "<int:pk>/do/<str:action>/",
                views.proposal_transition,
                name="transition",
            ),
            path(
                "<int:pk>/withdraw/",
                views.proposal_withdraw_confirm,
                name="withdraw",
            ),
            path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
            path(
                "calls/<int:call_id>/zip/",
                views.AttachmentsZipView.as_view(),
                name="attachments_zip",
            ),
            path("jobs/<uuid:job_id>/", views.JobView.as_view(), name="job"),
            path(
                "start-from/<int:call_id>/",
                views.proposal_start_from,
                name="start_from",
            ),
            path(
                "carry/<int:project_id>/",
                views.project_carry,
                name="carry",
            ),
        ]


@hooks.register("register_admin_viewset")
def register_proposal_viewset():
    return ProposalViewSet("proposals")


# --- review and selection ------------------------------------------------------


class CityReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can(request.user, "manage_review")


class ReviewerMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can(request.user, "score")


@hooks.register("register_admin_menu_item")
def register_review_menu_item():
    return CityReviewMenuItem(
        _("Review and selection"), reverse("review_calls"), icon_name="tasks", order=210
    )


@hooks.register("register_admin_menu_item")
def register_my_assignments_menu_item():
    return ReviewerMenuItem(
        _("My assignments"),
        reverse("review_my_assignments"),
        icon_name="clipboard-list",
        order=205,
    )


class ObjectionsMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can(request.user, "view_objections")


class PresentationsMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can(request.user, "view_presentations")


@hooks.register("register_admin_menu_item")
def register_objections_menu_item():
    return ObjectionsMenuItem(
        _("Objections"), reverse("objections"), icon_name="warning", order=212
    )


@hooks.register("register_admin_menu_item")
def register_presentations_menu_item():
    return PresentationsMenuItem(
        _("Presentations"), reverse("presentations_mine"), icon_name="date", order=206
    )


@hooks.register("register_admin_urls")
def register_review_urls():
    return [
        path("review/", views.ReviewCallsView.as_view(), name="review_calls"),
        path(
            "review/<int:call_id>/panel/",
            views.PanelView.as_view(),
            name="review_panel",
        ),
        path(
            "review/<int:call_id>/ranking/",
            views.RankingView.as_view(),
            name="review_ranking",
        ),
        path(
            "review/<int:call_id>/best-set/",
            views.OptimalSelectionView.as_view(),
            name="review_optimal",
        ),
        path(
            "review/<int:call_id>/score-sheet.xlsx",
            views.score_sheet,
            name="review_score_sheet",
        ),
        path(
            "my-assignments/",
            views.MyAssignmentsView.as_view(),
            name="review_my_assignments",
        ),
        path(
            "my-assignments/<int:pk>/",
            views.AssignmentView.as_view(),
            name="review_assignment",
        ),
        path(
            "my-assignments/<int:pk>/declare/",
            views.declare_conflict,
            name="review_declare",
        ),
        path(
            "review/<int:call_id>/draw/",
            views.DrawView.as_view(),
            name="review_draw",
        ),
        path(
            "my-assignments/calls/<int:call_id>/pledge/",
            views.PledgeView.as_view(),
            name="review_pledge",
        ),
        path(
            "review/<int:call_id>/presentations/",
            views.PresentationTimetableView.as_view(),
            name="review_presentations",
        ),
        path(
            "presentations/",
            views.MyPresentationsView.as_view(),
            name="presentations_mine",
        ),
        path(
            "presentations/<int:pk>/score/",
            views.PresentationScoreView.as_view(),
            name="presentations_score",
        ),
        path("objections/", views.ObjectionIndexView.as_view(), name="objections"),
        path(
            "objections/new/<int:proposal_id>/",
            views.ObjectionCreateView.as_view(),
            name="objections_new",
        ),
        path(
            "objections/<int:pk>/",
            views.ObjectionDetailView.as_view(),
            name="objections_detail",
        ),
        path(
            "objections/files/<int:pk>/",
            views.objection_attachment_download,
            name="objections_attachment",
        ),
    ]


class ReviewerPoolGroup(ViewSetGroup):
    """평가위원 풀: the city's reviewers with their fields of expertise and ties,
    from which call panels are drawn. Shown to city managers only (Wagtail asks
    each viewset's permission policy)."""

    menu_label = _("Reviewer pool")
    menu_icon = "group"
    menu_order = 215
    items = (
        views.ReviewerPoolViewSet("reviewer_pool"),
        views.ExpertiseFieldViewSet("expertise_fields"),
    )


@hooks.register("register_admin_viewset")
def register_reviewer_pool_viewsets():
    return ReviewerPoolGroup()


# --- results pages: written only by the publication service ----------------------
# CallResultsPage refuses creation (is_creatable), every page-editor permission
# (its permission tester) and any save outside results_publish. These hooks
# turn the editor's doors into a clear message instead of a bare refusal.


def _refuse_results_page(request, page=None):
    from django.contrib import messages as django_messages
    from django.shortcuts import redirect

    from .models.review import results_page_refusal

    django_messages.error(request, results_page_refusal())
    parent = page.get_parent() if page is not None and page.depth > 1 else None
    if parent is not None:
        return redirect("wagtailadmin_explore", parent.pk)
    return redirect("wagtailadmin_home")


def _is_results_page(page) -> bool:
    from .models import CallResultsPage

    return page is not None and issubclass(
        page.specific_class or object, CallResultsPage
    )


def _holds_results_page(page) -> bool:
    from .models import CallResultsPage

    return (
        _is_results_page(page) or CallResultsPage.objects.descendant_of(page).exists()
    )


@hooks.register("before_create_page")
def refuse_creating_results_pages(request, parent_page, page_class):
    from .models import CallResultsPage

    if issubclass(page_class, CallResultsPage):
        return _refuse_results_page(request, parent_page)
    return None


@hooks.register("before_edit_page")
def refuse_editing_results_pages(request, page):
    return _refuse_results_page(request, page) if _is_results_page(page) else None


@hooks.register("before_publish_page")
def refuse_publishing_results_pages(request, page):
    return _refuse_results_page(request, page) if _is_results_page(page) else None


@hooks.register("before_unpublish_page")
def refuse_unpublishing_results_pages(request, page):
    return _refuse_results_page(request, page) if _is_results_page(page) else None


@hooks.register("before_move_page")
def refuse_moving_results_pages(request, page, destination):
    return _refuse_results_page(request, page) if _is_results_page(page) else None


@hooks.register("before_delete_page")
def refuse_deleting_results_pages(request, page):
    # A call whose results are published keeps its public record.
    return _refuse_results_page(request, page) if _holds_results_page(page) else None


@hooks.register("before_copy_page")
def refuse_copying_results_pages(request, page):
    if _is_results_page(page):
        return _refuse_results_page(request, page)
    if (
        request.method == "POST"
        and request.POST.get("copy_subpages")
        and _holds_results_page(page)
    ):
        return _refuse_results_page(request, page)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_actions_on_results_pages(
    request, action_type, objects, action_class_instance
):
    from wagtail.models import Page

    if any(
        isinstance(obj, Page)
        and (
            _is_results_page(obj)
            or (action_type == "delete" and _holds_results_page(obj))
        )
        for obj in objects
    ):
        return _refuse_results_page(request)
    return None
