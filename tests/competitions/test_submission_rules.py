"""Every submission rule, checked by the server; each failure a bilingual message
on its field, and nothing half-saved."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from competitions import services
from competitions.models import (
    Proposal,
    ProposalBudgetLine,
    ProposalStatus,
    ProposalTargetGroup,
    ProposalTransition,
    ReceiptCounter,
)

from .conftest import BEFORE_DEADLINE, DEADLINE, make_call, make_draft


@pytest.fixture(autouse=True)
def english():
    """The rules' messages are in the reader's language; these read English."""
    with translation.override("en"):
        yield


def submit(proposal, actor, now=BEFORE_DEADLINE):
    return services.proposal_submit(
        proposal=proposal, actor=actor, now=now, notify=False
    )


def refusal(proposal, actor, now=BEFORE_DEADLINE) -> dict:
    with pytest.raises(ValidationError) as caught:
        submit(proposal, actor, now)
    return caught.value.message_dict


def refusal_codes(proposal, actor, now=BEFORE_DEADLINE) -> dict:
    with pytest.raises(ValidationError) as caught:
        submit(proposal, actor, now)
    return {
        field: [error.code for error in errors]
        for field, errors in caught.value.error_dict.items()
    }


def test_complete_proposal_is_submitted(bupyeong_draft, bupyeong_officer):
    submit(bupyeong_draft, bupyeong_officer)
    bupyeong_draft.refresh_from_db()
    assert bupyeong_draft.status == ProposalStatus.SUBMITTED
    assert bupyeong_draft.submitted_by == bupyeong_officer


def test_submission_one_second_before_deadline_is_accepted(
    bupyeong_draft, bupyeong_officer
):
    submit(bupyeong_draft, bupyeong_officer, now=DEADLINE - timedelta(seconds=1))
    assert Proposal.objects.get(pk=bupyeong_draft.pk).status == ProposalStatus.SUBMITTED


def test_submission_one_second_after_deadline_is_refused(
    bupyeong_draft, bupyeong_officer
):
    errors = refusal(
        bupyeong_draft, bupyeong_officer, now=DEADLINE + timedelta(seconds=1)
    )
    assert "2018-09-28 18:00 KST" in errors["call"][0]
    codes = refusal_codes(
        bupyeong_draft, bupyeong_officer, now=DEADLINE + timedelta(seconds=1)
    )
    assert codes["call"] == ["deadline_passed"]
    assert Proposal.objects.get(pk=bupyeong_draft.pk).status == ProposalStatus.DRAFT


def test_submission_at_the_deadline_itself_is_refused(bupyeong_draft, bupyeong_officer):
    assert "call" in refusal(bupyeong_draft, bupyeong_officer, now=DEADLINE)


def test_deadline_is_kept_in_asia_seoul_whatever_the_clock_zone(
    bupyeong_draft, bupyeong_officer
):
    # 18:00 KST is 09:00 UTC: a second past that in UTC is already too late.
    too_late_utc = datetime(2018, 9, 28, 9, 0, 1, tzinfo=UTC)
    assert "call" in refusal(bupyeong_draft, bupyeong_officer, now=too_late_utc)
    in_time_utc = datetime(2018, 9, 28, 8, 59, 59, tzinfo=UTC)
    submit(bupyeong_draft, bupyeong_officer, now=in_time_utc)
    assert Proposal.objects.get(pk=bupyeong_draft.pk).status == ProposalStatus.SUBMITTED


def test_deadline_uses_the_server_clock_by_default(bupyeong_draft, bupyeong_officer):
    # No `now`: the server's clock (2026 or later) is long past the 2018 deadline.
    with pytest.raises(ValidationError) as caught:
        services.proposal_submit(
            proposal=bupyeong_draft, actor=bupyeong_officer, notify=False
        )
    assert "call" in caught.value.message_dict


def test_submission_before_the_call_opens_is_refused(
    call_index, orgs, bupyeong_officer
):
    later = make_call(
        call_index,
        slug="later",
        opens_at=BEFORE_DEADLINE + timedelta(days=1),
        deadline=BEFORE_DEADLINE + timedelta(days=30),
    )
    draft = make_draft(later, bupyeong_officer)
    errors = refusal(draft, bupyeong_officer)
    assert "opens" in errors["call"][0]
    with translation.override("ko"):
        korean = refusal(draft, bupyeong_officer)["call"][0]
    assert "시작되지 않았습니다" in korean and "opens" not in korean


def test_district_not_eligible_is_refused(call, bupyeong_officer, orgs):
    draft = make_draft(call, bupyeong_officer)
    call.eligible_districts.set([orgs["SG"]])
    call.save()
    errors = refusal(draft, bupyeong_officer)
    assert "Bupyeong-gu is not eligible" in errors["district"][0]
    with translation.override("ko"):
        korean = refusal(draft, bupyeong_officer)["district"][0]
    assert "부평구" in korean and "Bupyeong" not in korean


def test_starting_a_draft_in_a_district_not_eligible_is_refused(
    call_index, orgs, bupyeong_officer
):
    only_seogu = make_call(call_index, slug="seogu-only", eligible=[orgs["SG"]])
    with pytest.raises(ValidationError) as caught:
        make_draft(only_seogu, bupyeong_officer)
    assert "district" in caught.value.message_dict


def test_more_than_the_maximum_per_district_is_refused(call, bupyeong_officer):
    for title in ("첫째", "둘째"):
        submit(make_draft(call, bupyeong_officer, title=title), bupyeong_officer)
    third = make_draft(call, bupyeong_officer, title="셋째")
    errors = refusal(third, bupyeong_officer)
    assert "at most 2 proposal(s)" in errors["call"][0]


def test_a_withdrawn_proposal_does_not_count_against_the_maximum(
    call, bupyeong_officer
):
    first = submit(make_draft(call, bupyeong_officer, title="첫째"), bupyeong_officer)
    submit(make_draft(call, bupyeong_officer, title="둘째"), bupyeong_officer)
    services.proposal_withdraw(
        proposal=first,
        actor=bupyeong_officer,
        now=BEFORE_DEADLINE,
        note="사업 재검토",
    )
    third = submit(make_draft(call, bupyeong_officer, title="셋째"), bupyeong_officer)
    assert third.status == ProposalStatus.SUBMITTED


def test_city_share_above_the_cap_is_refused(call, bupyeong_officer):
    draft = make_draft(
        call, bupyeong_officer, city_share=150_001_000, district_share=150_001_000
    )
    errors = refusal(draft, bupyeong_officer)
    assert (
        "KRW 150,001,000 is above the cap per project of KRW 150,000,000"
        in errors["city_share"][0]
    )


def test_city_share_at_the_cap_is_accepted(call, bupyeong_officer):
    draft = make_draft(
        call, bupyeong_officer, city_share=150_000_000, district_share=150_000_000
    )
    assert submit(draft, bupyeong_officer).status == ProposalStatus.SUBMITTED


def test_shares_outside_the_ratio_are_refused(call, bupyeong_officer):
    draft = make_draft(
        call, bupyeong_officer, city_share=60_000_000, district_share=40_000_000
    )
    errors = refusal(draft, bupyeong_officer)
    assert "ratio 50:50" in errors["district_share"][0]
    assert "50,000,000" in errors["district_share"][0]


def test_shares_off_by_less_than_1000_krw_are_accepted(call, bupyeong_officer):
    draft = make_draft(
        call, bupyeong_officer, city_share=50_000_900, district_share=49_999_500
    )
    assert submit(draft, bupyeong_officer).status == ProposalStatus.SUBMITTED


def test_shares_off_by_1000_krw_are_refused(call, bupyeong_officer):
    draft = make_draft(
        call, bupyeong_officer, city_share=50_001_000, district_share=49_999_000
    )
    assert "district_share" in refusal(draft, bupyeong_officer)


def test_line_items_not_adding_up_to_the_total_are_refused(
    bupyeong_draft, bupyeong_officer
):
    bupyeong_draft.budget_lines = [
        ProposalBudgetLine(category="인건비", amount=99_000_000)
    ]
    errors = refusal(bupyeong_draft, bupyeong_officer)
    assert (
        "KRW 99,000,000, not to the total of KRW 100,000,000"
        in errors["budget_lines"][0]
    )


def test_no_target_group_with_planned_jobs_is_refused(call, bupyeong_officer):
    draft = make_draft(call, bupyeong_officer, jobs=0)
    errors = refusal(draft, bupyeong_officer)
    assert "At least one target group with planned jobs" in errors["target_groups"][0]


def test_a_target_group_of_another_call_is_refused(call, call_index, bupyeong_officer):
    other = make_call(call_index, slug="other")
    draft = make_draft(call, bupyeong_officer)
    draft.target_groups = [
        ProposalTargetGroup(target_group=other.target_groups.first(), planned_jobs=5)
    ]
    assert (
        "does not belong to this call"
        in refusal(draft, bupyeong_officer)["target_groups"][0]
    )


def test_missing_title_and_period_are_refused_on_their_fields(call, bupyeong_officer):
    draft = make_draft(call, bupyeong_officer)
    draft.title = ""
    draft.period_end = None
    errors = refusal(draft, bupyeong_officer)
    assert set(errors) >= {"title", "period_end"}


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_message_is_in_the_readers_language_only(
    call, bupyeong_officer, language
):
    draft = make_draft(
        call, bupyeong_officer, city_share=200_000_000, district_share=1_000_000, jobs=0
    )
    with translation.override(language):
        messages = [
            message
            for messages in refusal(draft, bupyeong_officer, now=DEADLINE).values()
            for message in messages
        ]
    assert messages
    for message in messages:
        has_hangul = any("\uac00" <= ch <= "\ud7a3" for ch in message)
        assert " / " not in message
        assert has_hangul if language == "ko" else not has_hangul, message


def test_incomplete_draft_saves_at_any_time(call, bupyeong_officer):
    draft = make_draft(call, bupyeong_officer, complete=False)
    draft.title = "제목만 있는 초안"
    services.proposal_save_draft(
        proposal=draft, actor=bupyeong_officer, now=DEADLINE + timedelta(days=1)
    )
    stored = Proposal.objects.get(pk=draft.pk)
    assert stored.title == "제목만 있는 초안"
    assert stored.status == ProposalStatus.DRAFT


def test_a_failed_submission_saves_nothing(bupyeong_draft, bupyeong_officer):
    bupyeong_draft.title = "바뀐 제목"
    bupyeong_draft.budget_lines = [ProposalBudgetLine(category="인건비", amount=1_000)]
    refusal(bupyeong_draft, bupyeong_officer)
    stored = Proposal.objects.get(pk=bupyeong_draft.pk)
    assert stored.title == "찾아가는 육아코칭활동가 양성"
    assert stored.status == ProposalStatus.DRAFT
    assert stored.receipt_number is None
    assert stored.budget_lines.count() == 2
    assert not ProposalTransition.objects.exists()
    assert not ReceiptCounter.objects.exists()


def test_a_new_proposal_refused_at_submission_is_not_created(call, bupyeong_officer):
    from .conftest import fill

    proposal = fill(
        Proposal(call=call), city_share=999_000_000, district_share=999_000_000
    )
    refusal(proposal, bupyeong_officer)
    assert not Proposal.objects.exists()


def test_an_officer_of_another_district_cannot_submit(bupyeong_draft, seogu_officer):
    assert "status" in refusal(bupyeong_draft, seogu_officer)


def test_an_approver_cannot_submit_for_the_officer(bupyeong_draft, bupyeong_approver):
    assert "status" in refusal(bupyeong_draft, bupyeong_approver)
