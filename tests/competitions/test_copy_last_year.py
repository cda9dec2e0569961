"""Copy last year: a district officer starts a proposal from one of the
district's earlier proposals or projects (any call). The copy is a new draft
in the open call with everything that still fits, and a list of what could
not be copied. Never from another district, whatever id is typed."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from competitions import services
from competitions.models import (
    CallIndicator,
    CallTargetGroup,
    Proposal,
    ProposalAttachment,
    ProposalStatus,
)
from competitions.selectors.carry import copy_gap_lines, copy_sources_for

from .carry_fixtures import graded_project, old_project  # noqa: F401
from .conftest import make_draft

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def last_year(call, bupyeong_officer, tmp_path):
    """부평구's 2018 proposal, with a PDF and a plain-text attachment (stored
    before the accepted types were checked), in a private folder of this test's
    own: a plan.pdf left by an earlier run under the same ids would otherwise
    make the storage rename the copy."""
    storage = ProposalAttachment._meta.get_field("file").storage
    saved = storage.__dict__.copy()
    storage._location = str(tmp_path / "private")
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)
    yield from _last_year(call, bupyeong_officer)
    storage.__dict__.clear()
    storage.__dict__.update(saved)


def _last_year(call, bupyeong_officer):
    proposal = make_draft(call, bupyeong_officer, title="찾아가는 육아코칭활동가 양성")
    ProposalAttachment.objects.create(
        proposal=proposal, title="사업계획서", file=ContentFile(PDF, name="plan.pdf")
    )
    ProposalAttachment.objects.create(
        proposal=proposal, title="메모", file=ContentFile(b"memo", name="memo.txt")
    )
    yield Proposal.objects.get(pk=proposal.pk)


def _codes(error: ValidationError) -> list[str]:
    return [e.code for errors in error.error_dict.values() for e in errors]


# --- the copy -------------------------------------------------------------------


def test_a_copy_of_last_years_proposal_is_a_new_draft_with_what_still_fits(
    last_year, open_call, bupyeong_officer
):
    copy = services.proposal_copy(
        source=last_year, call=open_call, actor=bupyeong_officer
    )

    copy = Proposal.objects.get(pk=copy.pk)
    assert copy.pk != last_year.pk and copy.call == open_call
    assert copy.status == ProposalStatus.DRAFT and copy.receipt_number is None
    assert copy.copied_from == last_year and not copy.is_continuation
    for name in ("title", "summary", "local_need", "delivery_partners"):
        assert getattr(copy, name) == getattr(last_year, name)
    assert (copy.city_share, copy.district_share) == (50_000_000, 50_000_000)
    assert (copy.period_start, copy.period_end) == (date(2028, 1, 1), date(2028, 12, 1))
    # The target group is the new call's own row with the same code.
    (row,) = copy.target_groups.all()
    assert row.target_group.page_id == open_call.pk
    assert (row.target_group.code, row.planned_jobs) == ("women", 27)
    assert [(r.indicator.code, r.target) for r in copy.outputs.all()] == [
        ("households", 960)
    ]
    assert sorted((r.category, r.amount) for r in copy.budget_lines.all()) == [
        ("운영비", 10_000_000),
        ("인건비", 90_000_000),
    ]
    # The PDF is copied (a file of its own); the text file is listed instead.
    (attachment,) = copy.attachments.all()
    assert attachment.filename == "plan.pdf" and attachment.title == "사업계획서"
    with attachment.file.open("rb") as handle:
        assert handle.read() == PDF
    assert attachment.file.name != last_year.attachments.first().file.name
    assert [gap["code"] for gap in copy.copy_gaps] == ["attachment_not_accepted"]
    # The original is untouched.
    assert last_year.attachments.count() == 2 and last_year.call_id != open_call.pk


def test_what_the_new_call_does_not_offer_is_listed_in_the_readers_language(
    last_year, open_call, bupyeong_officer
):
    CallIndicator.objects.filter(page=open_call, indicator__code="households").delete()
    CallTargetGroup.objects.filter(page=open_call, code="women").delete()

    copy = services.proposal_copy(
        source=last_year, call=open_call, actor=bupyeong_officer
    )

    assert not copy.outputs.exists() and not copy.target_groups.exists()
    assert sorted(gap["code"] for gap in copy.copy_gaps) == [
        "attachment_not_accepted",
        "indicator_not_offered",
        "target_group_not_offered",
    ]
    with translation.override("en"):
        text = " ".join(copy_gap_lines(copy))
    assert "Households visited" in text and "960" in text
    assert "Career-interrupted women" in text and "27" in text
    assert "메모" in text  # the attachment, by its title
    with translation.override("ko"):
        text = " ".join(copy_gap_lines(copy))
    assert "방문 가구" in text and "경력단절여성" in text


def test_a_city_share_above_the_new_cap_is_copied_and_flagged(
    last_year, call_index, orgs, bupyeong_officer
):
    from datetime import timedelta

    from django.utils import timezone

    from .conftest import make_call

    now = timezone.now()
    small = make_call(
        call_index,
        slug="small-cap",
        year=2027,
        cap_per_project=40_000_000,
        opens_at=now - timedelta(days=1),
        deadline=now + timedelta(days=5),
    )
    copy = services.proposal_copy(source=last_year, call=small, actor=bupyeong_officer)
    assert copy.city_share == 50_000_000
    gap = next(g for g in copy.copy_gaps if g["code"] == "over_cap")
    assert (gap["value"], gap["cap"]) == (50_000_000, 40_000_000)


def test_a_project_is_copied_from_its_plan_in_force(
    old_project, open_call, bupyeong_officer
):
    copy = services.proposal_copy(
        source=old_project, call=open_call, actor=bupyeong_officer
    )
    assert copy.continues_project is None  # a copy, not a continuation
    assert copy.title == old_project.title
    assert {r.target_group.code: r.planned_jobs for r in copy.target_groups.all()} == {
        "women": 27,
        "seniors": 5,
    }
    assert copy.total_budget == 135_000_000


def test_the_copy_starts_with_the_district_profile_as_contact(
    last_year, open_call, bupyeong_officer
):
    from accounts.services import district_profile_save

    district_profile_save(
        organisation=last_year.district,
        actor=bupyeong_officer,
        department="일자리정책과",
        person_in_charge="담당 주무관",
        phone="032-509-6000",
        address="부평대로 168",
    )
    copy = services.proposal_copy(
        source=last_year, call=open_call, actor=bupyeong_officer
    )
    assert copy.contact_department == "일자리정책과"
    assert copy.contact_phone == "032-509-6000"


# --- refusals -----------------------------------------------------------------


def test_another_districts_proposal_or_project_is_never_copied(
    last_year, old_project, open_call, seogu_officer
):
    for source in (last_year, old_project):
        with pytest.raises(PermissionDenied):
            services.proposal_copy(source=source, call=open_call, actor=seogu_officer)
    assert not Proposal.objects.filter(call=open_call).exists()


def test_an_approver_or_the_city_does_not_start_copies(
    last_year, open_call, bupyeong_approver, city_manager
):
    for actor in (bupyeong_approver, city_manager):
        with pytest.raises(PermissionDenied):
            services.proposal_copy(source=last_year, call=open_call, actor=actor)


def test_no_copy_into_a_call_that_is_not_open_to_the_district(
    last_year, call, bupyeong_officer
):
    with pytest.raises(ValidationError) as refused:
        services.proposal_copy(source=last_year, call=call, actor=bupyeong_officer)
    assert _codes(refused.value) == ["call_not_open_to_district"]


# --- the "start from…" screen ---------------------------------------------------


def test_the_create_form_offers_start_from(client, open_call, bupyeong_officer):
    client.force_login(bupyeong_officer)
    page = client.get(
        f"{reverse('proposals:add')}?call={open_call.pk}"
    ).content.decode()
    assert reverse("proposals:start_from", args=[open_call.pk]) in page


def test_start_from_lists_the_districts_own_proposals_and_projects_only(
    client, last_year, old_project, open_call, bupyeong_officer, seogu_officer, call
):
    from .conftest import make_draft

    seogu_own = make_draft(call, seogu_officer, title="검단 무빙콜")
    client.force_login(bupyeong_officer)
    page = client.get(
        reverse("proposals:start_from", args=[open_call.pk])
    ).content.decode()
    assert f'data-source="proposal-{last_year.pk}"' in page
    assert f'data-source="project-{old_project.pk}"' in page
    assert f'data-source="proposal-{seogu_own.pk}"' not in page
    assert "검단 무빙콜" not in page
    sources = copy_sources_for(user=seogu_officer, call=open_call)
    assert [(s.kind, s.pk) for s in sources] == [("proposal", seogu_own.pk)]


def test_start_from_copies_and_opens_the_draft_with_what_was_not_copied(
    client, last_year, open_call, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    response = client.post(
        reverse("proposals:start_from", args=[open_call.pk]),
        {"kind": "proposal", "source": last_year.pk},
    )
    copy = Proposal.objects.get(call=open_call)
    assert response["Location"] == reverse("proposals:edit", args=[copy.pk])
    with translation.override("en"):
        form = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    page = form.content.decode()
    gaps = page.split("data-copy-gaps", 1)[1].split("</section>", 1)[0]
    assert "메모" in gaps


def test_start_from_with_a_guessed_id_of_another_district_is_a_404(
    client, last_year, old_project, open_call, seogu_officer
):
    client.force_login(seogu_officer)
    url = reverse("proposals:start_from", args=[open_call.pk])
    for kind, pk in (
        ("proposal", last_year.pk),
        ("project", old_project.pk),
        ("continuation", old_project.pk),
    ):
        assert client.post(url, {"kind": kind, "source": pk}).status_code == 404
    assert not Proposal.objects.filter(call=open_call).exists()


def test_start_from_is_a_404_to_the_city_and_reviewers(
    client, open_call, city_manager, reviewer
):
    for user in (city_manager, reviewer):
        client.force_login(user)
        url = reverse("proposals:start_from", args=[open_call.pk])
        assert client.get(url).status_code == 404


def test_start_from_offers_carrying_forward_a_project_graded_for_continuation(
    client, graded_project, open_call, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    url = reverse("proposals:start_from", args=[open_call.pk])
    page = client.get(url).content.decode()
    assert "data-continuation-button" in page
    client.post(url, {"kind": "continuation", "source": graded_project.pk})
    assert Proposal.objects.get(call=open_call).continues_project == graded_project
