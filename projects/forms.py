"""The district's change request form: the plan in force, to be edited, with
rows to remove and rows to add (the call's target groups and output
indicators, new budget lines)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import ProjectPlan
from .months import month_label, parse_month

# Blank rows offered for additions each time the form is shown.
NEW_ROWS = 3
SECTIONS = ("target_groups", "outputs", "budget_lines")


class MonthField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_month(value)
        except ValueError:
            raise forms.ValidationError(
                _("Enter a month as YYYY-MM."), code="invalid_month"
            ) from None


class MoneyField(forms.IntegerField):
    """Whole won, typed with or without thousands separators ("67,500,000",
    "67 500 000원") and shown with them."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "size": 16})

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s,원₩]|KRW", "", value)
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}"
        return value


def _number(label, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 10}),
        **kwargs,
    )


class ChangeRequestForm(forms.Form):
    effective_from = MonthField(label=_("Applies from (YYYY-MM)"))
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3})
    )
    period_start = MonthField(label=_("First month (YYYY-MM)"))
    period_end = MonthField(label=_("Last month (YYYY-MM)"))
    city_share = MoneyField(label=_("City share (KRW)"))
    district_share = MoneyField(label=_("District share (KRW)"))

    def __init__(self, *args, plan: ProjectPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.section_errors: dict[str, list[str]] = {name: [] for name in SECTIONS}
        self.initial.update(
            period_start=month_label(plan.period_start),
            period_end=month_label(plan.period_end),
            city_share=plan.city_share,
            district_share=plan.district_share,
        )
        self.target_groups = list(plan.target_groups.all())
        self.outputs = list(plan.outputs.select_related("indicator"))
        self.budget_lines = list(plan.budget_lines.all())
        remove = _("Remove from this month on")
        for row in self.target_groups:
            self.fields[f"planned_jobs__{row.code}"] = _number(
                _("Planned jobs: %(name)s") % {"name": row.name},
                initial=row.planned_jobs,
            )
            self.fields[f"remove__target_group__{row.code}"] = forms.BooleanField(
                label=remove, required=False
            )
        for row in self.outputs:
            self.fields[f"target__{row.code}"] = _number(
                _("Target: %(name)s (%(unit)s)") % {"name": row.name, "unit": row.unit},
                initial=row.target,
            )
            self.fields[f"remove__output__{row.code}"] = forms.BooleanField(
                label=remove, required=False
            )
        for row in self.budget_lines:
            self.fields[f"amount__{row.code}"] = MoneyField(
                label=_("Budget: %(name)s (KRW)") % {"name": row.name},
                initial=row.amount,
            )
            self.fields[f"remove__budget_line__{row.code}"] = forms.BooleanField(
                label=remove, required=False
            )
        self._add_new_row_fields()

    # --- rows that may be added ----------------------------------------------

    def _add_new_row_fields(self) -> None:
        call = self.plan.project.call
        have_groups = {row.code for row in self.target_groups}
        have_outputs = {row.code for row in self.outputs}
        self.call_target_groups = {}
        self.call_indicators = {}
        if call is not None:
            self.call_target_groups = {
                group.code: group
                for group in call.target_groups.all()
                if group.code not in have_groups
            }
            self.call_indicators = {
                row.indicator.code: row.indicator
                for row in call.indicators.select_related("indicator")
                if row.indicator.code not in have_outputs
            }
        else:
            from indicators.models import Indicator

            self.call_indicators = {
                indicator.code: indicator
                for indicator in Indicator.objects.filter(
                    is_core=False, is_active=True
                ).exclude(code__in=have_outputs)
            }
        blank = [("", _("— choose —"))]
        group_choices = blank + [
            (code, group.name) for code, group in self.call_target_groups.items()
        ]
        indicator_choices = blank + [
            (code, f"{indicator.name} ({indicator.unit})")
            for code, indicator in self.call_indicators.items()
        ]
        self.new_target_group_slots = min(NEW_ROWS, len(self.call_target_groups))
        self.new_output_slots = min(NEW_ROWS, len(self.call_indicators))
        for i in range(1, self.new_target_group_slots + 1):
            self.fields[f"new_target_group_{i}"] = forms.ChoiceField(
                label=_("Add a target group"), choices=group_choices, required=False
            )
            self.fields[f"new_target_group_{i}_jobs"] = _number(
                _("Planned jobs"), required=False
            )
        for i in range(1, self.new_output_slots + 1):
            self.fields[f"new_output_{i}"] = forms.ChoiceField(
                label=_("Add an output indicator"),
                choices=indicator_choices,
                required=False,
            )
            self.fields[f"new_output_{i}_target"] = _number(_("Target"), required=False)
        for i in range(1, NEW_ROWS + 1):
            self.fields[f"new_budget_line_{i}_name"] = forms.CharField(
                label=_("New budget line (Korean name)"),
                max_length=200,
                required=False,
            )
            self.fields[f"new_budget_line_{i}_name_en"] = forms.CharField(
                label=_("New budget line (English name)"),
                max_length=200,
                required=False,
            )
            self.fields[f"new_budget_line_{i}_amount"] = MoneyField(
                label=_("Amount (KRW)"), required=False
            )

    # --- what the template lays out --------------------------------------------

    def existing_rows(self, section: str) -> list[dict]:
        rows, number, kind = {
            "target_groups": (self.target_groups, "planned_jobs", "target_group"),
            "outputs": (self.outputs, "target", "output"),
            "budget_lines": (self.budget_lines, "amount", "budget_line"),
        }[section]
        return [
            {
                "row": row,
                "number": self[f"{number}__{row.code}"],
                "remove": self[f"remove__{kind}__{row.code}"],
            }
            for row in rows
        ]

    def new_rows(self, section: str) -> list[dict]:
        if section == "target_groups":
            return [
                {
                    "choice": self[f"new_target_group_{i}"],
                    "number": self[f"new_target_group_{i}_jobs"],
                }
                for i in range(1, self.new_target_group_slots + 1)
            ]
        if section == "outputs":
            return [
                {
                    "choice": self[f"new_output_{i}"],
                    "number": self[f"new_output_{i}_target"],
                }
                for i in range(1, self.new_output_slots + 1)
            ]
        return [
            {
                "name": self[f"new_budget_line_{i}_name"],
                "name_en": self[f"new_budget_line_{i}_name_en"],
                "number": self[f"new_budget_line_{i}_amount"],
            }
            for i in range(1, NEW_ROWS + 1)
        ]

    def sections(self) -> list[dict]:
        titles = {
            "target_groups": _("Planned jobs by target group"),
            "outputs": _("Output targets"),
            "budget_lines": _("Budget lines"),
        }
        return [
            {
                "name": name,
                "title": titles[name],
                "rows": self.existing_rows(name),
                "new_rows": self.new_rows(name),
                "errors": self.section_errors[name],
            }
            for name in SECTIONS
        ]

    # --- checking and reading ----------------------------------------------

    def clean(self):
        cleaned = super().clean()
        pairs = [
            ("target_groups", f"new_target_group_{i}", f"new_target_group_{i}_jobs")
            for i in range(1, self.new_target_group_slots + 1)
        ] + [
            ("outputs", f"new_output_{i}", f"new_output_{i}_target")
            for i in range(1, self.new_output_slots + 1)
        ]
        chosen: set[tuple[str, str]] = set()
        for section, choice, number in pairs:
            code, value = cleaned.get(choice), cleaned.get(number)
            if code and value is None and number not in self.errors:
                self.add_error(
                    number,
                    ValidationError(
                        _("Enter the number for the row you add."),
                        code="new_row_number_missing",
                    ),
                )
            elif not code and value is not None:
                self.add_error(
                    choice,
                    ValidationError(
                        _("Choose what this number is for, or clear the number."),
                        code="new_row_choice_missing",
                    ),
                )
            elif code and (section, code) in chosen:
                self.add_error(
                    choice,
                    ValidationError(
                        _("This is chosen twice: add it once."),
                        code="new_row_repeated",
                    ),
                )
            if code:
                chosen.add((section, code))
        for i in range(1, NEW_ROWS + 1):
            name = (cleaned.get(f"new_budget_line_{i}_name") or "").strip()
            amount = cleaned.get(f"new_budget_line_{i}_amount")
            name_en = (cleaned.get(f"new_budget_line_{i}_name_en") or "").strip()
            if (name or name_en) and amount is None:
                self.add_error(
                    f"new_budget_line_{i}_amount",
                    ValidationError(
                        _("Enter the amount of the new budget line."),
                        code="new_row_number_missing",
                    ),
                )
            elif amount is not None and not name:
                self.add_error(
                    f"new_budget_line_{i}_name",
                    ValidationError(
                        _("Name the new budget line (in Korean)."),
                        code="new_budget_line_name_missing",
                    ),
                )
        return cleaned

    def proposed(self) -> dict:
        """The whole plan as it would apply, in the services' plain-data shape."""
        from .services import budget_line_code

        cleaned = self.cleaned_data
        data = {
            "period_start": cleaned["period_start"].isoformat(),
            "period_end": cleaned["period_end"].isoformat(),
            "city_share": cleaned["city_share"],
            "district_share": cleaned["district_share"],
            "target_groups": [
                {
                    "code": row.code,
                    "name_ko": row.name_ko,
                    "name_en": row.name_en,
                    "planned_jobs": cleaned[f"planned_jobs__{row.code}"],
                }
                for row in self.target_groups
                if not cleaned.get(f"remove__target_group__{row.code}")
            ],
            "outputs": [
                {"code": row.code, "target": cleaned[f"target__{row.code}"]}
                for row in self.outputs
                if not cleaned.get(f"remove__output__{row.code}")
            ],
            "budget_lines": [
                {
                    "code": row.code,
                    "name_ko": row.name_ko,
                    "name_en": row.name_en,
                    "amount": cleaned[f"amount__{row.code}"],
                }
                for row in self.budget_lines
                if not cleaned.get(f"remove__budget_line__{row.code}")
            ],
        }
        for i in range(1, self.new_target_group_slots + 1):
            code = cleaned.get(f"new_target_group_{i}")
            if code:
                group = self.call_target_groups[code]
                data["target_groups"].append(
                    {
                        "code": code,
                        "name_ko": group.name_ko,
                        "name_en": group.name_en,
                        "planned_jobs": cleaned[f"new_target_group_{i}_jobs"],
                    }
                )
        for i in range(1, self.new_output_slots + 1):
            code = cleaned.get(f"new_output_{i}")
            if code:
                data["outputs"].append(
                    {"code": code, "target": cleaned[f"new_output_{i}_target"]}
                )
        taken = {row.code for row in self.budget_lines}
        for i in range(1, NEW_ROWS + 1):
            name = (cleaned.get(f"new_budget_line_{i}_name") or "").strip()
            if name:
                code = budget_line_code(name, taken)
                taken.add(code)
                data["budget_lines"].append(
                    {
                        "code": code,
                        "name_ko": name,
                        "name_en": (
                            cleaned.get(f"new_budget_line_{i}_name_en") or ""
                        ).strip(),
                        "amount": cleaned[f"new_budget_line_{i}_amount"],
                    }
                )
        return data

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's refusal onto the fields, the row sections, or the top."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            if field in self.section_errors:
                self.section_errors[field].extend(
                    message for e in errors for message in e.messages
                )
            elif field in self.fields:
                self.add_error(field, errors)
            else:
                self.add_error(None, errors)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(self.section_errors.values())
