"""The public pages on the Incheon 2019 demo: Bupyeong-gu's and Seo-gu's
figures as the dashboard and the API give them, every project page free of
personal data, and the year's one-page PDF exactly one page in both
languages. The demo is seeded once for this module (inside a transaction
that is rolled back at the end)."""

import io
import re
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from pypdf import PdfReader

from common.personal_data import find_personal_data
from projects.models import Project
from reporting.evaluation.public.selectors import public_page_urls

HOUSEHOLDS, VISITS, RUNS = 961, 2_634, 2_136

# Seeding the whole demo takes minutes on a busy machine.
pytestmark = pytest.mark.timeout(1200)


def _seed_evaluation_demo_after_the_move():
    from reporting.evaluation.demo import seed_evaluation_demo

    seed_evaluation_demo()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        mock.patch(
            "common.management.commands.seed_demo.seed_evaluation_demo",
            _seed_evaluation_demo_after_the_move,
        ),
    ):
        call_command("seed_demo", "--quiet-accounts")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def site(demo, db, client):
    return client


def _main(response) -> str:
    assert response.status_code == 200
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def _indicator(body: str, code: str) -> str:
    row = re.search(rf'<tr data-indicator="{code}">(.*?)</tr>', body, re.S).group(1)
    return re.search(r'data-figure="value">([^<]*)<', row).group(1)


def test_the_demo_district_and_project_pages_show_the_demo_figures(site):
    bupyeong = Project.objects.get(district__code="BP", period_start__year=2019)
    body = _main(site.get(f"/projects/{bupyeong.code}/"))
    assert _indicator(body, "households_visited") == f"{HOUSEHOLDS:,}"
    assert _indicator(body, "coaching_visits") == f"{VISITS:,}"
    seogu = Project.objects.get(district__code="SG", period_start__year=2019)
    assert (
        _indicator(_main(site.get(f"/projects/{seogu.code}/")), "shuttle_runs")
        == f"{RUNS:,}"
    )
    district = _main(site.get("/districts/BP/"))
    assert f'href="/projects/{bupyeong.code}/"' in district
    assert "January to" in district or "1월~9월" in district


def test_every_demo_district_and_project_page_is_free_of_personal_data(site):
    urls = [f"/districts/{code}/" for code in ("BP", "SG", "ND", "OJ")]
    urls += [f"/projects/{p.code}/" for p in Project.objects.all()]
    for url in urls:
        for language in ("ko", "en"):
            site.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            text = re.sub(r"<[^>]+>", " ", _main(site.get(url)))
            assert find_personal_data(text) == [], (url, language)


def test_the_demo_years_one_page_pdf_is_one_page_in_korean_and_english(site):
    texts = {}
    for language in ("ko", "en"):
        site.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = site.get("/outcomes/2019/one-page.pdf")
        assert response.status_code == 200
        reader = PdfReader(io.BytesIO(response.content))
        assert len(reader.pages) == 1, language
        texts[language] = re.sub(
            r"[\s\x00]+", "", "".join(p.extract_text() for p in reader.pages)
        )
    assert "2019년9월까지8개구·군의9개사업이일자리180개를만들었습니다" in texts["ko"]
    assert "부평구" in texts["ko"] and "180" in texts["ko"]
    assert "created180jobs" in texts["en"] and "Bupyeong-gu" in texts["en"]
    assert find_personal_data(texts["ko"]) == []


def test_the_example_urls_for_the_screenshots_all_answer(site):
    urls = public_page_urls()
    assert [url.split("/")[1] for url in urls] == ["districts", "projects", "outcomes"]
    for url in urls:
        assert site.get(url).status_code == 200, url
