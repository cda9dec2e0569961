"""Wagtail admin viewsets whose every view asks the access module first."""

import datetime

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from wagtail.admin import messages
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from accounts import access
from common.spreadsheets import CSV_BOM, safe_cell


def _forward_relations(model, names) -> list[str]:
    """The names among a listing's columns that are the model's own foreign
    keys (a proposal's district and call, a score's reviewer)."""
    found = []
    for column in names:
        # A column object (common/columns.py) names the field it shows.
        name = column if isinstance(column, str) else getattr(column, "name", None)
        if not isinstance(name, str):
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        # Concrete: a column of this table (not a reverse or generic relation).
        if field.concrete and (field.many_to_one or field.one_to_one):
            found.append(name)
    return found


class ScopedListingMixin:
    def get_base_queryset(self):
        queryset = access.visible_to(self.request.user, super().get_base_queryset())
        # Each row shows its related records by name: one join for the page,
        # not a query per row and column.
        related = _forward_relations(
            queryset.model, getattr(self, "list_display", None) or ()
        )
        return queryset.select_related(*related) if related else queryset


class ScopedObjectMixin:
    """An object the user may not see is a 404 (its existence is not leaked);
    one they may see but not change is a 403 on the views that change it."""

    needs_change_permission = False
    _checked_object = None

    def get_object(self, *args, **kwargs):
        # Wagtail's setup and Django's get()/post() each ask for the object:
        # it is loaded and checked once per request.
        plain = not args and not kwargs.get("queryset")
        if plain and self._checked_object is not None:
            return self._checked_object
        obj = super().get_object(*args, **kwargs)
        if not access.can_view(self.request.user, obj):
            raise Http404
        if self.needs_change_permission and not access.can_change(
            self.request.user, obj
        ):
            raise PermissionDenied
        if plain:
            self._checked_object = obj
        return obj


def _seoul(value):
    """A datetime as people here read it: Asia/Seoul, without the offset
    (Wagtail's own export writes the UTC wall time)."""
    return timezone.make_naive(value) if timezone.is_aware(value) else value


class SafeExportMixin:
    """Wagtail's ``list_export`` (CSV and XLSX of a listing) through the one
    safe writer: the rows are the listing's own (scope and filters applied),
    typed text never becomes a formula, times are Seoul's, and the CSV starts
    with the byte-order mark Korean Excel needs."""

    custom_value_preprocess = {
        **generic.IndexView.custom_value_preprocess,
        datetime.datetime: {"xlsx": _seoul, "csv": lambda value: str(_seoul(value))},
    }

    def preprocess_field_value(self, field, value, export_format):
        return safe_cell(super().preprocess_field_value(field, value, export_format))

    def get_heading(self, queryset, field):
        return safe_cell(super().get_heading(queryset, field))

    def stream_csv(self, queryset):
        yield CSV_BOM
        yield from super().stream_csv(queryset)


class ScopedIndexView(SafeExportMixin, ScopedListingMixin, generic.IndexView):
    pass


class ProtectedStateMixin:
    """No second door: an object in a state only a service may change (sent,
    accepted, locked, published …) is refused by the generic edit and delete
    views, a forged POST included. The viewset says which states
    (``ScopedModelViewSet.protected_reason``); the person gets its reason."""

    protected_action = ""
    protected_reason = None  # the viewset's method, passed in by the viewset

    def _refusal(self, request):
        # In get()/post(): after Wagtail's permission checks (a person without
        # the permission still gets 403, not a reason).
        if self.protected_reason is None:
            return None
        obj = getattr(self, "object", None)
        if obj is None and self.protected_action == "edit":
            # Wagtail's EditView loads its object in get()/post(), after this.
            obj = self.get_object()
        if obj is None:
            return None
        reason = self.protected_reason(obj, self.protected_action)
        if not reason:
            return None
        messages.error(request, reason)
        return redirect(
            reverse(self.index_url_name) if self.index_url_name else "wagtailadmin_home"
        )

    def get(self, request, *args, **kwargs):
        return self._refusal(request) or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._refusal(request) or super().post(request, *args, **kwargs)


class ScopedEditView(ProtectedStateMixin, ScopedObjectMixin, generic.EditView):
    needs_change_permission = True
    protected_action = "edit"


class ScopedDeleteView(ProtectedStateMixin, ScopedObjectMixin, generic.DeleteView):
    needs_change_permission = True
    protected_action = "delete"


class ScopedInspectView(ScopedObjectMixin, generic.InspectView):
    pass


class ScopedHistoryView(ScopedObjectMixin, generic.HistoryView):
    pass


class ScopedUsageView(ScopedObjectMixin, generic.UsageView):
    pass


class ScopedModelViewSet(ModelViewSet):
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_class = ScopedInspectView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_enabled = False

    def protected_reason(self, instance, action: str) -> str | None:
        """Why ``action`` ("edit", "delete") is refused on ``instance`` in
        the generic views (its state is a service's to change), or None."""
        return None

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(
            protected_reason=self.protected_reason, **kwargs
        )

    def get_delete_view_kwargs(self, **kwargs):
        return super().get_delete_view_kwargs(
            protected_reason=self.protected_reason, **kwargs
        )
