"""The final report's screens: the district writes and submits, the city
decides, the PDF and the public outcomes page show it; other districts,
reviewers and anonymous visitors are refused; a refused submission keeps
everything typed and says what to do."""

from datetime import datetime
from unittest import mock

from django.urls import reverse

from closeout.models import FinalReport, FinalReportStatus
from projects.months import SEOUL

from .conftest import TEXTS, accepted, submitted

AFTER = datetime(2020, 1, 21, 9, 0, tzinfo=SEOUL)
BEFORE = datetime(2019, 12, 20, 9, 0, tzinfo=SEOUL)


def _page(project):
    return reverse("closeout_final_report", args=[project.pk])


def _at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_other_districts_reviewers_and_anonymous_are_refused(
    client, project, seogu_officer, reviewer
):
    urls = [
        _page(project),
        reverse("closeout_final_report_pdf", args=[project.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to sign in
    client.force_login(seogu_officer)
    for url in urls:
        assert client.get(url).status_code == 404
    response = client.post(
        reverse("closeout_final_report_save", args=[project.pk]),
        {**TEXTS, "submit": "1"},
    )
    assert response.status_code == 404
    client.force_login(reviewer)
    for url in urls:
        assert client.get(url).status_code in (302, 403, 404)
    assert client.get(reverse("closeout_index")).status_code in (302, 403)
    assert not FinalReport.objects.exists()


def test_the_district_submits_from_the_screen(client, project, bupyeong_officer):
    client.force_login(bupyeong_officer)
    page = client.get(_page(project))
    assert page.status_code == 200
    assert "data-narrative-form" in page.content.decode()
    with _at(AFTER):
        response = client.post(
            reverse("closeout_final_report_save", args=[project.pk]),
            {**TEXTS, "submit": "1"},
        )
    assert response.status_code == 302
    report = FinalReport.objects.get(project=project)
    assert report.status == FinalReportStatus.SUBMITTED
    assert report.current.achievements == TEXTS["achievements"]


def test_a_refused_submission_keeps_what_was_typed_and_says_when(
    client, project, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    typed = {**TEXTS, "achievements": "올해 성과를 정리했다", "lessons": ""}
    with _at(BEFORE):
        response = client.post(
            reverse("closeout_final_report_save", args=[project.pk]),
            {**typed, "submit": "1"},
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert "올해 성과를 정리했다</textarea>" in html
    assert 'data-field-error="lessons"' in html
    assert "2020-01-01" in html
    assert not FinalReport.objects.exists()


def test_the_city_accepts_from_the_screen_and_a_return_needs_a_comment(
    client, project, bupyeong_officer, city_manager
):
    report = submitted(project, bupyeong_officer)
    client.force_login(city_manager)
    assert "data-decision-form" in client.get(_page(project)).content.decode()
    refused = client.post(
        reverse("closeout_final_report_decide", args=[project.pk, "return"]),
        {"comment": ""},
    )
    assert refused.status_code == 400
    assert 'data-field-error="comment"' in refused.content.decode()
    report.refresh_from_db()
    assert report.status == FinalReportStatus.SUBMITTED
    response = client.post(
        reverse("closeout_final_report_decide", args=[project.pk, "accept"]),
        {"comment": ""},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == FinalReportStatus.ACCEPTED


def test_the_district_cannot_decide_its_own_report(client, project, bupyeong_officer):
    report = submitted(project, bupyeong_officer)
    client.force_login(bupyeong_officer)
    response = client.post(
        reverse("closeout_final_report_decide", args=[project.pk, "accept"]), {}
    )
    assert response.status_code in (302, 403)
    assert not response.get("Location", "").endswith(_page(project))
    report.refresh_from_db()
    assert report.status == FinalReportStatus.SUBMITTED


def test_closing_on_the_screen_lists_every_unmet_condition(
    client, project, city_manager
):
    client.force_login(city_manager)
    response = client.post(reverse("closeout_project_close", args=[project.pk]))
    assert response.status_code == 400
    assert "data-close-errors" in response.content.decode()
    project.refresh_from_db()
    assert project.status == "active"


def test_the_pdf_shows_the_final_report(
    client, project, bupyeong_officer, city_manager
):
    accepted(project, bupyeong_officer, city_manager)
    client.force_login(bupyeong_officer)
    response = client.get(reverse("closeout_final_report_pdf", args=[project.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_outcomes_page_lists_accepted_final_reports_only(
    client, project, bupyeong_officer, city_manager, home_page
):
    from reporting.evaluation.models import OutcomesPage

    outcomes = OutcomesPage(title="2019 성과", slug="outcomes-2019", year=2019)
    home_page.add_child(instance=outcomes)
    report = submitted(project, bupyeong_officer)
    html = client.get(outcomes.url).content.decode()
    assert "data-completed-projects" in html
    assert f'data-completed="{project.code}"' not in html
    from closeout import services

    services.final_report_accept(actor=city_manager, report=report)
    html = client.get(outcomes.url).content.decode()
    assert f'data-completed="{project.code}"' in html
    assert TEXTS["achievements"] in html


def test_the_evaluation_shows_the_final_report_status(
    client, project, bupyeong_officer, city_manager
):
    accepted(project, bupyeong_officer, city_manager)
    client.force_login(city_manager)
    response = client.get(
        reverse("evaluation_dashboard"),
        {"project": project.code, "year": 2019, "month": 12},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-final-report-status" in html
    assert str(FinalReportStatus.ACCEPTED.label) in html
