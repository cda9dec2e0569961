"""Call pages: refused when their rules do not add up; the index groups calls by
state; a call page shows its state, a countdown and, to district officers of an
eligible district, the way to start a proposal."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from competitions.models import CallPage

from .conftest import make_call


def call_form_data(
    orgs,
    *,
    weights=(40, 60),
    opens="2027-01-05 09:00",
    deadline="2027-03-31 18:00",
    total=1_000_000_000,
    cap=150_000_000,
):
    data = nested_form_data(
        {
            "title": "2027 공모",
            "slug": "call-2027",
            "title_en": "2027 call",
            "intro": rich_text(""),
            "intro_en": rich_text(""),
            "body": rich_text("<p>공모 안내</p>"),
            "body_en": rich_text(""),
            "documents": inline_formset([]),
            "faqs": inline_formset([]),
            "year": 2027,
            "total_budget": total,
            "cap_per_project": cap,
            "city_share_percent": 50,
            "district_share_percent": 50,
            "max_proposals_per_district": 2,
            "opens_at": opens,
            "deadline": deadline,
            "review_starts_on": "",
            "review_ends_on": "",
            "announcement_on": "",
            "target_groups": inline_formset(
                [
                    {
                        "code": "women",
                        "name_ko": "경력단절여성",
                        "name_en": "Career-interrupted women",
                    }
                ]
            ),
            "indicators": inline_formset([]),
            "rubric_criteria": inline_formset(
                [
                    {"name_ko": f"기준{i}", "name_en": f"Criterion {i}", "weight": w}
                    for i, w in enumerate(weights)
                ]
            ),
            "requires_approver_signoff": "",
            "reviewers_per_proposal": 3,
            "trim_extremes": "on",
            "disagreement_threshold": 30,
            "report_due_day": 10,
            "reminder_days_before": 3,
            "reminder_repeat_days": 7,
            "reminder_max_overdue": "",
            # The review's later rules, at the defaults the admin prefills.
            "continuation_budget": 0,
            "partial_funding_allowed": "",
            "partial_funding_min_percent": "",
            "objection_window_days": 7,
            "presentation_review": "",
            "presentation_shortlist_size": "",
            "presentation_weight_percent": 30,
            "seo_title": "",
            "search_description": "",
            "comments": inline_formset([]),
        }
    )
    data["eligible_districts"] = [orgs["BP"].pk, orgs["SG"].pk]
    return data


def post_call(client, call_index, data):
    url = reverse(
        "wagtailadmin_pages:add", args=["competitions", "callpage", call_index.pk]
    )
    return client.post(url, data)


def test_city_manager_creates_a_call_in_the_admin(
    client, call_index, city_manager, orgs
):
    client.force_login(city_manager)
    response = post_call(client, call_index, call_form_data(orgs))
    assert response.status_code == 302, response.content.decode()[-4000:]
    call = CallPage.objects.get(slug="call-2027")
    assert call.rubric_total == 100
    assert set(call.eligible_districts.values_list("code", flat=True)) == {"BP", "SG"}
    assert (
        timezone.localtime(call.deadline).strftime("%Y-%m-%d %H:%M %Z")
        == "2027-03-31 18:00 KST"
    )


def test_a_rubric_not_adding_up_to_100_is_refused_naming_the_rubric(
    client, call_index, city_manager, orgs
):
    client.force_login(city_manager)
    response = post_call(client, call_index, call_form_data(orgs, weights=(40, 55)))
    assert response.status_code == 200
    assert "심사 기준: 배점 합계가 95점입니다" in response.content.decode()
    assert not CallPage.objects.filter(slug="call-2027").exists()


def test_a_deadline_before_the_opening_is_refused_naming_the_deadline(
    client, call_index, city_manager, orgs
):
    client.force_login(city_manager)
    response = post_call(
        client, call_index, call_form_data(orgs, deadline="2026-12-31 18:00")
    )
    assert response.status_code == 200
    assert "마감 일시: 접수 시작 이후여야 합니다" in response.content.decode()
    assert not CallPage.objects.filter(slug="call-2027").exists()


def test_a_cap_above_the_total_budget_is_refused_naming_the_cap(
    client, call_index, city_manager, orgs
):
    client.force_login(city_manager)
    response = post_call(
        client, call_index, call_form_data(orgs, total=100_000_000, cap=150_000_000)
    )
    assert response.status_code == 200
    assert "사업당 한도: 총 예산을 넘을 수 없습니다" in response.content.decode()


def test_the_model_refuses_the_same_rules_outside_the_admin(call_index, orgs):
    with pytest.raises(ValidationError) as caught:
        make_call(call_index, slug="bad", cap_per_project=2_000_000_000)
    assert "cap_per_project" in caught.value.message_dict


@pytest.fixture
def three_calls(call_index, orgs):
    now = timezone.now()
    return {
        "open": make_call(
            call_index,
            slug="open-now",
            title="열린 공모",
            opens_at=now - timedelta(days=1),
            deadline=now + timedelta(days=2, hours=5, minutes=30),
        ),
        "upcoming": make_call(
            call_index,
            slug="soon",
            title="예정 공모",
            opens_at=now + timedelta(days=5),
            deadline=now + timedelta(days=40),
        ),
        "closed": make_call(call_index, slug="past", title="마감 공모"),
    }


def test_the_calls_index_groups_open_upcoming_and_closed(
    client, call_index, three_calls
):
    body = client.get(call_index.url).content.decode()
    sections = {
        state: body.split(f'data-call-state="{state}"', 1)[1].split("</section>", 1)[0]
        for state in ("open", "upcoming", "closed")
    }
    assert "열린 공모" in sections["open"] and "예정 공모" not in sections["open"]
    assert (
        "예정 공모" in sections["upcoming"] and "마감 공모" not in sections["upcoming"]
    )
    assert "마감 공모" in sections["closed"] and "열린 공모" not in sections["closed"]
    assert 'href="#upcoming"' in body


def test_the_call_page_shows_its_state_and_a_countdown(client, three_calls):
    body = client.get(three_calls["open"].url).content.decode()
    assert 'data-call-state="open"' in body
    assert "마감까지 2일 5시간" in body
    closed = client.get(three_calls["closed"].url).content.decode()
    assert 'data-call-state="closed"' in closed
    assert "마감되었습니다" in closed


def test_the_start_link_is_shown_only_to_signed_in_officers_of_an_eligible_district(
    client, open_call, bupyeong_officer, city_manager, orgs
):
    from accounts.roles import Role
    from tests.factories import UserFactory

    assert "data-start-proposal" not in client.get(open_call.url).content.decode()
    client.force_login(city_manager)
    assert "data-start-proposal" not in client.get(open_call.url).content.decode()
    client.force_login(UserFactory(organisation=orgs["JG"], role=Role.DISTRICT_OFFICER))
    jung_gu = client.get(open_call.url).content.decode()
    assert "data-start-proposal" not in jung_gu
    client.force_login(bupyeong_officer)
    assert (
        f"{reverse('proposals:add')}?call={open_call.pk}"
        in client.get(open_call.url).content.decode()
    )


def test_no_start_link_on_a_closed_call(client, call, bupyeong_officer):
    client.force_login(bupyeong_officer)
    assert "data-start-proposal" not in client.get(call.url).content.decode()


def test_the_call_page_lists_its_rules_in_english_too(client, open_call):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(open_call.url).content.decode()
    assert "Call call-open" in body
    assert "KRW 150,000,000" in body
    assert "Career-interrupted women" in body
