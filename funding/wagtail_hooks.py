import django_filters
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup

from accounts import access
from accounts.models import Organisation
from common.columns import LabelledChoiceFilter, MoneyColumn, call_title
from common.viewsets import ScopedIndexView, ScopedModelViewSet

from . import settlement_views, views
from .models import Agreement, AgreementStatus, GrantConditions

SUBMENU_HOOK = "register_funding_menu_item"


def _calls(request=None):
    from competitions.models import CallPage

    return CallPage.objects.order_by("-year", "title")


class AgreementFilterSet(WagtailFilterSet):
    """Agreements by call, district and status."""

    call = LabelledChoiceFilter(
        label=_("call"),
        field_name="project__call",
        queryset=_calls,
        label_from_instance=call_title,
    )
    district = django_filters.ModelChoiceFilter(
        label=_("district"),
        field_name="district",
        queryset=Organisation.objects.filter(kind__in=Organisation.LOCAL_KINDS),
    )
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=AgreementStatus.choices
    )

    class Meta:
        model = Agreement
        fields = ["call", "district", "status"]


class AgreementIndexView(ScopedIndexView):
    """Each agreement opens its own page (amounts, signing, PDF)."""

    def get_edit_url(self, instance):
        return reverse("funding_agreement", args=[instance.pk])

    def get_add_url(self):
        return None


class AgreementCreateView(generic.CreateView):
    """An agreement is drafted from its project's plan (the service), never typed."""

    def get(self, request, *args, **kwargs):
        raise PermissionDenied

    post = get


class AgreementViewSet(ScopedModelViewSet):
    """The agreements of the projects the person may see. The generic edit
    form changes a draft's conditions and signatories only; a signed (or
    superseded) agreement is refused here as everywhere."""

    model = Agreement
    icon = "doc-full"
    menu_label = _("Grant agreements")
    add_to_admin_menu = False
    list_display = [
        "project",
        "version",
        "district",
        "status",
        MoneyColumn("city_share", label=_("City share")),
        MoneyColumn("district_share", label=_("District share")),
        "signed_on",
    ]
    filterset_class = AgreementFilterSet
    search_fields = ["project__code", "project__title"]
    list_export = [
        "project",
        "version",
        "district",
        "get_status_display",
        "total_amount",
        "city_share",
        "district_share",
        "signed_on",
    ]
    export_headings = {"get_status_display": _("status")}
    export_filename = "agreements"
    form_fields = [
        "conditions_ko",
        "conditions_en",
        "city_signatory_name",
        "city_signatory_title",
        "district_signatory_name",
        "district_signatory_title",
    ]
    index_view_class = AgreementIndexView
    add_view_class = AgreementCreateView

    def protected_reason(self, instance, action):
        if instance.status != AgreementStatus.DRAFT:
            return _(
                "A signed agreement is read-only. A change of plan approved by the "
                "city is drafted as the agreement's next version."
            )
        return None


class GrantConditionsViewSet(ScopedModelViewSet):
    """The conditions of grant (교부 조건) each call's agreements carry."""

    model = GrantConditions
    icon = "list-ul"
    menu_label = _("Conditions of grant")
    add_to_admin_menu = False
    list_display = ["call"]
    form_fields = [
        "call",
        "text_ko",
        "text_en",
        "interest_rule",
        "settlement_due_days",
        "category_move_percent",
    ]


class FundingMenuItem(MenuItem):
    def is_shown(self, request):
        return access.is_city_or_district_user(request.user)


class FundingGroup(ViewSetGroup):
    menu_label = _("Agreements and disbursement")
    menu_icon = "doc-full"
    menu_order = 310
    items = (
        AgreementViewSet("agreements"),
        GrantConditionsViewSet("grant_conditions"),
    )
    submenu_hook = SUBMENU_HOOK


@hooks.register("register_admin_viewset")
def register_funding_viewsets():
    return FundingGroup()


@hooks.register(SUBMENU_HOOK)
def register_dashboard_item():
    return FundingMenuItem(
        _("Agreed, disbursed and due"),
        reverse("funding_dashboard"),
        icon_name="table",
        order=1,
    )


@hooks.register(SUBMENU_HOOK)
def register_settlements_item():
    return FundingMenuItem(
        _("Settlements"),
        reverse("funding_settlements"),
        icon_name="tasks",
        order=2,
    )


@hooks.register("register_admin_urls")
def register_funding_urls():
    return [
        path("funding/", views.dashboard, name="funding_dashboard"),
        path(
            "funding/projects/<int:project_id>/",
            views.project_money,
            name="funding_project",
        ),
        path(
            "funding/projects/<int:project_id>/agreement/",
            views.agreement_draft,
            name="funding_agreement_draft",
        ),
        path(
            "funding/projects/<int:project_id>/schedule/",
            views.schedule,
            name="funding_schedule",
        ),
        path(
            "funding/agreements/<int:pk>/",
            views.agreement_detail,
            name="funding_agreement",
        ),
        path(
            "funding/agreements/<int:pk>/sign/",
            views.agreement_sign,
            name="funding_agreement_sign",
        ),
        path(
            "funding/agreements/<int:pk>/pdf/",
            views.agreement_document,
            name="funding_agreement_pdf",
        ),
        path(
            "funding/projects/<int:project_id>/settlement/",
            settlement_views.settlement,
            name="funding_settlement",
        ),
        path(
            "funding/settlements/",
            settlement_views.settlement_list,
            name="funding_settlements",
        ),
        path(
            "funding/settlement-evidence/<int:pk>/",
            settlement_views.evidence_download,
            name="funding_settlement_evidence",
        ),
        path(
            "funding/tranches/<int:pk>/<str:action>/",
            views.tranche_action,
            name="funding_tranche_action",
        ),
    ]


# --- settlement documents (정산서, 정산 총괄표) ------------------------------------


@hooks.register(SUBMENU_HOOK)
def register_settlement_summary_item():
    return FundingMenuItem(
        _("Settlement summary"),
        reverse("funding_settlement_summary"),
        icon_name="table",
        order=5,
    )


@hooks.register("register_admin_urls")
def register_settlement_document_urls():
    from . import statement_views

    return [
        path(
            "funding/projects/<int:project_id>/statement.xlsx",
            statement_views.statement_xlsx,
            name="funding_statement_xlsx",
        ),
        path(
            "funding/projects/<int:project_id>/statement.pdf",
            statement_views.statement_document,
            name="funding_statement_pdf",
        ),
        path(
            "funding/settlement-summary/",
            statement_views.settlement_summary,
            name="funding_settlement_summary",
        ),
        path(
            "funding/settlement-summary/<uuid:job_id>/",
            statement_views.settlement_summary_job,
            name="funding_settlement_summary_job",
        ),
    ]
