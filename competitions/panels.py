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
from django.template.loader import render_to_string
from django.utils.translation import get_language
from wagtail.admin.panels import InlinePanel

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


class KeptInlinePanel(InlinePanel):
    """An ``InlinePanel`` whose blank row (the "Add" template) is drawn once
    per call, language and content, not on every page."""

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
