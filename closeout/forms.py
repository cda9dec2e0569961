"""Forms of the final report and closing screens: they read what people
type; every rule is the service's (``closeout.services``), whose errors come
back to the same form, with everything typed kept."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class ServiceErrorsMixin:
    def add_service_errors(self, error: ValidationError) -> None:
        """The service's errors on their fields (the rest above the form)."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error.error_list)


def _text(label, *, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class NarrativeForm(ServiceErrorsMixin, forms.Form):
    achievements = _text(
        _("Achievements"),
        help_text=_("What the project achieved (Korean). Shown on the public page."),
    )
    achievements_en = _text(_("Achievements (English)"))
    problems = _text(_("Problems"), help_text=_("What went wrong and why (Korean)."))
    problems_en = _text(_("Problems (English)"))
    lessons = _text(_("Lessons"), help_text=_("What to keep or change (Korean)."))
    lessons_en = _text(_("Lessons (English)"))


class DecisionForm(ServiceErrorsMixin, forms.Form):
    comment = forms.CharField(
        label=_("City's comment"),
        required=False,
        help_text=_("Required to return the report: say what must change."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
