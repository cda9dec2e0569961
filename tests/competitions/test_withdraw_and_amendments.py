"""Withdrawing asks for a confirmation and a reason; amendments made after
submission are in the proposal's history for the district and the city, and
for no one else."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from competitions import services
from competitions.models import (
    CallTargetGroup,
    Proposal,
    ProposalStatus,
    ProposalTargetGroup,
)

from .conftest import AFTER_DEADLINE, BEFORE_DEADLINE, make_draft

S = ProposalStatus


def _submitted(call, officer, now=BEFORE_DEADLINE, **kwargs):
    return services.proposal_submit(
        proposal=make_draft(call, officer, now=now, **kwargs),
        actor=officer,
        now=now,
        notify=False,
    )


@pytest.fixture
def sent_now(open_call, bupyeong_officer):
    """부평구's proposal, sent just now to a call open for ten more days."""
    return _submitted(open_call, bupyeong_officer, now=timezone.now())


# --- withdrawal ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "code"),
    [
        ("", "withdrawal_reason_required"),
        ("  ", "withdrawal_reason_required"),
        ("담당자 010-1234-5678 연락 바람", "withdrawal_reason_personal_data"),
    ],
)
def test_a_withdrawal_needs_a_reason_without_personal_data(
    call, bupyeong_officer, reason, code
):
    proposal = _submitted(call, bupyeong_officer)
    with pytest.raises(ValidationError) as caught:
        services.proposal_withdraw(
            proposal=proposal, actor=bupyeong_officer, now=BEFORE_DEADLINE, note=reason
        )
    assert [e.code for e in caught.value.error_dict["note"]] == [code]
    assert Proposal.objects.get(pk=proposal.pk).status == S.SUBMITTED
    assert proposal.transitions.count() == 1


def test_the_withdraw_button_asks_for_a_reason_and_a_confirmation(
    client, sent_now, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    inspect = client.get(
        reverse("proposals:inspect", args=[sent_now.pk])
    ).content.decode()
    url = reverse("proposals:withdraw", args=[sent_now.pk])
    assert f'href="{url}"' in inspect

    page = client.get(url).content.decode()
    assert 'name="note"' in page and 'name="confirm"' in page

    # A reason without the tick: refused, nothing changes, the reason is kept.
    response = client.post(url, {"note": "사업 계획 재검토"})
    assert response.status_code == 200
    assert "사업 계획 재검토" in response.content.decode()
    assert Proposal.objects.get(pk=sent_now.pk).status == S.SUBMITTED

    # The tick without a reason: refused too.
    response = client.post(url, {"confirm": "on", "note": ""})
    assert response.status_code == 200
    assert Proposal.objects.get(pk=sent_now.pk).status == S.SUBMITTED

    response = client.post(url, {"confirm": "on", "note": "사업 계획 재검토"})
    assert response.status_code == 302
    assert Proposal.objects.get(pk=sent_now.pk).status == S.WITHDRAWN
    last = sent_now.transitions.last()
    assert (last.to_status, last.note, last.actor) == (
        S.WITHDRAWN,
        "사업 계획 재검토",
        bupyeong_officer,
    )


def test_a_bare_post_to_the_transition_view_withdraws_nothing(
    client, sent_now, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    response = client.post(
        reverse("proposals:transition", args=[sent_now.pk, "withdraw"]),
        {"note": "바로 철회"},
    )
    assert response.url == reverse("proposals:withdraw", args=[sent_now.pk])
    assert Proposal.objects.get(pk=sent_now.pk).status == S.SUBMITTED


def test_another_district_and_the_city_cannot_withdraw(
    client, sent_now, seogu_officer, city_manager
):
    url = reverse("proposals:withdraw", args=[sent_now.pk])
    client.force_login(seogu_officer)
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "on", "note": "철회"}).status_code == 404
    client.force_login(city_manager)
    response = client.post(url, {"confirm": "on", "note": "철회"})
    assert response.status_code == 302
    assert response.url == reverse("proposals:inspect", args=[sent_now.pk])
    assert Proposal.objects.get(pk=sent_now.pk).status == S.SUBMITTED


# --- amendments in the history ---------------------------------------------------


@pytest.fixture
def amended(call, bupyeong_officer):
    """Sent, then amended before the deadline: a new title and 30 planned jobs."""
    proposal = _submitted(call, bupyeong_officer)
    women = CallTargetGroup.objects.get(page=call, code="women")
    proposal.title = "찾아가는 육아코칭 (보완)"
    proposal.target_groups = [ProposalTargetGroup(target_group=women, planned_jobs=30)]
    services.proposal_amend(
        proposal=proposal,
        actor=bupyeong_officer,
        now=BEFORE_DEADLINE + timedelta(hours=3),
    )
    return proposal


def test_an_amendment_records_each_change_before_and_after(amended, bupyeong_officer):
    [amendment] = amended.amendments.all()
    assert amendment.actor == bupyeong_officer
    assert amendment.at == BEFORE_DEADLINE + timedelta(hours=3)
    assert [
        (c["field"], c["item"], c["before"], c["after"]) for c in amendment.changes
    ] == [
        ("title", "", "찾아가는 육아코칭활동가 양성", "찾아가는 육아코칭 (보완)"),
        ("target_groups", "women", 27, 30),
    ]


def test_an_amendment_that_changes_nothing_is_not_recorded(call, bupyeong_officer):
    proposal = _submitted(call, bupyeong_officer)
    services.proposal_amend(
        proposal=proposal, actor=bupyeong_officer, now=BEFORE_DEADLINE
    )
    assert not proposal.amendments.exists()


@pytest.mark.parametrize(
    "who", ["bupyeong_officer", "bupyeong_approver", "city_manager"]
)
def test_the_history_shows_amendments_to_the_district_and_the_city(
    client, amended, who, request
):
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("proposals:inspect", args=[amended.pk])).content.decode()
    history = page.split("data-proposal-history", 1)[1]
    assert 'data-history-kind="amendment"' in history
    assert "2018-09-20 13:00" in history
    assert "찾아가는 육아코칭활동가 양성 → 찾아가는 육아코칭 (보완)" in history
    assert "경력단절여성" in history and "27 → 30" in history
    # After the submission in time order.
    assert history.index('data-history-kind="status"') < history.index(
        'data-history-kind="amendment"'
    )


def test_reviewers_and_other_districts_do_not_see_the_history(
    client, amended, panel, city_manager, seogu_officer
):
    reviewer = panel[1]
    assignment = services.assignment_create(
        proposal=amended, reviewer=reviewer, actor=city_manager, now=AFTER_DEADLINE
    )
    client.force_login(reviewer)
    # The reviewer reads the proposal on their assignment …
    response = client.get(reverse("review_assignment", args=[assignment.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "찾아가는 육아코칭 (보완)" in page
    # … without its history: not the amendment, nor the title before it.
    assert "data-proposal-history" not in page
    assert "찾아가는 육아코칭활동가 양성" not in page
    # The district's proposal page is not theirs to open.
    response = client.get(reverse("proposals:inspect", args=[amended.pk]))
    assert response.status_code in (302, 403, 404)
    assert "찾아가는 육아코칭활동가 양성" not in response.content.decode()
    client.force_login(seogu_officer)
    assert (
        client.get(reverse("proposals:inspect", args=[amended.pk])).status_code == 404
    )
