"""Site visits and findings through the services: the city plans, records and
decides; only the officer of the project's own district answers; every move
from the right status only, recorded, and the next person told."""

from datetime import date, datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from inspections import selectors, services
from inspections.models import (
    Answer,
    ChecklistAnswer,
    Finding,
    FindingStatus,
    VisitChecklistItem,
    VisitStatus,
)
from notifications.models import Notification
from projects.months import SEOUL

from .conftest import AUGUST, DUE, add_finding, all_in_order, pdf, plan, record


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def recipients(kind) -> set[str]:
    return set(
        Notification.objects.filter(kind=kind).values_list(
            "recipient__username", flat=True
        )
    )


def test_a_finding_goes_from_recorded_to_answered_returned_answered_and_closed(
    city_manager, bupyeong_officer, bupyeong_approver, seogu_officer, finding
):
    # Recorded: 부평구's officer and approver are told, nobody in 서구.
    assert recipients("finding_recorded") == {
        bupyeong_officer.username,
        bupyeong_approver.username,
    }
    assert list(selectors.open_findings(finding.visit.project)) == [finding]

    finding = services.finding_answer(
        actor=bupyeong_officer,
        finding=finding,
        answer="근무일지를 보완함",
        files=[pdf()],
        now=AUGUST,
    )
    assert finding.status == FindingStatus.ANSWERED
    assert recipients("finding_answered") == {city_manager.username}
    assert finding.attachments.get().file.read().startswith(b"%PDF")

    finding = services.finding_return(
        actor=city_manager, finding=finding, note="확인 절차가 빠졌습니다", now=AUGUST
    )
    assert finding.status == FindingStatus.OPEN
    assert finding.city_comment == "확인 절차가 빠졌습니다"
    assert bupyeong_officer.username in recipients("finding_returned")

    finding = services.finding_answer(
        actor=bupyeong_officer,
        finding=finding,
        answer="주간 확인 절차 마련",
        now=AUGUST,
    )
    assert Notification.objects.filter(kind="finding_answered").count() == 2
    finding = services.finding_close(
        actor=city_manager,
        finding=finding,
        now=datetime(2019, 8, 6, 23, 30, tzinfo=SEOUL),
    )
    assert finding.status == FindingStatus.CLOSED
    assert finding.closed_on == date(2019, 8, 6)  # Seoul's day
    assert [t.action for t in finding.transitions.all()] == [
        "answer",
        "return",
        "answer",
        "close",
    ]
    assert not selectors.open_findings(finding.visit.project).exists()
    assert selectors.close_blocker(finding.visit.project) is None
    # Audited: every change of the finding is in the trail.
    assert LogEntry.objects.get_for_object(finding).count() >= 5


def test_only_the_projects_own_officer_answers_and_only_the_city_decides(
    finding, city_manager, bupyeong_approver, seogu_officer, reviewer
):
    for outsider in (seogu_officer, reviewer, bupyeong_approver, city_manager):
        with pytest.raises(PermissionDenied):
            services.finding_answer(actor=outsider, finding=finding, answer="답변")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN and finding.answer == ""


def test_the_district_cannot_close_return_or_record(
    finding, done_visit, bupyeong_officer, seogu_officer
):
    services.finding_answer(actor=bupyeong_officer, finding=finding, answer="보완함")
    for actor in (bupyeong_officer, seogu_officer):
        with pytest.raises(PermissionDenied):
            services.finding_close(actor=actor, finding=finding)
        with pytest.raises(PermissionDenied):
            services.finding_return(actor=actor, finding=finding, note="x")
        with pytest.raises(PermissionDenied):
            add_finding(done_visit, actor)
    with pytest.raises(PermissionDenied):
        plan(done_visit.project, bupyeong_officer)


def test_moves_from_the_wrong_status_are_refused_with_the_status_in_words(
    finding, done_visit, city_manager, bupyeong_officer
):
    with pytest.raises(ValidationError) as refused:
        services.finding_close(actor=city_manager, finding=finding)
    assert codes(refused.value) == {"wrong_status"}
    assert "미결" in refused.value.messages[0] or "Open" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        record(done_visit, city_manager)
    assert codes(refused.value) == {"wrong_status"}
    services.finding_answer(actor=bupyeong_officer, finding=finding, answer="보완함")
    with pytest.raises(ValidationError) as refused:
        services.finding_answer(actor=bupyeong_officer, finding=finding, answer="또")
    assert codes(refused.value) == {"wrong_status"}
    with pytest.raises(ValidationError) as refused:
        services.finding_return(actor=city_manager, finding=finding, note=" ")
    assert codes(refused.value) == {"comment_required"}


def test_findings_only_on_a_done_visit_and_a_cancelled_visit_is_final(
    visit, city_manager
):
    with pytest.raises(ValidationError) as refused:
        add_finding(visit, city_manager)
    assert codes(refused.value) == {"visit_not_done"}
    with pytest.raises(ValidationError) as refused:
        services.visit_cancel(actor=city_manager, visit=visit, reason="")
    assert codes(refused.value) == {"reason_required"}
    visit = services.visit_cancel(actor=city_manager, visit=visit, reason="우천")
    assert visit.status == VisitStatus.CANCELLED
    with pytest.raises(ValidationError):
        record(visit, city_manager)


def test_a_plan_needs_city_inspectors_a_day_and_a_purpose(
    project, city_manager, bupyeong_officer
):
    with pytest.raises(ValidationError) as refused:
        plan(project, city_manager, inspectors=[bupyeong_officer], purpose=" ")
    assert codes(refused.value) == {"inspector_not_city", "purpose_required"}
    with pytest.raises(ValidationError) as refused:
        plan(project, city_manager, inspectors=[], planned_on=None)
    assert codes(refused.value) == {"inspectors_required", "date_required"}


def test_the_checklist_is_the_calls_own_and_answers_keep_its_words(
    project, city_manager, call
):
    VisitChecklistItem.objects.create(call=call, order=2, text_ko="현판 부착")
    VisitChecklistItem.objects.create(
        call=call, order=1, text_ko="근로계약서", text_en="Contracts"
    )
    visit = plan(project, city_manager)
    with pytest.raises(ValidationError) as refused:
        record(visit, city_manager, answers=all_in_order(5))
    assert codes(refused.value) == {"checklist_incomplete"}
    with pytest.raises(ValidationError) as refused:
        record(
            visit,
            city_manager,
            answers=[services.AnswerRow(Answer.OK), services.AnswerRow(Answer.NOT_OK)],
        )
    assert codes(refused.value) == {"note_required"}
    record(
        visit,
        city_manager,
        answers=[
            services.AnswerRow(Answer.OK),
            services.AnswerRow(Answer.NOT_APPLICABLE, "없음"),
        ],
    )
    VisitChecklistItem.objects.filter(call=call).update(text_ko="바뀐 문구")
    assert list(
        ChecklistAnswer.objects.filter(visit=visit).values_list("text_ko", "answer")
    ) == [("근로계약서", "ok"), ("현판 부착", "na")]


def test_a_call_without_a_checklist_uses_the_default_five_lines(call):
    lines = services.checklist_for(call)
    assert [line.text_ko for line in lines] == [
        "참여자 근로계약서 확인",
        "출근부·근무일지",
        "사업비 집행 증빙",
        "보조금 전용계좌",
        "홍보·현판",
    ]


def test_close_blocker_and_final_report_say_what_is_open_without_names(
    finding, done_visit, city_manager, bupyeong_officer
):
    second = add_finding(done_visit, city_manager, text="현판 미부착", severity="minor")
    blocker = selectors.close_blocker(done_visit.project)
    assert blocker is not None
    assert "2" in blocker and "#1" in blocker and "#2" in blocker
    rows = selectors.final_report_findings(done_visit.project)
    assert [row["text"] for row in rows] == [finding.text, second.text]
    assert set(rows[0]) == {
        "visit_date",
        "severity",
        "text",
        "corrective_action",
        "due_on",
        "status",
        "closed_on",
    }
    assert rows[0]["severity"] == "보통" and rows[0]["status"] == "미결"
    assert rows[0]["visit_date"] == date(2019, 7, 10)
    flat = repr(rows)
    assert city_manager.username not in flat and bupyeong_officer.username not in flat


def test_overdue_is_open_or_returned_past_the_due_day(
    finding, city_manager, bupyeong_officer
):
    after = date(2019, 8, 10)
    assert services.is_overdue(finding, after)
    assert not services.is_overdue(finding, DUE)
    assert selectors.finding_counts(city_manager, after) == {
        "open": 1,
        "overdue": 1,
        "answered": 0,
    }
    services.finding_answer(actor=bupyeong_officer, finding=finding, answer="보완")
    assert selectors.finding_counts(city_manager, after)["overdue"] == 0
    services.finding_return(actor=city_manager, finding=finding, note="부족")
    assert selectors.finding_counts(bupyeong_officer, after)["overdue"] == 1


def test_findings_are_seen_by_the_city_and_the_own_district_only(
    finding, seogu_officer, reviewer, bupyeong_approver, city_manager
):
    from accounts import access

    assert access.can_view(city_manager, finding)
    assert access.can_view(bupyeong_approver, finding)
    assert not access.can_view(seogu_officer, finding)
    assert not access.can_view(reviewer, finding)
    assert not Finding.objects.none().exists()
