"""Forms of the money screens: they read what people type; every rule is the
service's (``funding.services``), whose errors come back to the same form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.formats import month_label
from common.money import MoneyField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ServiceErrorsMixin:
    def add_service_errors(self, error: ValidationError) -> None:
        """The service's errors on their fields (the rest above the form)."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error.error_list)


class SignForm(ServiceErrorsMixin, forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    city_signatory_name = forms.CharField(label=_("City signatory"), max_length=100)
    city_signatory_title = forms.CharField(
        label=_("City signatory's title"), max_length=100
    )
    district_signatory_name = forms.CharField(
        label=_("District signatory"), max_length=100
    )
    district_signatory_title = forms.CharField(
        label=_("District signatory's title"), max_length=100
    )


class TrancheForm(forms.Form):
    planned_on = forms.DateField(label=_("Planned date"), widget=DateInput())
    amount = MoneyField(label=_("Amount (KRW)"), min_value=1)
    condition_month = forms.TypedChoiceField(
        label=_("Only after the report of this month is accepted"),
        required=False,
        empty_value=None,
    )

    def __init__(self, *args, months=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["condition_month"].choices = [
            ("", _("No condition")),
            *[(m.isoformat(), month_label(m)) for m in months],
        ]
        self.fields["condition_month"].coerce = _as_date


def _as_date(value):
    from datetime import date

    return date.fromisoformat(value)


class BaseScheduleFormSet(forms.BaseFormSet):
    def __init__(self, *args, months=(), **kwargs):
        self.months = months
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        # Every row may stay empty (it is then left out), prefilled ones too.
        return {
            **super().get_form_kwargs(index),
            "months": self.months,
            "empty_permitted": True,
        }

    def rows(self):
        """The filled rows (blank ones are left out)."""
        from .services import TrancheRow

        return [
            TrancheRow(
                planned_on=form.cleaned_data["planned_on"],
                amount=form.cleaned_data["amount"],
                condition_month=form.cleaned_data.get("condition_month"),
            )
            for form in self.forms
            if form.has_changed() and form.cleaned_data
        ]


ScheduleFormSet = forms.formset_factory(
    TrancheForm, formset=BaseScheduleFormSet, extra=0, max_num=12, absolute_max=12
)


class RequestForm(ServiceErrorsMixin, forms.Form):
    amount = MoneyField(label=_("Amount requested (KRW)"), min_value=1)
    note = forms.CharField(
        label=_("Note to the city"), required=False, widget=forms.Textarea({"rows": 2})
    )


class DecisionForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(
        label=_("Reason (required to refuse)"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )


class PaymentForm(ServiceErrorsMixin, forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    amount = MoneyField(label=_("Amount paid (KRW)"), min_value=1)


class SettlementForm(ServiceErrorsMixin, forms.Form):
    """What the district files: per line the amount spent (prefilled from the
    accepted reports) and a reason when it differs; interest; note; one
    evidence document at a time."""

    interest = MoneyField(label=_("Interest earned on the subsidy account (KRW)"))
    note = forms.CharField(
        label=_("Note to the city"), required=False, widget=forms.Textarea({"rows": 3})
    )
    evidence_title = forms.CharField(
        label=_("Title of the evidence"), required=False, max_length=200
    )
    file = forms.FileField(
        label=_("Evidence (PDF, HWP, HWPX, DOCX or XLSX)"), required=False
    )

    def __init__(self, *args, settlement, **kwargs):
        kwargs.setdefault(
            "initial", {"interest": settlement.interest, "note": settlement.note}
        )
        super().__init__(*args, **kwargs)
        self.lines = list(settlement.lines.all())
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = MoneyField(
                label=_("%(category)s, spent (KRW)") % {"category": line.name},
                initial=line.spent,
            )
            self.fields[f"reason_{line.pk}"] = forms.CharField(
                label=_("%(category)s, reason for the correction")
                % {"category": line.name},
                required=False,
                initial=line.reason,
            )

    def line_rows(self):
        return [
            {
                "line": line,
                "spent": self[f"line_{line.pk}"],
                "reason": self[f"reason_{line.pk}"],
            }
            for line in self.lines
        ]

    def line_values(self) -> dict[int, tuple[int, str]]:
        return {
            line.pk: (
                self.cleaned_data[f"line_{line.pk}"],
                self.cleaned_data.get(f"reason_{line.pk}", ""),
            )
            for line in self.lines
        }


class SettlementDecisionForm(ServiceErrorsMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comment (required to return it)"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )


class SettlementReturnForm(ServiceErrorsMixin, forms.Form):
    amount = MoneyField(label=_("Amount returned (KRW)"))
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    reference = forms.CharField(
        label=_("Payment reference"), max_length=100, required=False
    )
    reason = forms.CharField(
        label=_("Reason, if the amount differs"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )
