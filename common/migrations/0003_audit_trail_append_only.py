"""The audit trail is append-only in the database too (PostgreSQL).

A trigger refuses UPDATE and DELETE on auditlog's table, whoever asks: the
application has no view that changes an entry, and this keeps a bug, a shell
or a stray query from doing it either. One update is let through: deleting a
user sets ``actor`` to NULL on their entries (``on_delete=SET_NULL``), and the
entry keeps ``actor_email``. TRUNCATE (``manage.py flush``, restoring a backup)
is an operator's act on the whole database and is not refused.

SQLite (the demo, the tests) gets no trigger: Django empties tables there with
DELETE between transactional tests.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION sangsaeng_audit_trail_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL THEN
        OLD.actor_id := NULL;
        IF NEW IS NOT DISTINCT FROM OLD THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'The audit trail is append-only: % of an entry is refused.', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""
TRIGGER = """
CREATE TRIGGER audit_trail_append_only
BEFORE UPDATE OR DELETE ON auditlog_logentry
FOR EACH ROW EXECUTE FUNCTION sangsaeng_audit_trail_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_trail_append_only ON auditlog_logentry;
DROP FUNCTION IF EXISTS sangsaeng_audit_trail_append_only();
"""


def add_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)
        schema_editor.execute(TRIGGER, params=None)


def remove_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0002_job_recovery"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(add_guard, remove_guard)]
