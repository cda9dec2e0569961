"""On PostgreSQL the database itself refuses to change or delete the trail."""

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction

from common import audit
from competitions import services as competition_services
from competitions.models import Decision
from tests.competitions.conftest import AFTER_DEADLINE

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the append-only trigger is PostgreSQL's (SQLite: the demo)",
)


@pytest.fixture
def entry(bupyeong_proposal, city_manager):
    with audit.acting_as(city_manager):
        decision = competition_services.selection_decide(
            proposal=bupyeong_proposal,
            decision=Decision.SELECTED,
            reason="고득점",
            actor=city_manager,
            now=AFTER_DEADLINE,
        )
    return LogEntry.objects.get_for_object(decision).get()


def test_an_entry_cannot_be_changed_even_with_sql(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(object_repr="nothing happened")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE auditlog_logentry SET changes = '{}' WHERE id = %s", [entry.pk]
        )
    entry.refresh_from_db()
    assert entry.changes["reason"] == [None, "고득점"]


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_deleting_a_user_keeps_their_entries_with_their_address(entry, city_manager):
    email = city_manager.email
    city_manager.delete()
    entry.refresh_from_db()
    assert entry.actor_id is None and entry.actor_email == email
    assert entry.changes["reason"] == [None, "고득점"]
