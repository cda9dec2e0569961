"""Query helpers shared by the apps."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, Expression, F

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.expressions import Combinable
    from django.db.models.sql.compiler import SQLCompiler, _AsSqlType


class AnyOf(Expression):
    """``field IN (ids)`` with the ids sent as one parameter: an array on
    PostgreSQL (``= ANY(%s)``), a JSON list on SQLite. A filter on thousands of
    ids stays one short statement (thousands of placeholders cost more to
    build and parse than the query takes to run)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, field: str, ids: Iterable[int | str]) -> None:
        super().__init__()
        # F until the query resolves it, then the resolved column.
        self.column: Any = F(field)
        self.ids = [int(pk) for pk in ids]

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(
        self, expressions: Sequence[Combinable | Expression]
    ) -> None:
        (self.column,) = expressions

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> _AsSqlType:
        sql, params = compiler.compile(self.column)
        if not self.ids:
            return "1 = 0", []
        if connection.vendor == "postgresql":
            return f"{sql} = ANY(%s)", [*params, self.ids]
        return f"{sql} IN (SELECT value FROM json_each(%s))", [
            *params,
            json.dumps(self.ids),
        ]
