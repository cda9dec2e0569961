"""Filing, submitting, returning, resubmitting, accepting, locking, reopening."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from reporting.models import (
    MonthlyReport,
    ReportCorrection,
    ReportReopening,
    ReportStatus,
    ReportTransition,
    ReportValue,
)
from reporting.selectors import (
    jobs_created_to_date,
    month_figures,
    totals_in_force,
    version_values,
)
from reporting.services import (
    report_accept,
    report_approver_return,
    report_reopen,
    report_return,
    report_save_draft,
    report_sign_off,
    report_submit,
)

from .helpers import accept_month, figures, file_month, kst

JAN, FEB, MAR = date(2019, 1, 1), date(2019, 2, 1), date(2019, 3, 1)


def test_officer_files_and_city_accepts_and_the_figures_come_into_force(
    bupyeong_project, bupyeong_officer, city_manager
):
    report = file_month(
        bupyeong_project, bupyeong_officer, JAN, now=kst(2019, 2, 8, 10)
    )
    assert report.status == ReportStatus.SUBMITTED
    assert report.first_submitted_at == kst(2019, 2, 8, 10)
    assert (
        month_figures(project=bupyeong_project, period=JAN)["households"] == {}
    )  # not yet accepted

    report_accept(report=report, actor=city_manager, now=kst(2019, 2, 9, 10))
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert report.is_locked
    assert report.accepted_version.number == 1
    month = month_figures(project=bupyeong_project, period=JAN)
    assert (month["households"], month["visits"]) == ({"total": 100}, {"total": 280})
    assert jobs_created_to_date(until=JAN, project=bupyeong_project) == 3
    assert [t.action for t in report.transitions.all()] == ["save", "submit", "accept"]


def test_a_resubmitted_version_replaces_the_whole_month(
    bupyeong_project, bupyeong_officer, city_manager
):
    """Replace semantics: a value left out of the new version is gone from the
    month, not kept from the old one."""
    report = file_month(
        bupyeong_project, bupyeong_officer, JAN, values=figures(visits=280, seniors=1)
    )
    report_return(
        report=report,
        actor=city_manager,
        comment="방문 횟수 근거가 없습니다.",
        now=kst(2019, 2, 6, 9),
    )
    # The resubmission leaves visits and the seniors' figures out.
    resubmitted = figures(
        drop=[("visits", "total"), ("new_hires", "seniors"), ("employed", "seniors")]
    )
    report_save_draft(
        project=bupyeong_project,
        period=JAN,
        actor=bupyeong_officer,
        values=resubmitted,
        now=kst(2019, 2, 7, 9),
    )
    report_submit(report=report, actor=bupyeong_officer, now=kst(2019, 2, 7, 9))
    report_accept(report=report, actor=city_manager, now=kst(2019, 2, 8, 9))

    month = month_figures(project=bupyeong_project, period=JAN)
    assert month["households"] == {"total": 100} and month["visits"] == {}
    assert month["new_hires"] == {"women": 3}
    assert totals_in_force(project=bupyeong_project)["households"] == {"total": 100}
    assert jobs_created_to_date(until=JAN, project=bupyeong_project) == 3
    # The first version is kept, with its visits, but not in force.
    first, second = report.versions.order_by("number")
    assert version_values(first)["visits"]["total"] == 280
    assert first.status == ReportStatus.RETURNED
    assert first.decision_comment == "방문 횟수 근거가 없습니다."
    assert second.status == ReportStatus.ACCEPTED
    assert (
        ReportValue.objects.filter(
            project=bupyeong_project, period=JAN, in_force=True
        ).count()
        == 5
    )


def test_saving_a_draft_again_replaces_its_figures(bupyeong_project, bupyeong_officer):
    report_save_draft(
        project=bupyeong_project,
        period=JAN,
        actor=bupyeong_officer,
        values=figures(),
        now=kst(2019, 2, 3, 9),
    )
    version = report_save_draft(
        project=bupyeong_project,
        period=JAN,
        actor=bupyeong_officer,
        values={"households": {"total": 5}},
        now=kst(2019, 2, 3, 10),
    )
    assert version.number == 1
    assert version_values(version)["households"] == {"total": 5}
    assert version_values(version)["spending"] == {}


def test_a_refused_figure_reaches_the_caller_with_its_checks_code(
    bupyeong_project, bupyeong_officer
):
    with pytest.raises(ValidationError) as refused:
        report_save_draft(
            project=bupyeong_project,
            period=JAN,
            actor=bupyeong_officer,
            values=figures(households=-1),
            now=kst(2019, 2, 1, 9),
        )
    [error] = refused.value.error_dict["households.total"]
    assert error.code == "negative_number"
    assert error.message == "방문 가구: 0 이상이어야 합니다(입력값 -1)."


def test_accepted_month_is_locked(bupyeong_project, bupyeong_officer, city_manager):
    accept_month(bupyeong_project, bupyeong_officer, city_manager, JAN)
    with pytest.raises(ValidationError) as refused:
        report_save_draft(
            project=bupyeong_project,
            period=JAN,
            actor=bupyeong_officer,
            values=figures(households=1),
            now=kst(2019, 3, 1, 9),
        )
    assert refused.value.error_list[0].code == "month_locked"
    assert "승인된 월은 잠겨 있습니다" in refused.value.messages[0]
    assert (
        month_figures(project=bupyeong_project, period=JAN)["households"]["total"]
        == 100
    )


def test_only_a_city_manager_reopens_and_only_with_a_reason(
    bupyeong_project, bupyeong_officer, bupyeong_approver, city_manager
):
    report = accept_month(bupyeong_project, bupyeong_officer, city_manager, JAN)
    for user in (bupyeong_officer, bupyeong_approver):
        with pytest.raises(PermissionDenied):
            report_reopen(report=report, actor=user, reason="정정")
    with pytest.raises(ValidationError):
        report_reopen(report=report, actor=city_manager, reason="  ")
    report.refresh_from_db()
    assert report.is_locked
    assert not ReportReopening.objects.exists()


def test_reopening_and_correction_are_recorded_with_old_and_new_values(
    bupyeong_project, bupyeong_officer, city_manager
):
    report = accept_month(bupyeong_project, bupyeong_officer, city_manager, JAN)
    reopening = report_reopen(
        report=report,
        actor=city_manager,
        reason="가구 수 집계 오류 정정 요청",
        now=kst(2019, 3, 20, 10),
    )
    report.refresh_from_db()
    assert not report.is_locked
    assert report.status == ReportStatus.DRAFT
    assert reopening.reopened_by == city_manager
    assert reopening.reopened_at == kst(2019, 3, 20, 10)
    assert reopening.reason == "가구 수 집계 오류 정정 요청"
    # Until the correction is accepted, the accepted figures stay in force.
    assert (
        month_figures(project=bupyeong_project, period=JAN)["households"]["total"]
        == 100
    )
    # The new draft starts as a copy of the accepted version.
    assert version_values(report.current_version) == version_values(
        report.accepted_version
    )

    report_save_draft(
        project=bupyeong_project,
        period=JAN,
        actor=bupyeong_officer,
        values=figures(households=112, drop=[("visits", "total")]),
        now=kst(2019, 3, 21, 9),
    )
    report_submit(report=report, actor=bupyeong_officer, now=kst(2019, 3, 21, 9))
    report_accept(report=report, actor=city_manager, now=kst(2019, 3, 22, 9))

    report.refresh_from_db()
    assert report.is_locked
    assert report.accepted_version.number == 2
    january = month_figures(project=bupyeong_project, period=JAN)
    assert january["households"] == {"total": 112} and january["visits"] == {}
    corrections = {
        (c.measure, c.key): (c.old_value, c.new_value)
        for c in ReportCorrection.objects.all()
    }
    assert corrections == {
        ("households", "total"): (100, 112),
        ("visits", "total"): (280, None),
    }
    correction = ReportCorrection.objects.get(measure="households")
    assert (correction.corrected_by, correction.accepted_by, correction.at) == (
        bupyeong_officer,
        city_manager,
        kst(2019, 3, 22, 9),
    )
    reopening.refresh_from_db()
    assert reopening.corrected_version == report.accepted_version
    assert reopening.closed_at == kst(2019, 3, 22, 9)
    # The first submission still decides timeliness.
    assert report.first_submitted_at == kst(2019, 2, 5, 14)


def test_every_move_is_recorded_with_who_when_and_why(
    bupyeong_project, bupyeong_officer, city_manager
):
    report = file_month(
        bupyeong_project, bupyeong_officer, JAN, now=kst(2019, 2, 5, 14)
    )
    report_return(
        report=report,
        actor=city_manager,
        comment="확인 바랍니다",
        now=kst(2019, 2, 6, 9),
    )
    report_save_draft(
        project=bupyeong_project,
        period=JAN,
        actor=bupyeong_officer,
        values=figures(),
        now=kst(2019, 2, 7, 9),
    )
    moves = [
        (t.action, t.from_status, t.to_status, t.actor, t.version.number, t.note)
        for t in ReportTransition.objects.filter(report=report)
    ]
    assert moves == [
        ("save", "", "draft", bupyeong_officer, 1, ""),
        ("submit", "draft", "submitted", bupyeong_officer, 1, ""),
        ("return", "submitted", "returned", city_manager, 1, "확인 바랍니다"),
        ("save", "returned", "draft", bupyeong_officer, 2, ""),
    ]


def test_returning_needs_a_comment(bupyeong_project, bupyeong_officer, city_manager):
    report = file_month(bupyeong_project, bupyeong_officer, JAN)
    with pytest.raises(ValidationError):
        report_return(report=report, actor=city_manager, comment="")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_district_cannot_accept_and_city_cannot_file(
    bupyeong_project, bupyeong_officer, city_manager, reviewer
):
    report = file_month(bupyeong_project, bupyeong_officer, JAN)
    with pytest.raises(PermissionDenied):
        report_accept(report=report, actor=bupyeong_officer)
    for user in (city_manager, reviewer):
        with pytest.raises(PermissionDenied):
            report_save_draft(
                project=bupyeong_project, period=FEB, actor=user, values=figures()
            )
    assert not MonthlyReport.objects.filter(period=FEB).exists()


def test_a_submitted_report_cannot_be_edited_or_submitted_again(
    bupyeong_project, bupyeong_officer
):
    report = file_month(bupyeong_project, bupyeong_officer, JAN)
    with pytest.raises(ValidationError):
        report_save_draft(
            project=bupyeong_project,
            period=JAN,
            actor=bupyeong_officer,
            values=figures(),
        )
    with pytest.raises(ValidationError):
        report_submit(report=report, actor=bupyeong_officer)


def test_submission_is_refused_while_a_warning_has_no_comment(
    bupyeong_project, bupyeong_officer, city_manager
):
    accept_month(bupyeong_project, bupyeong_officer, city_manager, JAN)
    spike = figures(households=301)
    report_save_draft(
        project=bupyeong_project,
        period=FEB,
        actor=bupyeong_officer,
        values=spike,
        now=kst(2019, 3, 4, 9),
    )
    report = MonthlyReport.objects.get(period=FEB)
    with pytest.raises(ValidationError) as refused:
        report_submit(report=report, actor=bupyeong_officer, now=kst(2019, 3, 4, 9))
    assert list(refused.value.message_dict) == ["comments.spike.households.total"]

    report_save_draft(
        project=bupyeong_project,
        period=FEB,
        actor=bupyeong_officer,
        values=spike,
        comments={"spike.households.total": "설 연휴 전 집중 방문"},
        now=kst(2019, 3, 4, 9),
    )
    version = report_submit(
        report=report, actor=bupyeong_officer, now=kst(2019, 3, 4, 9)
    )
    assert version.status == ReportStatus.SUBMITTED
    assert set(version.warnings) == {"spike.households.total"}
    assert version.comments == {"spike.households.total": "설 연휴 전 집중 방문"}


def test_submission_is_refused_when_a_check_fails(bupyeong_project, bupyeong_officer):
    report_save_draft(
        project=bupyeong_project,
        period=JAN,
        actor=bupyeong_officer,
        values=figures(employed_women=9),
        now=kst(2019, 2, 4, 9),
    )
    report = MonthlyReport.objects.get(period=JAN)
    with pytest.raises(ValidationError) as refused:
        report_submit(report=report, actor=bupyeong_officer, now=kst(2019, 2, 4, 9))
    assert refused.value.message_dict["employed.women"] == [
        "월말 재직자 수(경력단절여성, 9명)가 누적 채용 인원(3명)보다 많습니다."
    ]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_a_report_is_checked_against_the_targets_in_force_for_its_month(
    bupyeong_project, bupyeong_officer, city_manager
):
    from projects.services import (
        change_request_approve,
        change_request_propose,
        plan_data,
    )

    proposed = plan_data(bupyeong_project.current_plan)
    proposed["outputs"] = [o for o in proposed["outputs"] if o["code"] != "visits"]
    change = change_request_propose(
        project=bupyeong_project,
        actor=bupyeong_officer,
        proposed=proposed,
        reason="코칭 방문을 가구 방문으로 통합",
        effective_from=MAR,
    )
    change_request_approve(change_request=change, actor=city_manager)
    # February still has visits in its plan; March no longer does.
    report_save_draft(
        project=bupyeong_project,
        period=FEB,
        actor=bupyeong_officer,
        values=figures(),
        now=kst(2019, 4, 2, 9),
    )
    with pytest.raises(ValidationError) as refused:
        report_save_draft(
            project=bupyeong_project,
            period=MAR,
            actor=bupyeong_officer,
            values=figures(),
            now=kst(2019, 4, 2, 9),
        )
    assert "visits.total" in refused.value.message_dict


def test_a_call_with_sign_off_sends_the_report_to_the_district_approver_first(
    bupyeong_project,
    bupyeong_officer,
    bupyeong_approver,
    city_manager,
    seogu_officer,
    signoff_call,
):
    bupyeong_project.call = signoff_call
    bupyeong_project.save()
    report_save_draft(
        project=bupyeong_project,
        period=JAN,
        actor=bupyeong_officer,
        values=figures(),
        now=kst(2019, 2, 8, 9),
    )
    report = MonthlyReport.objects.get(period=JAN)
    report_submit(report=report, actor=bupyeong_officer, now=kst(2019, 2, 8, 9))
    report.refresh_from_db()
    assert report.status == ReportStatus.AWAITING_APPROVAL
    assert report.first_submitted_at is None  # not yet with the city
    with pytest.raises(ValidationError):
        report_accept(report=report, actor=city_manager)
    for user in (bupyeong_officer, seogu_officer):
        with pytest.raises(PermissionDenied):
            report_sign_off(report=report, actor=user)

    report_sign_off(report=report, actor=bupyeong_approver, now=kst(2019, 2, 11, 9))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.first_submitted_at == kst(2019, 2, 11, 9)
    assert report.current_version.approver_signed_by == bupyeong_approver


def test_the_district_approver_can_return_to_the_officer(
    bupyeong_project, bupyeong_officer, bupyeong_approver, signoff_call
):
    bupyeong_project.call = signoff_call
    bupyeong_project.save()
    report = file_month(bupyeong_project, bupyeong_officer, JAN)
    report_approver_return(
        report=report, actor=bupyeong_approver, comment="지출 증빙 보완"
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    version = report_save_draft(
        project=bupyeong_project, period=JAN, actor=bupyeong_officer, values=figures()
    )
    assert version.number == 2


def test_accepting_and_returning_email_the_district_officers(
    bupyeong_project, bupyeong_officer, city_manager, django_capture_on_commit_callbacks
):
    report = file_month(bupyeong_project, bupyeong_officer, JAN)
    with django_capture_on_commit_callbacks(execute=True):
        report_return(report=report, actor=city_manager, comment="증빙 보완 바랍니다")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [bupyeong_officer.email]
    assert "보완 요청" in mail.outbox[0].subject  # the officer's language
    assert "returned" not in mail.outbox[0].subject
    assert "증빙 보완 바랍니다" in mail.outbox[0].body
