"""Browser steps of the money's first half: the city drafts the agreement (협약),
sets two tranches and records the signature; the district requests each
tranche (교부 신청), the city approves it and records the payment."""

from django.urls import reverse

from funding.models import AgreementStatus, TrancheStatus

from ..browser import reauthenticate_if_asked, submit


def _money_page(page, project):
    page.goto(reverse("funding_project", args=[project.pk]))
    page.wait_for_load_state()


def agreement_steps(journey, city, district, project, *, signed_on="2019-01-02"):
    """From nothing to a signed agreement and both tranches paid."""
    _money_page(city, project)
    journey.shot(city, "money-before-agreement")
    submit(city, "[data-draft-agreement]")
    agreement = project.agreements.get()
    assert agreement.status == AgreementStatus.DRAFT

    # Two tranches: half in January, the rest in July.
    city.goto(reverse("funding_schedule", args=[project.pk]))
    first = agreement.city_share // 2
    for row, (planned_on, amount) in enumerate(
        [("2019-01-15", first), ("2019-07-15", agreement.city_share - first)]
    ):
        city.locator(f"[name=tranches-{row}-planned_on]").fill(planned_on)
        city.locator(f"[name=tranches-{row}-amount]").fill(str(amount))
    journey.shot(city, "tranche-schedule", reloadable=False)
    submit(city, "[data-schedule-form] button[type=submit]")
    assert project.tranches.count() == 2, city.inner_text("main")[:1500]

    city.goto(reverse("funding_agreement", args=[agreement.pk]))
    form = city.locator("[data-sign-form]")
    form.locator("[name=signed_on]").fill(signed_on)
    form.locator("[name=city_signatory_name]").fill("김상생")
    form.locator("[name=city_signatory_title]").fill("일자리경제과장")
    form.locator("[name=district_signatory_name]").fill("이부평")
    form.locator("[name=district_signatory_title]").fill("일자리정책과장")
    journey.shot(city, "agreement-to-sign", reloadable=False)
    submit(city, "[data-sign-form] button[type=submit]")
    # Signing asks for the password again; what was typed is kept meanwhile.
    if reauthenticate_if_asked(city, "city"):
        assert form.locator("[name=city_signatory_name]").input_value() == "김상생"
        submit(city, "[data-sign-form] button[type=submit]")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED, city.inner_text("main")[:1500]
    journey.shot(city, "agreement-signed")

    for number, paid_on in ((1, "2019-01-20"), (2, "2019-07-20")):
        _money_page(district, project)
        row = district.locator(f"tr[data-tranche='{number}']")
        submit(district, f"tr[data-tranche='{number}'] form button[type=submit]")
        tranche = project.tranches.get(number=number)
        assert tranche.status == TrancheStatus.REQUESTED, row.inner_text()

        _money_page(city, project)
        submit(
            city,
            f"tr[data-tranche='{number}'] form:has(button[formaction]) "
            "button:not([formaction])",
        )
        tranche.refresh_from_db()
        assert tranche.status == TrancheStatus.APPROVED
        pay = city.locator(f"tr[data-tranche='{number}'] form")
        pay.locator("[name$=paid_on]").fill(paid_on)
        submit(city, f"tr[data-tranche='{number}'] form button[type=submit]")
        tranche.refresh_from_db()
        assert tranche.status == TrancheStatus.PAID, city.inner_text("main")[:1500]
    journey.shot(city, "tranches-paid")
    return agreement
