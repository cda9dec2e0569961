"""Finding a filled template's cells by what they are, not where they were.

The template's protection is easily removed, and LibreOffice or Excel move
cells when someone inserts or deletes a row or column, renames or moves a sheet.
So nothing here trusts a position: each visible sheet is found by the identity
in its hidden key column (``template.KEY_COLUMN``), each row by its key in that
column, each column by its header label, and every row the reader uses is
checked against the labels the template wrote there. What moved is followed;
what cannot be followed with certainty (a missing row, a row or column holding
something the template does not know, a row showing another measure's label) is
refused with ``SpreadsheetRefused`` naming the sheet and the row or column, so
a figure is never read from the wrong cell and nothing typed is silently left out.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import template as layout_of
from .reader import Sheet, clean_text, column_letter
from .safety import SpreadsheetRefused, reader_is_english

# A sheet's identity is looked for in its first rows (a few inserted above row 1 are fine).
IDENTITY_ROWS = 30


def plain(raw) -> str:
    """A cell's text with its spaces and line breaks made single spaces."""
    return " ".join(clean_text(raw).split())


def shown(label: str) -> str:
    """A template label in the reader's language: as it is, or, from a template
    of before that had both ("Korean\\nEnglish"), the reader's line."""
    lines = [line for line in str(label).split("\n") if line.strip()] or [""]
    english = reader_is_english()
    return lines[1].strip() if english and len(lines) > 1 else lines[0].strip()


def layout_changed(sheet: str, detail: str) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _(
            'The layout of sheet "%(sheet)s" was changed (%(detail)s). Download the template again and '
            "copy your figures into it."
        )
        % {"sheet": sheet, "detail": detail},
        "layout_changed",
    )


@dataclass
class KeyedSheet:
    """A visible template sheet with its hidden key column read."""

    sheet: Sheet
    key_column: int
    rows: dict[str, int]  # row key → 0-based row index

    @property
    def name(self) -> str:
        return self.sheet.name

    def row(self, key: str, label: str) -> int:
        """The 0-based row of ``key``; refused, saying ``label``, when the row is gone."""
        if key not in self.rows:
            raise layout_changed(
                self.name, _('the row "%(label)s" was deleted?') % {"label": label}
            )
        return self.rows[key]

    def columns(
        self,
        header_key: str,
        columns: list[tuple[str, str, str]],
        *,
        required: tuple[str, ...],
    ) -> dict[str, int]:
        """role → 0-based column, found by the header labels on the row keyed
        ``header_key``: in Korean or in English, as the template was downloaded."""
        row = self.row(header_key, _("column headers"))
        cells = self.sheet.rows[row] if row < len(self.sheet.rows) else []
        found: dict[str, int] = {}
        for role, ko, en in columns:
            labels = {plain(ko), plain(en)}
            matches = [
                index for index, value in enumerate(cells) if plain(value) in labels
            ]
            if len(matches) > 1:
                raise layout_changed(
                    self.name,
                    _("column %(column)s was inserted?")
                    % {"column": column_letter(matches[1])},
                )
            if matches:
                found[role] = matches[0]
            elif role in required:
                raise layout_changed(
                    self.name,
                    _('the column "%(label)s" was deleted?')
                    % {"label": en if reader_is_english() else ko},
                )
        return found

    def check_label(self, row: int, column: int | None, expected: str) -> None:
        """The row still shows what the template wrote there (rows sorted or
        moved without their hidden key would otherwise read another measure)."""
        if column is None or not expected:
            return
        found = self.sheet.value(row, column)
        if plain(found) != plain(expected):
            raise layout_changed(
                self.name,
                _(
                    'row %(row)d shows "%(found)s" where the template had "%(expected)s": were rows moved or sorted?'
                )
                % {
                    "row": row + 1,
                    "found": shown(clean_text(found)),
                    "expected": shown(expected),
                },
            )

    def check_nothing_unknown(
        self, *, from_row: int, known_columns: set[int], keyed_rows_only: bool
    ) -> None:
        """From ``from_row`` on, refuse anything typed in a column the template
        does not know (an inserted column) or, with ``keyed_rows_only``, in a
        row without a key (an inserted row): it would be silently left out."""
        known = known_columns | {self.key_column}
        for index in range(from_row, len(self.sheet.rows)):
            cells = self.sheet.rows[index]
            keyed = bool(clean_text(self.sheet.value(index, self.key_column)))
            for column, value in enumerate(cells):
                if column == self.key_column or not clean_text(value):
                    continue
                if keyed_rows_only and not keyed:
                    raise layout_changed(
                        self.name, _("row %(row)d was inserted?") % {"row": index + 1}
                    )
                if column not in known:
                    raise layout_changed(
                        self.name,
                        _("column %(column)s was inserted?")
                        % {"column": column_letter(column)},
                    )


def find_meta(sheets: dict[str, Sheet]) -> Sheet | None:
    """The hidden identity sheet, by its marker (not by its name)."""
    named = sheets.get(layout_of.META_SHEET)
    if named is not None and clean_text(named.at("A1")) == layout_of.MARKER:
        return named
    return next(
        (s for s in sheets.values() if clean_text(s.at("A1")) == layout_of.MARKER), None
    )


def _identity_cell(sheet: Sheet, identity: str) -> tuple[int, int] | None:
    for row_index, row in enumerate(sheet.rows[:IDENTITY_ROWS]):
        for column_index, value in enumerate(row):
            if isinstance(value, str) and value.strip() == identity:
                return row_index, column_index
    return None


def find_sheet(
    sheets: dict[str, Sheet], identity: str, expected_name: str
) -> KeyedSheet:
    """The sheet whose hidden key column carries ``identity``, whatever it is now
    called or wherever it was moved; refused when it is missing or there twice."""
    found = []
    for sheet in sheets.values():
        if sheet.name in (layout_of.META_SHEET, layout_of.LISTS_SHEET) and sheet.hidden:
            continue
        where = _identity_cell(sheet, identity)
        if where is not None:
            found.append((sheet, where))
    if not found:
        raise SpreadsheetRefused(
            _(
                'The sheet "%(sheet)s" of the template is missing (deleted, or its hidden column %(column)s '
                "removed?). Download the template again and copy your figures into it."
            )
            % {"sheet": expected_name, "column": layout_of.KEY_COLUMN},
            "sheet_missing",
        )
    if len(found) > 1:
        raise SpreadsheetRefused(
            _(
                'The sheet "%(sheet)s" is in the workbook twice ("%(first)s" and "%(second)s"). Delete the copy '
                "you did not fill in, or download the template again."
            )
            % {
                "sheet": expected_name,
                "first": found[0][0].name,
                "second": found[1][0].name,
            },
            "sheet_twice",
        )
    sheet, (identity_row, key_column) = found[0]
    rows: dict[str, int] = {}
    for index in range(identity_row + 1, len(sheet.rows)):
        key = clean_text(sheet.value(index, key_column))
        if not key:
            continue
        if key in rows:
            raise layout_changed(
                sheet.name,
                _("row %(row)d is a copy of row %(first)d?")
                % {"row": index + 1, "first": rows[key] + 1},
            )
        rows[key] = index
    return KeyedSheet(sheet, key_column, rows)


@dataclass
class LayoutEntry:
    """One line of the layout in the hidden sheet: what a row holds."""

    kind: str
    measure: str
    key: str
    row_key: str
    measure_label: str
    item_label: str


def layout_entries(meta: Sheet) -> list[LayoutEntry]:
    entries = []
    for row in meta.rows[5:]:
        cells = [
            clean_text(value) if not isinstance(value, str) else value for value in row
        ] + [""] * 9
        kind = clean_text(cells[0])
        if not kind:
            continue
        entries.append(
            LayoutEntry(
                kind,
                clean_text(cells[1]),
                clean_text(cells[2]),
                clean_text(cells[6]),
                str(cells[7] or ""),
                str(cells[8] or ""),
            )
        )
    return entries
