"""The public site's government chrome (identity header, skip link, main
menu, standard footer) in both languages from the site settings, the home
page's countdowns (counted in Seoul days), search, the policy pages, and the
call page's timeline and FAQ."""

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cms import selectors
from cms.models import PublicSiteSettings
from competitions.models import CallFaq
from competitions.selectors.calls import call_timeline, days_left
from tests.competitions.conftest import call, call_index, make_call  # noqa: F401

SEOUL = ZoneInfo("Asia/Seoul")


def in_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def body_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# --- chrome ---------------------------------------------------------------


def test_korean_page_has_the_government_header_skip_link_and_footer(client, home_page):
    body = body_of(client.get("/"))
    assert "이 누리집은 대한민국 공식 전자정부 누리집입니다." in body
    assert '<a class="skip-link" href="#main">본문 바로가기</a>' in body
    assert '<main id="main"' in body
    assert "인천광역시" in body  # the city of the identity header (default)
    assert "개인정보처리방침" in body and "저작권 정책" in body
    assert "일자리경제과" in body and "032-120" in body
    assert "고대비" in body and "화면 크기" in body


def test_the_skip_link_is_the_first_link_of_the_page(client, home_page):
    body = body_of(client.get("/"))
    after_body = body[body.index("<body") :]
    first_focusable = min(
        after_body.index(tag) for tag in ("<a ", "<button", "<input", "<select")
    )
    assert after_body[first_focusable:].startswith('<a class="skip-link" href="#main"')


def test_english_page_has_the_same_chrome_in_english(client, home_page):
    in_english(client)
    body = body_of(client.get("/"))
    assert '<html lang="en">' in body
    assert "official website of the Republic of Korea" in body
    assert ">Skip to content</a>" in body
    assert "Incheon Metropolitan City" in body
    assert "Privacy policy" in body and "Copyright policy" in body
    assert "Jobs and Economy Division" in body
    assert "High contrast" in body and "Text size" in body
    assert "개인정보처리방침" not in body and "본문 바로가기" not in body


def test_header_and_footer_follow_the_site_settings(client, home_page):
    settings = PublicSiteSettings.for_site(home_page.get_site())
    settings.city_name = "부산광역시"
    settings.city_name_en = "Busan Metropolitan City"
    settings.bureau_name = "일자리창출과"
    settings.address = "부산광역시 연제구 중앙대로 1001"
    settings.phone = "051-120"
    settings.save()
    body = body_of(client.get("/"))
    assert "data-city-name>부산광역시</span>" in body
    assert "일자리창출과" in body and "연제구 중앙대로 1001" in body
    assert 'href="tel:051-120"' in body
    assert "인천광역시</span>" not in body
    in_english(client)
    assert "data-city-name>Busan Metropolitan City</span>" in body_of(client.get("/"))


def test_no_accessibility_mark_until_one_is_set(client, home_page):
    assert "data-accessibility-mark" not in body_of(client.get("/"))


def test_main_menu_links_the_calls(client, call_index):  # noqa: F811
    body = body_of(client.get("/"))
    assert f'href="{call_index.url}" data-nav="calls"' in body
    assert f'href="{reverse("public:results")}" data-nav="results"' in body


def test_breadcrumbs_lead_from_home_to_the_page(client, call):  # noqa: F811
    body = body_of(client.get(call.url))
    trail = body[body.index('class="breadcrumb"') :]
    trail = trail[: trail.index("</ol>")]
    assert 'href="/">홈</a>' in trail
    assert 'aria-current="page">공모 call-2018</span>' in trail


# --- countdown --------------------------------------------------------------


def test_countdown_turns_at_midnight_in_seoul_not_utc():
    deadline = datetime(2027, 3, 31, 18, 0, tzinfo=SEOUL)
    # 23:59 on the 30th in Seoul is 14:59 UTC the same day: one day left.
    assert (
        days_left(until=deadline, now=datetime(2027, 3, 30, 23, 59, tzinfo=SEOUL)) == 1
    )
    # One minute later it is the 31st in Seoul (still the 30th in UTC): D-day.
    assert days_left(until=deadline, now=datetime(2027, 3, 31, 0, 0, tzinfo=SEOUL)) == 0
    # 17:00 UTC on the 30th is 02:00 on the 31st in Seoul.
    utc_evening = datetime(2027, 3, 30, 17, 0, tzinfo=ZoneInfo("UTC"))
    assert days_left(until=deadline, now=utc_evening) == 0


@pytest.fixture
def call_closing_31_march(call_index, orgs):  # noqa: F811
    return make_call(
        call_index,
        slug="call-2027",
        year=2027,
        opens_at=datetime(2027, 3, 2, 9, 0, tzinfo=SEOUL),
        deadline=datetime(2027, 3, 31, 18, 0, tzinfo=SEOUL),
    )


def _at(monkeypatch, moment):
    monkeypatch.setattr(selectors, "timezone", SimpleNamespace(now=lambda: moment))


def test_home_page_shows_days_left_without_javascript(
    client, monkeypatch, call_closing_31_march
):
    _at(monkeypatch, datetime(2027, 3, 30, 23, 59, tzinfo=SEOUL))
    body = body_of(client.get("/"))
    assert 'data-days-left="1">1일 남음</span>' in body
    _at(monkeypatch, datetime(2027, 3, 31, 0, 1, tzinfo=SEOUL))
    assert 'data-days-left="0">오늘 마감</span>' in body_of(client.get("/"))
    in_english(client)
    _at(monkeypatch, datetime(2027, 3, 20, 12, 0, tzinfo=SEOUL))
    assert 'data-days-left="11">11 days left</span>' in body_of(client.get("/"))


def test_upcoming_call_counts_days_to_its_opening(monkeypatch, call_closing_31_march):
    listed = selectors.home_calls(now=datetime(2027, 2, 27, 10, 0, tzinfo=SEOUL))
    assert [(item.state, item.days_left) for item in listed] == [("upcoming", 3)]


def test_closed_calls_are_not_on_the_home_page(client, call):  # noqa: F811
    body = body_of(client.get("/"))
    assert "data-days-left" not in body
    assert "지금 접수 중이거나 예정된 공모가 없습니다." in body


# --- search -----------------------------------------------------------------


def test_search_finds_a_call_in_korean_and_english(client, call):  # noqa: F811
    call.save_revision().publish()
    body = body_of(client.get(reverse("public:search"), {"q": "call-2018"}))
    assert f'href="{call.url}"' in body
    assert "검색 결과 1건" in body
    in_english(client)
    body = body_of(client.get(reverse("public:search"), {"q": "Call"}))
    assert f'href="{call.url}"' in body


def test_search_never_finds_a_draft_page(client, call):  # noqa: F811
    call.unpublish()
    body = body_of(client.get(reverse("public:search"), {"q": "call-2018"}))
    assert f'href="{call.url}"' not in body
    assert "찾는 내용이 없습니다" in body


def test_search_without_a_query_shows_only_the_form(client, home_page):
    body = body_of(client.get(reverse("public:search")))
    assert 'name="q"' in body and "data-search-results" not in body


# --- policies and results ---------------------------------------------------------


@pytest.mark.parametrize("name", ["public:privacy", "public:copyright"])
def test_policy_pages_in_both_languages(client, home_page, name):
    body = body_of(client.get(reverse(name)))
    assert "일자리경제과" in body and "032-120" in body
    in_english(client)
    body = body_of(client.get(reverse(name)))
    assert "Jobs and Economy Division" in body and "<h1>" in body


def test_results_index_says_when_nothing_is_published(client, home_page):
    body = body_of(client.get(reverse("public:results")))
    assert "아직 공개된 선정 결과가 없습니다." in body


# --- the call page -----------------------------------------------------------


def test_timeline_marks_each_step_on_the_day_in_seoul(call):  # noqa: F811
    # The 2018 call: opens 2018-08-20, deadline 2018-09-28.
    during_receipt = datetime(2018, 9, 1, 12, 0, tzinfo=SEOUL)
    steps = {
        step.code: step.state for step in call_timeline(call=call, now=during_receipt)
    }
    assert steps == {
        "notice": "done",
        "receipt": "current",
        "review": "next",
        "announcement": "next",
    }
    after = datetime(2018, 9, 29, 0, 0, tzinfo=SEOUL)
    assert call_timeline(call=call, now=after)[1].state == "done"


def test_call_page_shows_timeline_and_faq_in_the_readers_language(client, call):  # noqa: F811
    CallFaq.objects.create(
        page=call,
        question="비영리법인도 수행기관이 될 수 있나요?",
        question_en="Can a non-profit deliver a project?",
        answer="네, 가능합니다.",
        answer_en="Yes, it can.",
    )
    call.save_revision().publish()
    body = body_of(client.get(call.url))
    assert "추진 일정" in body and ">공고</span>" in body and ">발표</span>" in body
    assert "비영리법인도 수행기관이 될 수 있나요?" in body and "네, 가능합니다." in body
    in_english(client)
    body = body_of(client.get(call.url))
    assert "Can a non-profit deliver a project?" in body and "Yes, it can." in body
    assert "Frequently asked questions" in body
