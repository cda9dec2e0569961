"""The final report (결과 보고서): the district writes and submits it once the
project's last month is over, its figures frozen at that moment; the city
accepts it or returns it with a comment; a resubmission is a new version; and
only the project's own district and the city ever reach it."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from closeout import services
from closeout.models import FinalReport, FinalReportStatus, FinalReportTransition
from closeout.sections import (
    register_final_report_section,
    unregister_final_report_section,
)
from common.personal_data import scan_personal_data
from notifications.models import Notification
from reporting.models import ReportValue
from tests.reporting.helpers import accept_month, figures

from .conftest import AFTER_END, BEFORE_END, DECIDED, TEXTS, accepted, submitted


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def test_submission_freezes_targets_against_results_and_spending(
    project, bupyeong_officer
):
    report = submitted(project, bupyeong_officer)
    version = report.current
    snapshot = version.snapshot
    assert report.status == FinalReportStatus.SUBMITTED
    # Two accepted months of 3 women each: 6 of the 27 planned.
    jobs = {row["code"]: (row["target"], row["result"]) for row in snapshot["jobs"]}
    assert jobs == {"women": (27, 6), "seniors": (5, 0)}
    assert snapshot["jobs_total"] == {"target": 32, "result": 6}
    outputs = {
        row["code"]: (row["target"], row["result"]) for row in snapshot["indicators"]
    }
    assert outputs == {"households": (960, 200), "visits": (2_600, 560)}
    spending = {row["code"]: row["spent"] for row in snapshot["spending"]["lines"]}
    assert spending == {"personnel": 14_000_000, "operations": 6_000_000}
    assert snapshot["spending"]["budget"] == 135_000_000
    assert version.submitted_by == bupyeong_officer
    assert FinalReportTransition.objects.get(report=report).to_status == "submitted"


def test_the_snapshot_never_changes_after_submission(
    project, bupyeong_officer, city_manager
):
    from datetime import date

    report = submitted(project, bupyeong_officer)
    frozen = report.current.snapshot
    accept_month(
        project,
        bupyeong_officer,
        city_manager,
        date(2019, 3, 1),
        values=figures(women=9),
    )
    report.refresh_from_db()
    assert report.current.snapshot == frozen
    assert report.current.snapshot["jobs_total"]["result"] == 6
    # The accepted version too.
    services.final_report_accept(actor=city_manager, report=report, now=DECIDED)
    report.refresh_from_db()
    assert report.current.snapshot == frozen


def test_the_snapshot_holds_no_personal_data(project, bupyeong_officer):
    report = submitted(project, bupyeong_officer)
    text = json.dumps(report.current.snapshot, ensure_ascii=False)
    assert scan_personal_data(text) == []
    assert "participant" not in text and "roster" not in text


def test_a_text_with_personal_data_is_refused_and_nothing_is_saved(
    project, bupyeong_officer
):
    with pytest.raises(ValidationError) as refused:
        submitted(
            project, bupyeong_officer, problems="참여자 김철수(45세) 010-1234-5678"
        )
    assert "problems" in refused.value.error_dict
    assert codes(refused.value) == {"personal_data"}
    assert not FinalReport.objects.exists()


def test_submission_before_the_last_month_is_over_is_refused_with_when(
    project, bupyeong_officer
):
    with pytest.raises(ValidationError) as refused:
        submitted(project, bupyeong_officer, now=BEFORE_END)
    assert codes(refused.value) == {"period_not_over"}
    assert "2020-01-01" in " ".join(refused.value.messages)
    # A draft may be saved meanwhile.
    version = services.final_report_save(
        actor=bupyeong_officer, project=project, texts=TEXTS, now=BEFORE_END
    )
    assert version.snapshot is None
    assert version.report.status == FinalReportStatus.DRAFT


def test_submission_needs_every_korean_text(project, bupyeong_officer):
    with pytest.raises(ValidationError) as refused:
        submitted(project, bupyeong_officer, lessons="  ", achievements="")
    assert set(refused.value.error_dict) == {"lessons", "achievements"}


def test_return_needs_a_comment_and_resubmission_is_a_new_version(
    project, bupyeong_officer, city_manager
):
    report = submitted(project, bupyeong_officer)
    with pytest.raises(ValidationError) as refused:
        services.final_report_return(actor=city_manager, report=report, comment=" ")
    assert codes(refused.value) == {"comment_required"}
    services.final_report_return(
        actor=city_manager, report=report, comment="사업비 집행 설명을 보완하세요."
    )
    report.refresh_from_db()
    assert report.status == FinalReportStatus.RETURNED
    # The district is told, with the comment.
    notice = Notification.objects.get(kind="final_report_decided")
    assert notice.recipient == bupyeong_officer
    first = report.current
    services.final_report_submit(
        actor=bupyeong_officer,
        project=project,
        texts={**TEXTS, "problems": "집행 설명 보완"},
        now=AFTER_END,
    )
    report.refresh_from_db()
    assert report.status == FinalReportStatus.SUBMITTED
    assert report.versions.count() == 2
    first.refresh_from_db()
    assert first.city_comment == "사업비 집행 설명을 보완하세요."
    assert report.current.number == 2 and report.current.problems == "집행 설명 보완"


def test_accepting_tells_the_district_and_is_recorded(
    project, bupyeong_officer, city_manager
):
    report = accepted(project, bupyeong_officer, city_manager)
    assert report.status == FinalReportStatus.ACCEPTED
    assert report.accepted_at == DECIDED
    assert list(
        report.transitions.values_list("action", "from_status", "to_status")
    ) == [("submit", "draft", "submitted"), ("accept", "submitted", "accepted")]
    assert Notification.objects.filter(
        kind="final_report_submitted", recipient=city_manager
    ).exists()


def test_wrong_status_is_refused(project, bupyeong_officer, city_manager):
    report = accepted(project, bupyeong_officer, city_manager)
    with pytest.raises(ValidationError) as again:
        services.final_report_accept(actor=city_manager, report=report)
    assert codes(again.value) == {"wrong_status"}
    with pytest.raises(ValidationError) as rewrite:
        services.final_report_save(actor=bupyeong_officer, project=project, texts=TEXTS)
    assert codes(rewrite.value) == {"wrong_status"}


def test_only_the_districts_officer_writes_and_only_the_city_decides(
    project, bupyeong_officer, bupyeong_approver, seogu_officer, reviewer, city_manager
):
    for someone in (seogu_officer, reviewer, bupyeong_approver, city_manager):
        with pytest.raises(PermissionDenied):
            services.final_report_submit(
                actor=someone, project=project, texts=TEXTS, now=AFTER_END
            )
    assert not FinalReport.objects.exists()
    report = submitted(project, bupyeong_officer)
    for someone in (bupyeong_officer, bupyeong_approver, seogu_officer, reviewer):
        with pytest.raises(PermissionDenied):
            services.final_report_accept(actor=someone, report=report)
    report.refresh_from_db()
    assert report.status == FinalReportStatus.SUBMITTED


def test_registered_sections_are_shown_and_frozen(project, bupyeong_officer):
    rows = [{"item": "unspent", "amount": 1_200}]
    register_final_report_section("settlement", lambda: "Settlement", lambda p: rows)
    try:
        report = submitted(project, bupyeong_officer)
    finally:
        unregister_final_report_section("settlement")
    rows.append({"item": "interest", "amount": 5})  # later changes stay out
    sections = report.current.snapshot["sections"]
    assert sections == [
        {
            "key": "settlement",
            "title_ko": "Settlement",
            "title_en": "Settlement",
            "rows": [{"item": "unspent", "amount": 1_200}],
        }
    ]


def test_spending_under_a_code_no_longer_in_the_budget_is_kept(
    project, bupyeong_officer
):
    ReportValue.objects.filter(
        project=project, measure="spending", key="personnel"
    ).update(key="travel")
    report = submitted(project, bupyeong_officer)
    lines = {row["code"]: row for row in report.current.snapshot["spending"]["lines"]}
    assert lines["travel"]["spent"] == 14_000_000
    assert (lines["travel"]["budget"], lines["personnel"]["spent"]) == (0, 0)
    assert report.current.snapshot["spending"]["spent"] == 20_000_000
