"""Every public read-only view reads from the replica when it may, and from
the primary when it may not: the open-data API, the dataset pages and
downloads, the district and project pages and the outcomes PDF."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from common import replica

pytestmark = pytest.mark.django_db(databases=["default", "replica"])

PUBLIC_READS = [
    "/api/v1/outcomes/?year=2019&month=9",
    "/api/v1/indicators/",
    "/api/v1/catalog.jsonld",
    "/api/v1/projects/",
    "/data/",
    "/data/projects/",
    "/data/projects/download.csv",
    "/districts/bupyeong/",
    "/projects/2019-001/",
    "/outcomes/2019/one-page.pdf",
]


@pytest.mark.parametrize("address", PUBLIC_READS)
def test_the_public_view_reads_from_a_current_replica(client, address, monkeypatch):
    monkeypatch.setattr(replica, "replica_lag_seconds", lambda alias="replica": 0.0)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(address)
    assert response.status_code in (200, 400, 404)
    assert response.wsgi_request.read_from == "replica"
    assert on_replica.captured_queries


@pytest.mark.parametrize("address", PUBLIC_READS)
def test_the_public_view_leaves_a_lagging_replica_alone(client, address, monkeypatch):
    monkeypatch.setattr(replica, "replica_lag_seconds", lambda alias="replica": 900.0)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(address)
    assert response.status_code in (200, 400, 404)
    assert response.wsgi_request.read_from == "default"
    assert on_replica.captured_queries == []
