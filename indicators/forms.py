"""Form helpers for inline rows that choose an indicator of the catalogue (a
call's indicators, a proposal's outputs): the rows offer only the indicators
allowed there, and the same indicator twice is refused on its row, in words,
before the database's unique constraint would fail."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


def limit_indicator_rows(formset, queryset: QuerySet, *, invalid_choice: str) -> None:
    """Each row (and the empty row the admin clones for new ones) offers only
    ``queryset``; an id posted from outside it is refused with ``invalid_choice``."""
    if formset is None:
        return
    row_form = formset.form

    class IndicatorRowForm(row_form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            field = self.fields["indicator"]
            field.queryset = queryset
            field.error_messages["invalid_choice"] = invalid_choice

    formset.form = IndicatorRowForm


def refuse_repeated_indicators(formset) -> None:
    """Mark each row that repeats an indicator of an earlier kept row. Run
    before the formset validates, so its generic "duplicate data" message is
    not what the person reads."""
    if formset is None or not formset.is_bound:
        return
    seen = set()
    for row in formset.forms:
        if not row.is_valid():
            continue
        if formset.can_delete and formset._should_delete_form(row):
            continue
        indicator = row.cleaned_data.get("indicator")
        if indicator is None:
            continue
        if indicator.pk in seen:
            row.add_error(
                "indicator",
                _(
                    "%(indicator)s is already chosen in another row: choose each "
                    "indicator once. Remove this row or choose another indicator."
                )
                % {"indicator": indicator.name},
            )
        seen.add(indicator.pk)
