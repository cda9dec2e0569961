"""Panels of the proposal form that cost less to draw.

Wagtail's ``InlinePanel`` draws, besides the rows a proposal has, one blank row
per inline inside a ``<template>`` (what the "Add" button clones). On the
proposal form those four blank rows were about a third of the page's CPU time,
and they are the same for every officer writing to the same call in the same
language: their labels, help texts and choices (the call's target groups and
output indicators) are all there is in them.

``KeptInlinePanel`` draws the blank row once per key made of exactly what it
shows — the relation, the language, the form class, every field's label, help
text, requiredness and choices as read now — and reuses the HTML. A renamed
indicator or a target group added to the call changes the key, so nothing shown
is ever stale; the rows themselves are drawn as Wagtail draws them.
"""

import hashlib
from collections import OrderedDict
from threading import Lock

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import get_language
from modelcluster.forms import BaseChildFormSet
from telepath import Adapter, Node, ValueContext
from wagtail.admin.panels import InlinePanel, ObjectList
from wagtail.admin.telepath import JSContext
from wagtail.admin.telepath import registry as telepath_registry

_BLANK_ROWS_KEPT = 256


class _KeptRows:
    """Blank rows by key, in this process; the oldest goes when full."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[str, str] = OrderedDict()
        self._lock = Lock()

    def get(self, key: str) -> str | None:
        return self._items.get(key)

    def set(self, key: str, html: str) -> None:
        with self._lock:
            self._items[key] = html
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


blank_rows = _KeptRows(_BLANK_ROWS_KEPT)


def _field_shape(name: str, field) -> tuple:
    """What a blank row shows of one field (the choices of a select read
    afresh; a hidden field's queryset, such as the row's id, shows nothing)."""
    choices = (
        field.choices if isinstance(field.widget, forms.widgets.ChoiceWidget) else None
    )
    return (
        name,
        type(field).__name__,
        type(field.widget).__name__,
        str(field.label),
        str(field.help_text),
        field.required,
        tuple(sorted((key, str(value)) for key, value in field.widget.attrs.items())),
        tuple((str(value), str(label)) for value, label in choices)
        if choices is not None
        else None,
    )


class _KnownRowField(forms.ModelChoiceField):
    """A row's hidden id, found among the rows its formset has already read
    (one query for all of them); anything else is looked up as Django does."""

    def __init__(self, formset, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.formset = formset

    def to_python(self, value):
        if value not in self.empty_values and not self.to_field_name:
            try:
                key = self.queryset.model._meta.pk.to_python(value)
            except ValidationError:
                key = None
            row = self.formset._existing_object(key) if key is not None else None
            if row is not None:
                return row
        return super().to_python(value)


class KnownRowsFormSet(BaseChildFormSet):
    """Modelcluster's formset of a proposal's rows, whose hidden row ids are
    checked against the rows the formset read: Django's id field looks each
    row up again with a query of its own (six to ten on every save and
    submit of a proposal)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name = self._pk_field.name
        field = form.fields.get(name)
        if type(field) is forms.ModelChoiceField:
            form.fields[name] = _KnownRowField(
                self,
                field.queryset,
                initial=field.initial,
                required=field.required,
                widget=field.widget,
            )


class KeptInlinePanel(InlinePanel):
    """An ``InlinePanel`` whose blank row (the "Add" template) is drawn once
    per call, language and content, not on every page, and whose rows are
    read once on a save (``KnownRowsFormSet``)."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = KnownRowsFormSet
        return options

    class BoundPanel(InlinePanel.BoundPanel):
        template_name = "competitions/panels/inline_panel.html"

        def blank_row_key(self) -> str:
            form = self.empty_child.form
            parts = (
                self.panel.model.__name__,
                self.panel.relation_name,
                self.prefix,
                get_language(),
                f"{type(form).__module__}.{type(form).__qualname__}",
                str(self.label),
                str(self.heading),
                self.formset.can_order,
                tuple(_field_shape(name, field) for name, field in form.fields.items()),
            )
            return hashlib.sha256(repr(parts).encode()).hexdigest()

        def blank_row_html(self, context) -> str:
            key = self.blank_row_key()
            html = blank_rows.get(key)
            if html is None:
                html = render_to_string(
                    "wagtailadmin/panels/inline_panel_child.html",
                    {**context, "child": self.empty_child},
                    request=self.request,
                )
                blank_rows.set(key, html)
            return html

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["blank_row"] = self.blank_row_html(context)
            return context


# --- the form's description for the admin's scripts ---------------------------

_packs = _KeptRows(64)


class _PackedNode(Node):
    """A value packed before, emitted as it was (it holds no references to
    anything outside itself: it was packed alone)."""

    def __init__(self, value):
        super().__init__()
        self.value = value
        self.use_id = False

    def emit_compact(self):
        return self.value

    def emit_verbose(self):  # pragma: no cover - use_id is off
        return {"_val": self.value}


class _KeptPackAdapter(Adapter):
    """Packs a ``KeptObjectList`` as Wagtail does, once per key."""

    def build_node(self, obj, context):
        key = obj.pack_key()
        kept = _packs.get(key)
        if kept is None:
            fresh = JSContext()
            wagtail_adapter = telepath_registry.find_adapter(ObjectList.BoundPanel)
            packed = wagtail_adapter.build_node(obj, ValueContext(fresh)).emit()
            kept = (packed, fresh.media)
            _packs.set(key, kept)
        context.add_media(kept[1])
        return _PackedNode(kept[0])


class KeptObjectList(ObjectList):
    """Wagtail's ``ObjectList`` whose description for the admin's scripts
    (every field's widget drawn once more with placeholder names, packed with
    telepath on every form page) is made once per language and form: it holds
    no value and no row, only the form's fields and the inlines' settings."""

    class BoundPanel(ObjectList.BoundPanel):
        def pack_key(self) -> str:
            form = self.form
            parts = (
                self.panel.model.__name__,
                self.prefix,
                get_language(),
                f"{type(form).__module__}.{type(form).__qualname__}",
                tuple(_field_shape(name, field) for name, field in form.fields.items()),
                tuple(
                    (name, formset.prefix, formset.can_order, formset.max_num)
                    for name, formset in getattr(form, "formsets", {}).items()
                ),
            )
            return hashlib.sha256(repr(parts).encode()).hexdigest()


telepath_registry.register(_KeptPackAdapter(), KeptObjectList.BoundPanel)
