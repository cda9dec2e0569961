"""The audit trail in the admin (감사 기록): a read-only list with filters and a
detail page showing each change before → after. City managers only, through
the access module; there is no view that changes or deletes an entry, and these
answer GET alone."""

import json
from datetime import UTC, datetime
from urllib.parse import urlencode

import django_filters
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts import access
from accounts.models import User

from . import audit
from .columns import PersonChoiceFilter
from .formats import person_name

ACTIONS = [
    (LogEntry.Action.CREATE, pgettext_lazy("audit action", "Created")),
    (LogEntry.Action.UPDATE, pgettext_lazy("audit action", "Changed")),
    (LogEntry.Action.DELETE, pgettext_lazy("audit action", "Deleted")),
]
_ACTION_LABELS = dict(ACTIONS)


def action_label(entry: LogEntry) -> str:
    return str(_ACTION_LABELS.get(entry.action, entry.get_action_display()))


def kind_label(entry: LogEntry) -> str:
    model = entry.content_type.model_class()
    if (entry.additional_data or {}).get("kind") == "bulk_import":
        return _("Bulk import of figures")
    return capfirst(model._meta.verbose_name) if model else entry.content_type.model


def actor_label(entry: LogEntry) -> str:
    if entry.actor is not None:
        return person_name(entry.actor)
    # The user was deleted since (the entry keeps the address), or no one
    # signed in did it: a scheduled task, a command, the demo seeding.
    return entry.actor_email or _("System")


def _model_choices():
    return sorted(
        (
            (
                ContentType.objects.get_for_model(model).pk,
                capfirst(model._meta.verbose_name),
            )
            for model in audit.tracked_models()
        ),
        key=lambda choice: str(choice[1]),
    )


def _actors(request):
    return access.visible_to(request.user, User).order_by("username")


class AuditFilterSet(WagtailFilterSet):
    content_type = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind of record"), choices=_model_choices
    )
    object = django_filters.CharFilter(
        label=gettext_lazy("Record"),
        method="filter_object",
        help_text=gettext_lazy(
            "Its number, or part of its name (e.g. a receipt or project code)."
        ),
    )
    actor = PersonChoiceFilter(label=gettext_lazy("By"), queryset=_actors)
    action = django_filters.ChoiceFilter(label=gettext_lazy("Action"), choices=ACTIONS)
    timestamp = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Date"), widget=DateRangePickerWidget
    )

    class Meta:
        model = LogEntry
        fields = ["content_type", "object", "actor", "action", "timestamp"]

    def filter_object(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(object_pk=value)
        return queryset.filter(object_repr__icontains=value)


class AuditTrailMixin:
    """City managers only; everyone else meets a 404 (as if it did not exist).
    GET alone: a POST, PUT or DELETE is a 405 before anything is looked at."""

    http_method_names = ["get", "head"]

    def dispatch(self, request, *args, **kwargs):
        if not access.can(request.user, "view_audit_trail"):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class AuditIndexView(AuditTrailMixin, generic.IndexView):
    model = LogEntry
    page_title = gettext_lazy("Audit trail")
    header_icon = "history"
    index_url_name = "audit_index"
    index_results_url_name = "audit_index_results"
    filterset_class = AuditFilterSet
    paginate_by = 50
    default_ordering = "-timestamp"
    # Who may read is the access module's answer (AuditTrailMixin), not a
    # Django model permission: no group can be granted the trail by hand.
    permission_policy = None
    any_permission_required = None

    @property
    def columns(self):
        return [
            DateColumn("timestamp", label=gettext_lazy("When"), sort_key="timestamp"),
            Column("kind", label=gettext_lazy("Kind of record"), accessor=kind_label),
            TitleColumn(
                "object_repr",
                label=gettext_lazy("Record"),
                get_url=lambda entry: reverse("audit_detail", args=[entry.pk]),
            ),
            Column("action", label=gettext_lazy("Action"), accessor=action_label),
            Column("actor", label=gettext_lazy("By"), accessor=actor_label),
        ]

    def get_base_queryset(self):
        return access.visible_to(self.request.user, LogEntry).select_related(
            "actor", "content_type"
        )

    def get_valid_orderings(self):
        return ["timestamp", "-timestamp"]


# --- one entry, field by field --------------------------------------------------


def _field(model, name):
    try:
        return model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None


def field_label(model, name: str) -> str:
    if name.startswith(audit.FIGURE_PREFIX):
        from indicators.models import Indicator

        # A figure is named by its catalogue indicator, in the reader's language.
        measure, _dot, key = name.removeprefix(audit.FIGURE_PREFIX).partition(".")
        indicator = Indicator.objects.filter(code=measure).first()
        return f"{indicator.name if indicator else measure}: {key}"
    if name == audit.ROSTER_COUNT:
        return _("Participants on the roster")
    if name == "bulk_import":
        return _("Bulk import of figures")
    field = _field(model, name)
    return (
        capfirst(field.verbose_name)
        if field is not None and hasattr(field, "verbose_name")
        else name
    )


def display_value(model, name: str, value) -> str:
    if value is None or value == "":
        return "—"
    field = _field(model, name)
    if isinstance(value, bool) or (
        field is not None and field.get_internal_type() == "BooleanField"
    ):
        truth = (
            value if isinstance(value, bool) else str(value).lower() in {"true", "1"}
        )
        return pgettext("boolean", "yes") if truth else pgettext("boolean", "no")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)
    if field is None:
        return f"{value:,}" if isinstance(value, int) else str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and field.related_model is not None:
        related = field.related_model._default_manager.filter(pk=value).first()
        if related is None:
            return _("#%(pk)s (no longer exists)") % {"pk": value}
        return person_name(related) if isinstance(related, User) else str(related)
    if field.get_internal_type() == "DateTimeField":
        try:
            moment = datetime.fromisoformat(str(value)).replace(tzinfo=UTC)
        except ValueError:
            return str(value)
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    if isinstance(value, int) and field.get_internal_type() not in {
        "AutoField",
        "BigAutoField",
    }:
        return f"{value:,}"
    return str(value)


def change_rows(entry: LogEntry) -> list[dict]:
    model = entry.content_type.model_class()
    rows = []
    for name, values in (entry.changes or {}).items():
        before, after = (
            (list(values) + [None, None])[:2]
            if isinstance(values, (list, tuple))
            else (None, values)
        )
        rows.append(
            {
                "field": field_label(model, name),
                "before": display_value(model, name, before),
                "after": display_value(model, name, after),
            }
        )
    return rows


class AuditDetailView(AuditTrailMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "common/admin/audit_detail.html"
    header_icon = "history"

    def get_page_title(self):
        return _("Audit trail")

    def get_page_subtitle(self):
        return self.entry.object_repr

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [
            {"url": reverse("audit_index"), "label": _("Audit trail")},
            {"url": "", "label": self.entry.object_repr},
        ]

    def get(self, request, *args, pk, **kwargs):
        self.entry = access.get_visible_or_404(
            request.user,
            LogEntry.objects.select_related("actor", "content_type"),
            pk=pk,
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        entry = self.entry
        extra = entry.additional_data or {}
        return super().get_context_data(**kwargs) | {
            "entry": entry,
            "kind": kind_label(entry),
            "action": action_label(entry),
            "actor": actor_label(entry),
            "rows": change_rows(entry),
            "bulk_import": extra if extra.get("kind") == "bulk_import" else None,
            "same_record_url": self._same_record_url(entry),
        }

    def _same_record_url(self, entry) -> str:
        if not entry.object_pk:
            return ""
        query = urlencode(
            {"content_type": entry.content_type_id, "object": entry.object_pk}
        )
        return f"{reverse('audit_index')}?{query}"
