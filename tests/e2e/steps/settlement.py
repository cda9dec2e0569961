"""Browser steps of the settlement (정산): the district files it from the
prefilled lines with the interest earned and a receipt, the city returns it
with a comment, the district submits it again, the city accepts it and
records the unspent money paid back (반납)."""

from django.urls import reverse

from funding.models import Settlement, SettlementStatus

from ..browser import submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
INTEREST = 12_345


def _open(page, project):
    page.goto(reverse("funding_settlement", args=[project.pk]))
    page.wait_for_load_state()


def settlement_steps(journey, city, district, project, tmp_path) -> Settlement:
    _open(district, project)
    submit(district, "[data-start]")
    form = district.locator("[data-settlement-form]")
    form.locator("[name=interest]").fill(str(INTEREST))
    form.locator("[name=note]").fill("보조금 전용계좌 이자 포함, 잔액 반납 예정")
    receipt = tmp_path / "bank-statement.pdf"
    receipt.write_bytes(PDF)
    form.locator("[name=evidence_title]").fill("보조금 전용계좌 거래내역서")
    form.locator("[name=file]").set_input_files(receipt)
    journey.shot(district, "settlement-filed", reloadable=False)
    submit(district, "[data-settlement-form] [data-submit]")
    settlement = Settlement.objects.get(project=project)
    assert settlement.status == SettlementStatus.SUBMITTED, district.inner_text("main")[
        :1500
    ]
    assert settlement.interest == INTEREST

    # The city's inspection (정산 검사): returned once with a comment.
    _open(city, project)
    journey.shot(city, "settlement-to-inspect")
    city.locator("[data-decision-form] [name=comment]").fill(
        "이자 발생 내역 원본을 함께 올려 주세요."
    )
    submit(city, "[data-decision-form] [data-return]")
    settlement.refresh_from_db()
    assert settlement.status == SettlementStatus.RETURNED

    _open(district, project)
    submit(district, "[data-settlement-form] [data-submit]")
    settlement.refresh_from_db()
    assert settlement.status == SettlementStatus.SUBMITTED

    _open(city, project)
    submit(city, "[data-decision-form] [data-accept]")
    settlement.refresh_from_db()
    assert settlement.status == SettlementStatus.ACCEPTED, city.inner_text("main")[
        :1500
    ]
    # Nothing was spent: all the city's money and the interest go back.
    assert settlement.returned == project.tranches.get(number=1).paid_amount + (
        project.tranches.get(number=2).paid_amount + INTEREST
    )
    pay_back = city.locator("[data-return-form]")
    pay_back.locator("[name=amount]").fill(str(settlement.returned))
    pay_back.locator("[name=paid_on]").fill("2020-02-10")
    pay_back.locator("[name=reference]").fill("반납 고지 2020-015")
    submit(city, "[data-return-form] [data-settle]")
    settlement.refresh_from_db()
    assert settlement.status == SettlementStatus.SETTLED, city.inner_text("main")[:1500]
    journey.shot(city, "settlement-settled")
    # The statement (정산서) the auditor files, from the page's own link.
    workbook = city.request.get(
        city.locator("[data-statement-xlsx]").get_attribute("href")
    )
    assert workbook.ok and workbook.body()[:2] == b"PK"
    return settlement
