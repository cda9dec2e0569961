"""Projects from selected proposals, their agreed plans and change requests."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import access
from projects.models import ChangeRequestStatus, Project, ProjectPlan
from projects.services import (
    change_request_approve,
    change_request_propose,
    change_request_reject,
    plan_data,
    project_create_from_proposal,
)

from .fixtures import make_project

JAN, JUN, JUL = date(2019, 1, 1), date(2019, 6, 1), date(2019, 7, 1)


@pytest.fixture
def selected_proposal(home_page, orgs, bupyeong_officer, city_manager):
    from competitions import workflow
    from competitions.models import CallIndexPage, ProposalOutput
    from tests.competitions.conftest import BEFORE_DEADLINE, make_call, make_draft
    from tests.indicators import catalogue_indicator

    index = home_page.add_child(instance=CallIndexPage(title="공모", slug="calls"))
    call = make_call(index, slug="call-2018", report_due_day=12)
    proposal = make_draft(call, bupyeong_officer)
    proposal.outputs = [
        ProposalOutput(indicator=catalogue_indicator("households"), target=960)
    ]
    proposal.save()
    workflow.record(
        proposal=proposal,
        to_status="submitted",
        actor=bupyeong_officer,
        now=BEFORE_DEADLINE,
    )
    workflow.move(
        proposal=proposal,
        action="start_review",
        actor=city_manager,
        now=BEFORE_DEADLINE,
    )
    workflow.move(
        proposal=proposal, action="select", actor=city_manager, now=BEFORE_DEADLINE
    )
    return proposal


def test_a_selected_proposal_becomes_a_project_with_its_targets_outputs_and_budget(
    selected_proposal, city_manager
):
    project = project_create_from_proposal(
        proposal=selected_proposal, actor=city_manager
    )
    assert project.code == "2019-BP-01"
    assert (project.district.code, project.title, project.call_id) == (
        "BP",
        selected_proposal.title,
        selected_proposal.call_id,
    )
    assert (project.period_start, project.period_end) == (JAN, date(2019, 12, 1))
    assert project.report_due_day == 12  # the call's default
    plan = project.plan_for(JAN)
    assert plan.effective_from == JAN
    assert (plan.city_share, plan.district_share) == (50_000_000, 50_000_000)
    assert [(g.code, g.name_ko, g.planned_jobs) for g in plan.target_groups.all()] == [
        ("women", "경력단절여성", 27)
    ]
    assert [
        (o.code, o.name_ko, o.name_en, o.unit_ko, o.unit_en, o.target)
        for o in plan.outputs.all()
    ] == [("households", "방문 가구", "Households visited", "가구", "households", 960)]
    assert [(b.code, b.name_ko, b.amount) for b in plan.budget_lines.all()] == [
        ("personnel", "인건비", 90_000_000),
        ("operations", "운영비", 10_000_000),
    ]


def test_creating_a_project_twice_from_one_proposal_returns_the_same_project(
    selected_proposal, city_manager
):
    first = project_create_from_proposal(proposal=selected_proposal, actor=city_manager)
    second = project_create_from_proposal(
        proposal=selected_proposal, actor=city_manager
    )
    assert first == second
    assert Project.objects.count() == 1
    assert ProjectPlan.objects.count() == 1


def test_a_proposal_not_selected_does_not_become_a_project(
    home_page, orgs, bupyeong_officer, city_manager
):
    from competitions.models import CallIndexPage
    from tests.competitions.conftest import make_call, make_draft

    index = home_page.add_child(instance=CallIndexPage(title="공모", slug="calls"))
    draft = make_draft(make_call(index, slug="c"), bupyeong_officer)
    with pytest.raises(ValidationError):
        project_create_from_proposal(proposal=draft, actor=city_manager)
    assert not Project.objects.exists()


def test_codes_number_the_districts_projects_of_a_year(orgs):
    assert make_project(orgs["GY"]).code == "2019-GY-01"
    assert make_project(orgs["GY"], title="둘째").code == "2019-GY-02"


def test_an_approved_change_applies_from_its_month_and_the_history_keeps_the_old_plan(
    bupyeong_project, bupyeong_officer, city_manager
):
    proposed = plan_data(bupyeong_project.current_plan)
    proposed["target_groups"][0]["planned_jobs"] = 30
    proposed["period_end"] = "2020-02-01"
    change = change_request_propose(
        project=bupyeong_project,
        actor=bupyeong_officer,
        proposed=proposed,
        reason="참여 수요 증가로 목표 상향",
        effective_from=JUL,
    )
    assert change.status == ChangeRequestStatus.PROPOSED
    assert (
        bupyeong_project.plan_for(JUL).target_groups.get(code="women").planned_jobs
        == 27
    )  # not yet

    plan = change_request_approve(
        change_request=change, actor=city_manager, note="승인"
    )
    bupyeong_project.refresh_from_db()
    assert plan.change_request == change
    assert (
        bupyeong_project.plan_for(JUN).target_groups.get(code="women").planned_jobs
        == 27
    )
    assert (
        bupyeong_project.plan_for(JUL).target_groups.get(code="women").planned_jobs
        == 30
    )
    assert bupyeong_project.period_end == date(2020, 2, 1)
    assert [p.effective_from for p in bupyeong_project.plans.all()] == [JAN, JUL]
    change.refresh_from_db()
    assert (change.status, change.decided_by, change.decision_note) == (
        ChangeRequestStatus.APPROVED,
        city_manager,
        "승인",
    )


def test_a_change_needs_a_reason_without_personal_data(
    bupyeong_project, bupyeong_officer
):
    proposed = plan_data(bupyeong_project.current_plan)
    for reason in ("", "담당자 010-1234-5678로 문의"):
        with pytest.raises(ValidationError):
            change_request_propose(
                project=bupyeong_project,
                actor=bupyeong_officer,
                proposed=proposed,
                reason=reason,
                effective_from=JUL,
            )


def test_only_the_projects_district_proposes_and_only_the_city_decides(
    bupyeong_project, bupyeong_officer, seogu_officer, bupyeong_approver, city_manager
):
    proposed = plan_data(bupyeong_project.current_plan)
    for user in (seogu_officer, city_manager, bupyeong_approver):
        with pytest.raises(PermissionDenied):
            change_request_propose(
                project=bupyeong_project,
                actor=user,
                proposed=proposed,
                reason="변경",
                effective_from=JUL,
            )
    change = change_request_propose(
        project=bupyeong_project,
        actor=bupyeong_officer,
        proposed=proposed,
        reason="변경",
        effective_from=JUL,
    )
    for user in (bupyeong_officer, seogu_officer):
        with pytest.raises(PermissionDenied):
            change_request_approve(change_request=change, actor=user)
    assert bupyeong_project.plans.count() == 1


def test_a_rejected_change_creates_no_plan_and_cannot_be_approved_after(
    bupyeong_project, bupyeong_officer, city_manager
):
    change = change_request_propose(
        project=bupyeong_project,
        actor=bupyeong_officer,
        proposed=plan_data(bupyeong_project.current_plan),
        reason="변경",
        effective_from=JUL,
    )
    with pytest.raises(ValidationError):
        change_request_reject(change_request=change, actor=city_manager, note="")
    change_request_reject(change_request=change, actor=city_manager, note="근거 부족")
    with pytest.raises(ValidationError):
        change_request_approve(change_request=change, actor=city_manager)
    assert bupyeong_project.plans.count() == 1


def test_projects_are_scoped_to_the_district(
    bupyeong_project, seogu_project, bupyeong_officer, city_manager, reviewer
):
    assert list(access.visible_to(bupyeong_officer, Project)) == [bupyeong_project]
    assert access.visible_to(city_manager, Project).count() == 2
    assert not access.visible_to(reviewer, Project).exists()


def test_the_district_proposes_and_the_city_approves_a_change_in_the_admin(
    client, bupyeong_project, bupyeong_officer, city_manager
):
    client.force_login(bupyeong_officer)
    url = reverse("projects_change_request_new", args=[bupyeong_project.pk])
    assert client.get(url).status_code == 200
    data = {
        "effective_from": "2019-07",
        "reason": "목표 상향",
        "period_start": "2019-01",
        "period_end": "2019-12",
        "city_share": "67500000",
        "district_share": "67500000",
        "planned_jobs__women": "30",
        "planned_jobs__seniors": "5",
        "target__households": "1000",
        "target__visits": "2600",
        "amount__personnel": "94500000",
        "amount__operations": "40500000",
    }
    assert client.post(url, data).status_code == 302
    change = bupyeong_project.change_requests.get()

    client.force_login(city_manager)
    page = client.get(
        reverse("projects:inspect", args=[bupyeong_project.pk])
    ).content.decode()
    assert "목표 상향" in page
    client.post(
        reverse("projects_change_request_decide", args=[change.pk, "approve"]),
        {"note": ""},
    )
    assert (
        bupyeong_project.plan_for(JUL).outputs.get(indicator__code="households").target
        == 1000
    )
    assert (
        bupyeong_project.plan_for(JUN).outputs.get(indicator__code="households").target
        == 960
    )


def test_city_menu_offers_projects_and_reports_and_reviewers_do_not_see_them(
    client, city_manager, reviewer
):
    client.force_login(city_manager)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("projects:index") in page
    assert reverse("reporting_month") in page
    client.force_login(reviewer)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("projects:index") not in page
    assert reverse("reporting_month") not in page
