"""Change requests the city can judge: the values in force beside the proposed
ones, rows added and removed, the call's cap and cost sharing checked again,
nothing typed lost on a refusal, and figures already reported kept."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from competitions.models import CallIndicator, CallPage, CallTargetGroup
from indicators.models import Indicator
from projects.models import ChangeRequest, ChangeRequestStatus
from projects.selectors import change_request_comparison, change_request_decision
from projects.services import (
    change_request_approve,
    change_request_propose,
    change_request_reject,
    plan_data,
)
from reporting.models import ReportValue
from tests.competitions.conftest import call, call_index  # noqa: F401
from tests.reporting.helpers import accept_month

from .fixtures import make_project

JAN, JUN, JUL = date(2019, 1, 1), date(2019, 6, 1), date(2019, 7, 1)


@pytest.fixture
def called_project(call, orgs):  # noqa: F811
    """부평구's project under the 2018 call (cap KRW 150,000,000 from the city, 50:50)."""
    return make_project(orgs["BP"], call=call)


def propose(project, officer, proposed, reason="참여 수요 증가로 목표 조정", month=JUL):
    return change_request_propose(
        project=project,
        actor=officer,
        proposed=proposed,
        reason=reason,
        effective_from=month,
    )


def codes(error: ValidationError, field: str) -> list[str]:
    return [e.code for e in error.error_dict[field]]


def _row(page: str, label: str) -> str:
    """The comparison table's row for ``label``."""
    table = page.split("data-change-comparison", 1)[1]
    for row in re.findall(r"<tr data-change=.*?</tr>", table, flags=re.S):
        if f">{label}</th>" in row:
            return row
    raise AssertionError(f"no row {label!r} in the comparison")


# --- the comparison ------------------------------------------------------------


def test_the_city_sees_the_values_in_force_beside_the_proposed_ones(
    client, bupyeong_project, bupyeong_officer, city_manager
):
    proposed = plan_data(bupyeong_project.current_plan)
    proposed["target_groups"][0]["planned_jobs"] = 30
    proposed["budget_lines"][0]["amount"] = 90_000_000
    proposed["budget_lines"][1]["amount"] = 45_000_000
    change = propose(bupyeong_project, bupyeong_officer, proposed)

    client.force_login(city_manager)
    page = client.get(
        reverse("projects_change_request", args=[change.pk])
    ).content.decode()

    women = _row(page, "경력단절여성")
    assert 'data-change="changed"' in women
    assert ">27<" in women and ">30<" in women and "+3" in women
    personnel = _row(page, "인건비")
    assert 'data-change="changed"' in personnel
    assert "94,500,000원" in personnel and "90,000,000원" in personnel
    seniors = _row(page, "어르신")
    assert 'data-change="unchanged"' in seniors
    assert page.count(">5<") >= 2  # in force and proposed, both shown
    assert 'data-change="unchanged"' in _row(page, "시비")
    # The decision is taken on this screen.
    assert (
        reverse("projects_change_request_decide", args=[change.pk, "approve"]) in page
    )


def test_the_project_page_leads_the_city_to_the_comparison(
    client, bupyeong_project, bupyeong_officer, city_manager
):
    change = propose(
        bupyeong_project, bupyeong_officer, plan_data(bupyeong_project.current_plan)
    )
    client.force_login(city_manager)
    page = client.get(
        reverse("projects:inspect", args=[bupyeong_project.pk])
    ).content.decode()
    assert reverse("projects_change_request", args=[change.pk]) in page


def test_the_comparison_is_refused_to_another_district_and_reviewers(
    client, bupyeong_project, bupyeong_officer, seogu_officer, reviewer
):
    change = propose(
        bupyeong_project, bupyeong_officer, plan_data(bupyeong_project.current_plan)
    )
    url = reverse("projects_change_request", args=[change.pk])
    for user in (seogu_officer, reviewer):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(bupyeong_officer)
    page = client.get(url).content.decode()
    assert "data-change-comparison" in page
    # The district reads it; only the city decides.
    assert (
        reverse("projects_change_request_decide", args=[change.pk, "approve"])
        not in page
    )


def test_a_decided_request_keeps_what_it_replaced(
    bupyeong_project, bupyeong_officer, city_manager
):
    proposed = plan_data(bupyeong_project.current_plan)
    proposed["target_groups"][0]["planned_jobs"] = 30
    change = propose(bupyeong_project, bupyeong_officer, proposed)
    change_request_approve(change_request=change, actor=city_manager, note="승인")
    change.refresh_from_db()

    # The plan in force from July is now the new one; the decision still reads 27 → 30.
    decision = change_request_decision(change)
    [women] = [
        row
        for section in decision.comparison.sections
        for row in section.rows
        if row.label == "경력단절여성"
    ]
    assert (women.before, women.after, women.change) == (27, 30, "changed")
    assert decision.comparison.changed_rows == 1
    assert (decision.decided_by, decision.decision_note) == (
        city_manager.get_full_name() or city_manager.username,
        "승인",
    )
    assert decision.applies_from == "2019년 7월"


# --- adding and removing rows -----------------------------------------------------


def test_a_change_adds_and_removes_target_groups_outputs_and_budget_lines(
    called_project,
    call,
    bupyeong_officer,
    city_manager,  # noqa: F811
):
    CallTargetGroup.objects.create(
        page=call, code="youth", name_ko="청년", name_en="Youth"
    )
    mentoring = Indicator.objects.create(
        code="mentoring",
        name_ko="멘토링",
        name_en="Mentoring sessions",
        unit_ko="회",
        unit_en="sessions",
    )
    CallIndicator.objects.create(page=call, indicator=mentoring)
    proposed = plan_data(called_project.current_plan)
    proposed["target_groups"] = [
        proposed["target_groups"][0],  # seniors removed
        {"code": "youth", "name_ko": "청년", "name_en": "Youth", "planned_jobs": 4},
    ]
    proposed["outputs"] = [
        {"code": "households", "target": 960},  # visits removed
        {"code": "mentoring", "target": 120},
    ]
    proposed["budget_lines"] = [
        {**proposed["budget_lines"][0], "amount": 90_500_000},
        proposed["budget_lines"][1],
        {"code": "training", "name_ko": "교육비", "name_en": "", "amount": 4_000_000},
    ]
    change = propose(called_project, bupyeong_officer, proposed)

    sections = {
        section.title: {row.label: row.change for row in section.rows}
        for section in change_request_comparison(change).sections
    }
    assert sections["대상별 계획 일자리"] == {
        "경력단절여성": "unchanged",
        "청년": "added",
        "어르신": "removed",
    }
    assert sections["산출 목표"] == {
        "방문 가구": "unchanged",
        "멘토링": "added",
        "코칭 방문": "removed",
    }
    assert sections["예산 항목"]["교육비"] == "added"

    plan = change_request_approve(change_request=change, actor=city_manager)
    assert sorted(plan.target_groups.values_list("code", flat=True)) == [
        "women",
        "youth",
    ]
    assert sorted(plan.outputs.values_list("indicator__code", flat=True)) == [
        "households",
        "mentoring",
    ]
    assert plan.budget_lines.get(code="training").amount == 4_000_000
    # The months before July keep their plan.
    assert (
        called_project.plan_for(JUN).outputs.filter(indicator__code="visits").exists()
    )


def test_a_target_group_or_indicator_the_call_does_not_offer_cannot_be_added(
    called_project,
    bupyeong_officer,  # noqa: F811
):
    Indicator.objects.create(
        code="mentoring",
        name_ko="멘토링",
        name_en="Mentoring sessions",
        unit_ko="회",
        unit_en="sessions",
    )  # in the catalogue, not in this call
    proposed = plan_data(called_project.current_plan)
    proposed["target_groups"].append(
        {"code": "youth", "name_ko": "청년", "name_en": "Youth", "planned_jobs": 4}
    )
    proposed["outputs"].append({"code": "mentoring", "target": 120})
    with pytest.raises(ValidationError) as caught:
        propose(called_project, bupyeong_officer, proposed)
    assert codes(caught.value, "target_groups") == ["target_group_not_in_call"]
    assert codes(caught.value, "outputs") == ["output_indicator_not_in_call"]
    assert not ChangeRequest.objects.exists()


def test_removing_every_target_group_is_refused(bupyeong_project, bupyeong_officer):
    proposed = plan_data(bupyeong_project.current_plan)
    proposed["target_groups"] = []
    with pytest.raises(ValidationError) as caught:
        propose(bupyeong_project, bupyeong_officer, proposed)
    assert codes(caught.value, "target_groups") == ["no_target_group"]


# --- the call's money rules ----------------------------------------------------------


def _shares(data, city, district):
    data.update(city_share=city, district_share=district)
    data["budget_lines"][0]["amount"] = (
        city + district - data["budget_lines"][1]["amount"]
    )
    return data


def test_a_city_share_above_the_calls_cap_is_refused_naming_the_cap(
    called_project,
    bupyeong_officer,  # noqa: F811
):
    proposed = _shares(plan_data(called_project.current_plan), 160_000_000, 160_000_000)
    with pytest.raises(ValidationError) as caught:
        propose(called_project, bupyeong_officer, proposed)
    assert codes(caught.value, "city_share") == ["city_share_over_cap"]
    [message] = caught.value.message_dict["city_share"]
    assert "150,000,000" in message and "160,000,000" in message


def test_shares_off_the_calls_ratio_are_refused_with_the_expected_split(
    called_project,
    bupyeong_officer,  # noqa: F811
):
    proposed = _shares(plan_data(called_project.current_plan), 70_000_000, 65_000_000)
    with pytest.raises(ValidationError) as caught:
        propose(called_project, bupyeong_officer, proposed)
    assert codes(caught.value, "district_share") == ["shares_off_ratio"]
    [message] = caught.value.message_dict["district_share"]
    assert "50:50" in message
    assert "67,500,000" in message  # what each side should give
    assert "70,000,000" in message and "65,000,000" in message


def test_budget_lines_that_do_not_add_up_to_the_shares_are_refused(
    bupyeong_project, bupyeong_officer
):
    proposed = plan_data(bupyeong_project.current_plan)
    proposed["budget_lines"][0]["amount"] += 1_000_000
    with pytest.raises(ValidationError) as caught:
        propose(bupyeong_project, bupyeong_officer, proposed)
    assert codes(caught.value, "budget_lines") == ["budget_lines_total_mismatch"]


def test_a_refused_change_comes_back_with_everything_typed(
    client,
    called_project,
    bupyeong_officer,  # noqa: F811
):
    client.force_login(bupyeong_officer)
    url = reverse("projects_change_request_new", args=[called_project.pk])
    data = {
        "effective_from": "2019-07",
        "reason": "교육 수요 증가로 예산 증액",
        "period_start": "2019-01",
        "period_end": "2019-12",
        "city_share": "160,000,000",
        "district_share": "160,000,000",
        "planned_jobs__women": "31",
        "planned_jobs__seniors": "5",
        "remove__target_group__seniors": "on",
        "target__households": "1000",
        "target__visits": "2600",
        "amount__personnel": "270,000,000",
        "amount__operations": "40,500,000",
        "new_budget_line_1_name": "교육비",
        "new_budget_line_1_name_en": "Training",
        "new_budget_line_1_amount": "9,500,000",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert not ChangeRequest.objects.exists()
    assert "150,000,000" in page  # the cap, named
    assert "교육 수요 증가로 예산 증액" in page
    assert 'value="160,000,000"' in page
    assert 'value="31"' in page
    assert 'value="교육비"' in page and 'value="9,500,000"' in page
    assert re.search(r'name="remove__target_group__seniors"[^>]*checked', page)


def test_an_approval_checks_the_calls_rules_again(
    called_project,
    call,
    bupyeong_officer,
    city_manager,  # noqa: F811
):
    proposed = _shares(plan_data(called_project.current_plan), 100_000_000, 100_000_000)
    change = propose(called_project, bupyeong_officer, proposed)
    CallPage.objects.filter(pk=call.pk).update(cap_per_project=90_000_000)
    with pytest.raises(ValidationError) as caught:
        change_request_approve(change_request=change, actor=city_manager)
    assert codes(caught.value, "city_share") == ["city_share_over_cap"]
    change.refresh_from_db()
    assert change.status == ChangeRequestStatus.PROPOSED
    assert called_project.plans.count() == 1


def test_a_refused_decision_keeps_the_comment_typed(
    client,
    called_project,
    call,
    bupyeong_officer,
    city_manager,  # noqa: F811
):
    change = propose(
        called_project,
        bupyeong_officer,
        _shares(plan_data(called_project.current_plan), 100_000_000, 100_000_000),
    )
    CallPage.objects.filter(pk=call.pk).update(cap_per_project=90_000_000)
    client.force_login(city_manager)
    response = client.post(
        reverse("projects_change_request_decide", args=[change.pk, "approve"]),
        {"note": "예산 범위 확인 후 승인"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "예산 범위 확인 후 승인" in page
    assert "90,000,000" in page


# --- what was reported stays -------------------------------------------------------


def test_approving_a_removal_keeps_the_figures_already_reported(
    client, bupyeong_project, bupyeong_officer, city_manager
):
    january = accept_month(bupyeong_project, bupyeong_officer, city_manager, JAN)
    proposed = plan_data(bupyeong_project.current_plan)
    proposed["outputs"] = [
        row for row in proposed["outputs"] if row["code"] != "visits"
    ]
    proposed["target_groups"] = [
        row for row in proposed["target_groups"] if row["code"] != "seniors"
    ]
    change = propose(bupyeong_project, bupyeong_officer, proposed)
    change_request_approve(change_request=change, actor=city_manager)

    kept = ReportValue.objects.filter(
        project=bupyeong_project, period=JAN, measure="visits", in_force=True
    )
    assert list(kept.values_list("key", "value")) == [("total", 280)]
    assert (
        not bupyeong_project.plan_for(JUL)
        .outputs.filter(indicator__code="visits")
        .exists()
    )
    assert (
        bupyeong_project.plan_for(JAN).outputs.filter(indicator__code="visits").exists()
    )
    # January's report still shows the figure, read against January's plan.
    client.force_login(city_manager)
    page = client.get(reverse("reporting_report", args=[january.pk])).content.decode()
    assert "코칭 방문" in page and "280" in page


# --- the reasons and notes, with codes ------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "code"),
    [("", "reason_required"), ("담당자 010-1234-5678로 문의", "reason_personal_data")],
)
def test_a_change_needs_a_reason_without_personal_data(
    bupyeong_project, bupyeong_officer, reason, code
):
    with pytest.raises(ValidationError) as caught:
        propose(
            bupyeong_project,
            bupyeong_officer,
            plan_data(bupyeong_project.current_plan),
            reason=reason,
        )
    assert codes(caught.value, "reason") == [code]


def test_a_month_outside_the_period_and_a_second_decision_are_refused_with_codes(
    bupyeong_project, bupyeong_officer, city_manager
):
    with pytest.raises(ValidationError) as caught:
        propose(
            bupyeong_project,
            bupyeong_officer,
            plan_data(bupyeong_project.current_plan),
            month=date(2020, 3, 1),
        )
    assert codes(caught.value, "effective_from") == ["effective_month_outside_period"]
    change = propose(
        bupyeong_project, bupyeong_officer, plan_data(bupyeong_project.current_plan)
    )
    with pytest.raises(ValidationError) as caught:
        change_request_reject(change_request=change, actor=city_manager, note=" ")
    assert codes(caught.value, "note") == ["rejection_reason_required"]
    change_request_reject(change_request=change, actor=city_manager, note="근거 부족")
    with pytest.raises(ValidationError) as caught:
        change_request_approve(change_request=change, actor=city_manager)
    assert [e.code for e in caught.value.error_list] == [
        "change_request_already_decided"
    ]


def test_messages_are_in_the_readers_language_only(bupyeong_project, bupyeong_officer):
    from django.utils import translation

    proposed = plan_data(bupyeong_project.current_plan)
    proposed["budget_lines"][0]["amount"] += 1_000_000
    for language, expected, absent in (
        ("ko", "예산", "Budget lines"),
        ("en", "Budget lines", "예산"),
    ):
        with translation.override(language):
            with pytest.raises(ValidationError) as caught:
                propose(bupyeong_project, bupyeong_officer, proposed)
            [message] = caught.value.message_dict["budget_lines"]
        assert expected in message and absent not in message
