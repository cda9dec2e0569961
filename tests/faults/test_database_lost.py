"""The database connection drops while a monthly workbook is being saved: the
officer gets a clear page in Korean and English (503, not a traceback), nothing
of the month is saved, and sending the same confirmation again works."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection, connections
from django.urls import reverse

from reporting.models import MonthlyReport, ReportValue
from reporting.selectors import version_values
from tests.projects.fixtures import bupyeong_project  # noqa: F401
from tests.spreadsheets.conftest import FEB, FEB_SPENDING, FEB_VALUES, fill

FIGURE_INSERT = re.compile(
    r'^\s*INSERT\s+INTO\s+"reporting_reportvalue"', re.IGNORECASE
)


def _drop_the_connection_at_the_first_figure(execute, sql, params, many, context):
    """Half-way through the save (the report and its version are written, the
    figures not yet), the connection goes away."""
    if not FIGURE_INSERT.match(sql):
        return execute(sql, params, many, context)
    if connection.vendor == "postgresql":
        # For real: the server ends this session, as a restart or failover would.
        backend_pid = connection.connection.info.backend_pid
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
        finally:
            other.close()
        return execute(sql, params, many, context)
    raise OperationalError("disk I/O error (the test dropped the connection)")


@pytest.mark.django_db(transaction=True)
def test_a_lost_connection_during_an_upload_saves_nothing_and_says_so_and_a_retry_works(
    client,
    bupyeong_project,
    bupyeong_officer,  # noqa: F811
):
    client.force_login(bupyeong_officer)
    month = "2019-02"
    data = fill(
        bupyeong_project,
        FEB,
        values=FEB_VALUES,
        spending=FEB_SPENDING,
        narrative="코칭 활동가 2명 채용",
    )
    preview = client.post(
        reverse("spreadsheets_upload", args=[bupyeong_project.pk, month]),
        {"file": SimpleUploadedFile("feb.xlsx", data)},
    )
    token = preview.context["token"]
    assert token
    confirm_url = reverse(
        "spreadsheets_upload_confirm", args=[bupyeong_project.pk, month]
    )

    with connection.execute_wrapper(_drop_the_connection_at_the_first_figure):
        response = client.post(
            confirm_url, {"token": token}, HTTP_REFERER="http://testserver/admin/"
        )
    connection.close()  # the test client does not close it the way a request's end does

    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"]
    assert "데이터베이스 연결이 끊겨 아무것도 저장되지 않았습니다" in page
    # In the officer's language only (Korean), not both.
    assert "The connection to the database was lost" not in page
    assert "Traceback" not in page
    assert not MonthlyReport.objects.filter(
        project=bupyeong_project, period=FEB
    ).exists()
    assert not ReportValue.objects.filter(
        project_id=bupyeong_project.pk, period=FEB
    ).exists()

    response = client.post(confirm_url, {"token": token})
    report = MonthlyReport.objects.get(project=bupyeong_project, period=FEB)
    assert response.status_code == 302 and response["Location"] == reverse(
        "reporting_report", args=[report.pk]
    )
    values = version_values(report.current_version)
    assert values["households"] == {"total": 110}
    assert values["visits"] == {"total": 300}
    assert report.versions.count() == 1


def test_an_api_client_gets_the_message_as_json(client, monkeypatch, db):
    # The public API reads its data stamp (one row, for HTTP caching) first;
    # the roll-up is what finds the connection gone.
    from reporting.evaluation import api

    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(api.selectors, "rollup", lost)
    response = client.get(
        "/api/v1/outcomes/?year=2019&month=9", HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 503
    detail = response.json()["detail"]
    assert (
        "아무것도 저장되지 않았습니다" in detail and "nothing was saved" not in detail
    )
