import django_filters
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import ObjectList

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
