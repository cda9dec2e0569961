"""Admin forms for proposals. They collect input; the services decide."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from common.money import MoneyField
from indicators.forms import limit_indicator_rows, refuse_repeated_indicators
from indicators.models import Indicator

from .models import CallIndicator, CallTargetGroup


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month, stored as the first day of that month."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        date = super().to_python(value)
        return date.replace(day=1) if date else date


class PrivateFileInput(forms.ClearableFileInput):
    """Shows the stored file's name without a link: private files have no URL
    and are downloaded through the access-checked view."""

    template_name = "competitions/widgets/private_file_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["filename"] = (
            value.name.rsplit("/", 1)[-1] if self.is_initial(value) else ""
        )
        return context


# Django's own refusals of an uploaded file, saying what to do.
FILE_ERROR_MESSAGES = {
    "required": _("Choose a file to attach, or remove this attachment row."),
    "missing": _("No file arrived. Choose the file again and save."),
    "invalid": _("No file arrived. Choose the file again and save."),
    "empty": _(
        "The file you chose is empty. Attach the document itself, saved with its content."
    ),
    "max_length": _(
        "The file name is too long (%(length)d characters; at most %(max)d). Rename the file "
        "with a shorter name and attach it again."
    ),
}


def _output_row_form(row_form):
    """An output row: the target may be left out only where the indicator
    does not require one (stored as 0, "no target")."""

    class OutputRowForm(row_form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["target"].required = False

        def clean(self):
            cleaned = super().clean()
            indicator = cleaned.get("indicator")
            if indicator is not None and cleaned.get("target") is None:
                if "target" in self.errors:
                    return cleaned
                if indicator.target_required:
                    self.add_error(
                        "target",
                        _(
                            "%(indicator)s needs a target: enter the number you plan "
                            "to reach, in %(unit)s."
                        )
                        % {"indicator": indicator.name, "unit": indicator.unit},
                    )
                else:
                    cleaned["target"] = 0
            return cleaned

    return OutputRowForm


def money_field_like(field: forms.Field) -> MoneyField:
    """A money field with the label, help and requiredness of ``field``."""
    return MoneyField(
        label=field.label,
        required=field.required,
        help_text=field.help_text,
        max_value=getattr(field, "max_value", None),
    )


def _money_row_form(row_form, name: str):
    class MoneyRowForm(row_form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if name in self.fields:
                self.fields[name] = money_field_like(self.fields[name])

    return MoneyRowForm


def _choices_read_once(queryset):
    """A choice iterator reading ``queryset`` once for every row of one form
    (and the blank row the admin clones): each row's select otherwise sends
    the same query again, as a server-side cursor on PostgreSQL."""
    rows: list = []
    loaded = False

    class ReadOnce(ModelChoiceIterator):
        def _rows(self):
            nonlocal loaded
            if not loaded:
                rows.extend(queryset)
                loaded = True
            return rows

        def __iter__(self):
            if self.field.empty_label is not None:
                yield ("", self.field.empty_label)
            for row in self._rows():
                yield self.choice(row)

        def __len__(self):
            return len(self._rows()) + (self.field.empty_label is not None)

        def __bool__(self):
            return self.field.empty_label is not None or bool(self._rows())

    return ReadOnce


def _rows_choose_from(row_form, name: str, queryset):
    """``row_form`` whose ``name`` select offers ``queryset``, read once per form."""
    iterator = _choices_read_once(queryset)

    class RowForm(row_form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            field = self.fields[name]
            field.iterator = iterator
            field.queryset = queryset  # the widget's choices, through the iterator

    return RowForm


class ProposalForm(WagtailAdminModelForm):
    period_start = MonthField(label=_("period start (month)"), required=False)
    period_end = MonthField(label=_("period end (month)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Amounts are typed with thousands separators and stored as integers.
        for name in ("city_share", "district_share"):
            if name in self.fields:
                self.fields[name] = money_field_like(self.fields[name])
        budget_lines = self.formsets.get("budget_lines")
        if budget_lines is not None:
            budget_lines.form = _money_row_form(budget_lines.form, "amount")
        call_id = self.instance.call_id
        rows = self.formsets.get("target_groups")
        if rows is not None and call_id:
            # Only the call's own target groups may be chosen (including in the
            # empty form the admin clones for new rows).
            rows.form = _rows_choose_from(
                rows.form,
                "target_group",
                CallTargetGroup.objects.filter(page_id=call_id),
            )
        outputs = self.formsets.get("outputs")
        if outputs is not None:
            outputs.form = _output_row_form(outputs.form)
            # Only the call's own indicators (a forged id of another call's is
            # refused on its row, like any value not offered).
            offered = Indicator.objects.filter(
                pk__in=CallIndicator.objects.filter(page_id=call_id).values(
                    "indicator_id"
                )
            )
            limit_indicator_rows(
                outputs,
                offered,
                invalid_choice=_(
                    "Choose one of this call's output indicators; the call lists "
                    "them on its page."
                ),
            )
            outputs.form = _rows_choose_from(outputs.form, "indicator", offered)
        for name in ("attachments",):
            files = self.formsets.get(name)
            if files is not None:
                file_form = files.form

                class AttachmentRowForm(file_form):
                    def __init__(self, *args, **kwargs):
                        super().__init__(*args, **kwargs)
                        self.fields["file"].widget = PrivateFileInput()
                        self.fields["file"].error_messages.update(FILE_ERROR_MESSAGES)

                files.form = AttachmentRowForm

    def is_valid(self):
        # modelcluster stops at the first inline with an error (``all()`` over a
        # generator): validate every inline first, so a wrong row, a wrong file
        # and a missing field are all reported in one round.
        refuse_repeated_indicators(self.formsets.get("outputs"))
        for formset in self.formsets.values():
            formset.is_valid()
        return super().is_valid()


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Why is it returned?"), widget=forms.Textarea(attrs={"rows": 3})
    )
