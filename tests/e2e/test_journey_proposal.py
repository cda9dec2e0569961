"""Journey 1: a district officer opens the public call, starts a proposal,
meets a validation error, fixes it, submits and gets the receipt."""

import re

import pytest
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD
from competitions.models import CallPage, Proposal, ProposalStatus
from tests.helpers import wait_for

from .browser import announced, path_of, submit

TITLE = "찾아가는 육아코칭활동가 양성 (e2e)"
CITY_SHARE = 60_000_000
DISTRICT_SHARE = 60_000_000


@pytest.mark.journey("1-proposal", screen_set=True)
def test_officer_goes_from_the_public_call_to_a_submitted_proposal_and_its_receipt(
    journey, mail_folder
):
    call = CallPage.objects.get(year=2027)  # the demo's call, open until 2027-03-31
    officer = journey.person()
    assert officer.goto("/calls/").ok
    assert officer.locator("html").get_attribute("lang") == "ko"
    journey.shot(officer, "public-calls")

    # The public call page, as anyone sees it; then the officer signs in.
    officer.get_by_role("link", name=call.title).click()
    officer.wait_for_load_state()
    assert path_of(officer) == call.url
    assert officer.locator("[data-start-proposal]").count() == 0
    journey.shot(officer, "public-call-page")
    officer.get_by_role("link", name="로그인").click()
    officer.wait_for_load_state()
    officer.locator("input[name=username]").fill("bupyeong")
    officer.locator("input[name=password]").fill(DEMO_PASSWORD)
    submit(officer, "form:has(input[name=password]) button[type=submit]")
    officer.goto(call.url)
    journey.shot(officer, "call-page-signed-in", guide="officer-call")

    officer.locator("[data-start-proposal]").click()
    officer.wait_for_load_state()
    assert officer.get_by_role("heading", level=1).first.is_visible()
    officer.get_by_label("사업명").fill(TITLE)
    officer.get_by_label("사업 개요").fill(
        "경력단절 여성을 육아코칭활동가로 양성해 영아 가정을 방문합니다."
    )
    officer.get_by_label("지역 수요").fill("영아 가정의 돌봄 공백")
    officer.get_by_label("수행 기관").fill("부평구 육아종합지원센터")
    officer.get_by_label("사업 시작 월").fill("2027-05")
    officer.get_by_label("사업 종료 월").fill("2027-12")
    officer.locator("#id_target_groups-ADD").click()
    officer.locator("#id_target_groups-0-target_group").select_option(
        label="경력단절여성"
    )
    officer.locator("#id_target_groups-0-planned_jobs").fill("27")
    officer.locator("#id_outputs-ADD").click()
    # An output is one of the call's catalogue indicators, with its unit.
    officer.locator("#id_outputs-0-indicator").select_option(label="방문 가구 (가구)")
    officer.locator("#id_outputs-0-target").fill("900")
    officer.get_by_label("시비(원)").fill(str(CITY_SHARE))
    officer.get_by_label("구·군비(원)").fill(str(DISTRICT_SHARE))
    # The line items forget the operating costs: they do not add up to the total.
    officer.locator("#id_budget_lines-ADD").click()
    officer.locator("#id_budget_lines-0-category").fill("인건비")
    officer.locator("#id_budget_lines-0-amount").fill("100000000")
    journey.shot(officer, "proposal-form-filled", reloadable=False)
    submit(officer, "button[name=action-submit]")

    body = officer.inner_text("main")
    assert "100,000,000" in body and "120,000,000" in body, body[:3000]
    assert announced(officer, "100,000,000"), "the error is not in a live region"
    assert not Proposal.objects.filter(title=TITLE).exists()
    journey.shot(officer, "validation-error", reloadable=False)

    # The officer adds the operating costs and submits again.
    officer.locator("#id_budget_lines-ADD").click()
    officer.locator("#id_budget_lines-1-category").fill("운영비")
    officer.locator("#id_budget_lines-1-amount").fill("20000000")
    submit(officer, "button[name=action-submit]")

    proposal = Proposal.objects.get(title=TITLE)
    assert proposal.status == ProposalStatus.SUBMITTED
    assert re.fullmatch(r"2027-BP-\d{3}", proposal.receipt_number)
    assert path_of(officer) == reverse("proposals:inspect", args=[proposal.pk])
    assert proposal.receipt_number in officer.inner_text("main")
    journey.shot(officer, "receipt", guide="officer-receipt")
    # The receipt (접수증) as a PDF to file: the detail screen's print button.
    receipt = officer.locator("[data-print-document=receipt]")
    pdf = officer.request.get(receipt.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # The confirmation e-mail goes out through the Celery worker.
    assert wait_for(
        lambda: any(
            proposal.receipt_number in path.read_text(errors="replace")
            for path in mail_folder.glob("*.log")
        ),
        timeout=60,
    ), "no confirmation e-mail with the receipt number"
