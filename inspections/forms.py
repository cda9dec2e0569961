"""Forms of the site-visit screens: they read what people type; every rule is
the service's (``inspections.services``), whose errors come back to the same
form with everything typed kept."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts import access
from accounts.models import User
from notifications import recipients
from projects.models import Project

from .models import Answer, Severity


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


class InspectorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class VisitPlanForm(ServiceErrorsMixin, forms.Form):
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none()
    )
    planned_on = forms.DateField(label=_("Visit date"), widget=DateInput())
    inspectors = InspectorChoiceField(
        label=_("Inspectors"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.CharField(
        label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, fixed_project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = access.visible_to(
            user, Project.objects.select_related("district").order_by("-code")
        )
        self.fields["inspectors"].queryset = recipients.city_managers()
        if fixed_project is not None:
            del self.fields["project"]


class ChecklistForm(ServiceErrorsMixin, forms.Form):
    """One answer and note per line of the visit's checklist."""

    visited_on = forms.DateField(label=_("Visited on"), widget=DateInput())
    summary = forms.CharField(
        label=pgettext_lazy("site visit", "Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[f"answer_{line.order}"] = forms.ChoiceField(
                label=f"{line.order}. {line.text}",
                choices=Answer.choices,
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{line.order}"] = forms.CharField(
                label=_("Note"), required=False, max_length=1000
            )

    def rows(self):
        """(line, answer field, note field) for the template."""
        return [
            (line, self[f"answer_{line.order}"], self[f"note_{line.order}"])
            for line in self.lines
        ]


class CancelForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2})
    )


class FindingForm(ServiceErrorsMixin, forms.Form):
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}))
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    corrective_action = forms.CharField(
        label=_("Corrective action required"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    due_on = forms.DateField(label=_("Due by"), widget=DateInput())


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files at once; each is checked by the service."""

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return list(data)
        return [data] if data else []


class AnswerForm(ServiceErrorsMixin, forms.Form):
    answer = forms.CharField(
        label=_("How the finding was corrected"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    files = EvidenceField(
        label=_("Evidence (PDF, HWP, HWPX, DOCX or XLSX)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.hwp,.hwpx,.docx,.xlsx"}),
    )


class DecisionForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(
        label=_("Comment (required to return it)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
