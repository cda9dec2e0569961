from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.users.forms import UserCreationForm, UserEditForm


class SangsaengUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | {"organisation"}


class SangsaengUserEditForm(UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | {"organisation"}


class OTPTokenField(forms.CharField):
    """The six digits of an authenticator app, typed or filled in by the phone."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Code from your authenticator app"))
        kwargs.setdefault(
            "help_text", _("Six digits; a new code appears every 30 seconds.")
        )
        kwargs.setdefault(
            "error_messages",
            {"required": _("Enter the code your authenticator app shows.")},
        )
        super().__init__(
            max_length=8,
            strip=True,
            widget=forms.TextInput(
                attrs={
                    "autocomplete": "one-time-code",
                    "inputmode": "numeric",
                    "pattern": "[0-9 ]*",
                    "autofocus": True,
                    "size": 8,
                }
            ),
            **kwargs,
        )


class OTPTokenForm(forms.Form):
    """Verify (second step of signing in) and enrolment: one input, otp_token."""

    otp_token = OTPTokenField()


class ReauthenticationForm(forms.Form):
    """Password again, and the code for people with an authenticator."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "autofocus": True}
        ),
        error_messages={"required": _("Enter your password.")},
    )

    def __init__(self, *args, with_code: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if with_code:
            self.fields["otp_token"] = OTPTokenField()
            self.fields["otp_token"].widget.attrs.pop("autofocus")


class TwoFactorResetForm(forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("two-factor", "Reason"),
        help_text=_("For the record, e.g. \"phone lost, identity checked by telephone\"."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Say why the sign-in codes are reset (for example: phone lost).")
        },
    )
