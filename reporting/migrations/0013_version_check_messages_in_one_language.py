"""The figure-to-version checks of 0007 say their violation in one language.

They used to raise "Korean / English" in one message. The functions are
replaced in place (the triggers keep calling them by name); only PostgreSQL
has them.
"""

import importlib

from django.db import migrations

checks = importlib.import_module(
    "reporting.migrations.0007_reportvalue_version_checked_per_statement"
)


def _functions_only(sql: str) -> str:
    """The CREATE FUNCTION statements of ``sql`` as CREATE OR REPLACE."""
    statements = []
    for part in sql.split("END $$;"):
        if "CREATE FUNCTION" in part:
            body = part[part.index("CREATE FUNCTION") :]
            statements.append(
                body.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
                + "END $$;"
            )
    return "\n".join(statements)


def replace_functions(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_functions_only(checks.CREATE))


class Migration(migrations.Migration):
    dependencies = [("reporting", "0012_reminder_sequence")]

    operations = [migrations.RunPython(replace_functions, migrations.RunPython.noop)]
