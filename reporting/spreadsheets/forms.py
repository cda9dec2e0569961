"""Upload forms: a file, size-limited (the content is checked in ``safety``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .safety import BULK_MAX_BYTES, MONTHLY_MAX_BYTES

ACCEPT = ".xlsx,.xls,.ods,.csv"


class _UploadForm(forms.Form):
    max_bytes = MONTHLY_MAX_BYTES

    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("An .xlsx, .xls, .ods or .csv file."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                _("The file is too large (at most %(size)s MB).")
                % {"size": self.max_bytes // (1024 * 1024)}
            )
        return upload


class MonthlyUploadForm(_UploadForm):
    pass


class BulkImportForm(_UploadForm):
    max_bytes = BULK_MAX_BYTES

    skip_rejected = forms.BooleanField(
        label=_("Import the valid rows and skip the rejected ones"),
        required=False,
        help_text=_("Without this, any rejected row means nothing is imported."),
    )
