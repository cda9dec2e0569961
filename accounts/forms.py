from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.users.forms import UserCreationForm, UserEditForm

from . import access, rules, services
from .models import Organisation, RoleGroup
from .roles import group_label

_CHECKED = {"on", "true", "1", "yes"}


class ManagedUserFormMixin:
    """Wagtail's user forms, limited to what the person filling them in may do
    (accounts.access): superuser status only from a superuser, only the roles
    they may give, organisations that fit the roles, and no password typed for
    someone else. What the form does not offer is also refused when a request
    carries it anyway, with a message saying why."""

    def __init__(self, *args, for_user, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        self.held_group_ids = (
            set(self.instance.groups.values_list("pk", flat=True))
            if self.instance.pk
            else set()
        )
        self.grantable_group_ids = set(
            rules.grantable_groups(for_user).values_list("pk", flat=True)
        )
        if not access.can(for_user, "grant_superuser"):
            self.fields.pop("is_superuser", None)
        if not access.can(for_user, "set_password", self.instance):
            self.fields.pop("password1", None)
            self.fields.pop("password2", None)
        if "groups" in self.fields:
            # Validated against every group, so a forged choice is refused with
            # a reason rather than "not one of the available choices"; shown are
            # the groups one may give and those the person already holds.
            shown = Group.objects.filter(
                pk__in=self.grantable_group_ids | self.held_group_ids
            ).order_by("name")
            self.fields["groups"].queryset = Group.objects.all()
            self.fields["groups"].widget.choices = [
                (group.pk, group_label(group)) for group in shown
            ]
        if "organisation" in self.fields:
            # Offered: active organisations (and the person's own). Any is
            # accepted for validation, so an inactive one is refused with a reason.
            field = self.fields["organisation"]
            field.queryset = Organisation.objects.all()
            field.widget.choices = [("", "---------")] + [
                (organisation.pk, str(organisation))
                for organisation in Organisation.objects.filter(
                    Q(is_active=True) | Q(pk=self.instance.organisation_id)
                )
            ]

    def _posted(self, name: str) -> str:
        return str(self.data.get(self.add_prefix(name), "")).strip()

    def clean(self):
        cleaned_data = super().clean()
        if (
            "is_superuser" not in self.fields
            and self._posted("is_superuser").lower() in _CHECKED
            and not self.instance.is_superuser
        ):
            self.add_error(None, _("Only a superuser can make someone a superuser."))
        if "password1" not in self.fields and (
            self._posted("password1") or self._posted("password2")
        ):
            self.add_error(
                None,
                _(
                    "You cannot set someone else's password. Leave it out: a new "
                    "person is e-mailed a link to choose their own, and anyone can "
                    "ask for one on the sign-in page."
                ),
            )
        groups = cleaned_data.get("groups")
        if groups is not None:
            changed = {group.pk for group in groups} ^ self.held_group_ids
            refused = Group.objects.filter(pk__in=changed - self.grantable_group_ids)
            if refused:
                self.add_error(
                    "groups",
                    _("Only a superuser can give or take away: %(groups)s.")
                    % {"groups": ", ".join(sorted(group.name for group in refused))},
                )
            else:
                roles = set(
                    RoleGroup.objects.filter(group__in=groups).values_list(
                        "code", flat=True
                    )
                )
                try:
                    services.user_organisation_check(
                        roles=roles, organisation=cleaned_data.get("organisation")
                    )
                except ValidationError as error:
                    self.add_error("organisation", error)
        return cleaned_data

    def save(self, commit=True):
        if "password1" in self.fields:
            return super().save(commit=commit)
        # Wagtail's save reads the password fields; without them, the ModelForm's.
        user = forms.ModelForm.save(self, commit=False)
        if user.pk is None:
            user.set_unusable_password()
        if commit:
            user.save()
            self.save_m2m()
        return user


class SangsaengUserCreationForm(ManagedUserFormMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | {"organisation"}


class SangsaengUserEditForm(ManagedUserFormMixin, UserEditForm):
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
        help_text=_(
            'For the record, e.g. "phone lost, identity checked by telephone".'
        ),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _(
                "Say why the sign-in codes are reset (for example: phone lost)."
            )
        },
    )


class DistrictProfileForm(forms.Form):
    """A district's standing details; the service checks and saves them."""

    department = forms.CharField(
        label=_("Department"),
        max_length=100,
        required=False,
        help_text=_("The department in charge of the programme."),
    )
    person_in_charge = forms.CharField(
        label=_("Person in charge"), max_length=100, required=False
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        help_text=_(
            "The office number. Shown on proposals to the city; never written into "
            "reports or exports."
        ),
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
