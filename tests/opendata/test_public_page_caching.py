"""The public pages (Wagtail's and the site's own views) answer 304 to a
repeated visit, carry nothing of one visitor, and are public only for an
anonymous visitor: a shared cache may hand them on, never a signed-in
person's page nor a CSRF token."""

from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from accounts.models import User
from cms.models import HomePage, PublicSiteSettings
from competitions.models import CallIndexPage, CallPage, CallResultsPage
from projects.months import SEOUL
from reporting.evaluation.caching import calls_clock
from reporting.evaluation.models import OutcomesPage
from reporting.models import MonthlyReport
from reporting.services.reports import report_accept, report_submit

from .test_standard_api import district_officer

VIEW_URLS = [
    "/results/",
    "/search/?q=2019",
    "/privacy/",
    "/copyright/",
    "/districts/BP/",
    "/projects/2019-BP-01/",
]
PAGE_TYPES = [HomePage, CallIndexPage, CallPage, CallResultsPage, OutcomesPage]


def _page_url(page_type) -> str:
    return page_type.objects.live().first().url


def _every_public_url() -> list[str]:
    return [_page_url(page_type) for page_type in PAGE_TYPES] + VIEW_URLS


def test_every_public_page_answers_304_to_a_repeat(seeded, client):
    for url in _every_public_url():
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["Cache-Control"] == "public, max-age=60", url
        assert "Cookie" in first["Vary"], url
        assert first["ETag"], url
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304, url
        assert again.content == b""
        assert again["ETag"] == first["ETag"]


def test_a_304_builds_nothing(seeded, client):
    url = "/districts/BP/"
    etag = client.get(url)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "figureyear" not in tables and "projects_project" not in tables
    assert len(queries.captured_queries) <= 2, tables


def test_anonymous_public_html_carries_no_csrf_token(seeded, client):
    for url in _every_public_url():
        response = client.get(url)
        body = response.content.decode()
        assert "csrfmiddlewaretoken" not in body, url
        assert settings.CSRF_COOKIE_NAME not in response.cookies, url
        assert 'class="language-switcher"' in body, url


def test_the_language_switcher_is_a_get_form_that_goes_back(seeded, client):
    body = client.get("/").content.decode()
    assert 'action="/language/" method="get"' in body
    switched = client.get("/language/", {"language": "en", "next": "/results/"})
    assert switched.status_code == 302
    assert switched["Location"] == "/results/"
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "no-store" in switched["Cache-Control"]
    assert '<html lang="en">' in client.get("/results/").content.decode()


def test_the_language_switcher_refuses_a_foreign_next_and_an_unknown_language(
    seeded, client
):
    away = client.get("/language/", {"language": "fr", "next": "https://evil.test/"})
    assert away["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in away.cookies
    assert client.post("/language/", {"language": "en"}).status_code == 405


def test_a_publish_gives_the_page_a_new_etag(seeded, client):
    home = HomePage.objects.get()
    before = client.get("/")
    home.intro_en = "<p>Changed</p>"
    home.save_revision().publish()
    after = client.get("/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]


def test_an_accepted_report_gives_the_pages_a_new_etag(seeded, client):
    urls = ["/districts/BP/", _page_url(HomePage), _page_url(OutcomesPage)]
    before = {url: client.get(url)["ETag"] for url in urls}
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
    for url in urls:
        after = client.get(url, HTTP_IF_NONE_MATCH=before[url])
        assert after.status_code == 200, url
        assert after["ETag"] != before[url]


def test_each_language_has_its_own_page_etag(seeded, client):
    korean = client.get("/districts/BP/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/districts/BP/", HTTP_IF_NONE_MATCH=korean["ETag"])
    assert english.status_code == 200
    assert english["ETag"] != korean["ETag"]
    assert '<html lang="en">' in english.content.decode()


def test_saving_the_site_settings_gives_every_page_a_new_etag(seeded, client):
    before = client.get("/privacy/")
    site_settings = PublicSiteSettings.for_site(Page.objects.get(depth=2).get_site())
    site_settings.city_name = "부천시"
    site_settings.save()
    after = client.get("/privacy/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "부천시" in after.content.decode()


def test_a_call_closing_moves_the_clock_with_nothing_published(seeded):
    call = CallPage.objects.live().first()
    just_before = call.deadline - timedelta(minutes=1)
    just_after = call.deadline + timedelta(minutes=1)
    assert calls_clock(just_before) != calls_clock(just_after)
    assert calls_clock(just_after) == calls_clock(just_after + timedelta(minutes=1))


@pytest.mark.parametrize("url", ["/", "/districts/BP/", "/privacy/"])
def test_a_signed_in_persons_page_is_private_and_untagged(seeded, client, url):
    anonymous_etag = client.get(url)["ETag"]
    client.force_login(User.objects.get(username="city"))
    response = client.get(url, HTTP_IF_NONE_MATCH=anonymous_etag)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    assert not response.has_header("ETag")
    assert "Cookie" in response["Vary"]
