"""The Excel export of proposals (django-import-export), one row per proposal."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from .models import Proposal


class ProposalResource(resources.ModelResource):
    receipt_number = fields.Field(
        attribute="receipt_number", column_name=_("receipt number")
    )
    call = fields.Field(column_name=_("call"))
    district = fields.Field(column_name=_("district"))
    status = fields.Field(column_name=_("status"))
    title = fields.Field(attribute="title", column_name=_("title"))
    summary = fields.Field(attribute="summary", column_name=_("summary"))
    delivery_partners = fields.Field(
        attribute="delivery_partners", column_name=_("delivery partners")
    )
    period = fields.Field(column_name=_("period"))
    target_groups = fields.Field(column_name=_("target groups and planned jobs"))
    planned_jobs = fields.Field(column_name=_("planned jobs"))
    outputs = fields.Field(column_name=_("output indicators"))
    city_share = fields.Field(
        attribute="city_share",
        widget=widgets.IntegerWidget(coerce_to_string=False),
        column_name=_("city share (KRW)"),
    )
    district_share = fields.Field(
        attribute="district_share",
        widget=widgets.IntegerWidget(coerce_to_string=False),
        column_name=_("district share (KRW)"),
    )
    total_budget = fields.Field(
        attribute="total_budget",
        widget=widgets.IntegerWidget(coerce_to_string=False),
        column_name=_("total (KRW)"),
    )
    submitted_at = fields.Field(column_name=_("submitted at"))

    class Meta:
        model = Proposal
        fields = (
            "receipt_number",
            "call",
            "district",
            "status",
            "title",
            "summary",
            "delivery_partners",
            "period",
            "target_groups",
            "planned_jobs",
            "outputs",
            "city_share",
            "district_share",
            "total_budget",
            "submitted_at",
        )
        export_order = fields

    def dehydrate_call(self, proposal):
        return proposal.call.title

    def dehydrate_district(self, proposal):
        return proposal.district.name

    def dehydrate_status(self, proposal):
        return str(proposal.status_label)

    def dehydrate_period(self, proposal):
        if not (proposal.period_start and proposal.period_end):
            return ""
        return f"{proposal.period_start:%Y-%m} ~ {proposal.period_end:%Y-%m}"

    def dehydrate_target_groups(self, proposal):
        return "; ".join(
            f"{row.target_group.name} {row.planned_jobs}"
            for row in proposal.target_groups.all()
        )

    def dehydrate_planned_jobs(self, proposal):
        return proposal.planned_jobs

    def dehydrate_outputs(self, proposal):
        return "; ".join(
            f"{row.name} {row.target:,} {row.unit}" for row in proposal.outputs.all()
        )

    def dehydrate_submitted_at(self, proposal):
        if not proposal.submitted_at:
            return ""
        return timezone.localtime(proposal.submitted_at).strftime("%Y-%m-%d %H:%M")
