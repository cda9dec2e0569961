"""Receipt numbers, the confirmation e-mail, and the recorded status history."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from competitions import services, workflow
from competitions.models import Proposal, ProposalStatus

from .conftest import BEFORE_DEADLINE, DEADLINE, make_call, make_draft

S = ProposalStatus


def submit(proposal, actor, now=BEFORE_DEADLINE, notify=False):
    return services.proposal_submit(
        proposal=proposal, actor=actor, now=now, notify=notify
    )


def test_receipt_numbers_follow_year_district_code_and_sequence(
    call, bupyeong_officer, seogu_officer
):
    first = submit(make_draft(call, bupyeong_officer, title="하나"), bupyeong_officer)
    seogu = submit(make_draft(call, seogu_officer, title="서구"), seogu_officer)
    second = submit(make_draft(call, bupyeong_officer, title="둘"), bupyeong_officer)
    assert [first.receipt_number, second.receipt_number, seogu.receipt_number] == [
        "2018-BP-001",
        "2018-BP-002",
        "2018-SG-001",
    ]


def test_withdrawn_numbers_are_not_reused(call, bupyeong_officer):
    first = submit(make_draft(call, bupyeong_officer, title="하나"), bupyeong_officer)
    services.proposal_withdraw(
        proposal=first,
        actor=bupyeong_officer,
        now=BEFORE_DEADLINE,
        note="사업 재검토",
    )
    again = submit(make_draft(call, bupyeong_officer, title="다시"), bupyeong_officer)
    assert again.receipt_number == "2018-BP-002"
    assert Proposal.objects.get(pk=first.pk).receipt_number == "2018-BP-001"


def test_submission_sends_the_confirmation_email_after_commit(
    bupyeong_draft, bupyeong_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(bupyeong_draft, bupyeong_officer, notify=True)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [bupyeong_officer.email]
    assert "2018-BP-001" in email.subject
    assert "접수번호: 2018-BP-001" in email.body
    assert "찾아가는 육아코칭활동가 양성" in email.body
    assert "2018-09-20 10:00 KST" in email.body
    assert "50,000,000원" in email.body
    # The officer reads Korean (the default): the mail is in Korean only.
    assert "Receipt number" not in email.body and "KRW" not in email.body
    assert "Proposal received" not in email.subject


def test_the_confirmation_email_is_in_english_for_an_officer_who_reads_english(
    bupyeong_draft, bupyeong_officer, django_capture_on_commit_callbacks
):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(bupyeong_officer)
    profile.preferred_language = "en"
    profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit(bupyeong_draft, bupyeong_officer, notify=True)
    (email,) = mail.outbox
    assert "Proposal received 2018-BP-001" in email.subject
    assert "Receipt number: 2018-BP-001" in email.body
    assert "KRW 50,000,000" in email.body
    assert "접수" not in email.subject + email.body


def test_no_email_when_the_submission_is_refused(
    bupyeong_draft, bupyeong_officer, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError),
    ):
        submit(bupyeong_draft, bupyeong_officer, now=DEADLINE, notify=True)
    assert mail.outbox == []


def test_every_transition_is_recorded_with_who_when_from_to_and_note(
    bupyeong_draft, bupyeong_officer
):
    submit(bupyeong_draft, bupyeong_officer)
    later = BEFORE_DEADLINE + timedelta(hours=2)
    services.proposal_withdraw(
        proposal=bupyeong_draft, actor=bupyeong_officer, now=later, note="예산 재검토"
    )
    history = list(
        bupyeong_draft.transitions.values_list(
            "from_status", "to_status", "actor", "at", "note"
        )
    )
    assert history == [
        (S.DRAFT, S.SUBMITTED, bupyeong_officer.pk, BEFORE_DEADLINE, ""),
        (S.SUBMITTED, S.WITHDRAWN, bupyeong_officer.pk, later, "예산 재검토"),
    ]


def test_withdrawal_after_the_deadline_is_refused(bupyeong_draft, bupyeong_officer):
    submit(bupyeong_draft, bupyeong_officer)
    with pytest.raises(ValidationError) as caught:
        services.proposal_withdraw(
            proposal=bupyeong_draft,
            actor=bupyeong_officer,
            now=DEADLINE + timedelta(seconds=1),
            note="사업 재검토",
        )
    assert "call" in caught.value.message_dict
    assert Proposal.objects.get(pk=bupyeong_draft.pk).status == S.SUBMITTED


def test_amending_before_the_deadline_keeps_the_receipt(
    bupyeong_draft, bupyeong_officer
):
    submit(bupyeong_draft, bupyeong_officer)
    bupyeong_draft.title = "고친 제목"
    services.proposal_amend(
        proposal=bupyeong_draft,
        actor=bupyeong_officer,
        now=DEADLINE - timedelta(seconds=1),
    )
    stored = Proposal.objects.get(pk=bupyeong_draft.pk)
    assert (stored.title, stored.receipt_number) == ("고친 제목", "2018-BP-001")


def test_an_amendment_must_keep_the_proposal_complete(bupyeong_draft, bupyeong_officer):
    submit(bupyeong_draft, bupyeong_officer)
    bupyeong_draft.city_share = 90_000_000
    with pytest.raises(ValidationError) as caught:
        services.proposal_amend(
            proposal=bupyeong_draft, actor=bupyeong_officer, now=BEFORE_DEADLINE
        )
    assert "district_share" in caught.value.message_dict


def test_a_submitted_proposal_is_read_only_after_the_deadline(
    bupyeong_draft, bupyeong_officer
):
    submit(bupyeong_draft, bupyeong_officer)
    after = DEADLINE + timedelta(seconds=1)
    assert not workflow.can_edit(bupyeong_officer, bupyeong_draft, now=after)
    bupyeong_draft.title = "마감 후 수정"
    with pytest.raises(ValidationError):
        services.proposal_amend(
            proposal=bupyeong_draft, actor=bupyeong_officer, now=after
        )
    assert Proposal.objects.get(pk=bupyeong_draft.pk).title != "마감 후 수정"


@pytest.fixture
def signoff_call(call_index, orgs):
    return make_call(call_index, slug="signoff", requires_approver_signoff=True)


def test_with_signoff_the_officer_submits_to_the_approver_who_approves(
    signoff_call,
    bupyeong_officer,
    bupyeong_approver,
    django_capture_on_commit_callbacks,
):
    draft = make_draft(signoff_call, bupyeong_officer)
    submit(draft, bupyeong_officer)
    assert draft.status == S.AWAITING_APPROVAL
    assert draft.receipt_number is None
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_approve(
            proposal=draft,
            actor=bupyeong_approver,
            now=BEFORE_DEADLINE + timedelta(hours=1),
            note="결재함",
        )
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED
    assert draft.receipt_number == "2018-BP-001"
    assert [t.to_status for t in draft.transitions.all()] == [
        S.AWAITING_APPROVAL,
        S.SUBMITTED,
    ]
    assert draft.transitions.last().actor == bupyeong_approver
    assert mail.outbox[0].to == [bupyeong_officer.email]


def test_the_approver_returns_a_proposal_with_a_reason(
    signoff_call, bupyeong_officer, bupyeong_approver
):
    draft = submit(make_draft(signoff_call, bupyeong_officer), bupyeong_officer)
    with pytest.raises(ValidationError):
        services.proposal_return(
            proposal=draft, actor=bupyeong_approver, note=" ", now=BEFORE_DEADLINE
        )
    services.proposal_return(
        proposal=draft, actor=bupyeong_approver, note="예산 보완", now=BEFORE_DEADLINE
    )
    assert Proposal.objects.get(pk=draft.pk).status == S.DRAFT
    assert draft.transitions.last().note == "예산 보완"


def test_the_officer_cannot_approve_their_own_proposal(signoff_call, bupyeong_officer):
    draft = submit(make_draft(signoff_call, bupyeong_officer), bupyeong_officer)
    with pytest.raises(ValidationError):
        services.proposal_approve(
            proposal=draft, actor=bupyeong_officer, now=BEFORE_DEADLINE
        )


def test_another_districts_approver_cannot_approve(
    signoff_call, bupyeong_officer, orgs
):
    from accounts.roles import Role
    from tests.factories import UserFactory

    seogu_approver = UserFactory(organisation=orgs["SG"], role=Role.DISTRICT_APPROVER)
    draft = submit(make_draft(signoff_call, bupyeong_officer), bupyeong_officer)
    with pytest.raises(ValidationError):
        services.proposal_approve(
            proposal=draft, actor=seogu_approver, now=BEFORE_DEADLINE
        )


def test_the_proposal_page_shows_its_history(client, bupyeong_draft, bupyeong_officer):
    submit(bupyeong_draft, bupyeong_officer)
    services.proposal_withdraw(
        proposal=bupyeong_draft,
        actor=bupyeong_officer,
        now=BEFORE_DEADLINE + timedelta(hours=1),
        note="사업 재검토",
    )
    client.force_login(bupyeong_officer)
    body = client.get(
        reverse("proposals:inspect", args=[bupyeong_draft.pk])
    ).content.decode()
    history = body.split("data-proposal-history", 1)[1]
    assert "2018-09-20 10:00" in history and "2018-09-20 11:00" in history
    assert "제출됨" in history and "철회됨" in history
    assert "사업 재검토" in history
    assert "t-bupyeong" in history


def test_approve_and_return_buttons_post_to_the_transition_view(
    client, signoff_call, bupyeong_officer, bupyeong_approver, monkeypatch
):
    draft = submit(make_draft(signoff_call, bupyeong_officer), bupyeong_officer)
    monkeypatch.setattr(
        "django.utils.timezone.now", lambda: BEFORE_DEADLINE + timedelta(hours=1)
    )
    client.force_login(bupyeong_approver)
    page = client.get(reverse("proposals:inspect", args=[draft.pk])).content.decode()
    assert (
        'data-proposal-action="approve"' in page
        and 'data-proposal-action="return"' in page
    )
    response = client.post(
        reverse("proposals:transition", args=[draft.pk, "return"]),
        {"note": "사업비 보완 요망"},
    )
    assert response.status_code == 302
    assert Proposal.objects.get(pk=draft.pk).status == S.DRAFT
