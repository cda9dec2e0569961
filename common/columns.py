"""Listing columns (and a filter) that show a value as a person reads it (common/formats.py):
Wagtail's plain column prints a yes-or-no as True/False, a month as its first
day, money without separators and a person as their username."""

import django_filters
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column

from . import formats


class FormattedColumn(Column):
    """A column whose value passes through one of the helpers of
    common/formats.py; sortable by the field it shows (``sort_key``)."""

    format_value = staticmethod(str)

    def __init__(self, name, *, sort_key=None, **kwargs):
        # Sortable by the database field unless told otherwise (a plain field
        # name; "project__code" style paths sort as Wagtail sorts them).
        super().__init__(
            name, sort_key=name if sort_key is None else sort_key, **kwargs
        )

    def get_value(self, instance):
        return self.format_value(super().get_value(instance))


class PersonColumn(FormattedColumn):
    format_value = staticmethod(formats.person_name)


class MonthColumn(FormattedColumn):
    format_value = staticmethod(formats.month_label)


class MoneyColumn(FormattedColumn):
    format_value = staticmethod(formats.won)


class YesNoColumn(FormattedColumn):
    """A yes-or-no as a word: "예"/"아니요", or the two words given
    (``yes=_("locked"), no=_("open")``)."""

    def __init__(self, name, *, yes=None, no=None, **kwargs):
        self.yes, self.no = yes, no
        super().__init__(name, **kwargs)

    def get_value(self, instance):
        return formats.yes_no(Column.get_value(self, instance), self.yes, self.no)


class LabelledChoiceField(forms.ModelChoiceField):
    """A choice of records, each named by ``label_from_instance`` (a record's
    ``__str__`` may be a username or a Korean title)."""

    def __init__(self, *args, label_from_instance=None, **kwargs):
        self.label_of = label_from_instance
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        if self.label_of is None:
            return super().label_from_instance(obj)
        return self.label_of(obj)


class LabelledChoiceFilter(django_filters.ModelChoiceFilter):
    """``LabelledChoiceFilter(queryset=…, label_from_instance=…)``."""

    field_class = LabelledChoiceField


class PersonChoiceFilter(LabelledChoiceFilter):
    """A choice of people, each by name (not username)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_from_instance", formats.person_name)
        super().__init__(*args, **kwargs)


def call_title(call) -> str:
    """A call by its title in the reader's language."""
    return call.display_title


class CallColumn(Column):
    """A call by its title in the reader's language (a call page's own
    ``__str__`` is its Korean title)."""

    def __init__(self, name="call", *, label=None, sort_key=None, **kwargs):
        super().__init__(
            name,
            label=label or capfirst(_("call")),
            sort_key=name if sort_key is None else sort_key,
            **kwargs,
        )

    def get_value(self, instance):
        call = super().get_value(instance)
        return call_title(call) if call is not None else formats.EMPTY
