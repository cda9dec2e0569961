"""The city's reviewer pool (평가위원 풀) in the admin: members with their
fields of expertise and ties, and the list of fields of expertise. City
managers only (the scope rules and the role's model permissions); a member is
saved through ``services.pool_member_save``, so a tie added here is recorded by
``tie_declare`` like any other."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic import CreateView

from accounts.models import Organisation, User
from accounts.roles import Role
from common.viewsets import ScopedEditView, ScopedModelViewSet
from indicators.viewsets import ServiceSaveMixin

from .. import services
from ..models import ExpertiseField, ReviewerPoolMember


class PoolMemberForm(WagtailAdminModelForm):
    new_ties = forms.ModelMultipleChoiceField(
        label=_("Record ties with"),
        queryset=Organisation.objects.filter(kind__in=Organisation.LOCAL_KINDS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Districts this reviewer is tied to (an advisory seat, a contract, "
            "family). A recorded tie is kept; their own organisation always counts."
        ),
    )
    tie_note = forms.CharField(
        label=_("Note on the ties"), required=False, max_length=300
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        member = self.instance
        if "reviewer" in self.fields:
            if member.pk:
                # An entry belongs to one reviewer: delete it to add another.
                self.fields["reviewer"].queryset = User.objects.filter(
                    pk=member.reviewer_id
                )
                self.fields["reviewer"].disabled = True
            else:
                self.fields["reviewer"].queryset = (
                    User.objects.filter(
                        is_active=True,
                        groups__role__code=Role.REVIEWER,
                        pool_membership__isnull=True,
                    )
                    .distinct()
                    .order_by("username")
                )
        if member.pk:
            tied = member.reviewer.declared_ties.values("organisation_id")
            self.fields["new_ties"].queryset = (
                self.fields["new_ties"]
                .queryset.exclude(pk__in=tied)
                .exclude(pk=member.reviewer.organisation_id)
            )


class _PoolMemberSave(ServiceSaveMixin):
    def service_save(self, instance):
        data = self.form.cleaned_data
        return services.pool_member_save(
            actor=self.request.user,
            member=instance,
            expertise=data.get("expertise") or [],
            new_ties=data.get("new_ties") or [],
            tie_note=data.get("tie_note", ""),
        )


class PoolMemberCreateView(_PoolMemberSave, CreateView):
    pass


class PoolMemberEditView(_PoolMemberSave, ScopedEditView):
    pass


class ReviewerPoolViewSet(ScopedModelViewSet):
    model = ReviewerPoolMember
    icon = "group"
    menu_label = _("Pool members")
    add_view_class = PoolMemberCreateView
    edit_view_class = PoolMemberEditView
    list_display = [
        Column("reviewer", label=_("reviewer"), accessor="reviewer"),
        Column(
            "organisation",
            label=_("organisation"),
            accessor="reviewer.organisation.name",
        ),
        Column("expertise", label=_("fields of expertise"), accessor="expertise_names"),
        Column("ties", label=_("ties"), accessor="tie_names"),
        BooleanColumn("available", label=_("available for draws")),
    ]
    list_filter = ["expertise", "available"]
    edit_handler = ObjectList(
        [
            FieldPanel("reviewer"),
            FieldPanel("expertise", widget=forms.CheckboxSelectMultiple),
            FieldPanel("available"),
            FieldPanel("note"),
            MultiFieldPanel(
                [FieldPanel("new_ties"), FieldPanel("tie_note")], heading=_("Ties")
            ),
        ],
        base_form_class=PoolMemberForm,
    )


class ExpertiseFieldViewSet(ScopedModelViewSet):
    model = ExpertiseField
    icon = "tag"
    menu_label = _("Fields of expertise")
    list_display = ["code", "name_ko", "name_en"]
    form_fields = ["code", "name_ko", "name_en"]
