"""The catalogue's admin screens (지표 목록): the indicators and the city's
validation rules. City managers edit them; district officers and approvers
read both, reviewers the indicators (what each figure means). Every save and
delete goes through ``indicators.services``, so these screens are no second
door past the catalogue's rules."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView

from common.columns import YesNoColumn
from common.viewsets import (
    ScopedDeleteView,
    ScopedEditView,
    ScopedModelViewSet,
)

from . import services
from .models import Indicator, ValidationRule


def _form_errors_from(form, error: ValidationError) -> None:
    """A service's field → message errors on the form's fields (or at the top)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class ServiceSaveMixin:
    """Create and edit save through a service; its refusal is shown on the
    form, with what was typed, and nothing is saved."""

    def service_save(self, instance):
        raise NotImplementedError

    def save_instance(self):
        return self.service_save(self.form.instance)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            if getattr(self, "object", None) is None or self.object.pk is None:
                form.instance.pk = None
                form.instance._state.adding = True
            _form_errors_from(form, error)
            self.produced_error_message = _(
                "Nothing was saved: see the messages on the fields."
            )
            return self.form_invalid(form)


# --- indicators ------------------------------------------------------------------


class IndicatorCreateView(ServiceSaveMixin, CreateView):
    def service_save(self, instance):
        return services.indicator_create(actor=self.request.user, indicator=instance)


class IndicatorEditView(ServiceSaveMixin, ScopedEditView):
    def service_save(self, instance):
        return services.indicator_update(actor=self.request.user, indicator=instance)


class IndicatorDeleteView(ScopedDeleteView):
    def delete_action(self):
        services.indicator_delete(actor=self.request.user, indicator=self.object)


class IndicatorViewSet(ScopedModelViewSet):
    model = Indicator
    icon = "list-ul"
    menu_label = _("Indicators")
    list_display = [
        "code",
        Column("name", label=_("name"), accessor="name"),
        Column("unit", label=_("unit"), accessor="unit"),
        Column(
            "aggregation",
            label=_("how the months add up"),
            accessor="get_aggregation_display",
        ),
        Column(
            "disaggregation", label=_("split"), accessor="get_disaggregation_display"
        ),
        YesNoColumn("is_core", label=_("in every call")),
        YesNoColumn("is_active", label=_("can be chosen")),
    ]
    list_filter = ["is_active", "is_core", "aggregation", "disaggregation", "source"]
    search_fields = ["code", "name_ko", "name_en", "unit_ko", "unit_en"]
    form_fields = list(services.INDICATOR_FIELDS)
    inspect_view_enabled = True
    inspect_view_fields = [
        "code",
        "name_ko",
        "name_en",
        "unit_ko",
        "unit_en",
        "aggregation",
        "disaggregation",
        "target_required",
        "source",
        "definition_ko",
        "definition_en",
        "is_core",
        "is_active",
    ]
    add_view_class = IndicatorCreateView
    edit_view_class = IndicatorEditView
    delete_view_class = IndicatorDeleteView

    def protected_reason(self, instance, action):
        if action == "delete":
            return services.indicator_delete_refusal(instance)
        return None


# --- validation rules ----------------------------------------------------------------


class RuleCreateView(ServiceSaveMixin, CreateView):
    def service_save(self, instance):
        return services.validation_rule_create(actor=self.request.user, rule=instance)


class RuleEditView(ServiceSaveMixin, ScopedEditView):
    def service_save(self, instance):
        return services.validation_rule_update(actor=self.request.user, rule=instance)


class ValidationRuleViewSet(ScopedModelViewSet):
    model = ValidationRule
    icon = "tasks"
    menu_label = _("Validation rules")
    list_display = [
        "code",
        "left",
        Column("comparison", label=_("comparison"), accessor="get_comparison_display"),
        "right",
        Column("severity", label=_("severity"), accessor="get_severity_display"),
        YesNoColumn("is_active", label=_("active")),
    ]
    list_filter = ["severity", "is_active", "left", "right"]
    search_fields = ["code", "message_ko", "message_en"]
    form_fields = list(services.RULE_FIELDS)
    inspect_view_enabled = True
    add_view_class = RuleCreateView
    edit_view_class = RuleEditView
