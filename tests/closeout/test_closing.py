"""Closing a project (사업 종료): only when every close condition holds, each
unmet one shown at once; a closed project takes no report, change request or
payment; reopening needs a reason and a fresh re-authentication, and both are
kept in the project's history and the audit trail."""

from datetime import date, datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from closeout import services
from closeout.conditions import (
    register_close_condition,
    unmet_close_conditions,
    unregister_close_condition,
)
from closeout.models import ProjectClosure
from funding import services as funding
from projects.models import ProjectStatus
from projects.months import SEOUL
from projects.services import change_request_propose
from reporting.models import MonthlyReport
from reporting.services import report_accept, report_save_draft, report_submit
from tests.helpers import reauthenticate
from tests.projects.fixtures import plan_data
from tests.reporting.helpers import figures, file_month

from .conftest import accepted, submitted

CLOSED_AT = datetime(2020, 2, 10, 10, 0, tzinfo=SEOUL)


def _settlement_pending(project):
    return "The settlement is not accepted yet: accept it first."


def _findings_open(project):
    return "2 site-visit findings are still open: close them first."


@pytest.fixture
def fake_conditions():
    register_close_condition(_settlement_pending)
    register_close_condition(_findings_open)
    yield
    unregister_close_condition(_settlement_pending)
    unregister_close_condition(_findings_open)


def closed(project, city):
    services.project_close(actor=city, project=project, now=CLOSED_AT)
    project.refresh_from_db()
    return project


def test_closing_is_refused_with_every_unmet_condition_listed(
    project, bupyeong_officer, city_manager, fake_conditions
):
    with pytest.raises(ValidationError) as refused:
        services.project_close(actor=city_manager, project=project)
    messages = refused.value.messages
    assert len(messages) == 3
    assert "결과 보고서" in messages[0]  # Korean first
    assert messages[1:] == [_settlement_pending(project), _findings_open(project)]
    project.refresh_from_db()
    assert project.status == ProjectStatus.ACTIVE
    assert not ProjectClosure.objects.exists()
    # With the final report accepted, the other two remain.
    accepted(project, bupyeong_officer, city_manager)
    assert unmet_close_conditions(project) == messages[1:]


def test_an_unregistered_condition_no_longer_blocks(
    project, bupyeong_officer, city_manager
):
    register_close_condition(_settlement_pending)
    unregister_close_condition(_settlement_pending)
    accepted(project, bupyeong_officer, city_manager)
    assert unmet_close_conditions(project) == []


def test_the_final_report_condition_says_where_the_report_is(
    project, bupyeong_officer, city_manager
):
    [reason] = unmet_close_conditions(project)
    assert "제출되지 않았습니다" in reason
    report = submitted(project, bupyeong_officer)
    [reason] = unmet_close_conditions(project)
    assert "시의 검토를 기다리고" in reason
    services.final_report_return(actor=city_manager, report=report, comment="보완")
    [reason] = unmet_close_conditions(project)
    assert "반려되었습니다" in reason


def test_closing_when_every_condition_holds_is_recorded(
    project, bupyeong_officer, city_manager
):
    accepted(project, bupyeong_officer, city_manager)
    project = closed(project, city_manager)
    assert project.status == ProjectStatus.CLOSED
    closure = ProjectClosure.objects.get(project=project)
    assert (closure.closed_by, closure.closed_at, closure.previous_status) == (
        city_manager,
        CLOSED_AT,
        ProjectStatus.ACTIVE,
    )
    with pytest.raises(ValidationError):
        services.project_close(actor=city_manager, project=project)


def test_only_the_city_closes(
    project, bupyeong_officer, bupyeong_approver, seogu_officer, reviewer, city_manager
):
    accepted(project, bupyeong_officer, city_manager)
    for someone in (bupyeong_officer, bupyeong_approver, seogu_officer, reviewer):
        with pytest.raises(PermissionDenied):
            services.project_close(actor=someone, project=project)
    project.refresh_from_db()
    assert project.status == ProjectStatus.ACTIVE


# --- the doors of a closed project ------------------------------------------------


def test_a_closed_project_refuses_a_report_submission(
    project, bupyeong_officer, city_manager
):
    month = date(2019, 3, 1)
    report_save_draft(
        project=project, period=month, actor=bupyeong_officer, values=figures()
    )
    accepted(project, bupyeong_officer, city_manager)
    closed(project, city_manager)
    report = MonthlyReport.objects.get(project=project, period=month)
    with pytest.raises(ValidationError) as refused:
        report_submit(report=report, actor=bupyeong_officer)
    assert refused.value.code == "project_closed"
    report.refresh_from_db()
    assert report.status == "draft"


def test_a_closed_project_refuses_accepting_a_report(
    project, bupyeong_officer, city_manager
):
    report = file_month(project, bupyeong_officer, date(2019, 3, 1))
    accepted(project, bupyeong_officer, city_manager)
    closed(project, city_manager)
    with pytest.raises(ValidationError) as refused:
        report_accept(report=report, actor=city_manager)
    assert refused.value.code == "project_closed"
    report.refresh_from_db()
    assert report.status == "submitted"


def test_a_closed_project_refuses_a_change_request(
    project, bupyeong_officer, city_manager
):
    accepted(project, bupyeong_officer, city_manager)
    closed(project, city_manager)
    with pytest.raises(ValidationError) as refused:
        change_request_propose(
            project=project,
            actor=bupyeong_officer,
            proposed=plan_data(),
            reason="목표 조정",
            effective_from=date(2019, 6, 1),
        )
    assert refused.value.code == "project_closed"
    assert not project.change_requests.exists()


def test_a_closed_project_refuses_a_tranche_request(
    project, bupyeong_officer, city_manager
):
    accepted(project, bupyeong_officer, city_manager)
    closed(project, city_manager)
    tranche = project.tranches.get(number=1)
    with pytest.raises(ValidationError) as refused:
        funding.tranche_request(
            actor=bupyeong_officer, tranche=tranche, amount=tranche.amount
        )
    assert refused.value.code == "project_closed"
    tranche.refresh_from_db()
    assert tranche.status == "scheduled"


# --- reopening ----------------------------------------------------------------------


def test_reopening_needs_a_reason_and_the_city(project, bupyeong_officer, city_manager):
    accepted(project, bupyeong_officer, city_manager)
    closed(project, city_manager)
    with pytest.raises(ValidationError) as refused:
        services.project_reopen(actor=city_manager, project=project, reason="  ")
    assert "reason" in refused.value.error_dict
    with pytest.raises(PermissionDenied):
        services.project_reopen(
            actor=bupyeong_officer, project=project, reason="정산 오류"
        )
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED


def test_reopening_without_reauthentication_changes_nothing_and_keeps_the_reason(
    client, project, bupyeong_officer, city_manager
):
    accepted(project, bupyeong_officer, city_manager)
    closed(project, city_manager)
    client.force_login(city_manager)
    response = client.post(
        reverse("closeout_project_reopen", args=[project.pk]),
        {"reason": "정산 금액 정정"},
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts_reauth"))
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED
    back = client.get(reverse("closeout_final_report", args=[project.pk]))
    assert "정산 금액 정정</textarea>" in back.content.decode()


def test_reopening_with_reauthentication_is_recorded_and_audited(
    client, project, bupyeong_officer, city_manager
):
    accepted(project, bupyeong_officer, city_manager)
    closed(project, city_manager)
    client.force_login(city_manager)
    reauthenticate(client)
    response = client.post(
        reverse("closeout_project_reopen", args=[project.pk]),
        {"reason": "정산 금액 정정"},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    project.refresh_from_db()
    assert project.status == ProjectStatus.ACTIVE
    closure = ProjectClosure.objects.get(project=project)
    assert (closure.reopened_by, closure.reopen_reason) == (
        city_manager,
        "정산 금액 정정",
    )
    entry = (
        LogEntry.objects.get_for_object(closure)
        .filter(action=LogEntry.Action.UPDATE)
        .latest("timestamp")
    )
    assert entry.actor == city_manager
    assert entry.additional_data == {
        "kind": "project_reopened",
        "reason": "정산 금액 정정",
    }
    # Close again: the history keeps both closings.
    closed(project, city_manager)
    assert ProjectClosure.objects.filter(project=project).count() == 2
    page = client.get(reverse("closeout_final_report", args=[project.pk]))
    assert page.content.decode().count("정산 금액 정정") == 1
