"""District isolation of reports: in the access module, the services and the admin."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts import access
from projects.models import Project
from reporting.models import MonthlyReport, ReportStatus, ReportVersion
from reporting.services import report_accept, report_save_draft, report_submit

from .helpers import figures, file_month, kst

JAN, FEB = date(2019, 1, 1), date(2019, 2, 1)


@pytest.fixture
def seogu_report(seogu_project, seogu_officer):
    return file_month(seogu_project, seogu_officer, JAN, values=figures(households=77))


@pytest.fixture
def seogu_draft(seogu_project, seogu_officer):
    report_save_draft(
        project=seogu_project,
        period=FEB,
        actor=seogu_officer,
        values=figures(),
        now=kst(2019, 3, 2, 9),
    )
    return MonthlyReport.objects.get(project=seogu_project, period=FEB)


def test_a_district_officer_sees_only_their_own_districts_projects_and_reports(
    bupyeong_project, bupyeong_officer, seogu_report, seogu_draft
):
    assert list(access.visible_to(bupyeong_officer, Project)) == [bupyeong_project]
    assert not access.visible_to(bupyeong_officer, MonthlyReport).exists()
    assert not access.visible_to(bupyeong_officer, ReportVersion).exists()
    assert not access.can_view(bupyeong_officer, seogu_report)


def test_the_city_sees_every_report_sent_but_no_draft(
    city_manager, seogu_report, seogu_draft
):
    assert list(access.visible_to(city_manager, MonthlyReport)) == [seogu_report]
    assert set(
        access.visible_to(city_manager, ReportVersion).values_list("status", flat=True)
    ) == {ReportStatus.SUBMITTED}


def test_a_returned_report_redrafted_stays_in_the_citys_sight(
    city_manager, seogu_project, seogu_officer, seogu_report
):
    from reporting.services import report_return

    report_return(report=seogu_report, actor=city_manager, comment="보완")
    report_save_draft(
        project=seogu_project, period=JAN, actor=seogu_officer, values=figures()
    )
    assert access.can_view(city_manager, seogu_report)
    # ... but not the new draft version itself.
    assert list(
        access.visible_to(city_manager, ReportVersion).values_list("number", flat=True)
    ) == [1]


def test_reviewers_see_no_projects_or_reports(reviewer, seogu_report):
    assert not access.visible_to(reviewer, Project).exists()
    assert not access.visible_to(reviewer, MonthlyReport).exists()


def test_services_refuse_a_bupyeong_officer_on_seogu(
    bupyeong_officer, bupyeong_approver, seogu_project, seogu_report, seogu_draft
):
    with pytest.raises(PermissionDenied):
        report_save_draft(
            project=seogu_project,
            period=date(2019, 3, 1),
            actor=bupyeong_officer,
            values=figures(),
        )
    with pytest.raises(PermissionDenied):
        report_submit(report=seogu_draft, actor=bupyeong_officer)
    for user in (bupyeong_officer, bupyeong_approver):
        with pytest.raises(PermissionDenied):
            report_accept(report=seogu_report, actor=user)
    assert not MonthlyReport.objects.filter(period=date(2019, 3, 1)).exists()
    seogu_draft.refresh_from_db()
    assert seogu_draft.status == ReportStatus.DRAFT


@pytest.mark.parametrize(
    "url",
    [
        lambda r: reverse("reporting_report", args=[r.pk]),
        lambda r: reverse("reporting_report_form", args=[r.project_id, "2019-01"]),
        lambda r: reverse("monthly_reports:edit", args=[r.pk]),
        lambda r: reverse("projects:inspect", args=[r.project_id]),
        lambda r: reverse("projects_change_request_new", args=[r.project_id]),
    ],
    ids=["report", "form", "viewset-edit", "project", "change-request"],
)
def test_the_admin_answers_404_to_a_bupyeong_officer_on_seogu(
    client, bupyeong_officer, seogu_report, url
):
    client.force_login(bupyeong_officer)
    response = client.get(url(seogu_report))
    assert response.status_code == 404
    assert "무빙콜" not in response.content.decode()


@pytest.mark.parametrize("action", ["submit", "accept", "return", "reopen"])
def test_a_bupyeong_officer_cannot_act_on_a_seogu_report(
    client, bupyeong_officer, seogu_report, action
):
    client.force_login(bupyeong_officer)
    response = client.post(
        reverse("reporting_report_action", args=[seogu_report.pk, action]),
        {"note": "x"},
    )
    assert response.status_code == 404
    seogu_report.refresh_from_db()
    assert seogu_report.status == ReportStatus.SUBMITTED


def test_the_city_cannot_open_a_districts_draft(client, city_manager, seogu_draft):
    client.force_login(city_manager)
    assert (
        client.get(reverse("reporting_report", args=[seogu_draft.pk])).status_code
        == 404
    )


def test_the_report_list_shows_only_the_own_district(
    client, bupyeong_project, bupyeong_officer, seogu_report
):
    file_month(bupyeong_project, bupyeong_officer, JAN)
    client.force_login(bupyeong_officer)
    page = client.get(reverse("monthly_reports:index")).content.decode()
    assert "2019-BP-01" in page
    assert "2019-SG-01" not in page


def test_the_month_overview_shows_only_the_own_district(
    client, bupyeong_project, bupyeong_officer, seogu_report
):
    client.force_login(bupyeong_officer)
    page = client.get(reverse("reporting_month"), {"month": "2019-01"}).content.decode()
    assert "2019-BP-01" in page
    assert "2019-SG-01" not in page


def test_reviewers_are_refused_the_report_screens(client, reviewer, seogu_report):
    client.force_login(reviewer)
    assert client.get(reverse("reporting_month")).status_code in (302, 403)
    assert (
        client.get(reverse("reporting_report", args=[seogu_report.pk])).status_code
        == 404
    )
