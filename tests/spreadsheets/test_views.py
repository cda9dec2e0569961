"""The admin screens: who reaches them, and the upload and import paths."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from common.models import BackgroundJob
from reporting.models import MonthlyReport
from reporting.selectors import version_values

from .conftest import FEB, FEB_SPENDING, FEB_VALUES, fill
from .test_bulk import long_xlsx, month_rows


def _urls(project, month="2019-02"):
    return {
        name: reverse(f"spreadsheets_{name}", args=[project.pk, month])
        for name in ("template", "upload")
    }


def test_an_officer_downloads_the_template_of_their_districts_project(
    client, bupyeong_project, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    response = client.get(_urls(bupyeong_project)["template"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook["_sangsaeng"]["B2"].value == bupyeong_project.code


def test_another_districts_template_and_upload_are_not_found(
    client, bupyeong_project, seogu_officer
):
    client.force_login(seogu_officer)
    urls = _urls(bupyeong_project)
    assert client.get(urls["template"]).status_code == 404
    assert client.get(urls["upload"]).status_code == 404
    assert (
        client.post(
            reverse(
                "spreadsheets_upload_confirm", args=[bupyeong_project.pk, "2019-02"]
            ),
            {"token": "x"},
        ).status_code
        == 404
    )


def test_anonymous_users_are_sent_to_sign_in(client, bupyeong_project):
    for url in [*_urls(bupyeong_project).values(), reverse("spreadsheets_bulk_import")]:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_upload_shows_a_preview_and_confirm_saves_it(
    client, bupyeong_project, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    data = fill(bupyeong_project, FEB, values=FEB_VALUES, spending=FEB_SPENDING)
    url = _urls(bupyeong_project)["upload"]
    response = client.post(url, {"file": SimpleUploadedFile("feb.xlsx", data)})
    page = response.content.decode()
    assert (
        response.status_code == 200
        and "data-upload-changes" in page
        and "방문 가구" in page
    )
    assert "Households visited" not in page  # one language: the officer's
    assert not MonthlyReport.objects.exists()
    token = response.context["token"]
    response = client.post(
        reverse("spreadsheets_upload_confirm", args=[bupyeong_project.pk, "2019-02"]),
        {"token": token},
    )
    report = MonthlyReport.objects.get(project=bupyeong_project, period=FEB)
    assert response.status_code == 302 and response["Location"] == reverse(
        "reporting_report", args=[report.pk]
    )
    stored = version_values(report.current_version)
    assert (stored["households"], stored["visits"]) == ({"total": 110}, {"total": 300})


def test_upload_errors_are_shown_with_sheet_and_cell_and_nothing_can_be_confirmed(
    client, bupyeong_project, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    data = fill(
        bupyeong_project,
        FEB,
        values={**FEB_VALUES, "visits.total": "삼십"},
        spending=FEB_SPENDING,
    )
    response = client.post(
        _urls(bupyeong_project)["upload"],
        {"file": SimpleUploadedFile("feb.xlsx", data)},
    )
    page = response.content.decode()
    assert (
        "<td>실적</td><td><code>D20</code></td><td>&#x27;삼십&#x27;은 숫자가 아닙니다</td>"
        in page
    )
    assert response.context["token"] == "" and "data-confirm-upload" not in page


def test_upload_errors_are_shown_in_the_officers_own_language(
    client, bupyeong_project, bupyeong_officer
):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(bupyeong_officer)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(bupyeong_officer)
    data = fill(
        bupyeong_project,
        FEB,
        values={**FEB_VALUES, "visits.total": "삼십"},
        spending=FEB_SPENDING,
    )
    response = client.post(
        _urls(bupyeong_project)["upload"],
        {"file": SimpleUploadedFile("feb.xlsx", data)},
    )
    page = response.content.decode()
    assert (
        "<td>실적</td><td><code>D20</code></td><td>&#x27;삼십&#x27; is not a number</td>"
        in page
    )
    assert "숫자가 아닙니다" not in page


def test_a_refused_file_is_reported_on_the_form(
    client, bupyeong_project, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    response = client.post(
        _urls(bupyeong_project)["upload"],
        {"file": SimpleUploadedFile("feb.xlsm", b"PK")},
    )
    page = response.content.decode()
    assert response.status_code == 200
    # In the officer's language only.
    assert "매크로가 들어 있을 수 있는 형식(.xlsm)은 받지 않습니다" in page
    assert "Macro-enabled files" not in page


def test_a_city_manager_may_not_upload_a_districts_month(
    client, bupyeong_project, city_manager
):
    client.force_login(city_manager)
    assert client.get(_urls(bupyeong_project)["template"]).status_code == 200
    refused = client.get(_urls(bupyeong_project)["upload"])
    # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
    assert refused.status_code == 302 and refused["Location"] == reverse(
        "wagtailadmin_home"
    )


def test_bulk_import_is_for_city_managers_only(client, bupyeong_officer):
    client.force_login(bupyeong_officer)
    refused = client.get(reverse("spreadsheets_bulk_import"))
    assert refused.status_code == 302 and refused["Location"] == reverse(
        "wagtailadmin_home"
    )


def test_bulk_import_dry_run_then_job_with_progress(
    client, bupyeong_project, city_manager, django_capture_on_commit_callbacks
):
    client.force_login(city_manager)
    code = bupyeong_project.code
    rows = month_rows(code, "2019-01") + [(code, "2019-02", "households", "total", "x")]
    response = client.post(
        reverse("spreadsheets_bulk_import"),
        {
            "file": SimpleUploadedFile("past.xlsx", long_xlsx(rows)),
            "skip_rejected": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["summary"] == {
        "new": 4,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
    }
    assert response.context["result"].totals["invalid"] == 1
    assert [(e.line, e.column) for e in response.context["errors"]] == [(6, "E")]
    assert not MonthlyReport.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("spreadsheets_bulk_import_start"),
            {"token": response.context["token"]},
        )
    job = BackgroundJob.objects.get()
    assert response["Location"] == reverse("spreadsheets_bulk_job", args=[job.pk])
    assert job.status == BackgroundJob.Status.SUCCEEDED
    page = client.get(response["Location"])
    assert page.status_code == 200 and page.context["summary"]["new"] == 4
    assert client.get(reverse("job_status", args=[job.pk])).json()["percent"] == 100
    assert MonthlyReport.objects.filter(is_locked=True).count() == 1


def test_the_report_page_links_to_the_template_and_the_upload(
    client, bupyeong_project, bupyeong_officer
):
    from reporting.services import report_save_draft

    from .conftest import FEB as february
    from .conftest import figures

    report_save_draft(
        project=bupyeong_project,
        period=february,
        actor=bupyeong_officer,
        values=figures(),
    )
    report = MonthlyReport.objects.get(project=bupyeong_project, period=february)
    client.force_login(bupyeong_officer)
    page = client.get(reverse("reporting_report", args=[report.pk])).content.decode()
    urls = _urls(bupyeong_project)
    assert f'href="{urls["template"]}"' in page and f'href="{urls["upload"]}"' in page
