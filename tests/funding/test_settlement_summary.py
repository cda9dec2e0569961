"""The city settlement summary (정산 총괄표) and the statement downloads: the
figures per project come from the records and the rule, the subtotals and
total are formulas over the right rows, the job shows its progress, and
nobody builds or downloads what they may not see."""

from datetime import date
from io import BytesIO

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from common.models import BackgroundJob
from funding.models import Settlement, SettlementLine, SettlementStatus
from funding.settlement_summary import (
    settlement_summary_start,
    summary_rows,
    summary_workbook,
)
from funding.tasks import build_settlement_summary
from tests.documents.helpers import PdfText, prefer_english
from tests.reporting.helpers import accept_month, figures

from .conftest import signed_project
from .test_disbursement import first, pay_in_full

JAN, FEB = date(2019, 1, 1), date(2019, 2, 1)
HALF = 135_000_000 // 4  # the first tranche of a 67,500,000 city share


@pytest.fixture
def money(project, seogu_money_project, city_manager, bupyeong_officer, seogu_officer):
    """Two districts' projects, signed, the first tranche paid, spending
    accepted: 부평구 10,000,001 won in January, 서구 10,000,000."""
    signed_project(project, city_manager)
    signed_project(seogu_money_project, city_manager)
    accept_month(
        project,
        bupyeong_officer,
        city_manager,
        JAN,
        values=figures(personnel=7_000_001, operations=3_000_000),
    )
    accept_month(seogu_money_project, seogu_officer, city_manager, JAN)
    pay_in_full(first(project), bupyeong_officer, city_manager)
    pay_in_full(first(seogu_money_project), seogu_officer, city_manager)
    return project, seogu_money_project


def test_one_row_per_project_with_the_systems_figures(money, city_manager, call):
    bupyeong, seogu = money
    rows = {row.code: row for row in summary_rows(user=city_manager, call_id=call.pk)}

    assert set(rows) == {bupyeong.code, seogu.code}
    row = rows[bupyeong.code]
    assert row.city_paid == HALF == 33_750_000
    assert row.spent == 10_000_001
    assert row.city_spent == 5_000_000  # half, rounded down to the won
    assert row.unspent == row.returned == HALF - 5_000_000
    assert (row.interest, row.status) == (0, "미제출")
    assert rows[seogu.code].city_spent == 5_000_000


def test_a_filed_settlement_brings_its_interest(money, city_manager, call):
    bupyeong, _seogu = money
    settlement = Settlement.objects.create(
        project=bupyeong,
        status=SettlementStatus.SUBMITTED,
        interest=48_211,
        created_at=timezone.now(),
    )
    # Filed as reported, but for one won less on personnel (with a reason).
    for code, reported, spent in (
        ("personnel", 7_000_001, 7_000_000),
        ("operations", 3_000_000, 3_000_000),
    ):
        SettlementLine.objects.create(
            settlement=settlement,
            period_first_month=JAN,
            code=code,
            name_ko=code,
            reported=reported,
            spent=spent,
            reason="영수증 정정" if reported != spent else "",
        )
    row = next(
        r
        for r in summary_rows(user=city_manager, call_id=call.pk)
        if r.code == bupyeong.code
    )
    assert row.interest == row.interest_returned == 48_211  # to the city by default
    assert row.spent == 10_000_000  # as filed
    assert row.returned == HALF - 5_000_000 + 48_211
    assert row.status == str(SettlementStatus.SUBMITTED.label)


def test_a_district_user_summarises_their_own_district_only(
    money, bupyeong_officer, reviewer, call, orgs
):
    rows = summary_rows(user=bupyeong_officer, call_id=call.pk)
    assert [row.code for row in rows] == [money[0].code]
    with pytest.raises(Http404):
        summary_rows(user=bupyeong_officer, call_id=call.pk, district_id=orgs["SG"].pk)
    with pytest.raises(Http404):
        summary_rows(user=reviewer, call_id=call.pk)


def test_subtotals_and_the_total_are_formulas_over_the_right_rows(
    money, city_manager, call
):
    rows = summary_rows(user=city_manager, call_id=call.pk)
    sheet = load_workbook(BytesIO(summary_workbook(rows, title="정산 총괄표"))).active
    cells = {cell.coordinate: cell for row in sheet.iter_rows() for cell in row}
    formulas = {k: c.value for k, c in cells.items() if c.data_type == "f"}

    # Two districts of one project each: rows 4 and 6, subtotals 5 and 7.
    assert formulas["K5"] == "=SUM(K4:K4)"
    assert formulas["K7"] == "=SUM(K6:K6)"
    assert formulas["K8"] == "=K5+K7"
    assert sheet["K4"].value + sheet["K6"].value == sum(r.returned for r in rows)
    assert sheet["A5"].value.startswith("소계")
    assert sheet["A8"].value == "시 전체"


def test_the_job_builds_the_workbook_and_reports_its_progress(
    money, city_manager, call
):
    job = settlement_summary_start(owner=city_manager, call_id=call.pk)
    build_settlement_summary(str(job.pk))
    job.refresh_from_db()

    assert job.status == BackgroundJob.Status.SUCCEEDED
    assert (job.percent, job.result) == (100, {"projects": 2})
    assert job.progress_done == job.progress_total > 0
    with job.result_file.open("rb") as handle:
        sheet = load_workbook(handle).active
    codes = {cell.value for cell in sheet["B"]}
    assert {money[0].code, money[1].code} <= codes


def test_the_job_of_someone_who_may_not_summarise_fails_saying_so(reviewer, call):
    job = settlement_summary_start(owner=reviewer, call_id=call.pk)
    build_settlement_summary(str(job.pk))
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED
    assert not job.result_file


# --- the screens -------------------------------------------------------------


def test_a_city_manager_starts_the_summary_and_downloads_it(
    client, money, city_manager, call, django_capture_on_commit_callbacks
):
    client.force_login(city_manager)
    url = reverse("funding_settlement_summary")
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"call": call.pk})
    job = BackgroundJob.objects.get(kind="funding.settlement_summary")
    assert response.url == reverse("funding_settlement_summary_job", args=[job.pk])
    page = client.get(response.url)
    assert page.status_code == 200
    assert reverse("job_download", args=[job.pk]).encode() in page.content
    download = client.get(reverse("job_download", args=[job.pk]))
    assert download.status_code == 200


def test_a_refused_request_is_shown_again_with_what_to_do(client, money, city_manager):
    client.force_login(city_manager)
    response = client.post(
        reverse("funding_settlement_summary"), {"call": "", "year": "20x9"}
    )
    assert response.status_code == 400
    assert 'data-field-error="call"' in response.content.decode()
    assert 'value="20x9"' in response.content.decode()
    assert not BackgroundJob.objects.exists()


def test_a_district_officer_builds_their_own_districts_summary(
    client, money, bupyeong_officer, call, orgs, django_capture_on_commit_callbacks
):
    client.force_login(bupyeong_officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("funding_settlement_summary"),
            {"call": call.pk, "district": orgs["SG"].pk},
        )
    job = BackgroundJob.objects.get()
    assert job.parameters["district_id"] == orgs["BP"].pk
    job.refresh_from_db()
    assert job.result == {"projects": 1}


def test_refusals_of_the_summary_screens(
    client, money, reviewer, seogu_officer, city_manager, call
):
    job = settlement_summary_start(owner=city_manager, call_id=call.pk)
    job_url = reverse("funding_settlement_summary_job", args=[job.pk])
    assert client.get(job_url).status_code == 302  # anonymous: sign in
    client.force_login(reviewer)
    assert client.get(reverse("funding_settlement_summary")).status_code == 404
    assert (
        client.post(
            reverse("funding_settlement_summary"), {"call": call.pk}
        ).status_code
        == 404
    )
    client.force_login(seogu_officer)
    assert client.get(job_url).status_code == 404  # not their job


# --- one project's statement ----------------------------------------------------


def test_the_statement_downloads_for_the_city_and_the_own_district(
    client, money, city_manager, bupyeong_officer, seogu_officer, reviewer
):
    bupyeong, _seogu = money
    xlsx = reverse("funding_statement_xlsx", args=[bupyeong.pk])
    pdf = reverse("funding_statement_pdf", args=[bupyeong.pk])
    for user in (city_manager, bupyeong_officer):
        client.force_login(user)
        response = client.get(xlsx)
        assert response.status_code == 200
        sheet = load_workbook(BytesIO(response.content))["정산서"]
        assert bupyeong.code in [cell.value for cell in sheet["B"]]
        assert client.get(pdf).status_code == 200
    for user in (seogu_officer, reviewer):
        client.force_login(user)
        assert client.get(xlsx).status_code == 404
        assert client.get(pdf).status_code == 404


def test_the_statement_pdf_in_the_readers_language(client, money, city_manager):
    bupyeong, _seogu = money
    prefer_english(city_manager)
    client.force_login(city_manager)
    response = client.get(reverse("funding_statement_pdf", args=[bupyeong.pk]))
    text = PdfText(
        "\n".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages)
    )
    assert "Settlement statement" in text
    assert f"KRW {HALF - 5_000_000:,}" in text


def test_a_project_with_nothing_signed_has_no_statement(client, project, city_manager):
    client.force_login(city_manager)
    response = client.get(reverse("funding_statement_xlsx", args=[project.pk]))
    assert response.status_code == 404
