"""Values as a person reads them (common/formats.py and its template filters):
a month without its day, money with separators and 원, a person by name, a
yes-or-no and a report status as words — in the reader's language only."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from common import formats
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("language", "expected"), [("ko", "2019년 10월"), ("en", "October 2019")]
)
def test_a_month_is_its_year_and_month_never_its_first_day(language, expected):
    with translation.override(language):
        assert formats.month_label(date(2019, 10, 1)) == expected
        assert formats.month_label("2019-10") == expected
    # 31 October 2019, 23:30 UTC is already November in Seoul.
    late = datetime(2019, 10, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    with translation.override("ko"):
        assert formats.month_label(late) == "2019년 11월"


@pytest.mark.parametrize(
    ("language", "expected"), [("ko", "1,234,000원"), ("en", "KRW 1,234,000")]
)
def test_money_has_separators_and_its_currency_in_the_readers_words(language, expected):
    with translation.override(language):
        assert formats.won(1_234_000) == expected
        assert formats.won(None) == "–"


def test_a_person_is_shown_by_name_and_by_username_only_without_one(db):
    named = UserFactory(username="t-named", first_name="부평", last_name="담당")
    unnamed = UserFactory(username="t-unnamed", first_name="", last_name="")
    assert formats.person_name(named) == "부평 담당"
    assert formats.person_name(unnamed) == "t-unnamed"
    assert formats.person_name(None) == "–"


def test_yes_no_and_report_statuses_are_words():
    with translation.override("ko"):
        assert formats.yes_no(True) == "예"
        assert formats.yes_no(False) == "아니요"
        assert formats.report_status_label("submitted") != "submitted"
        assert formats.report_status_label("") == "–"
    with translation.override("en"):
        assert formats.yes_no(False) == "No"
        assert formats.report_status_label("accepted") == "Accepted"


def test_the_template_filters_are_the_same_helpers(db):
    person = UserFactory(username="t-filter", first_name="서구", last_name="담당")
    template = Template(
        "{% load formats %}{{ month|month_label }}|{{ amount|won }}|"
        "{{ person|person_name }}|{{ code|report_status }}|{{ flag|yes_no }}"
    )
    context = Context(
        {
            "month": date(2019, 9, 1),
            "amount": 5000,
            "person": person,
            "code": "returned",
            "flag": True,
        }
    )
    with translation.override("ko"):
        assert template.render(context) == "2019년 9월|5,000원|서구 담당|보완 요청|예"
