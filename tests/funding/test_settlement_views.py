"""The settlement's screens: the district files in the browser (a refused
correction keeps what was typed), evidence is checked like a proposal's and
downloaded only by those who see the project, the city checks with the
rule's steps shown, the list filters and exports; Korean and English."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from funding import settlement_services as settle
from funding.models import SettlementStatus

from .settlement_helpers import AFTER_END, ended_project

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def ended(orgs, call, city_manager, bupyeong_officer):
    return ended_project(orgs["BP"], call, city_manager, bupyeong_officer)


@pytest.fixture
def started(ended, bupyeong_officer):
    return settle.settlement_start(actor=bupyeong_officer, project=ended, now=AFTER_END)


def _form(settlement, **changes):
    data = {"interest": "1,234", "note": "", "evidence_title": ""}
    for line in settlement.lines.all():
        data[f"line_{line.pk}"] = f"{line.spent:,}"
        data[f"reason_{line.pk}"] = ""
    data.update(changes)
    return data


def test_the_district_starts_and_a_correction_without_reason_keeps_what_was_typed(
    client, ended, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    url = reverse("funding_settlement", args=[ended.pk])
    assert client.post(url, {"action": "start"}).status_code == 302
    settlement = ended.settlement
    personnel = settlement.lines.get(code="personnel")
    response = client.post(
        url,
        {
            **_form(settlement, **{f"line_{personnel.pk}": "20,000,003"}),
            "note": "이자는 통장 사본 참조",
            "action": "submit",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "20,000,003" in page and "이자는 통장 사본 참조" in page
    assert "정정 사유" in page and "21,000,003원" in page
    settlement.refresh_from_db()
    assert settlement.status == SettlementStatus.DRAFT and settlement.interest == 0

    response = client.post(
        url,
        {
            **_form(
                settlement,
                **{
                    f"line_{personnel.pk}": "20,000,003",
                    f"reason_{personnel.pk}": "3월분 환입",
                },
            ),
            "action": "submit",
            "file": SimpleUploadedFile("통장사본.pdf", PDF),
            "evidence_title": "이자 통장 사본",
        },
    )
    assert response.status_code == 302
    settlement.refresh_from_db()
    assert settlement.status == SettlementStatus.SUBMITTED
    assert settlement.interest == 1_234
    assert settlement.evidence.get().title == "이자 통장 사본"


def test_evidence_is_checked_like_a_proposal_attachment(
    client, started, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    url = reverse("funding_settlement", args=[started.project_id])
    response = client.post(
        url,
        {
            **_form(started),
            "action": "save",
            "file": SimpleUploadedFile("영수증.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert response.status_code == 400
    assert 'data-field-error="file"' in response.content.decode()
    assert not started.evidence.exists()
    response = client.post(
        url,
        {**_form(started), "action": "save", "file": SimpleUploadedFile("a.exe", PDF)},
    )
    assert response.status_code == 400
    assert not started.evidence.exists()


def test_evidence_is_downloaded_only_by_those_who_see_the_project(
    client, started, bupyeong_officer, seogu_officer, reviewer, city_manager
):
    evidence = settle.settlement_evidence_add(
        actor=bupyeong_officer,
        settlement=started,
        file=SimpleUploadedFile("통장사본.pdf", PDF),
    )
    url = reverse("funding_settlement_evidence", args=[evidence.pk])
    assert client.get(url).status_code == 302  # to the sign-in
    for outsider in (seogu_officer, reviewer):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(city_manager)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_other_districts_and_reviewers_never_reach_the_settlement(
    client, started, seogu_officer, reviewer, city_manager, bupyeong_officer
):
    url = reverse("funding_settlement", args=[started.project_id])
    for outsider in (seogu_officer, reviewer):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "submit"}).status_code == 404
    # The city cannot file for the district.
    # (Wagtail's refusal: 403, or back to the admin home with a message.)
    client.force_login(city_manager)
    refused = client.post(url, {**_form(started), "action": "save"})
    assert refused.status_code == 403 or refused.url == reverse("wagtailadmin_home")
    started.refresh_from_db()
    assert started.interest == 0
    settle.settlement_submit(actor=bupyeong_officer, settlement=started, now=AFTER_END)
    # The district cannot accept its own settlement.
    client.force_login(bupyeong_officer)
    refused = client.post(url, {"action": "accept"})
    assert refused.status_code == 403 or refused.url == reverse("wagtailadmin_home")
    started.refresh_from_db()
    assert started.status == SettlementStatus.SUBMITTED


def test_the_city_sees_each_step_returns_with_a_comment_and_records_the_return(
    client, started, bupyeong_officer, city_manager
):
    settle.settlement_submit(actor=bupyeong_officer, settlement=started, now=AFTER_END)
    client.force_login(city_manager)
    url = reverse("funding_settlement", args=[started.project_id])
    page = client.get(url).content.decode()
    for shown in ("13,500,001원", "30,000,000원", "16,499,999원", "원 미만 절사"):
        assert shown in page
    response = client.post(url, {"action": "return", "comment": ""})
    assert response.status_code == 400
    assert "다시 제출하기 전에" in response.content.decode()
    assert (
        client.post(url, {"action": "return", "comment": "증빙 보완"}).status_code
        == 302
    )
    started.refresh_from_db()
    assert started.status == SettlementStatus.RETURNED
    settle.settlement_submit(actor=bupyeong_officer, settlement=started, now=AFTER_END)
    assert client.post(url, {"action": "accept", "comment": ""}).status_code == 302
    response = client.post(
        url,
        {
            "action": "settle",
            "amount": "16,000,000",
            "paid_on": "2019-04-20",
            "reference": "R-1",
        },
    )
    assert response.status_code == 400
    assert "16,000,000" in response.content.decode()
    response = client.post(
        url,
        {
            "action": "settle",
            "amount": "16,499,999",
            "paid_on": "2019-04-20",
            "reference": "R-1",
        },
    )
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.status == SettlementStatus.SETTLED


def test_the_screens_read_in_english_too(client, started, bupyeong_officer):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(bupyeong_officer)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(bupyeong_officer)
    page = client.get(reverse("funding_settlement", args=[started.project_id]))
    text = page.content.decode()
    assert "How the amount to return is computed" in text
    assert "Spending by category as filed" in text
    with translation.override("ko"):
        assert str(SettlementStatus.RETURNED.label) == "보완 요청"


def test_the_city_list_filters_and_exports(
    client, started, bupyeong_officer, city_manager
):
    settle.settlement_submit(actor=bupyeong_officer, settlement=started, now=AFTER_END)
    client.force_login(city_manager)
    url = reverse("funding_settlements")
    page = client.get(url).content.decode()
    assert started.project.code in page and "16,499,999원" in page
    assert (
        started.project.code not in client.get(url + "?status=settled").content.decode()
    )
    export = client.get(url + "?export=csv").content.decode()
    line = next(r for r in export.splitlines() if r.startswith(started.project.code))
    assert "27000003" in line and "16499999" in line


def test_spending_by_source_and_both_execution_rates_are_shown(
    client, ended, city_manager, bupyeong_officer
):
    from funding.selectors import percent_text

    assert percent_text(27_000_003, 60_000_000) == "45.0%"
    assert percent_text(1, 3) == "33.3%" and percent_text(2, 3) == "66.7%"
    assert percent_text(5, 0) == "–"
    client.force_login(bupyeong_officer)
    page = client.get(reverse("funding_project", args=[ended.pk])).content.decode()
    assert "13,500,001원" in page  # the city's share of the spending
    assert "13,500,002원" in page  # the district's
    # Budget 60,000,000; received 30,000,000 paid + 30,000,000 district share.
    assert page.count("45.0%") == 2
    client.force_login(city_manager)
    page = client.get(reverse("funding_dashboard")).content.decode()
    assert "13,500,001원" in page and "45.0%" in page
    assert reverse("funding_settlement", args=[ended.pk]) in page
