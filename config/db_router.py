"""The database router: public reads may go to a streaming replica.

Reads go to the alias chosen by ``common.replica.public_reads`` (the replica
when it is configured, reachable and not too far behind) and only inside that
scope, which only read-only public views enter. Everything else reads from
``default``; every write goes to ``default``, even for an object that was read
from the replica; migrations run only on ``default`` (the replica receives
them by replication). With no replica configured the scope never chooses it,
so everything stays on ``default`` exactly as without this router.
"""

from django.db import DEFAULT_DB_ALIAS

from common.replica import reading_alias


class PublicReadRouter:
    def db_for_read(self, model, **hints):
        return reading_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of default: an object read from one may refer
        # to an object read from the other.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
