"""Continuation projects (계속 사업): a project whose published grade allows
continuation is carried into the next call as a continuation proposal,
prefilled from the project as agreed now, marked and linked; only by its own
district, only when eligible, once per project and call."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from competitions import services
from competitions.models import CallIndicator, Proposal, ProposalStatus
from competitions.selectors.carry import continuation_calls_for, copy_gap_lines
from projects.services import (
    change_request_approve,
    change_request_propose,
    plan_data,
)
from tests.projects.fixtures import make_project

from .carry_fixtures import both_graded, grade, graded_project, old_project  # noqa: F401


def _codes(error: ValidationError) -> list[str]:
    return [e.code for errors in error.error_dict.values() for e in errors]


def carry(project, call, officer):
    return services.proposal_carry_forward(project=project, call=call, actor=officer)


# --- what is carried ------------------------------------------------------------


def test_a_project_graded_for_continuation_becomes_a_prefilled_continuation_draft(
    graded_project, open_call, bupyeong_officer
):
    proposal = carry(graded_project, open_call, bupyeong_officer)

    proposal = Proposal.objects.get(pk=proposal.pk)
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.call == open_call
    assert proposal.district == graded_project.district
    assert proposal.continues_project == graded_project
    assert proposal.is_continuation
    assert proposal.title == graded_project.title
    assert proposal.summary == graded_project.summary
    assert proposal.delivery_partners == graded_project.delivery_partners
    # The same months, in the new call's programme year (2018 call → 2027 call).
    assert (proposal.period_start, proposal.period_end) == (
        date(2028, 1, 1),
        date(2028, 12, 1),
    )
    assert (proposal.city_share, proposal.district_share) == (67_500_000, 67_500_000)
    assert {
        row.target_group.code: row.planned_jobs for row in proposal.target_groups.all()
    } == {"women": 27, "seniors": 5}
    assert {row.indicator.code: row.target for row in proposal.outputs.all()} == {
        "households": 960,
        "visits": 2_600,
    }
    assert sorted(
        (row.category, row.amount) for row in proposal.budget_lines.all()
    ) == [("운영비", 40_500_000), ("인건비", 94_500_000)]
    assert proposal.copy_gaps == []


def test_the_plan_in_force_with_its_approved_change_is_what_is_carried(
    graded_project, open_call, bupyeong_officer, city_manager
):
    proposed = plan_data(graded_project.current_plan)
    proposed["target_groups"][0]["planned_jobs"] = 30
    proposed["outputs"][0]["target"] = 1_000
    change = change_request_propose(
        project=graded_project,
        actor=bupyeong_officer,
        proposed=proposed,
        reason="참여 수요 증가로 목표 조정",
        effective_from=date(2019, 7, 1),
    )
    change_request_approve(change_request=change, actor=city_manager)

    proposal = carry(graded_project, open_call, bupyeong_officer)

    jobs = {r.target_group.code: r.planned_jobs for r in proposal.target_groups.all()}
    assert jobs["women"] == 30
    targets = {r.indicator.code: r.target for r in proposal.outputs.all()}
    assert targets["households"] == 1_000


def test_an_output_the_new_call_does_not_offer_is_listed_for_the_officer_not_dropped(
    graded_project, open_call, bupyeong_officer
):
    CallIndicator.objects.filter(page=open_call, indicator__code="visits").delete()

    proposal = carry(graded_project, open_call, bupyeong_officer)

    assert [row.indicator.code for row in proposal.outputs.all()] == ["households"]
    assert [(gap["code"], gap["value"]) for gap in proposal.copy_gaps] == [
        ("indicator_not_offered", 2_600)
    ]
    with translation.override("en"):
        (line,) = copy_gap_lines(proposal)
    assert "Coaching visits" in line and "2,600" in line and "visits" in line
    with translation.override("ko"):
        (line,) = copy_gap_lines(proposal)
    assert "코칭 방문" in line and "2,600" in line


def test_the_contact_comes_from_the_district_profile(
    graded_project, open_call, bupyeong_officer
):
    from accounts.services import district_profile_save

    district_profile_save(
        organisation=graded_project.district,
        actor=bupyeong_officer,
        department="일자리정책과",
        person_in_charge="담당 주무관",
        phone="032-509-6000",
        address="인천광역시 부평구 부평대로 168",
    )
    proposal = carry(graded_project, open_call, bupyeong_officer)
    assert (
        proposal.contact_department,
        proposal.contact_person,
        proposal.contact_phone,
        proposal.contact_address,
    ) == (
        "일자리정책과",
        "담당 주무관",
        "032-509-6000",
        "인천광역시 부평구 부평대로 168",
    )


# --- refusals -----------------------------------------------------------------


def test_a_project_without_a_grade_is_not_carried(
    old_project, open_call, bupyeong_officer
):
    with pytest.raises(ValidationError) as refused:
        carry(old_project, open_call, bupyeong_officer)
    assert _codes(refused.value) == ["not_eligible_for_continuation"]
    assert not Proposal.objects.filter(call=open_call).exists()


def test_a_grade_without_continuation_does_not_carry(
    old_project, open_call, bupyeong_officer
):
    grade(old_project, continuation=False)
    with pytest.raises(ValidationError) as refused:
        carry(old_project, open_call, bupyeong_officer)
    assert _codes(refused.value) == ["not_eligible_for_continuation"]


def test_an_unpublished_grade_does_not_carry_yet(
    old_project, open_call, bupyeong_officer
):
    grade(old_project, published=False)
    with pytest.raises(ValidationError) as refused:
        carry(old_project, open_call, bupyeong_officer)
    assert _codes(refused.value) == ["not_eligible_for_continuation"]


def test_only_the_projects_own_district_carries_it(
    graded_project, open_call, seogu_officer, bupyeong_approver, city_manager
):
    for actor in (seogu_officer, bupyeong_approver, city_manager):
        with pytest.raises(ValidationError) as refused:
            carry(graded_project, open_call, actor)
        assert _codes(refused.value) == ["not_project_district"]
    assert not Proposal.objects.filter(call=open_call).exists()


def test_a_second_continuation_of_the_same_project_in_the_same_call_is_refused(
    graded_project, open_call, bupyeong_officer
):
    first = carry(graded_project, open_call, bupyeong_officer)
    with pytest.raises(ValidationError) as refused:
        carry(graded_project, open_call, bupyeong_officer)
    assert _codes(refused.value) == ["continuation_exists"]
    assert first.title in refused.value.messages[0]
    assert Proposal.objects.filter(continues_project=graded_project).count() == 1


def test_a_project_does_not_continue_in_its_own_call(
    graded_project, call, bupyeong_officer
):
    with pytest.raises(ValidationError) as refused:
        carry(graded_project, call, bupyeong_officer)
    assert _codes(refused.value) == ["same_call"]


def test_a_closed_call_takes_no_continuation(
    graded_project, call_index, bupyeong_officer, orgs
):
    from .conftest import make_call

    closed = make_call(call_index, slug="closed-2020", year=2020)
    with pytest.raises(ValidationError) as refused:
        carry(graded_project, closed, bupyeong_officer)
    assert _codes(refused.value) == ["call_not_open_to_district"]


def test_the_continuation_flag_cannot_be_set_through_the_form(
    client, open_call, bupyeong_officer, graded_project
):
    """The link to a project is the service's to make: a posted value is ignored."""
    from .test_admin_flow import proposal_post_data

    client.force_login(bupyeong_officer)
    data = proposal_post_data(open_call)
    data["continues_project"] = str(graded_project.pk)
    data["action-save"] = "save"
    client.post(f"{reverse('proposals:add')}?call={open_call.pk}", data)
    proposal = Proposal.objects.get(call=open_call)
    assert proposal.continues_project is None


# --- the screens ------------------------------------------------------------


def test_the_project_page_offers_carry_into_the_open_call(
    client, graded_project, open_call, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    page = client.get(
        reverse("projects:inspect", args=[graded_project.pk])
    ).content.decode()
    assert reverse("proposals:carry", args=[graded_project.pk]) in page


def test_the_project_page_offers_no_carry_without_a_continuation_grade(
    client, old_project, open_call, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    page = client.get(
        reverse("projects:inspect", args=[old_project.pk])
    ).content.decode()
    assert reverse("proposals:carry", args=[old_project.pk]) not in page


def test_the_carry_screen_makes_the_draft_and_opens_it(
    client, graded_project, open_call, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    url = reverse("proposals:carry", args=[graded_project.pk])
    page = client.get(url).content.decode()
    assert "data-carry-calls" in page and f'value="{open_call.pk}"' in page

    response = client.post(url, {"call": open_call.pk})

    proposal = Proposal.objects.get(continues_project=graded_project)
    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:edit", args=[proposal.pk])
    form = client.get(response["Location"]).content.decode()
    assert "data-continuation" in form
    # Once carried, the call is no longer offered for it.
    assert continuation_calls_for(user=bupyeong_officer, project=graded_project) == []


def test_the_carry_screen_is_a_404_to_another_district_and_makes_nothing(
    client, both_graded, open_call, seogu_officer
):
    client.force_login(seogu_officer)
    url = reverse("proposals:carry", args=[both_graded["BP"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"call": open_call.pk}).status_code == 404
    assert not Proposal.objects.filter(call=open_call).exists()


def test_the_carry_screen_says_why_a_second_carry_is_refused(
    client, graded_project, open_call, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    url = reverse("proposals:carry", args=[graded_project.pk])
    client.post(url, {"call": open_call.pk})
    response = client.post(url, {"call": open_call.pk}, follow=True)
    assert Proposal.objects.filter(continues_project=graded_project).count() == 1
    messages = [str(m) for m in response.context["messages"]]
    assert any(graded_project.title in m for m in messages)


def test_a_project_of_no_call_is_offered_no_call_to_continue_in(
    orgs, open_call, bupyeong_officer
):
    project = make_project(orgs["BP"], title="시 자체 사업")
    assert continuation_calls_for(user=bupyeong_officer, project=project) == []
