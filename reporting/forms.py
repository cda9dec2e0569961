"""The monthly report web form: one field per figure of the plan in force."""

import csv
import io

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.money import MoneyInput

from .selectors import FormRow

ROSTER_HELP = _(
    "One participant per line: participant code, target group code, hire date, end date "
    "(dates as YYYY-MM-DD; leave the end date empty while employed). Pseudonymous codes "
    "only — never names, resident registration numbers or phone numbers."
)


def parse_roster(text: str) -> list[dict]:
    """Roster lines as rows for ``check_report`` (which checks each of them)."""
    rows = []
    for cells in csv.reader(io.StringIO(text or "")):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        cells += [""] * (4 - len(cells))
        rows.append(
            {
                "participant_code": cells[0],
                "target_group_code": cells[1],
                "hire_date": cells[2] or None,
                "end_date": cells[3] or None,
            }
        )
    return rows


def roster_text(rows: list[dict]) -> str:
    """Roster rows (``reporting.selectors.version_roster``) as the form's lines."""
    return "\n".join(
        f"{r['participant_code']}, {r['target_group_code']}, {r['hire_date']:%Y-%m-%d}, "
        f"{r['end_date'].isoformat() if r['end_date'] else ''}".rstrip(", ")
        for r in rows
    )


class MonthlyReportForm(forms.Form):
    """Figures are text fields on purpose: a fraction or a negative number reaches
    the report checks and gets their specific message, not a generic one."""

    narrative = forms.CharField(
        label=_("Narrative"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    roster = forms.CharField(
        label=_("Participant roster (optional)"),
        required=False,
        help_text=ROSTER_HELP,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, rows: list[FormRow], comment_keys: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            # Money figures are typed with separators (MoneyInput reads the
            # digits); anything else still reaches the checks as typed.
            self.fields[row.field_name] = forms.CharField(
                label=row.label,
                required=False,
                widget=MoneyInput(attrs={"size": 14})
                if row.indicator is not None and row.indicator.is_money
                else forms.TextInput(attrs={"inputmode": "numeric", "size": 12}),
            )
        self.comment_keys = comment_keys
        for key in comment_keys:
            self.fields[f"comment__{key}"] = forms.CharField(
                label=pgettext_lazy("sangsaeng", "Comment"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows_of(self, measure: str) -> list[tuple[FormRow, forms.BoundField]]:
        return [
            (row, self[row.field_name]) for row in self.rows if row.measure == measure
        ]

    def sections(self):
        """One section per indicator of the plan, in the plan's order, titled
        with the catalogue's name and followed by its definition."""
        sections: dict[str, list] = {}
        for row in self.rows:
            sections.setdefault(row.measure, []).append((row, self[row.field_name]))
        return [
            (rows[0][0].measure_label, rows[0][0].definition, rows)
            for rows in sections.values()
        ]

    def comment_fields(self):
        return [self[f"comment__{key}"] for key in self.comment_keys]

    def figures(self) -> dict[str, dict[str, str]]:
        values: dict[str, dict[str, str]] = {row.measure: {} for row in self.rows}
        for row in self.rows:
            raw = (self.cleaned_data.get(row.field_name) or "").strip()
            if raw:
                values[row.measure][row.key] = raw
        return values

    def comments(self) -> dict[str, str]:
        comments = {
            key: self.cleaned_data.get(f"comment__{key}", "")
            for key in self.comment_keys
        }
        # Comments answering keys the form did not know yet (a warning of this very save).
        for name, value in self.data.items():
            if (
                name.startswith("comment__")
                and name[len("comment__") :] not in comments
            ):
                comments[name[len("comment__") :]] = value
        return {key: value for key, value in comments.items() if (value or "").strip()}

    def apply_errors(self, error_dict: dict[str, list[str]]) -> list[str]:
        """Service errors onto fields; returns the comment keys that must be shown."""
        needed = []
        for key, messages in error_dict.items():
            if key.startswith("comments."):
                needed.append(key[len("comments.") :])
                self.add_error(None, messages)
                continue
            measure, _dot, code = key.partition(".")
            name = f"{measure}__{code}"
            if name in self.fields:
                self.add_error(name, messages)
                if self._is_money(measure) and not _needs_change_request(messages):
                    needed.append(key)  # over budget: answered by a comment
            elif key.startswith("roster"):
                self.add_error("roster", messages)
            elif key == "narrative":
                self.add_error("narrative", messages)
            else:
                self.add_error(None, messages)
        return needed

    def _is_money(self, measure: str) -> bool:
        return any(
            row.indicator is not None and row.indicator.is_money
            for row in self.rows
            if row.measure == measure
        )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=pgettext_lazy("sangsaeng", "Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _needs_change_request(messages) -> bool:
    """Money moved beyond the call's threshold: a comment does not answer it,
    a change request does (so no comment box is offered)."""
    return any(
        getattr(m, "code", "") == "category_move_beyond_threshold" for m in messages
    )
