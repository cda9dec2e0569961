"""Query helpers shared by the apps."""

import json

from django.db.models import BooleanField, Expression, F


class AnyOf(Expression):
    """``field IN (ids)`` with the ids sent as one parameter: an array on
    PostgreSQL (``= ANY(%s)``), a JSON list on SQLite. A filter on thousands of
    ids stays one short statement (thousands of placeholders cost more to
    build and parse than the query takes to run)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, field: str, ids):
        super().__init__()
        self.column = F(field)
        self.ids = [int(pk) for pk in ids]

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, expressions):
        (self.column,) = expressions

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.column)
        if not self.ids:
            return "1 = 0", []
        if connection.vendor == "postgresql":
            return f"{sql} = ANY(%s)", [*params, self.ids]
        return f"{sql} IN (SELECT value FROM json_each(%s))", [
            *params,
            json.dumps(self.ids),
        ]
