"""The historical import as a django-import-export ``Resource``.

The admin's dry run and import go through ``HistoricalFigureResource.import_data``
and get django-import-export's ``Result``: totals (new / update / skip =
unchanged / invalid = rejected), one ``RowResult`` per row and an ``InvalidRow``
per rejected row whose errors name the column and carry the cell ("E12: …").
Underneath is this app's engine (``bulk``), which checks every row before
writing and writes with bulk operations in one transaction — where
django-import-export's own ``use_bulk`` mode would lose the link between an
error and its row.
"""

from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from import_export import fields, resources
from import_export.results import Result, RowResult
from tablib import Dataset

from .bulk import (
    COLUMNS,
    NEW,
    REJECTED,
    UPDATED,
    bulk_apply,
    bulk_validate,
    cyclic_gc_paused,
    read_long_rows,
)
from .bulk import header_of as bulk_header_of
from .reader import Sheet

IMPORT_TYPES = {
    NEW: RowResult.IMPORT_TYPE_NEW,
    UPDATED: RowResult.IMPORT_TYPE_UPDATE,
    REJECTED: RowResult.IMPORT_TYPE_INVALID,
}


# A column's header in the language of the screen showing it.
header_of = lazy(bulk_header_of, str)


class HistoricalFigureResource(resources.Resource):
    project_code = fields.Field(
        attribute="project_code", column_name=header_of("project_code")
    )
    period = fields.Field(attribute="period", column_name=header_of("period"))
    indicator = fields.Field(attribute="indicator", column_name=header_of("indicator"))
    disaggregation = fields.Field(
        attribute="disaggregation", column_name=header_of("disaggregation")
    )
    value = fields.Field(attribute="value", column_name=header_of("value"))

    class Meta:
        fields = tuple(COLUMNS)

    def __init__(
        self, *, actor, skip_rejected: bool = False, now=None, first_line: int = 1
    ):
        super().__init__()
        self.actor = actor
        self.skip_rejected = skip_rejected
        self.now = now
        self.first_line = first_line  # the file's row of the dataset's headers
        self.plan = None

    def import_data(
        self,
        dataset: Dataset,
        dry_run: bool = False,
        raise_errors: bool = False,
        use_transactions=None,
        collect_failed_rows: bool = False,
        **kwargs,
    ) -> Result:
        with cyclic_gc_paused():
            return self._import_rows(dataset, dry_run=dry_run)

    def _import_rows(self, dataset: Dataset, *, dry_run: bool) -> Result:
        rows = [[""] * len(dataset.headers or [])] * (self.first_line - 1)
        rows += [list(dataset.headers or [])] + [list(row) for row in dataset]
        long_rows = read_long_rows(Sheet("import", rows))
        plan = bulk_validate(long_rows, actor=self.actor, now=self.now)
        self.plan = plan
        result = Result()
        result.diff_headers = list(dataset.headers or [])
        result.total_rows = len(long_rows)
        errors = plan.errors_by_line()
        for row, status in zip(long_rows.rows, plan.statuses, strict=True):
            row_result = RowResult()
            row_result.import_type = IMPORT_TYPES.get(
                status, RowResult.IMPORT_TYPE_SKIP
            )
            row_result.row_values = {"line": row.line}
            row_result.object_repr = (
                f"{row.project_code} {row.period or ''} {row.measure}.{row.key}"
            )
            if status == REJECTED:
                by_field: dict[str, list[str]] = {}
                for error in errors.get(row.line, []):
                    column = next(
                        (
                            c
                            for c, letter in long_rows.letters.items()
                            if letter == error.column
                        ),
                        "value",
                    )
                    by_field.setdefault(column, []).append(error.message)
                row_result.validation_error = ValidationError(by_field)
                result.append_invalid_row(
                    row.line,
                    dict(zip(result.diff_headers, rows[row.line - 1], strict=False)),
                    row_result.validation_error,
                )
            result.increment_row_result_total(row_result)
            result.append_row_result(row_result)
        if not dry_run and (not plan.has_rejections or self.skip_rejected):
            bulk_apply(
                plan, actor=self.actor, now=self.now, skip_rejected=self.skip_rejected
            )
        return result


def sheet_as_dataset(sheet: Sheet) -> tuple[Dataset, int]:
    """A read sheet as a tablib Dataset (headers = its first non-blank row) and
    that row's number in the file."""
    header_index = next(
        (i for i, row in enumerate(sheet.rows) if any(str(v).strip() for v in row)), 0
    )
    rows = sheet.rows[header_index:]
    if not rows:
        return Dataset(), 1
    width = max(len(row) for row in rows)
    dataset = Dataset(headers=[str(v) for v in rows[0]] + [""] * (width - len(rows[0])))
    for row in rows[1:]:
        dataset.append(list(row) + [""] * (width - len(row)))
    return dataset, header_index + 1
