"""A covering index for the roll-up's aggregates over the figures in force.

``reporting_reportvalue`` belongs to the reporting app; this index lives here
because only the roll-up needs it. On PostgreSQL the city-wide sums of a year
(hundreds of thousands of figures) then come from an index-only scan instead of
visiting every row. Other databases (the SQLite demo) skip it: they have no
INCLUDE and no data of that size.
"""

from django.db import migrations

INDEX = "evaluation_reportvalue_inforce_cover"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON reporting_reportvalue (measure, period) "
            "INCLUDE (project_id, district_id, key, value) WHERE in_force"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_initial"),
        ("reporting", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
