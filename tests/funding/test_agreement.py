"""The grant agreement (협약): drafted from the plan in force, signed by the
city after re-authentication, read-only once signed, amended as a new
version after an approved change request, printed as PDF, and seen only by
the city and the project's own district."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from funding import services
from funding.models import Agreement, AgreementStatus, GrantConditions
from projects.services import (
    change_request_approve,
    change_request_propose,
    plan_data,
)
from tests.documents.helpers import is_refused, pdf_text
from tests.helpers import reauthenticate

from .conftest import SIGNATORIES, sign, two_tranches


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def test_the_draft_follows_the_plan_in_force(project, city_manager, orgs):
    agreement = services.agreement_draft(actor=city_manager, project=project)
    assert agreement.version == 1
    assert agreement.status == AgreementStatus.DRAFT
    assert (agreement.city, agreement.district) == (orgs["ICN"], orgs["BP"])
    assert (agreement.period_start, agreement.period_end) == (
        date(2019, 1, 1),
        date(2019, 12, 1),
    )
    assert (agreement.total_amount, agreement.city_share_percent) == (135_000_000, 50)
    assert (agreement.city_share, agreement.district_share) == (67_500_000, 67_500_000)
    lines = {line.code: line.amount for line in agreement.budget_lines.all()}
    assert lines == {"personnel": 121_500_000, "operations": 13_500_000}
    # The default conditions of grant, in both languages.
    assert "반납" in agreement.conditions_ko
    assert "interest" in agreement.conditions_en


def test_a_call_with_its_own_conditions_gives_them_to_its_agreements(
    project, city_manager, call
):
    GrantConditions.objects.create(
        call=call, text_ko="분기마다 보고한다.", text_en="Report every quarter."
    )
    agreement = services.agreement_draft(actor=city_manager, project=project)
    assert (agreement.conditions_ko, agreement.conditions_en) == (
        "분기마다 보고한다.",
        "Report every quarter.",
    )


def test_only_the_city_drafts_an_agreement(project, bupyeong_officer, seogu_officer):
    for person in (bupyeong_officer, seogu_officer):
        with pytest.raises(PermissionDenied):
            services.agreement_draft(actor=person, project=project)
    assert not Agreement.objects.exists()


def test_signing_needs_a_schedule_that_adds_up_to_the_city_share(project, city_manager):
    agreement = services.agreement_draft(actor=city_manager, project=project)
    with pytest.raises(ValidationError) as refused:
        sign(agreement, city_manager)
    assert "schedule_missing" in codes(refused.value)
    with pytest.raises(ValidationError) as mismatch:
        services.tranche_schedule_set(
            actor=city_manager,
            project=project,
            rows=[services.TrancheRow(planned_on=date(2019, 1, 15), amount=67_499_000)],
        )
    assert codes(mismatch.value) == {"schedule_total_mismatch"}
    assert "1,000원" in mismatch.value.messages[0]  # the difference, named
    assert not project.tranches.exists()
    two_tranches(project, city_manager)
    signed = sign(agreement, city_manager)
    assert signed.status == AgreementStatus.SIGNED
    assert signed.signed_by == city_manager
    assert signed.city_signatory_name == SIGNATORIES["city_signatory_name"]


def test_signing_needs_both_signatories_and_a_day_not_in_the_future(
    project, city_manager
):
    agreement = services.agreement_draft(actor=city_manager, project=project)
    two_tranches(project, city_manager)
    with pytest.raises(ValidationError) as refused:
        sign(
            agreement,
            city_manager,
            district_signatory_name="  ",
            signed_on=date(2018, 12, 21),  # the day after SIGNED_AT
        )
    assert codes(refused.value) == {"signatory_required", "signed_on_in_future"}
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT


def test_a_district_user_cannot_sign(project, city_manager, bupyeong_officer):
    agreement = services.agreement_draft(actor=city_manager, project=project)
    two_tranches(project, city_manager)
    with pytest.raises(PermissionDenied):
        sign(agreement, bupyeong_officer)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT


def test_a_signed_agreement_cannot_be_signed_again(agreement, city_manager):
    with pytest.raises(ValidationError) as refused:
        sign(agreement, city_manager, city_signatory_name="다른 사람")
    assert codes(refused.value) == {"wrong_status"}
    agreement.refresh_from_db()
    assert agreement.city_signatory_name == SIGNATORIES["city_signatory_name"]


def _approved_change(project, officer, city_manager, *, city=70_000_000):
    proposed = plan_data(project.current_plan)
    proposed.update(city_share=city, district_share=city)
    proposed["budget_lines"][0]["amount"] = 2 * city - 13_500_000
    change = change_request_propose(
        project=project,
        actor=officer,
        proposed=proposed,
        reason="참여자 증가",
        effective_from=date(2019, 7, 1),
    )
    change_request_approve(change_request=change, actor=city_manager)
    return change


def test_an_approved_change_makes_a_new_version_not_an_edit(
    project, agreement, city_manager, bupyeong_officer
):
    with pytest.raises(ValidationError) as unchanged:
        services.agreement_draft(actor=city_manager, project=project)
    assert codes(unchanged.value) == {"agreement_unchanged"}

    change = _approved_change(project, bupyeong_officer, city_manager)
    amended = services.agreement_draft(actor=city_manager, project=project)
    assert (amended.version, amended.change_request) == (2, change)
    assert amended.city_share == 70_000_000
    # Until the amendment is signed, version 1 governs the money.
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    assert agreement.city_share == 67_500_000
    assert services.agreement_in_force(project) == agreement

    with pytest.raises(ValidationError) as refused:
        sign(amended, city_manager)
    assert codes(refused.value) == {"schedule_total_mismatch"}
    assert "2,500,000원" in " ".join(refused.value.messages)
    two_tranches(project, city_manager)
    sign(amended, city_manager)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SUPERSEDED
    assert services.agreement_in_force(project).version == 2


# --- the screens --------------------------------------------------------------------


def _sign_form():
    return {"signed_on": "2018-12-20", **SIGNATORIES}


def test_signing_in_the_browser_asks_for_the_password_and_keeps_what_was_typed(
    client, project, city_manager
):
    agreement = services.agreement_draft(actor=city_manager, project=project)
    two_tranches(project, city_manager)
    client.force_login(city_manager)
    url = reverse("funding_agreement_sign", args=[agreement.pk])
    response = client.post(url, _sign_form())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts_reauth"))
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT
    page = client.get(reverse("funding_agreement", args=[agreement.pk]))
    assert SIGNATORIES["district_signatory_name"] in page.content.decode()

    reauthenticate(client)
    response = client.post(url, _sign_form())
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get_for_object(agreement).order_by("-pk").first()
    assert entry.actor == city_manager
    assert "status" in entry.changes_dict


def test_the_generic_edit_door_closes_when_the_agreement_is_signed(
    client, project, city_manager
):
    agreement = services.agreement_draft(actor=city_manager, project=project)
    client.force_login(city_manager)
    edit = reverse("agreements:edit", args=[agreement.pk])
    assert client.get(edit).status_code == 200
    two_tranches(project, city_manager)
    sign(agreement, city_manager)
    response = client.get(edit)
    assert response.status_code == 302
    forged = client.post(
        edit, {"conditions_ko": "바꾼 조건", **SIGNATORIES, "city_signatory_name": "X"}
    )
    assert forged.status_code == 302
    agreement.refresh_from_db()
    assert agreement.city_signatory_name == SIGNATORIES["city_signatory_name"]
    assert agreement.conditions_ko != "바꾼 조건"
    delete = client.post(reverse("agreements:delete", args=[agreement.pk]))
    assert delete.status_code == 302
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_the_pdf_shows_the_amounts_and_the_signatories(client, agreement, city_manager):
    client.force_login(city_manager)
    text = pdf_text(client.get(reverse("funding_agreement_pdf", args=[agreement.pk])))
    assert agreement.project.code in text
    assert "135,000,000원" in text
    assert "67,500,000원" in text
    assert "인건비" in text and "121,500,000원" in text
    assert SIGNATORIES["district_signatory_name"] in text
    assert "2018-12-20" in text


def test_a_district_sees_its_own_agreements_only(
    client, agreement, bupyeong_officer, seogu_officer
):
    client.force_login(bupyeong_officer)
    assert (
        client.get(reverse("funding_agreement", args=[agreement.pk])).status_code == 200
    )
    listing = client.get(reverse("agreements:index"))
    assert agreement.project.code in listing.content.decode()

    client.force_login(seogu_officer)
    for name in ("funding_agreement", "funding_agreement_pdf"):
        assert client.get(reverse(name, args=[agreement.pk])).status_code == 404
    assert is_refused(
        client.get(reverse("funding_project", args=[agreement.project.pk]))
    )
    listing = client.get(reverse("agreements:index"))
    assert agreement.project.code not in listing.content.decode()
