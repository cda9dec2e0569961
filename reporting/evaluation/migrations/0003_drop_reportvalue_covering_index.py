"""The roll-up reads its sums from ``reporting.FigureYear`` now, so the
covering index of 0002 serves no query any more and only slows every write of
figures: drop it (PostgreSQL; other databases never had it)."""

from django.db import migrations

INDEX = "evaluation_reportvalue_inforce_cover"


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON reporting_reportvalue (measure, period) "
            "INCLUDE (project_id, district_id, key, value) WHERE in_force"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0002_reportvalue_covering_index"),
        ("reporting", "0002_figure_year"),
    ]

    operations = [migrations.RunPython(drop, create, elidable=False)]
