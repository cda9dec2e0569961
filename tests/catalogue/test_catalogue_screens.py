"""The catalogue's admin screens: city managers edit through the services (a
forged POST included), everyone else who works with figures reads."""

import pytest
from django.urls import reverse

from indicators import builtins
from indicators.models import Indicator, ValidationRule
from tests.indicators import catalogue_indicator

NEW = {
    "code": "job_fairs",
    "name_ko": "채용박람회",
    "name_en": "Job fairs held",
    "unit_ko": "회",
    "unit_en": "events",
    "aggregation": "sum",
    "disaggregation": "none",
    "target_required": "on",
    "source": "reported",
    "definition_ko": "사업이 연 채용박람회 횟수",
    "definition_en": "Job fairs the project held",
    "is_active": "on",
}


def _form_data(indicator: Indicator, **changes) -> dict:
    data = {
        field: getattr(indicator, field)
        for field in NEW
        if field not in ("target_required", "is_active")
    }
    if indicator.target_required:
        data["target_required"] = "on"
    if indicator.is_active:
        data["is_active"] = "on"
    data.update(changes)
    return data


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_the_menu_offers_the_catalogue_to_city_managers_and_districts(
    client, city_manager, bupyeong_officer, reviewer
):
    for person in (city_manager, bupyeong_officer, reviewer):
        client.force_login(person)
        page = client.get(reverse("wagtailadmin_home")).content.decode()
        # The sidebar's menu is JSON in the page: Korean is \u-escaped there.
        assert "지표 목록".encode("unicode_escape").decode() in page, person
        assert reverse("indicators:index") in page


def test_a_city_manager_adds_an_indicator_on_the_form(client, city_manager):
    client.force_login(city_manager)
    response = client.post(reverse("indicators:add"), NEW)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert (
        Indicator.objects.get(code="job_fairs").definition_ko
        == "사업이 연 채용박람회 횟수"
    )


@pytest.mark.parametrize("person", ["bupyeong_officer", "reviewer"])
def test_an_officer_or_reviewer_reads_the_catalogue_but_cannot_edit_it(
    request, client, person
):
    user = request.getfixturevalue(person)
    households = catalogue_indicator("households")
    households.definition_ko = "처음 방문한 가구 수"
    households.save()
    client.force_login(user)

    listing = client.get(reverse("indicators:index"))
    assert listing.status_code == 200 and "households" in listing.content.decode()
    inspect = client.get(reverse("indicators:inspect", args=[households.pk]))
    assert "처음 방문한 가구 수" in inspect.content.decode()

    assert client.get(reverse("indicators:add")).status_code in (302, 403)
    client.post(reverse("indicators:add"), NEW)
    client.post(
        reverse("indicators:edit", args=[households.pk]),
        _form_data(households, name_ko="위조"),
    )
    client.post(reverse("indicators:delete", args=[households.pk]))
    assert not Indicator.objects.filter(code="job_fairs").exists()
    assert Indicator.objects.get(pk=households.pk).name_ko == "방문 가구"


def test_a_used_indicators_code_change_is_refused_on_the_form_with_what_was_typed(
    client, city_manager, orgs
):
    from tests.projects.fixtures import make_project

    make_project(orgs["BP"])
    households = catalogue_indicator("households")
    client.force_login(city_manager)
    response = client.post(
        reverse("indicators:edit", args=[households.pk]),
        _form_data(households, code="homes", name_ko="방문한 가구"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "코드가 쓰이므로 바꿀 수 없습니다" in body
    assert 'value="방문한 가구"' in body  # nothing typed is lost
    stored = Indicator.objects.get(pk=households.pk)
    assert (stored.code, stored.name_ko) == ("households", "방문 가구")


def test_a_forged_delete_of_a_used_indicator_is_refused_with_a_reason(
    client, city_manager, orgs
):
    from tests.projects.fixtures import make_project

    make_project(orgs["BP"])
    households = catalogue_indicator("households")
    client.force_login(city_manager)
    response = client.post(
        reverse("indicators:delete", args=[households.pk]), follow=True
    )
    assert Indicator.objects.filter(pk=households.pk).exists()
    assert "사용 중지" in _messages(response)


def test_a_forged_delete_of_a_core_indicator_is_refused(client, city_manager):
    hires = Indicator.objects.get(code=builtins.NEW_HIRES)
    client.force_login(city_manager)
    response = client.post(reverse("indicators:delete", args=[hires.pk]), follow=True)
    assert Indicator.objects.filter(pk=hires.pk).exists()
    assert "기본 지표" in _messages(response)


def test_an_unused_indicator_is_deleted_on_the_screen(client, city_manager):
    fairs = Indicator.objects.create(
        **{k: v for k, v in NEW.items() if k not in ("target_required", "is_active")}
    )
    client.force_login(city_manager)
    response = client.post(reverse("indicators:delete", args=[fairs.pk]))
    assert response.status_code == 302
    assert not Indicator.objects.filter(pk=fairs.pk).exists()


def test_a_rule_comparing_money_with_a_count_is_refused_on_the_form(
    client, city_manager
):
    client.force_login(city_manager)
    data = {
        "code": "spending-vs-visits",
        "left": str(Indicator.objects.get(code=builtins.SPENDING).pk),
        "left_window": "month",
        "comparison": "lte",
        "right": str(catalogue_indicator("visits").pk),
        "right_window": "month",
        "severity": "warning",
        "message_ko": "집행액 {left}",
        "message_en": "Spending {left}",
        "is_active": "on",
    }
    response = client.post(reverse("validation_rules:add"), data)
    assert response.status_code == 200
    assert "같은 종류끼리 비교하세요" in response.content.decode()
    assert not ValidationRule.objects.filter(code="spending-vs-visits").exists()


def test_an_officer_reads_the_rules_and_a_reviewer_does_not(
    client, bupyeong_officer, reviewer
):
    client.force_login(bupyeong_officer)
    assert client.get(reverse("validation_rules:index")).status_code == 200
    client.force_login(reviewer)
    assert client.get(reverse("validation_rules:index")).status_code in (302, 403)
