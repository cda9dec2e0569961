"""HTTP caching on the data stamp: a repeated request answers 304 without
building anything; an accepted report moves the stamp, and the same request
answers 200 with a new ETag."""

from datetime import datetime

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from projects.months import SEOUL
from reporting.models import MonthlyReport
from reporting.services.reports import report_accept, report_submit

from .test_standard_api import district_officer

PUBLIC_URLS = [
    "/api/v1/projects/?year=2019",
    "/api/v1/monthly-figures/?year=2019",
    "/api/v1/outcomes/?year=2019&month=9",
    "/api/v1/catalog.jsonld",
    "/data/",
    "/data/monthly-figures/",
    "/data/monthly-figures/download.csv",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_repeated_request_is_304_without_heavy_queries(seeded, client, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"].startswith("public, max-age=")
    assert "Accept-Language" in first["Vary"] and "Cookie" in first["Vary"]
    assert first["Last-Modified"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert len(queries.captured_queries) <= 2, tables
    assert "figureyear" not in tables and "projects_project" not in tables


def test_if_modified_since_is_honoured(seeded, client):
    first = client.get("/api/v1/grades/")
    again = client.get("/api/v1/grades/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_each_language_has_its_own_etag(seeded, client):
    korean = client.get("/data/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/data/")
    assert korean["ETag"] != english["ETag"]
    stale = client.get("/data/", HTTP_IF_NONE_MATCH=korean["ETag"])
    assert stale.status_code == 200
    assert "Open data" in stale.content.decode()
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    api_in_english = client.get("/api/v1/projects/", HTTP_ACCEPT_LANGUAGE="en")
    api_in_korean = client.get("/api/v1/projects/", HTTP_ACCEPT_LANGUAGE="ko")
    assert api_in_english["ETag"] != api_in_korean["ETag"]


def test_an_accepted_report_answers_200_with_a_new_etag(seeded, client):
    url = "/api/v1/monthly-figures/?year=2019&month=10&district=BP"
    before = client.get(url)
    assert before.json()["response"]["body"]["totalCount"] == 0
    october = MonthlyReport.objects.get(project__code="2019-BP-01", period__month=10)
    report_submit(
        report=october,
        actor=district_officer(october.project),
        now=datetime(2019, 11, 5, 10, 0, tzinfo=SEOUL),
        notify=False,
    )
    october.refresh_from_db()
    report_accept(
        report=october,
        actor=User.objects.get(username="city"),
        now=datetime(2019, 11, 6, 10, 0, tzinfo=SEOUL),
        notify=False,
    )
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after.json()["response"]["body"]["totalCount"] > 0


def test_a_refusal_is_not_cached(seeded, client):
    refused = client.get("/api/v1/projects/", {"numOfRows": 5000})
    assert refused.status_code == 400
    assert refused["Cache-Control"] == "no-cache"
    assert not refused.has_header("ETag")


def test_a_lost_database_at_the_stamp_is_the_503_page(seeded, client, monkeypatch):
    from reporting.evaluation import caching

    def lost():
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(caching, "current_stamp", lost)
    response = client.get("/api/v1/projects/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert "아무것도 저장되지 않았습니다" in response.json()["detail"]
