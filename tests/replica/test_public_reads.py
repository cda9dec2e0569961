"""Public reads from the replica: the open-data answer's data stamp and its
figures come from one database, the replica when it is current enough and the
primary otherwise; signed-in people and writes always use the primary."""

import logging
from datetime import UTC, datetime

import pytest
from django.db import OperationalError, connections, router
from django.test.utils import CaptureQueriesContext

from common import replica
from indicators.models import Indicator
from reporting.evaluation import api
from reporting.evaluation.caching import STAMP_PK
from reporting.evaluation.models import PublicDataStamp
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(databases=["default", "replica"])

INDICATORS = "/api/v1/indicators/"


def _indicator(code: str, using: str) -> None:
    Indicator.objects.using(using).create(
        code=code,
        name_ko=code,
        name_en=code,
        unit_ko="명",
        unit_en="people",
    )


@pytest.fixture
def two_databases():
    """The primary has moved on (stamp 7, a new indicator); the replica still
    holds stamp 3 and the figures that went with it."""
    PublicDataStamp.objects.update_or_create(
        pk=STAMP_PK,
        defaults={"version": 7, "changed_at": datetime(2019, 9, 30, tzinfo=UTC)},
    )
    _indicator("ON_PRIMARY", "default")
    PublicDataStamp.objects.using("replica").update_or_create(
        pk=STAMP_PK,
        defaults={"version": 3, "changed_at": datetime(2019, 8, 31, tzinfo=UTC)},
    )
    _indicator("ON_REPLICA", "replica")


def _codes(response) -> set[str]:
    return {row["code"] for row in response.json()["indicators"]}


def _lag(monkeypatch, seconds):
    monkeypatch.setattr(replica, "replica_lag_seconds", lambda alias="replica": seconds)


def test_a_current_replica_serves_the_stamp_and_the_figures_together(
    client, two_databases, monkeypatch
):
    _lag(monkeypatch, 0.2)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(INDICATORS)
    assert response.status_code == 200
    assert response.wsgi_request.read_from == "replica"
    assert response["ETag"].startswith('"public-3-')
    assert "Sat, 31 Aug 2019" in response["Last-Modified"]
    assert "ON_REPLICA" in _codes(response)
    assert "ON_PRIMARY" not in _codes(response)
    assert len(on_replica.captured_queries) >= 2  # the stamp, then the figures


def test_a_replica_too_far_behind_is_not_used_and_the_switch_is_logged_once(
    client, two_databases, monkeypatch, caplog
):
    _lag(monkeypatch, 45.0)  # the limit is 30 s
    with (
        caplog.at_level(logging.WARNING, logger="common.replica"),
        CaptureQueriesContext(connections["replica"]) as on_replica,
    ):
        first = client.get(INDICATORS)
        second = client.get(INDICATORS)
    for response in (first, second):
        assert response.wsgi_request.read_from == "default"
        assert response["ETag"].startswith('"public-7-')
        assert "ON_PRIMARY" in _codes(response)
        assert "ON_REPLICA" not in _codes(response)
    assert on_replica.captured_queries == []
    warnings = [r for r in caplog.records if "fall back" in r.getMessage()]
    assert len(warnings) == 1
    assert "45.0 s behind" in warnings[0].getMessage()


def test_the_lag_limit_is_a_setting(client, two_databases, monkeypatch, settings):
    _lag(monkeypatch, 45.0)
    settings.SANGSAENG_REPLICA_MAX_LAG_S = 60
    response = client.get(INDICATORS)
    assert response.wsgi_request.read_from == "replica"
    assert response["ETag"].startswith('"public-3-')


def test_an_unreachable_replica_sends_public_reads_to_the_primary(
    client, two_databases, monkeypatch
):
    def unreachable(alias="replica"):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(replica, "replica_lag_seconds", unreachable)
    response = client.get(INDICATORS)
    assert response.status_code == 200
    assert response.wsgi_request.read_from == "default"
    assert response["ETag"].startswith('"public-7-')
    assert "ON_PRIMARY" in _codes(response)


def test_a_replica_failing_mid_request_is_answered_from_the_primary(
    client, two_databases, monkeypatch, settings
):
    """The answer is built again on the primary, whole (stamp and figures),
    and the replica is left alone until the next probe."""
    _lag(monkeypatch, 0.0)
    settings.SANGSAENG_REPLICA_PROBE_S = 60
    real_listing = api.indicator_listing

    def dropped_on_replica():
        if replica.reading_alias() == "replica":
            raise OperationalError("server closed the connection unexpectedly")
        return real_listing()

    monkeypatch.setattr(api, "indicator_listing", dropped_on_replica)
    response = client.get(INDICATORS)
    assert response.status_code == 200
    assert response.wsgi_request.read_from == "default"
    assert "ON_PRIMARY" in _codes(response)
    assert client.get(INDICATORS).wsgi_request.read_from == "default"


def test_signed_in_people_read_the_primary(client, two_databases, monkeypatch):
    _lag(monkeypatch, 0.0)
    client.force_login(UserFactory())
    response = client.get(INDICATORS)
    assert response.wsgi_request.read_from == "default"
    # A signed-in answer is private and carries no public ETag.
    assert "ETag" not in response
    assert "private" in response["Cache-Control"]
    assert "ON_PRIMARY" in _codes(response)


def test_without_a_replica_everything_stays_on_the_primary(
    client, two_databases, monkeypatch
):
    monkeypatch.delitem(connections.settings, "replica")
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(INDICATORS)
    assert response.wsgi_request.read_from == "default"
    assert response["ETag"].startswith('"public-7-')
    assert on_replica.captured_queries == []


def test_reads_outside_a_public_view_never_reach_the_replica(two_databases):
    assert replica.reading_alias() is None
    assert set(Indicator.objects.values_list("code", flat=True)) >= {"ON_PRIMARY"}
    assert not Indicator.objects.filter(code="ON_REPLICA").exists()


def test_writes_and_migrations_stay_on_the_primary(two_databases):
    with replica.public_reads() as alias:
        assert alias == "replica"
        read = Indicator.objects.get(code="ON_REPLICA")
        assert read._state.db == "replica"
        assert router.db_for_write(Indicator, instance=read) == "default"
    assert (
        router.allow_migrate("replica", "indicators", model_name="indicator") is False
    )
    assert router.allow_migrate("default", "indicators", model_name="indicator") is True


def test_a_nested_scope_keeps_the_outer_choice(two_databases, monkeypatch):
    with replica.public_reads() as outer:
        _lag(monkeypatch, 999.0)
        with replica.public_reads() as inner:
            assert inner == outer == "replica"
            assert Indicator.objects.filter(code="ON_REPLICA").exists()
