"""A district's monthly report is its own until sent: every door the city could
reach it by (the report page, the template download, the listing and its
search, the audit trail) follows the same rule as the report page."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting.models import MonthlyReport
from reporting.services import report_return, report_save_draft
from tests.competitions.conftest import call, call_index  # noqa: F401

from .helpers import figures, file_month, kst

FEB = date(2019, 2, 1)
SECRET = "초안 비밀 서술 draft-only narrative"


@pytest.fixture
def bupyeong_draft(bupyeong_project, bupyeong_officer):
    report_save_draft(
        project=bupyeong_project,
        period=FEB,
        actor=bupyeong_officer,
        values=figures(households=4321),
        narrative=SECRET,
        now=kst(2019, 3, 2, 9),
    )
    return MonthlyReport.objects.get(project=bupyeong_project, period=FEB)


def _template_text(client, project, month="2019-02") -> str:
    response = client.get(reverse("spreadsheets_template", args=[project.pk, month]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    return " ".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def test_the_city_cannot_open_the_never_sent_draft(
    client, city_manager, bupyeong_draft
):
    client.force_login(city_manager)
    assert (
        client.get(reverse("reporting_report", args=[bupyeong_draft.pk])).status_code
        == 404
    )


def test_the_template_download_does_not_hand_the_city_a_never_sent_draft(
    client, city_manager, bupyeong_project, bupyeong_draft
):
    client.force_login(city_manager)
    text = _template_text(client, bupyeong_project)
    assert SECRET not in text
    assert "4321" not in text


def test_the_district_still_gets_its_own_draft_in_the_template(
    client, bupyeong_officer, bupyeong_project, bupyeong_draft
):
    client.force_login(bupyeong_officer)
    text = _template_text(client, bupyeong_project)
    assert SECRET in text
    assert "4321" in text


def test_a_returned_report_redrafted_shows_the_city_the_version_it_was_sent(
    client, city_manager, bupyeong_officer, bupyeong_project
):
    report = file_month(
        bupyeong_project,
        bupyeong_officer,
        FEB,
        values=figures(households=1111),
        narrative="보낸 판 sent version",
    )
    report_return(report=report, actor=city_manager, comment="보완해 주세요")
    report_save_draft(
        project=bupyeong_project,
        period=FEB,
        actor=bupyeong_officer,
        values=figures(households=4321),
        narrative=SECRET,
    )
    client.force_login(city_manager)
    text = _template_text(client, bupyeong_project)
    assert SECRET not in text and "4321" not in text
    assert "sent version" in text and "1111" in text
    page = client.get(reverse("reporting_report", args=[report.pk])).content.decode()
    assert SECRET not in page


def test_the_report_listing_and_its_search_leave_out_the_draft(
    client, city_manager, bupyeong_project, bupyeong_draft
):
    client.force_login(city_manager)
    for params in ({}, {"q": bupyeong_project.code}, {"q": bupyeong_project.title}):
        response = client.get(reverse("monthly_reports:index"), params)
        assert response.status_code == 200
        assert (
            reverse("reporting_report", args=[bupyeong_draft.pk])
            not in response.content.decode()
        )


def test_the_audit_trail_does_not_show_the_city_the_drafts_narrative(
    client, city_manager, bupyeong_draft
):
    client.force_login(city_manager)
    response = client.get(reverse("audit_index"))
    assert response.status_code == 200
    assert SECRET not in response.content.decode()


@pytest.mark.parametrize("export", ["xlsx", "csv"])
def test_the_proposals_export_leaves_out_a_districts_draft(
    client, call, city_manager, bupyeong_officer, export
):  # noqa: F811
    from competitions import services
    from tests.competitions.conftest import BEFORE_DEADLINE, make_draft

    make_draft(call, bupyeong_officer, title="초안 제안 draft-only proposal")
    sent = make_draft(call, bupyeong_officer, title="보낸 제안 sent proposal")
    services.proposal_submit(
        proposal=sent, actor=bupyeong_officer, now=BEFORE_DEADLINE, notify=False
    )
    client.force_login(city_manager)
    response = client.get(reverse("proposals:index"), {"export": export})
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    text = _text_of_xlsx(content) if export == "xlsx" else content.decode()
    assert "sent proposal" in text
    assert "draft-only proposal" not in text


def _text_of_xlsx(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content))
    return " ".join(
        str(v)
        for s in workbook.worksheets
        for row in s.iter_rows(values_only=True)
        for v in row
        if v
    )
