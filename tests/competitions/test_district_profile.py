"""The district profile: department, person in charge, phone and address, kept
per district, edited by its officers and the city, and prefilling every new
proposal. The phone is personal data: never in an export or the audit trail."""

import io

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import DistrictProfile
from accounts.services import district_profile_save
from competitions import services
from competitions.models import Proposal

from .conftest import make_draft

PHONE = "032-509-6000"


def save(organisation, actor, **values):
    data = {
        "department": "일자리정책과",
        "person_in_charge": "담당 주무관",
        "phone": PHONE,
        "address": "인천광역시 부평구 부평대로 168",
    }
    data.update(values)
    return district_profile_save(organisation=organisation, actor=actor, **data)


# --- who edits it -----------------------------------------------------------------


def test_a_district_officer_keeps_the_districts_profile(orgs, bupyeong_officer):
    save(orgs["BP"], bupyeong_officer)
    save(orgs["BP"], bupyeong_officer, department="  일자리경제과 ")
    profile = DistrictProfile.objects.get(organisation=orgs["BP"])
    assert profile.department == "일자리경제과"
    assert profile.updated_by == bupyeong_officer
    assert DistrictProfile.objects.count() == 1


def test_a_city_manager_edits_any_districts_profile(orgs, city_manager):
    save(orgs["SG"], city_manager, person_in_charge="서구 담당")
    assert orgs["SG"].profile.person_in_charge == "서구 담당"


def test_another_district_an_approver_or_a_reviewer_cannot_edit_it(
    orgs, seogu_officer, bupyeong_approver, reviewer
):
    for actor in (seogu_officer, bupyeong_approver, reviewer):
        with pytest.raises(PermissionDenied):
            save(orgs["BP"], actor)
    assert not DistrictProfile.objects.exists()


def test_the_city_itself_has_no_district_profile(orgs, city_manager):
    with pytest.raises(PermissionDenied):
        save(orgs["ICN"], city_manager)


def test_a_phone_that_is_not_a_number_is_refused_with_what_to_do(
    orgs, bupyeong_officer
):
    with pytest.raises(ValidationError) as refused:
        save(orgs["BP"], bupyeong_officer, phone="담당자에게 문의")
    (error,) = refused.value.error_dict["phone"]
    assert error.code == "phone_format"
    assert not DistrictProfile.objects.exists()


# --- the prefill ----------------------------------------------------------------


def test_a_new_proposal_starts_with_the_profile(orgs, open_call, bupyeong_officer):
    save(orgs["BP"], bupyeong_officer)
    proposal = services.proposal_new(call=open_call, actor=bupyeong_officer)
    assert (
        proposal.contact_department,
        proposal.contact_person,
        proposal.contact_phone,
        proposal.contact_address,
    ) == ("일자리정책과", "담당 주무관", PHONE, "인천광역시 부평구 부평대로 168")


def test_without_a_profile_the_contact_starts_empty(open_call, bupyeong_officer):
    proposal = services.proposal_new(call=open_call, actor=bupyeong_officer)
    assert proposal.contact_department == "" and proposal.contact_phone == ""


def test_the_create_form_shows_the_profile(client, orgs, open_call, bupyeong_officer):
    save(orgs["BP"], bupyeong_officer)
    client.force_login(bupyeong_officer)
    page = client.get(
        f"{reverse('proposals:add')}?call={open_call.pk}"
    ).content.decode()
    assert 'value="일자리정책과"' in page
    assert f'value="{PHONE}"' in page


def test_the_city_sees_the_contact_on_a_sent_proposal_and_a_reviewer_does_not(
    client, orgs, call, bupyeong_officer, city_manager
):
    from .conftest import BEFORE_DEADLINE

    save(orgs["BP"], bupyeong_officer)
    proposal = make_draft(call, bupyeong_officer)
    proposal.contact_phone = PHONE
    services.proposal_submit(
        proposal=proposal, actor=bupyeong_officer, now=BEFORE_DEADLINE, notify=False
    )
    client.force_login(city_manager)
    page = client.get(reverse("proposals:inspect", args=[proposal.pk])).content.decode()
    assert "data-proposal-contact" in page and PHONE in page


# --- the phone never leaves ------------------------------------------------------


def test_the_phone_is_never_in_the_proposals_export(
    client, orgs, call, bupyeong_officer, city_manager
):
    from .conftest import BEFORE_DEADLINE

    save(orgs["BP"], bupyeong_officer)
    proposal = make_draft(call, bupyeong_officer)
    proposal.contact_phone = PHONE
    proposal.contact_person = "담당 주무관"
    services.proposal_submit(
        proposal=proposal, actor=bupyeong_officer, now=BEFORE_DEADLINE, notify=False
    )
    assert Proposal.objects.get(pk=proposal.pk).contact_phone == PHONE
    client.force_login(city_manager)
    index = reverse("proposals:index")
    csv = client.get(f"{index}?export=csv").content.decode("utf-8-sig")
    assert proposal.title in csv
    assert PHONE not in csv and "5096000" not in csv
    xlsx = client.get(f"{index}?export=xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert any(proposal.title in c for c in cells)
    assert not any(PHONE in c for c in cells)


def test_the_phone_is_masked_in_the_audit_trail(orgs, open_call, bupyeong_officer):
    save(orgs["BP"], bupyeong_officer)
    proposal = services.proposal_new(call=open_call, actor=bupyeong_officer)
    proposal.title = "육아코칭"
    services.proposal_save_draft(proposal=proposal, actor=bupyeong_officer)
    entries = LogEntry.objects.all()
    assert entries.exists()
    for entry in entries:
        assert PHONE not in str(entry.changes)
        assert PHONE not in str(entry.additional_data or "")


# --- the screens ------------------------------------------------------------------


def test_an_officer_edits_the_profile_on_its_page(client, orgs, bupyeong_officer):
    client.force_login(bupyeong_officer)
    assert client.get(reverse("accounts_district_profiles"))["Location"] == reverse(
        "accounts_district_profile", args=[orgs["BP"].pk]
    )
    url = reverse("accounts_district_profile", args=[orgs["BP"].pk])
    response = client.post(
        url,
        {
            "department": "일자리정책과",
            "person_in_charge": "담당 주무관",
            "phone": PHONE,
            "address": "부평대로 168",
        },
    )
    assert response.status_code == 302
    assert orgs["BP"].profile.phone == PHONE


def test_a_wrong_phone_on_the_page_keeps_what_was_typed(client, orgs, bupyeong_officer):
    client.force_login(bupyeong_officer)
    url = reverse("accounts_district_profile", args=[orgs["BP"].pk])
    response = client.post(
        url,
        {
            "department": "일자리정책과",
            "person_in_charge": "담당 주무관",
            "phone": "없음",
            "address": "부평대로 168",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="일자리정책과"' in page and 'value="부평대로 168"' in page
    assert not DistrictProfile.objects.exists()


def test_another_districts_profile_page_is_a_404(client, orgs, seogu_officer):
    client.force_login(seogu_officer)
    url = reverse("accounts_district_profile", args=[orgs["BP"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"department": "x"}).status_code == 404
    assert not DistrictProfile.objects.exists()


def test_an_approver_reads_but_does_not_change_the_profile(
    client, orgs, bupyeong_officer, bupyeong_approver
):
    save(orgs["BP"], bupyeong_officer)
    client.force_login(bupyeong_approver)
    url = reverse("accounts_district_profile", args=[orgs["BP"].pk])
    page = client.get(url).content.decode()
    assert "일자리정책과" in page and "disabled" in page
    client.post(url, {"department": "바뀜", "phone": PHONE})
    assert orgs["BP"].profile.department == "일자리정책과"


def test_the_city_lists_every_districts_profile(client, orgs, city_manager, reviewer):
    client.force_login(city_manager)
    page = client.get(reverse("accounts_district_profiles")).content.decode()
    assert reverse("accounts_district_profile", args=[orgs["SG"].pk]) in page
    assert PHONE not in page
    client.force_login(reviewer)
    assert client.get(reverse("accounts_district_profiles")).status_code == 404
