"""A set-wise foreign key from a figure to its version, on PostgreSQL.

Django's foreign key is checked row by row: one lookup and one row lock per
figure, queued to commit. A historical import writes 100,000 figures for
12,500 versions, and those checks were a tenth of its time. Here the same
guarantee is kept per statement, with transition tables:

* figures written (INSERT, COPY, UPDATE): every version they name exists; the
  versions are locked FOR KEY SHARE, once each, as PostgreSQL's own check
  does, so a version cannot be deleted under a figure being written;
* versions deleted: none still has figures (Django deletes a version's
  figures first, as ``on_delete=CASCADE``).

A violation is SQLSTATE 23503 (foreign_key_violation), an IntegrityError
to Django, as before; its message is for the operator's log (English, like
PostgreSQL's own), never shown to a user: the services refuse first. Other databases (SQLite, the demo) keep no constraint.
"""

import django.db.models.deletion
from django.db import migrations, models

MESSAGE_MISSING = "a report figure names a version that does not exist"
MESSAGE_IN_USE = "a version that still has figures cannot be deleted"

CREATE = f"""
CREATE FUNCTION reporting_reportvalue_versions_exist() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    named bigint;
    found bigint;
BEGIN
    SELECT count(DISTINCT version_id) INTO named FROM new_values;
    WITH locked AS (
        SELECT version.id FROM reporting_reportversion AS version
        WHERE version.id IN (SELECT version_id FROM new_values)
        FOR KEY SHARE
    )
    SELECT count(*) INTO found FROM locked;
    IF found < named THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation', MESSAGE = '{MESSAGE_MISSING}',
            TABLE = 'reporting_reportvalue', CONSTRAINT = 'reportvalue_version_exists';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER reportvalue_version_exists_insert AFTER INSERT ON reporting_reportvalue
    REFERENCING NEW TABLE AS new_values FOR EACH STATEMENT
    EXECUTE FUNCTION reporting_reportvalue_versions_exist();
CREATE TRIGGER reportvalue_version_exists_update AFTER UPDATE ON reporting_reportvalue
    REFERENCING NEW TABLE AS new_values FOR EACH STATEMENT
    EXECUTE FUNCTION reporting_reportvalue_versions_exist();

CREATE FUNCTION reporting_reportversion_without_values() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM old_versions JOIN reporting_reportvalue AS figure ON figure.version_id = old_versions.id
    ) THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation', MESSAGE = '{MESSAGE_IN_USE}',
            TABLE = 'reporting_reportversion', CONSTRAINT = 'reportvalue_version_exists';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER reportversion_without_values_delete AFTER DELETE ON reporting_reportversion
    REFERENCING OLD TABLE AS old_versions FOR EACH STATEMENT
    EXECUTE FUNCTION reporting_reportversion_without_values();
"""

DROP = """
DROP TRIGGER IF EXISTS reportversion_without_values_delete ON reporting_reportversion;
DROP FUNCTION IF EXISTS reporting_reportversion_without_values();
DROP TRIGGER IF EXISTS reportvalue_version_exists_update ON reporting_reportvalue;
DROP TRIGGER IF EXISTS reportvalue_version_exists_insert ON reporting_reportvalue;
DROP FUNCTION IF EXISTS reporting_reportvalue_versions_exist();
"""


def create_checks(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_checks(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0006_fewer_indexes_to_write"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reportvalue",
            name="version",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="values",
                to="reporting.reportversion",
                verbose_name="version",
            ),
        ),
        migrations.RunPython(create_checks, drop_checks),
    ]
