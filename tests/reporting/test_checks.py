"""Each check and warning of a monthly report, on plain data, with its code
and its message in the reader's language (never both languages at once)."""

import re
from datetime import date

import pytest
from django.utils import translation

from common.personal_data import find_personal_data
from reporting.checks import ReportContext, check_report
from tests.reporting.helpers import check_context

pytestmark = pytest.mark.django_db  # the indicators and rules are the catalogue's

MAR = date(2019, 3, 1)


def context(**overrides) -> ReportContext:
    values = {
        "period": MAR,
        "period_start": date(2019, 1, 1),
        "period_end": date(2019, 12, 1),
        "today": date(2019, 4, 5),
        "target_groups": {"women": ("경력단절여성", "Career-interrupted women", 27)},
        "outputs": {"households": 960},
        "budget_lines": {"personnel": ("인건비", "Personnel", 10_000_000)},
        "totals_before": {
            "new_hires": {"women": 10},
            "households": {"total": 200},
            "spending": {"personnel": 8_000_000},
        },
        "months_before": 2,
    }
    values.update(overrides)
    return check_context(**values)


def good(**changes) -> dict:
    values = {
        "new_hires": {"women": 2},
        "employed": {"women": 12},
        "households": {"total": 100},
        "spending": {"personnel": 1_000_000},
    }
    for dotted, value in changes.items():
        measure, key = dotted.split("__")
        values.setdefault(measure, {})[key] = value
    return values


def test_a_sound_month_passes_without_errors_or_warnings():
    result = check_report(
        context=context(), values=good(), texts={"narrative": "코칭 120회"}
    )
    assert result.errors == {}
    assert result.warnings == {}


def test_month_after_the_project_period_is_refused_in_the_readers_language():
    ctx = context(period=date(2020, 1, 1), today=date(2020, 2, 1))
    with translation.override("ko"):
        result = check_report(context=ctx, values=good())
    assert result.codes()["period"] == ["period_outside_project"]
    assert result.errors["period"] == [
        "보고 월(2020-01)이 사업 기간(2019-01~2019-12) 밖입니다."
    ]
    with translation.override("en"):
        result = check_report(context=ctx, values=good())
    assert result.errors["period"] == [
        "The month (2020-01) is outside the project period (2019-01 to 2019-12)."
    ]


def test_month_before_the_project_period_is_refused():
    result = check_report(context=context(period=date(2018, 12, 1)), values=good())
    assert result.codes()["period"] == ["period_outside_project"]


def test_month_in_the_future_is_refused():
    result = check_report(context=context(today=date(2019, 2, 28)), values=good())
    assert result.codes()["period"] == ["period_in_future"]
    assert result.errors["period"] == ["보고 월(2019-03)이 아직 오지 않았습니다."]


def test_the_current_month_is_not_in_the_future():
    assert (
        "period"
        not in check_report(
            context=context(today=date(2019, 3, 31)), values=good()
        ).errors
    )


@pytest.mark.parametrize("raw", [2.5, "2.5", "two"])
def test_a_count_that_is_not_whole_is_refused(raw):
    result = check_report(context=context(), values=good(new_hires__women=raw))
    assert result.codes()["new_hires.women"] == ["not_whole_number"]
    assert result.errors["new_hires.women"] == [
        f"신규 채용(경력단절여성): 정수를 입력하세요(입력값 {raw})."
    ]
    with translation.override("en"):
        result = check_report(context=context(), values=good(new_hires__women=raw))
    assert result.errors["new_hires.women"] == [
        f"Jobs created (new hires) (Career-interrupted women): enter a whole number "
        f"(got {raw})."
    ]


def test_a_whole_number_written_as_text_or_float_is_accepted():
    result = check_report(
        context=context(), values=good(new_hires__women="2", households__total=100.0)
    )
    assert result.errors == {}
    assert result.values["new_hires"]["women"] == 2
    assert result.values["households"]["total"] == 100


def test_a_negative_count_is_refused():
    result = check_report(context=context(), values=good(households__total=-1))
    assert result.codes()["households.total"] == ["negative_number"]
    assert result.errors["households.total"] == [
        "방문 가구: 0 이상이어야 합니다(입력값 -1)."
    ]


def test_an_item_not_in_the_plan_in_force_is_refused():
    result = check_report(context=context(), values=good(new_hires__youth=5))
    assert result.codes()["new_hires.youth"] == ["unknown_item"]
    assert "'youth'" in result.errors["new_hires.youth"][0]


def test_an_indicator_the_plan_does_not_have_is_refused():
    result = check_report(context=context(), values=good(visits__total=5))
    assert result.codes()["visits.total"] == ["unknown_indicator"]
    assert result.errors["visits.total"] == [
        "'visits': 이 달에 적용 중인 계획의 지표가 아닙니다."
    ]


def test_employed_above_all_hires_to_date_is_refused():
    # 10 hired before, 2 this month: 13 employed cannot be.
    with translation.override("ko"):
        result = check_report(context=context(), values=good(employed__women=13))
    assert result.errors["employed.women"] == [
        "월말 재직자 수(경력단절여성, 13명)가 누적 채용 인원(12명)보다 많습니다."
    ]
    with translation.override("en"):
        result = check_report(context=context(), values=good(employed__women=13))
    assert result.errors["employed.women"] == [
        "Employed at month end (Career-interrupted women, 13) exceeds all hires to date (12)."
    ]


def test_employed_equal_to_all_hires_to_date_passes():
    assert check_report(context=context(), values=good(employed__women=12)).errors == {}


def test_spending_beyond_the_remaining_budget_without_a_comment_is_refused():
    # 8,000,000 of 10,000,000 spent before: 2,000,001 is one won too many.
    result = check_report(context=context(), values=good(spending__personnel=2_000_001))
    assert result.codes()["spending.personnel"] == ["spending_over_budget"]
    assert result.errors["spending.personnel"] == [
        "인건비: 이번 달 집행액(2,000,001원)이 남은 예산(2,000,000원)을 넘습니다. 사유를 적어 주세요."
    ]
    with translation.override("en"):
        result = check_report(
            context=context(), values=good(spending__personnel=2_000_001)
        )
    assert result.errors["spending.personnel"] == [
        "Personnel: spending this month (2,000,001 KRW) exceeds the remaining budget "
        "(2,000,000 KRW); add a comment."
    ]


def test_spending_the_whole_remaining_budget_passes():
    assert (
        check_report(
            context=context(), values=good(spending__personnel=2_000_000)
        ).errors
        == {}
    )


def test_spending_beyond_the_budget_with_a_comment_passes():
    result = check_report(
        context=context(),
        values=good(spending__personnel=3_000_000),
        comments={"spending.personnel": "12월분 인건비 선지급 (변경 승인 예정)"},
    )
    assert result.errors == {}


@pytest.mark.parametrize(
    ("text", "found_ko", "found_en"),
    [
        (
            "참여자 800101-2345678 채용",
            "주민등록번호 800101-*******",
            "resident registration number 800101-*******",
        ),
        (
            "연락처 010-1234-5678",
            "휴대전화 번호 010-****-****",
            "mobile phone number 010-****-****",
        ),
        (
            "문의 kim.coach@example.com",
            "전자우편 주소 k***@example.com",
            "e-mail address k***@example.com",
        ),
        ("참여자 김철수(45세) 씨 채용", "사람 이름 김**", "personal name 김**"),
    ],
)
def test_personal_data_in_the_narrative_is_refused_masked_in_the_readers_language(
    text, found_ko, found_en
):
    with translation.override("ko"):
        result = check_report(
            context=context(), values=good(), texts={"narrative": text}
        )
    assert result.errors["narrative"] == [
        f"사업 추진 내용: 개인정보({found_ko})로 보이는 내용이 있습니다. 보고에는 건수만 적습니다. "
        "이 내용을 지우고 인원수나 가명 참여자 코드로 적어 주세요."
    ]
    with translation.override("en"):
        result = check_report(
            context=context(), values=good(), texts={"narrative": text}
        )
    assert result.errors["narrative"] == [
        f"Narrative: this looks like personal data ({found_en}). Reports carry counts only: "
        "remove it and write the number of people, or their pseudonymous participant codes."
    ]


def test_personal_data_in_a_comment_is_refused():
    result = check_report(
        context=context(), values=good(), comments={"no_activity": "담당 010 9876 5432"}
    )
    assert "comments.no_activity" in result.errors


def test_personal_data_is_refused_even_in_a_draft():
    result = check_report(
        context=context(),
        values=good(),
        texts={"narrative": "800101-2345678"},
        for_submission=False,
    )
    assert "narrative" in result.errors


def test_a_draft_is_not_held_to_the_submission_checks():
    result = check_report(
        context=context(today=date(2019, 1, 5)),
        values=good(employed__women=99),
        for_submission=False,
    )
    assert result.errors == {}


def test_a_month_more_than_three_times_the_monthly_average_warns():
    # 200 households over 2 months: average 100; 301 is more than three times it.
    result = check_report(context=context(), values=good(households__total=301))
    assert result.errors == {}
    assert result.codes()["spike.households.total"] == ["spike"]
    assert result.warnings["spike.households.total"] == (
        "방문 가구: 이번 달(301)이 월평균(100.0)의 3배를 넘습니다. 설명을 적어 주세요."
    )
    assert list(result.unanswered_warnings({})) == ["spike.households.total"]
    assert (
        result.unanswered_warnings({"spike.households.total": "집중 방문 주간"}) == {}
    )


def test_exactly_three_times_the_average_does_not_warn():
    assert (
        check_report(context=context(), values=good(households__total=300)).warnings
        == {}
    )


def test_new_hires_far_above_the_average_warn():
    # 10 hires over 2 months: average 5; 16 is more than 15.
    result = check_report(
        context=context(), values=good(new_hires__women=16, employed__women=20)
    )
    assert "spike.new_hires.total" in result.warnings


def test_the_first_month_cannot_be_a_spike():
    result = check_report(
        context=context(totals_before={}, months_before=0, period=date(2019, 1, 1)),
        values=good(employed__women=2),
    )
    assert result.warnings == {}


def test_a_month_with_no_activity_warns():
    values = {
        "new_hires": {"women": 0},
        "employed": {"women": 10},
        "households": {"total": 0},
        "spending": {},
    }
    result = check_report(context=context(), values=values)
    assert result.errors == {}
    assert result.codes()["no_activity"] == ["no_activity"]
    assert result.warnings["no_activity"] == (
        "이번 달 신규 채용, 산출, 집행이 모두 없습니다. 설명을 적어 주세요."
    )
    with translation.override("en"):
        result = check_report(context=context(), values=values)
    assert result.warnings["no_activity"] == (
        "Nobody was hired and nothing was delivered or spent this month; please explain."
    )


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("800101-2345678", ["rrn"]),
        ("800101 - 2345678", ["rrn"]),
        ("010-1234-5678", ["mobile"]),
        ("01012345678", ["mobile"]),
        ("010.123.4567", ["mobile"]),
        ("a.b+c@x.co.kr", ["email"]),
        ("주민 800101-2345678, 연락처 010-1234-5678", ["rrn", "mobile"]),
        ("가구 961, 방문 2,634회, 예산 94,500,000원, 2019-03-10", []),
        ("", []),
    ],
)
def test_find_personal_data(text, kinds):
    assert find_personal_data(text) == kinds


def test_every_fixed_message_is_in_one_language_with_a_code():
    """A month that breaks many fixed checks: each message has a code and is
    Korean for a Korean reader, English for an English one, never both."""
    ctx = context(today=date(2019, 2, 28))
    values = good(
        households__total=-1,
        new_hires__women="two",
        visits__total=5,
        spending__personnel=2_000_001,
    )
    roster = [{"participant_code": "BP-19-001", "target_group_code": "youth"}]
    codes = set()
    for language in ("ko", "en"):
        with translation.override(language):
            result = check_report(context=ctx, values=values, roster=roster)
        messages = [m for ms in result.errors.values() for m in ms]
        assert len(messages) >= 5
        for message in messages:
            assert message.code and " / " not in message
            korean = re.search("[가-힣]", message)
            assert korean if language == "ko" else not korean, message
        codes |= {m.code for m in messages}
    assert {
        "period_in_future",
        "negative_number",
        "not_whole_number",
        "unknown_indicator",
        "spending_over_budget",
        "roster_unknown_group",
    } <= codes
