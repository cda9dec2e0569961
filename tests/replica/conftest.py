"""A stand-in replica for the tests: a second SQLite database of its own
(alias ``replica``), with every model's table but none of default's rows, so a
test can put different figures and a different data stamp in each and see
which one a public answer came from. CI runs PostgreSQL with no replica; the
stand-in works there too (the lag probe is faked where it matters)."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.models.sql import InsertQuery

from common import replica

STAND_IN = {
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": ":memory:",
    # Not migrated (the router allows no migration there): made from the models.
    "TEST": {"MIGRATE": False},
}


def _register_stand_in() -> None:
    """Add the alias before pytest-django sets the test databases up (this
    module is imported while the tests are collected)."""
    settings.DATABASES[replica.REPLICA] = dict(STAND_IN)
    if "settings" in connections.__dict__:
        configured = connections.configure_settings(
            {"default": dict(STAND_IN), replica.REPLICA: dict(STAND_IN)}
        )
        connections.settings[replica.REPLICA] = configured[replica.REPLICA]


_register_stand_in()


def _tables() -> list:
    """Every concrete model, parents before children."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed
    ]


def _copy_rows(model, source, target, batch: int = 50) -> None:
    """Copy one table's rows (its own columns only, as stored) from one
    database to the other."""
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
    """Migrations never run on the replica (it gets them by replication): the
    stand-in gets the tables from the models and a copy of what the migrations
    put in default (site, root page, indicators…), as a base backup would."""
    with django_db_blocker.unblock():
        connection = connections[replica.REPLICA]
        existing = set(connection.introspection.table_names())
        models = _tables()
        with connection.schema_editor() as editor:
            for model in models:
                if model._meta.auto_created or model._meta.db_table in existing:
                    continue
                editor.create_model(model)
                existing.add(model._meta.db_table)
                existing.update(
                    field.remote_field.through._meta.db_table
                    for field in model._meta.local_many_to_many
                )
        with connection.constraint_checks_disabled():
            for model in models:
                _copy_rows(model, "default", replica.REPLICA)


@pytest.fixture(autouse=True)
def _fresh_probe(settings):
    """Each test asks the replica afresh (no verdict kept from the last)."""
    settings.SANGSAENG_REPLICA_PROBE_S = 0
    replica._probe.forget()
    yield
    replica._probe.forget()
