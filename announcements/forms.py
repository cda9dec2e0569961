from django import forms
from django.utils.translation import gettext_lazy as _

from competitions.models import CallPage

from .models import Audience


class CallChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_title


class AnnouncementForm(forms.Form):
    """What a city manager writes; the rules are the service's
    (``announcement_send``), whose errors come back onto these fields."""

    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}))
    audience = forms.ChoiceField(
        label=_("Send to"), choices=Audience.choices, widget=forms.RadioSelect
    )
    call = CallChoiceField(
        label=_("Call"),
        queryset=CallPage.objects.none(),
        required=False,
        help_text=_("For a call's applicants or its review panel."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = CallPage.objects.live().order_by("-deadline")
