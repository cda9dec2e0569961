"""Objections (이의 신청): a district objects to a published decision on its
own proposal within the call's window; the city answers and may change the
decision (re-authenticated, audited, within the budget); the public results
page shows only counts and markers, never the texts."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts import access
from competitions import services
from competitions.models import (
    CallResultsPage,
    Decision,
    Objection,
    ObjectionOutcome,
    ObjectionStatus,
    ProposalStatus,
    ResultsPublication,
    SelectionDecision,
)
from notifications.models import Notification
from projects.models import Project
from tests.helpers import reauthenticate

from .conftest import AFTER_DEADLINE, make_submitted

PUBLISHED_AT = AFTER_DEADLINE
IN_WINDOW = PUBLISHED_AT + timedelta(days=2)
AFTER_WINDOW = PUBLISHED_AT + timedelta(days=7, minutes=1)
REASON = "심사 점수 합산에 오류가 있습니다: 2번 기준 점수 누락"
ANSWER = "재검토 결과 합산 오류를 확인했습니다"


def _codes(error: ValidationError) -> set[str]:
    return {
        item.code
        for items in error.error_dict.values()
        for item in items
        if hasattr(item, "code")
    }


@pytest.fixture
def published(call, orgs, city_manager):
    """The 2018 call published on 2018-10-01 10:00 KST: 서구 selected, 부평구
    not selected; the window is the default 7 days."""
    seogu = make_submitted(call, orgs["SG"], title="검단 무빙콜", city_share=70_000_000)
    bupyeong = make_submitted(call, orgs["BP"], title="육아코칭", city_share=60_000_000)
    services.selection_decide(
        proposal=seogu, decision=Decision.SELECTED, reason="1위", actor=city_manager
    )
    services.selection_decide(
        proposal=bupyeong,
        decision=Decision.NOT_SELECTED,
        reason="구체성 부족",
        actor=city_manager,
    )
    services.results_publish(
        call=call, actor=city_manager, now=PUBLISHED_AT, notify=False
    )
    seogu.refresh_from_db()
    bupyeong.refresh_from_db()
    return {"SG": seogu, "BP": bupyeong}


def _publish_recently(published):
    """Move the publication to yesterday, for views that use the real clock."""
    ResultsPublication.objects.filter(call=published["BP"].call).update(
        published_at=timezone.now() - timedelta(days=1)
    )


def _object(published, officer, **kwargs):
    return services.objection_submit(
        proposal=published["BP"],
        reason=kwargs.pop("reason", REASON),
        actor=officer,
        now=kwargs.pop("now", IN_WINDOW),
        **kwargs,
    )


def test_an_objection_within_the_window_is_recorded_with_its_history(
    published, bupyeong_officer
):
    objection = _object(published, bupyeong_officer)
    assert objection.status == ObjectionStatus.SUBMITTED
    assert objection.district == published["BP"].district
    assert [(t.from_status, t.to_status) for t in objection.transitions.all()] == [
        ("", ObjectionStatus.SUBMITTED)
    ]


def test_an_objection_after_the_window_is_refused_with_the_date_it_closed(
    published, bupyeong_officer
):
    with pytest.raises(ValidationError) as refused:
        _object(published, bupyeong_officer, now=AFTER_WINDOW)
    assert _codes(refused.value) == {"window_closed"}
    assert "2018-10-08 10:00" in str(refused.value)
    assert not Objection.objects.exists()


def test_the_window_follows_the_call_setting(published, call, bupyeong_officer):
    call.objection_window_days = 10
    call.save()
    objection = _object(published, bupyeong_officer, now=AFTER_WINDOW)
    assert objection.pk


def test_no_objection_before_the_results_are_published(call, orgs, bupyeong_officer):
    proposal = make_submitted(call, orgs["BP"], title="육아코칭")
    with pytest.raises(ValidationError) as refused:
        services.objection_submit(
            proposal=proposal, reason=REASON, actor=bupyeong_officer, now=IN_WINDOW
        )
    assert _codes(refused.value) == {"results_not_published"}


def test_an_officer_of_another_district_cannot_object(client, published, seogu_officer):
    with pytest.raises(ValidationError) as refused:
        _object(published, seogu_officer)
    assert _codes(refused.value) == {"not_own_district"}
    client.force_login(seogu_officer)
    url = reverse("objections_new", args=[published["BP"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": REASON}).status_code == 404
    assert not Objection.objects.exists()


def test_the_reason_is_required(published, bupyeong_officer):
    with pytest.raises(ValidationError) as refused:
        _object(published, bupyeong_officer, reason="  ")
    assert _codes(refused.value) == {"reason_required"}


def test_a_refused_attachment_refuses_the_objection_and_keeps_the_typed_reason(
    client, published, bupyeong_officer
):
    _publish_recently(published)
    client.force_login(bupyeong_officer)
    fake = SimpleUploadedFile("근거.pdf", b"not a pdf at all", "application/pdf")
    response = client.post(
        reverse("objections_new", args=[published["BP"].pk]),
        {"reason": REASON, "title_0": "근거 자료", "file_0": fake},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert REASON in page  # what was typed stays on the form
    assert "근거 자료" in page
    assert not Objection.objects.exists()


def test_a_pdf_attachment_is_kept_with_the_objection(published, bupyeong_officer):
    pdf = SimpleUploadedFile("근거.pdf", b"%PDF-1.4\n1 0 obj\n%%EOF\n")
    objection = _object(published, bupyeong_officer, attachments=[("근거", pdf)])
    assert [a.title for a in objection.attachments.all()] == ["근거"]


def test_a_district_sees_only_its_own_objections(
    published, bupyeong_officer, seogu_officer, city_manager, reviewer
):
    objection = _object(published, bupyeong_officer)
    assert list(access.visible_to(bupyeong_officer, Objection)) == [objection]
    assert list(access.visible_to(city_manager, Objection)) == [objection]
    assert not access.visible_to(seogu_officer, Objection).exists()
    assert not access.visible_to(reviewer, Objection).exists()


def test_the_answer_is_recorded_and_mailed_to_the_district(
    published, bupyeong_officer, city_manager, django_capture_on_commit_callbacks
):
    objection = _object(published, bupyeong_officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.objection_answer(
            objection=objection,
            outcome=ObjectionOutcome.REJECTED,
            answer=ANSWER,
            actor=city_manager,
        )
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.ANSWERED
    assert objection.outcome == ObjectionOutcome.REJECTED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [bupyeong_officer.email]
    assert ANSWER in mail.outbox[0].body
    assert "기각" in mail.outbox[0].body  # the outcome in words, Korean by default


def test_the_city_is_told_of_an_objection_at_once(
    published, bupyeong_officer, city_manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        objection = _object(published, bupyeong_officer)
    notice = Notification.objects.get(recipient=city_manager)
    assert notice.kind == "objection_submitted"
    assert notice.link == reverse("objections_detail", args=[objection.pk])
    (sent,) = [m for m in mail.outbox if m.to == [city_manager.email]]
    assert objection.proposal.receipt_number in sent.subject
    # The reason is the district's and the city's to read in the product, not
    # in a mail that may be forwarded.
    assert objection.reason not in sent.body


def test_an_answer_needs_an_outcome_and_text(published, bupyeong_officer, city_manager):
    objection = _object(published, bupyeong_officer)
    with pytest.raises(ValidationError) as refused:
        services.objection_answer(
            objection=objection, outcome="", answer=ANSWER, actor=city_manager
        )
    assert _codes(refused.value) == {"outcome_required"}
    with pytest.raises(ValidationError) as refused:
        services.objection_answer(
            objection=objection,
            outcome=ObjectionOutcome.UPHELD,
            answer="",
            actor=city_manager,
        )
    assert _codes(refused.value) == {"answer_required"}


def test_a_district_cannot_answer(published, bupyeong_officer):
    objection = _object(published, bupyeong_officer)
    with pytest.raises(ValidationError) as refused:
        services.objection_answer(
            objection=objection,
            outcome=ObjectionOutcome.UPHELD,
            answer=ANSWER,
            actor=bupyeong_officer,
        )
    assert _codes(refused.value) == {"city_manager_only"}


def test_withdrawn_before_the_answer_but_not_after(
    published, bupyeong_officer, city_manager
):
    first = _object(published, bupyeong_officer)
    services.objection_withdraw(objection=first, actor=bupyeong_officer)
    first.refresh_from_db()
    assert first.status == ObjectionStatus.WITHDRAWN
    second = _object(published, bupyeong_officer)
    services.objection_answer(
        objection=second,
        outcome=ObjectionOutcome.REJECTED,
        answer=ANSWER,
        actor=city_manager,
        notify=False,
    )
    with pytest.raises(ValidationError) as refused:
        services.objection_withdraw(objection=second, actor=bupyeong_officer)
    assert _codes(refused.value) == {"wrong_status"}


def _upheld(published, officer, city_manager):
    objection = _object(published, officer)
    return services.objection_answer(
        objection=objection,
        outcome=ObjectionOutcome.UPHELD,
        answer=ANSWER,
        actor=city_manager,
        notify=False,
    )


def test_changing_the_decision_asks_for_the_password_and_is_audited(
    client, published, bupyeong_officer, city_manager
):
    objection = _upheld(published, bupyeong_officer, city_manager)
    client.force_login(city_manager)
    url = reverse("objections_detail", args=[objection.pk])
    data = {"action": "change_decision", "decision": "selected", "reason": "재심 결과"}

    response = client.post(url, data)
    assert response.status_code == 302
    assert reverse("accounts_reauth") in response["Location"]
    decision = SelectionDecision.objects.get(proposal=published["BP"])
    assert decision.decision == Decision.NOT_SELECTED

    reauthenticate(client)
    response = client.post(url, data)
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.decision == Decision.SELECTED
    assert decision.objection_id == objection.pk
    entry = LogEntry.objects.get_for_object(decision).order_by("-pk").first()
    assert entry.actor == city_manager
    assert str(entry.changes["objection"][1]) == str(objection.pk)
    assert entry.changes["decision"] == ["not_selected", "selected"]


def test_a_decision_changed_to_selected_becomes_a_project(
    published, bupyeong_officer, city_manager
):
    objection = _upheld(published, bupyeong_officer, city_manager)
    services.objection_decision_change(
        objection=objection,
        decision=Decision.SELECTED,
        reason="재심 결과",
        actor=city_manager,
    )
    published["BP"].refresh_from_db()
    assert published["BP"].status == ProposalStatus.SELECTED
    assert Project.objects.filter(source_proposal=published["BP"]).exists()
    objection.refresh_from_db()
    assert (objection.decision_before, objection.decision_after) == (
        Decision.NOT_SELECTED,
        Decision.SELECTED,
    )


def test_the_budget_still_holds_when_a_decision_changes(
    published, call, bupyeong_officer, city_manager
):
    call.total_budget = 120_000_000  # 70M selected + 60M would be 130M
    call.cap_per_project = 100_000_000
    call.save()
    objection = _upheld(published, bupyeong_officer, city_manager)
    with pytest.raises(ValidationError) as refused:
        services.objection_decision_change(
            objection=objection,
            decision=Decision.SELECTED,
            reason="재심 결과",
            actor=city_manager,
        )
    assert _codes(refused.value) == {"over_budget"}
    assert (
        SelectionDecision.objects.get(proposal=published["BP"]).decision
        == Decision.NOT_SELECTED
    )


def test_only_an_upheld_objection_changes_a_decision(
    published, bupyeong_officer, city_manager
):
    objection = _object(published, bupyeong_officer)
    services.objection_answer(
        objection=objection,
        outcome=ObjectionOutcome.REJECTED,
        answer=ANSWER,
        actor=city_manager,
        notify=False,
    )
    with pytest.raises(ValidationError) as refused:
        services.objection_decision_change(
            objection=objection,
            decision=Decision.SELECTED,
            reason="재심",
            actor=city_manager,
        )
    assert _codes(refused.value) == {"objection_not_upheld"}


def test_the_results_page_shows_counts_and_markers_never_the_texts(
    client, published, bupyeong_officer, city_manager
):
    objection = _upheld(published, bupyeong_officer, city_manager)
    services.objection_decision_change(
        objection=objection,
        decision=Decision.SELECTED,
        reason="재심 결과 선정으로 변경",
        actor=city_manager,
    )
    page = CallResultsPage.objects.get()
    html = client.get(page.url).content.decode()
    assert "data-received>1<" in html
    assert "data-upheld>1<" in html
    assert "data-rejected>0<" in html
    assert "data-decisions-changed>1<" in html
    assert "육아코칭" in html and "data-changed-after-objection" in html
    assert REASON not in html
    assert ANSWER not in html
    assert "재심 결과 선정으로 변경" not in html


def test_the_district_list_offers_its_own_decisions_within_the_window_only(
    client, published, bupyeong_officer, seogu_officer, bupyeong_approver
):
    client.force_login(bupyeong_officer)
    # Published 2018-10-01: today's window is long closed, so nothing is offered.
    page = client.get(reverse("objections")).content.decode()
    assert "data-may-object" not in page
    objection = _object(published, bupyeong_officer)
    page = client.get(reverse("objections")).content.decode()
    assert f'data-objection="{objection.pk}"' in page
    client.force_login(seogu_officer)
    page = client.get(reverse("objections")).content.decode()
    assert f'data-objection="{objection.pk}"' not in page
    assert (
        client.get(reverse("objections_detail", args=[objection.pk])).status_code == 404
    )
    client.force_login(bupyeong_approver)
    assert (
        client.get(reverse("objections_new", args=[published["BP"].pk])).status_code
        == 404
    )
