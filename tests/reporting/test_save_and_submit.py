""" "Save and submit" in the monthly report form is one step: it either submits
or leaves the month exactly as it was, says so, and shows every problem at
once with what was typed still in the form (issue 18)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reporting.models import MonthlyReport, ReportStatus
from reporting.services import report_return
from reporting.services.reports import report_save_and_submit

from .helpers import accept_month, figures, file_month, kst
from .test_admin_flow import form_data

JAN, FEB = date(2019, 1, 1), date(2019, 2, 1)


def test_save_and_submit_refused_on_a_warning_writes_nothing_and_says_so(
    client, bupyeong_project, bupyeong_officer, city_manager
):
    accept_month(bupyeong_project, bupyeong_officer, city_manager, JAN)
    client.force_login(bupyeong_officer)
    url = reverse("reporting_report_form", args=[bupyeong_project.pk, "2019-02"])

    response = client.post(
        url,
        {
            **form_data(households__total="900", narrative="방문 캠페인 집중"),
            "action-submit": "1",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert not MonthlyReport.objects.filter(
        project=bupyeong_project, period=FEB
    ).exists()
    assert (
        "아무것도 저장하지 않았고 보고서를 제출하지 않았습니다" in page
    )  # Korean by default
    assert (
        'value="900"' in page and "방문 캠페인 집중" in page
    )  # what was typed is kept


def test_a_returned_report_stays_returned_when_its_resubmission_is_refused(
    client, bupyeong_project, bupyeong_officer, city_manager
):
    accept_month(bupyeong_project, bupyeong_officer, city_manager, JAN)
    report = file_month(bupyeong_project, bupyeong_officer, FEB)
    report_return(
        report=report,
        actor=city_manager,
        comment="가구 수 확인",
        now=kst(2019, 3, 6, 9, 0),
    )
    versions_before = report.versions.count()
    client.force_login(bupyeong_officer)
    url = reverse("reporting_report_form", args=[bupyeong_project.pk, "2019-02"])

    response = client.post(
        url, {**form_data(households__total="900"), "action-submit": "1"}
    )

    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.versions.count() == versions_before


def test_save_and_submit_shows_errors_and_unanswered_warnings_together(
    client, bupyeong_project, bupyeong_officer, city_manager
):
    accept_month(bupyeong_project, bupyeong_officer, city_manager, JAN)
    client.force_login(bupyeong_officer)
    url = reverse("reporting_report_form", args=[bupyeong_project.pk, "2019-02"])

    response = client.post(
        url,
        {
            **form_data(households__total="900", new_hires__women="2.5"),
            "action-submit": "1",
        },
    )

    page = response.content.decode()
    assert (
        "정수를 입력하세요(입력값 2.5)" in page
    )  # the error, in the officer's language
    assert (
        'name="comment__spike.households.total"' in page
    )  # and the warning's comment field
    assert not MonthlyReport.objects.filter(period=FEB).exists()


def test_the_service_refuses_all_or_nothing(
    bupyeong_project, bupyeong_officer, city_manager
):
    accept_month(bupyeong_project, bupyeong_officer, city_manager, JAN)
    with pytest.raises(ValidationError) as caught:
        report_save_and_submit(
            project=bupyeong_project,
            period=FEB,
            actor=bupyeong_officer,
            values=figures(households=900),
            now=kst(2019, 3, 5, 9, 0),
        )
    assert "comments.spike.households.total" in caught.value.message_dict
    assert not MonthlyReport.objects.filter(period=FEB).exists()

    version = report_save_and_submit(
        project=bupyeong_project,
        period=FEB,
        actor=bupyeong_officer,
        values=figures(households=900),
        comments={"spike.households.total": "집중 방문 캠페인"},
        now=kst(2019, 3, 5, 9, 0),
    )
    assert version.pk
    assert MonthlyReport.objects.get(period=FEB).status == ReportStatus.SUBMITTED
