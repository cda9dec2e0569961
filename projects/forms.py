"""The district's change request form: the plan in force, to be edited."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ProjectPlan
from .months import month_label, parse_month


class MonthField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_month(value)
        except ValueError:
            raise forms.ValidationError(_("Enter a month as YYYY-MM.")) from None


class ChangeRequestForm(forms.Form):
    effective_from = MonthField(label=_("Applies from (YYYY-MM)"))
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3})
    )
    period_start = MonthField(label=_("First month (YYYY-MM)"))
    period_end = MonthField(label=_("Last month (YYYY-MM)"))
    city_share = forms.IntegerField(label=_("City share (KRW)"), min_value=0)
    district_share = forms.IntegerField(label=_("District share (KRW)"), min_value=0)

    def __init__(self, *args, plan: ProjectPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.initial.update(
            period_start=month_label(plan.period_start),
            period_end=month_label(plan.period_end),
            city_share=plan.city_share,
            district_share=plan.district_share,
        )
        for row in plan.target_groups.all():
            self.fields[f"planned_jobs__{row.code}"] = forms.IntegerField(
                label=_("Planned jobs: %(name)s") % {"name": row.name},
                min_value=0,
                initial=row.planned_jobs,
            )
        for row in plan.outputs.select_related("indicator"):
            self.fields[f"target__{row.code}"] = forms.IntegerField(
                label=_("Target: %(name)s (%(unit)s)")
                % {"name": row.name, "unit": row.unit},
                min_value=0,
                initial=row.target,
            )
        for row in plan.budget_lines.all():
            self.fields[f"amount__{row.code}"] = forms.IntegerField(
                label=_("Budget: %(name)s (KRW)") % {"name": row.name},
                min_value=0,
                initial=row.amount,
            )

    def proposed(self) -> dict:
        from .services import plan_data

        data = plan_data(self.plan)
        cleaned = self.cleaned_data
        data.update(
            period_start=cleaned["period_start"].isoformat(),
            period_end=cleaned["period_end"].isoformat(),
            city_share=cleaned["city_share"],
            district_share=cleaned["district_share"],
        )
        for row in data["target_groups"]:
            row["planned_jobs"] = cleaned[f"planned_jobs__{row['code']}"]
        for row in data["outputs"]:
            row["target"] = cleaned[f"target__{row['code']}"]
        for row in data["budget_lines"]:
            row["amount"] = cleaned[f"amount__{row['code']}"]
        return data
