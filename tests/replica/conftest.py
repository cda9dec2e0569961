"""A stand-in replica for the tests (alias ``replica``): a second test
database of the same engine as default (a second SQLite in-memory database, or
a second PostgreSQL test database in CI), made from the models and filled with
a copy of what the migrations put in default, as a base backup would be. A
test then puts different figures and a different data stamp in each and sees
which one a public answer came from. The lag probe is faked where it matters:
the stand-in is not in recovery."""

import copy

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connections, transaction
from django.db.models.sql import InsertQuery

from common import replica

SQLITE = "django.db.backends.sqlite3"


def _stand_in() -> dict:
    """Default's engine and server, another database; never migrated (the
    router allows no migration there): made from the models instead."""
    default = settings.DATABASES["default"]
    if default["ENGINE"] == SQLITE:
        stand_in = {"ENGINE": SQLITE, "NAME": ":memory:"}
    else:
        stand_in = copy.deepcopy({k: v for k, v in default.items() if k != "TEST"})
        stand_in["NAME"] = f"{default['NAME']}_replica"
    stand_in["TEST"] = {"MIGRATE": False}
    return stand_in


def _register_stand_in() -> None:
    """Add the alias before pytest-django sets the test databases up (this
    module is imported while the tests are collected). One dict for settings
    and connections, so pytest-xdist's per-worker names reach both."""
    stand_in = _stand_in()
    settings.DATABASES[replica.REPLICA] = stand_in
    if "settings" in connections.__dict__:
        connections.configure_settings(
            {"default": settings.DATABASES["default"], replica.REPLICA: stand_in}
        )
        connections.settings[replica.REPLICA] = stand_in


_register_stand_in()

# The stand-in exists for the whole test session once this folder is collected;
# only the tests here may have public reads choose it. Elsewhere it counts as
# not configured, so other tests' public pages read the data they made.
_replica_configured = replica.replica_configured
_in_these_tests = {"on": False}


def _configured_here_only() -> bool:
    return _in_these_tests["on"] and _replica_configured()


replica.replica_configured = _configured_here_only


def _models() -> list:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed
    ]


def _copy_rows(model, source: str, target: str, batch: int = 50) -> None:
    """Copy one table's rows (its own columns only) between databases."""
    fields = model._meta.local_concrete_fields
    names = [field.attname for field in fields]
    rows = list(model._base_manager.using(source).values_list(*names))
    for first in range(0, len(rows), batch):
        objs = [
            model(**dict(zip(names, row, strict=True)))
            for row in rows[first : first + batch]
        ]
        query = InsertQuery(model)
        query.insert_values(fields, objs, raw=True)
        query.get_compiler(using=target).execute_sql()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        connection = connections[replica.REPLICA]
        existing = set(connection.introspection.table_names())
        models = _models()
        with connection.schema_editor() as editor:
            for model in models:
                if model._meta.auto_created or model._meta.db_table in existing:
                    continue
                editor.create_model(model)
                existing.add(model._meta.db_table)
                existing.update(
                    field.remote_field.through._meta.db_table
                    for field in model._meta.local_many_to_many
                    if field.remote_field.through._meta.auto_created
                )
        # Foreign keys are checked at the end (PostgreSQL: deferred to the
        # commit; SQLite: switched off while copying).
        with (
            connection.constraint_checks_disabled(),
            transaction.atomic(using=replica.REPLICA),
        ):
            for model in models:
                _copy_rows(model, "default", replica.REPLICA)
        # Copied rows keep their ids: move the sequences past them.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


@pytest.fixture(autouse=True)
def _fresh_probe(settings):
    """Each test here may use the stand-in, and asks it afresh (no verdict
    kept from the last)."""
    settings.SANGSAENG_REPLICA_PROBE_S = 0
    replica._probe.forget()
    _in_these_tests["on"] = True
    yield
    _in_these_tests["on"] = False
    replica._probe.forget()
