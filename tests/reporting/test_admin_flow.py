"""A district officer files a month in the admin form; a city manager accepts it."""

from datetime import date

from django.urls import reverse

from reporting.models import MonthlyReport, ReportStatus
from reporting.selectors import month_figures
from tests.helpers import reauthenticate

from .helpers import accept_month, figures

JAN, FEB = date(2019, 1, 1), date(2019, 2, 1)


def form_data(**overrides):
    data = {
        "new_hires__women": "2",
        "new_hires__seniors": "0",
        "employed__women": "5",
        "employed__seniors": "0",
        "households__total": "110",
        "visits__total": "",
        "spending__personnel": "7000000",
        "spending__operations": "3000000",
        "narrative": "코칭 활동가 2명 추가 채용",
        "roster": "",
    }
    data.update(overrides)
    return data


def test_officer_files_a_month_and_city_accepts_it(
    client, bupyeong_project, bupyeong_officer, city_manager
):
    accept_month(
        bupyeong_project, bupyeong_officer, city_manager, JAN
    )  # 3 women, 100 households
    url = reverse("reporting_report_form", args=[bupyeong_project.pk, "2019-02"])

    client.force_login(bupyeong_officer)
    page = client.get(url).content.decode()
    # Beside households: target 960, total so far 100, last month 100.
    assert "960" in page and "2,600" in page
    assert page.count(">100<") >= 2
    response = client.post(url, {**form_data(), "action-submit": "1"})
    report = MonthlyReport.objects.get(project=bupyeong_project, period=FEB)
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting_report", args=[report.pk])
    assert report.status == ReportStatus.SUBMITTED

    client.force_login(city_manager)
    detail = client.get(reverse("reporting_report", args=[report.pk])).content.decode()
    assert 'data-action="accept"' in detail
    response = client.post(
        reverse("reporting_report_action", args=[report.pk, "accept"]), {"note": ""}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert report.is_locked
    # Visits were left blank: absent from the month, not zero and not carried over.
    february = month_figures(project=bupyeong_project, period=FEB)
    assert february["households"] == {"total": 110} and february["visits"] == {}


def test_the_form_shows_each_error_beside_its_field_and_saves_nothing(
    client, bupyeong_project, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    url = reverse("reporting_report_form", args=[bupyeong_project.pk, "2019-01"])
    response = client.post(
        url,
        {
            **form_data(new_hires__women="2.5", narrative="연락처 010-1234-5678"),
            "action-submit": "1",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "정수를 입력하세요(입력값 2.5)" in page
    assert "enter a whole number" not in page  # the officer's language only
    assert (
        "개인정보(휴대전화 번호 010-****-****)" in page
    )  # the reader's language, masked
    assert not MonthlyReport.objects.exists()


def test_a_warning_asks_for_a_comment_in_the_form(
    client, bupyeong_project, bupyeong_officer, city_manager
):
    accept_month(bupyeong_project, bupyeong_officer, city_manager, JAN)
    client.force_login(bupyeong_officer)
    url = reverse("reporting_report_form", args=[bupyeong_project.pk, "2019-02"])
    response = client.post(
        url, {**form_data(households__total="900"), "action-submit": "1"}
    )
    assert response.status_code == 200
    assert 'name="comment__spike.households.total"' in response.content.decode()
    assert not MonthlyReport.objects.filter(
        period=FEB
    ).exists()  # all or nothing: not even a draft

    response = client.post(
        url,
        {
            **form_data(households__total="900"),
            "comment__spike.households.total": "집중 방문 캠페인",
            "action-submit": "1",
        },
    )
    assert response.status_code == 302
    report = MonthlyReport.objects.get(period=FEB)
    assert report.status == ReportStatus.SUBMITTED


def test_the_report_page_shows_the_differences_between_versions(
    client, bupyeong_project, bupyeong_officer, city_manager
):
    from reporting.services import report_return, report_save_draft, report_submit

    from .helpers import file_month

    report = file_month(bupyeong_project, bupyeong_officer, JAN)
    report_return(report=report, actor=city_manager, comment="가구 수 확인")
    report_save_draft(
        project=bupyeong_project,
        period=JAN,
        actor=bupyeong_officer,
        values=figures(households=95),
    )
    report_submit(report=report, actor=bupyeong_officer)
    client.force_login(city_manager)
    page = client.get(reverse("reporting_report", args=[report.pk])).content.decode()
    assert "100 → 95" in page
    assert "가구 수 확인" in page


def test_the_city_reopens_an_accepted_month_with_a_reason(
    client, bupyeong_project, bupyeong_officer, city_manager
):
    report = accept_month(bupyeong_project, bupyeong_officer, city_manager, JAN)
    client.force_login(city_manager)
    reauthenticate(client)
    url = reverse("reporting_report_action", args=[report.pk, "reopen"])
    client.post(url, {"note": ""})
    report.refresh_from_db()
    assert report.is_locked
    client.post(url, {"note": "집계 오류"})
    report.refresh_from_db()
    assert not report.is_locked
    assert report.reopenings.get().reason == "집계 오류"


def test_the_month_overview_and_project_page_render_for_both_roles(
    client, bupyeong_project, bupyeong_officer, city_manager
):
    accept_month(bupyeong_project, bupyeong_officer, city_manager, JAN)
    for user in (bupyeong_officer, city_manager):
        client.force_login(user)
        overview = client.get(reverse("reporting_month"), {"month": "2019-01"})
        assert overview.status_code == 200
        assert "100.0" in overview.content.decode()  # on-time rate
        project_page = client.get(
            reverse("projects:inspect", args=[bupyeong_project.pk])
        )
        assert project_page.status_code == 200
        assert "2019년 1월" in project_page.content.decode()  # the month, as read
