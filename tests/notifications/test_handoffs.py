"""Every hand-off reaches the next person: who receives what, where they act,
and in which language (an English-reading officer gets English)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from competitions import services as competitions
from competitions.models import Decision
from notifications.models import Notification, OutboxStatus
from notifications.rendering import mail_of
from projects.services import (
    change_request_approve,
    change_request_propose,
    change_request_reject,
    plan_data,
)
from reporting.models import MonthlyReport
from reporting.services import (
    report_accept,
    report_approver_return,
    report_return,
    report_save_draft,
    report_sign_off,
    report_submit,
)
from tests.competitions.conftest import (  # noqa: F401
    AFTER_DEADLINE,
    BEFORE_DEADLINE,
    call,
    call_index,
    make_call,
    make_draft,
    make_reviewer,
    make_submitted,
    score_and_submit,
)
from tests.reporting.helpers import figures, file_month, kst

from .conftest import reads_english

JAN = date(2019, 1, 1)


def notices(kind):
    return Notification.objects.filter(kind=kind).select_related("recipient")


def recipients_of(kind) -> set:
    return {notice.recipient.username for notice in notices(kind)}


@pytest.fixture
def signoff_call(call_index, orgs):  # noqa: F811
    return make_call(call_index, slug="signoff", requires_approver_signoff=True)


# --- monthly reports -------------------------------------------------------------------


def test_a_submitted_report_reaches_every_city_manager_and_only_them(
    bupyeong_project,
    bupyeong_officer,
    bupyeong_approver,
    city_manager,
    reviewer,
    django_capture_on_commit_callbacks,
):
    reads_english(city_manager)
    with django_capture_on_commit_callbacks(execute=True):
        report = file_month(bupyeong_project, bupyeong_officer, JAN)
    assert recipients_of("report_submitted") == {city_manager.username}
    notice = notices("report_submitted").get()
    assert notice.link == reverse("reporting_report", args=[report.pk])
    assert notice.project_id == bupyeong_project.pk
    (sent,) = mail.outbox
    assert sent.to == [city_manager.email]
    assert "submitted" in sent.subject and "January 2019" in sent.subject
    assert "Bupyeong-gu" in sent.body and "부평구" not in sent.body


def test_with_sign_off_the_report_goes_to_the_approver_then_to_the_city(
    bupyeong_project,
    bupyeong_officer,
    bupyeong_approver,
    seogu_officer,
    city_manager,
    signoff_call,
):
    bupyeong_project.call = signoff_call
    bupyeong_project.save()
    now = kst(2019, 2, 8, 9)
    report_save_draft(
        project=bupyeong_project,
        period=JAN,
        actor=bupyeong_officer,
        values=figures(),
        now=now,
    )
    report = MonthlyReport.objects.get(period=JAN)
    report_submit(report=report, actor=bupyeong_officer, now=now)
    assert recipients_of("report_awaiting_signoff") == {bupyeong_approver.username}
    assert not notices("report_submitted").exists()  # not yet the city's

    report_sign_off(report=report, actor=bupyeong_approver, now=now)
    assert recipients_of("report_submitted") == {city_manager.username}
    subject, body = mail_of(notices("report_awaiting_signoff").get())
    assert "결재" in subject and "2019년 1월" in subject


def test_accepted_and_returned_reports_tell_the_districts_officers_with_the_reason(
    bupyeong_project,
    bupyeong_officer,
    english_officer,
    seogu_officer,
    city_manager,
    django_capture_on_commit_callbacks,
):
    report = file_month(bupyeong_project, bupyeong_officer, JAN)
    with django_capture_on_commit_callbacks(execute=True):
        report_return(report=report, actor=city_manager, comment="증빙 보완 바랍니다")
    assert recipients_of("report_returned") == {
        bupyeong_officer.username,
        english_officer.username,
    }
    returned = notices("report_returned").first()
    assert returned.reason == "증빙 보완 바랍니다" and returned.mandatory
    english = next(m for m in mail.outbox if m.to == [english_officer.email])
    assert "returned" in english.subject and "증빙 보완 바랍니다" in english.body

    report = file_month(
        bupyeong_project, bupyeong_officer, JAN, now=kst(2019, 2, 9, 10)
    )
    report_accept(report=report, actor=city_manager)
    assert recipients_of("report_accepted") == {
        bupyeong_officer.username,
        english_officer.username,
    }
    assert (
        "version 2"
        in mail_of(notices("report_accepted").get(recipient=english_officer))[1]
    )


def test_the_approver_returning_a_report_tells_the_officers_why(
    bupyeong_project, bupyeong_officer, bupyeong_approver, signoff_call
):
    bupyeong_project.call = signoff_call
    bupyeong_project.save()
    report = file_month(bupyeong_project, bupyeong_officer, JAN)
    report_approver_return(
        report=report, actor=bupyeong_approver, comment="지출 증빙 보완"
    )
    notice = notices("report_returned").get()
    assert notice.recipient == bupyeong_officer and notice.reason == "지출 증빙 보완"


def test_loading_history_tells_no_one(bupyeong_project, bupyeong_officer, city_manager):
    report_save_draft(
        project=bupyeong_project,
        period=JAN,
        actor=bupyeong_officer,
        values=figures(),
        now=kst(2019, 2, 5, 9),
    )
    report = MonthlyReport.objects.get(period=JAN)
    report_submit(
        report=report, actor=bupyeong_officer, now=kst(2019, 2, 5, 9), notify=False
    )
    report_accept(report=report, actor=city_manager, notify=False)
    assert not Notification.objects.exists()


# --- proposals ---------------------------------------------------------------------------


def test_a_proposal_awaiting_sign_off_reaches_the_approver_and_a_return_the_officers(
    signoff_call, bupyeong_officer, bupyeong_approver, english_officer, seogu_officer
):
    draft = make_draft(signoff_call, bupyeong_officer)
    competitions.proposal_submit(
        proposal=draft, actor=bupyeong_officer, now=BEFORE_DEADLINE
    )
    waiting = notices("proposal_awaiting_signoff").get()
    assert waiting.recipient == bupyeong_approver
    assert waiting.link == reverse("proposals:inspect", args=[draft.pk])
    assert waiting.due == signoff_call.deadline

    competitions.proposal_return(
        proposal=draft, actor=bupyeong_approver, note="예산 보완", now=BEFORE_DEADLINE
    )
    assert recipients_of("proposal_returned") == {
        bupyeong_officer.username,
        english_officer.username,
    }
    subject, body = mail_of(notices("proposal_returned").get(recipient=english_officer))
    assert "returned" in subject and "Reason: 예산 보완" in body


def test_the_receipt_is_a_notice_to_whoever_sent_the_proposal(
    call,  # noqa: F811
    bupyeong_officer,
    city_manager,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = competitions.proposal_submit(
            proposal=make_draft(call, bupyeong_officer),
            actor=bupyeong_officer,
            now=BEFORE_DEADLINE,
        )
    notice = notices("proposal_submitted").get()
    assert notice.recipient == bupyeong_officer
    (sent,) = mail.outbox
    assert sent.to == [bupyeong_officer.email]
    assert proposal.receipt_number in sent.subject
    assert f"접수번호: {proposal.receipt_number}" in sent.body


# --- change requests ----------------------------------------------------------------------


def test_a_change_request_reaches_the_city_and_its_decision_the_district(
    bupyeong_project, bupyeong_officer, bupyeong_approver, english_officer, city_manager
):
    change = change_request_propose(
        project=bupyeong_project,
        actor=bupyeong_officer,
        proposed=plan_data(bupyeong_project.plan_for(JAN)),
        reason="참여 수요 증가로 목표 조정",
        effective_from=date(2019, 7, 1),
    )
    proposed = notices("change_request_proposed").get()
    assert proposed.recipient == city_manager
    assert proposed.link == reverse("projects_change_request", args=[change.pk])

    change_request_reject(change_request=change, actor=city_manager, note="근거 부족")
    assert recipients_of("change_request_decided") == {
        bupyeong_officer.username,
        bupyeong_approver.username,
        english_officer.username,
    }
    subject, body = mail_of(
        notices("change_request_decided").get(recipient=english_officer)
    )
    assert "Rejected" in subject and "근거 부족" in body
    subject, _body = mail_of(
        notices("change_request_decided").get(recipient=bupyeong_officer)
    )
    assert "반려됨" in subject and "Rejected" not in subject

    again = change_request_propose(
        project=bupyeong_project,
        actor=bupyeong_officer,
        proposed=plan_data(bupyeong_project.plan_for(JAN)),
        reason="다시 신청",
        effective_from=date(2019, 7, 1),
    )
    change_request_approve(change_request=again, actor=city_manager)
    assert notices("change_request_decided").count() == 6


# --- review and results ----------------------------------------------------------------


def test_reviewers_hear_of_their_panel_and_of_each_batch_of_proposals_once(
    call,
    orgs,
    city_manager,  # noqa: F811
):
    first = reads_english(make_reviewer(orgs, "reviewer-x"))
    second = make_reviewer(orgs, "reviewer-y")
    for reviewer in (first, second):
        competitions.panel_add(
            call=call, reviewer=reviewer, actor=city_manager, now=AFTER_DEADLINE
        )
    competitions.panel_add(  # already on it: nothing new
        call=call, reviewer=first, actor=city_manager, now=AFTER_DEADLINE
    )
    assert recipients_of("reviewer_appointed") == {"reviewer-x", "reviewer-y"}
    assert notices("reviewer_appointed").count() == 2

    make_submitted(call, orgs["BP"], title="부평 육아코칭")
    make_submitted(call, orgs["SG"], title="서구 무빙콜")
    competitions.assignments_auto(call=call, actor=city_manager, now=AFTER_DEADLINE)
    assigned = notices("reviewer_assigned")
    # One notice per reviewer for the whole batch, saying how many.
    assert {n.recipient.username: n.params["count"] for n in assigned} == {
        "reviewer-x": 2,
        "reviewer-y": 2,
    }
    subject, body = mail_of(assigned.get(recipient=first))
    assert "Proposals to review" in subject and "2 proposal(s)" in body
    assert assigned.get(recipient=first).link == reverse("review_my_assignments")


def test_published_results_reach_each_districts_people_in_their_language(
    call,  # noqa: F811
    orgs,
    city_manager,
    bupyeong_officer,
    english_officer,
    seogu_officer,
    django_capture_on_commit_callbacks,
):
    panel = [make_reviewer(orgs, f"reviewer-{n}") for n in range(2)]
    for reviewer in panel:
        competitions.panel_add(
            call=call, reviewer=reviewer, actor=city_manager, now=AFTER_DEADLINE
        )
    bupyeong = make_submitted(call, orgs["BP"], title="육아코칭")
    seogu = make_submitted(call, orgs["SG"], title="검단 무빙콜")
    for proposal in (bupyeong, seogu):
        for reviewer in panel:
            assignment = competitions.assignment_create(
                proposal=proposal, reviewer=reviewer, actor=city_manager
            )
            score_and_submit(assignment, [30, 40])
    competitions.selection_decide(
        proposal=seogu, decision=Decision.SELECTED, reason="1위", actor=city_manager
    )
    competitions.selection_decide(
        proposal=bupyeong,
        decision=Decision.NOT_SELECTED,
        reason="사업 계획의 구체성 부족",
        actor=city_manager,
    )
    with django_capture_on_commit_callbacks(execute=True):
        competitions.results_publish(call=call, actor=city_manager)

    assert recipients_of("results_published") == {
        bupyeong_officer.username,
        english_officer.username,
        seogu_officer.username,
    }
    english = next(m for m in mail.outbox if m.to == [english_officer.email])
    assert "Results" in english.subject
    assert "not selected" in english.body and "사업 계획의 구체성 부족" in english.body
    korean = next(m for m in mail.outbox if m.to == [bupyeong_officer.email])
    assert "미선정" in korean.body and "not selected" not in korean.body
    seogu_mail = next(m for m in mail.outbox if m.to == [seogu_officer.email])
    assert "육아코칭" not in seogu_mail.body  # only the district's own proposals
    assert (
        Notification.objects.filter(
            kind="results_published", status=OutboxStatus.SENT
        ).count()
        == 3
    )


def test_a_step_succeeds_when_the_mail_server_is_down(
    bupyeong_project,
    bupyeong_officer,
    city_manager,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    from tests.notifications.test_service import MailServerDown

    report = file_month(bupyeong_project, bupyeong_officer, JAN)
    monkeypatch.setattr("django.core.mail.EmailMessage.send", MailServerDown())
    with django_capture_on_commit_callbacks(execute=True):
        report_return(report=report, actor=city_manager, comment="증빙 보완")
    report.refresh_from_db()
    assert report.status == "returned"
    notice = notices("report_returned").get()
    assert notice.status == OutboxStatus.FAILED
    assert "Connection refused" in notice.last_error
    assert notice.next_attempt_at is not None
    assert notice.next_attempt_at - notice.created_at < timedelta(minutes=6)
