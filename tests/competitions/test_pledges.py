"""Reviewers sign the call's confidentiality and conflict-of-interest pledges
(보안 서약, 이해충돌 서약) in the system before any proposal of the call opens to
them: every door refuses until then, with a link to the pledge page, and opens
after. The signature keeps the texts, the time and the address."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from accounts import access
from competitions import services
from competitions.models import (
    AssignmentStatus,
    Proposal,
    ProposalAttachment,
    ReviewAssignment,
    ReviewerPledge,
)

from .conftest import AFTER_DEADLINE, make_call, make_reviewer, sign_pledges

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _code(error: ValidationError) -> set[str]:
    return {e.code for errors in error.error_dict.values() for e in errors}


@pytest.fixture
def unsigned(orgs, call, city_manager, seogu_proposal):
    """A reviewer on the 2018 call's panel, assigned Seo-gu's proposal (which
    has an attachment), who has not signed the call's pledges."""
    reviewer = make_reviewer(orgs, "pledge-reviewer")
    services.panel_add(call=call, reviewer=reviewer, actor=city_manager)
    assignment = services.assignment_create(
        proposal=seogu_proposal, reviewer=reviewer, actor=city_manager
    )
    attachment = ProposalAttachment(proposal=seogu_proposal, title="사업계획서")
    attachment.file.save("plan.pdf", ContentFile(PDF), save=False)
    attachment.save()
    return {
        "reviewer": reviewer,
        "assignment": assignment,
        "attachment": attachment,
        "pledge_url": reverse("review_pledge", args=[call.pk]),
    }


def _refused_with_the_pledge_link(client, response, pledge_url) -> None:
    assert response.status_code == 302
    assert response["Location"] == pledge_url
    page = client.get(response["Location"]).content.decode()
    assert f'href="{pledge_url}"' in page  # the message's button
    assert "data-pledge-form" in page


# --- every door, before and after ----------------------------------------------


def test_the_access_rule_shows_no_proposal_or_attachment_of_the_call_until_signed(
    unsigned, call, seogu_proposal
):
    reviewer = unsigned["reviewer"]
    assert not access.visible_to(reviewer, Proposal).exists()
    assert not access.visible_to(reviewer, ProposalAttachment).exists()
    assert not access.can_view(reviewer, seogu_proposal)

    sign_pledges(reviewer, call)

    assert list(access.visible_to(reviewer, Proposal)) == [seogu_proposal]
    assert list(access.visible_to(reviewer, ProposalAttachment)) == [
        unsigned["attachment"]
    ]


def test_the_assignment_screen_refuses_until_signed_then_opens(
    client, unsigned, call, seogu_proposal
):
    url = reverse("review_assignment", args=[unsigned["assignment"].pk])
    client.force_login(unsigned["reviewer"])

    before = client.get(url)
    _refused_with_the_pledge_link(client, before, unsigned["pledge_url"])
    assert seogu_proposal.summary not in before.content.decode()

    sign_pledges(unsigned["reviewer"], call)
    after = client.get(url)
    assert after.status_code == 200
    assert seogu_proposal.summary in after.content.decode()


def test_the_attachment_download_refuses_until_signed_then_opens(
    client, unsigned, call
):
    url = reverse("proposals:attachment", args=[unsigned["attachment"].pk])
    client.force_login(unsigned["reviewer"])

    _refused_with_the_pledge_link(client, client.get(url), unsigned["pledge_url"])

    sign_pledges(unsigned["reviewer"], call)
    after = client.get(url)
    assert after.status_code == 200
    assert b"".join(after.streaming_content) == PDF


def test_the_declaration_refuses_until_signed_then_records(client, unsigned, call):
    url = reverse("review_declare", args=[unsigned["assignment"].pk])
    client.force_login(unsigned["reviewer"])

    before = client.post(url, {"has_conflict": "no"})
    _refused_with_the_pledge_link(client, before, unsigned["pledge_url"])
    unsigned["assignment"].refresh_from_db()
    assert unsigned["assignment"].status == AssignmentStatus.ASSIGNED

    sign_pledges(unsigned["reviewer"], call)
    client.post(url, {"has_conflict": "no"})
    unsigned["assignment"].refresh_from_db()
    assert unsigned["assignment"].status == AssignmentStatus.NO_CONFLICT


def test_my_assignments_names_no_proposal_of_an_unsigned_call(
    client, unsigned, call, seogu_proposal
):
    client.force_login(unsigned["reviewer"])
    url = reverse("review_my_assignments")

    before = client.get(url).content.decode()
    assert seogu_proposal.title not in before
    assert f'data-pledge-link="{call.pk}"' in before

    sign_pledges(unsigned["reviewer"], call)
    after = client.get(url).content.decode()
    assert seogu_proposal.title in after
    assert "data-pledge-link" not in after


def test_the_review_services_refuse_declaring_and_scoring_until_signed(unsigned, call):
    assignment = unsigned["assignment"]
    reviewer = unsigned["reviewer"]
    with pytest.raises(ValidationError) as declare:
        services.conflict_declare(
            assignment=assignment, actor=reviewer, has_conflict=False, notify=False
        )
    # Even with the declaration somehow made, scoring is refused.
    ReviewAssignment.objects.filter(pk=assignment.pk).update(
        status=AssignmentStatus.NO_CONFLICT
    )
    assignment.refresh_from_db()
    with pytest.raises(ValidationError) as score:
        services.review_save_draft(assignment=assignment, actor=reviewer, scores={})

    assert "pledge_required" in _code(declare.value)
    assert "pledge_required" in _code(score.value)


def test_the_city_managers_doors_do_not_depend_on_pledges(
    client, unsigned, call, city_manager, seogu_proposal
):
    # The zip of all attachments and the listings are the city's, pledge or not;
    # a reviewer is refused them before and after signing.
    client.force_login(city_manager)
    assert (
        client.get(reverse("proposals:inspect", args=[seogu_proposal.pk])).status_code
        == 200
    )
    zip_url = reverse("proposals:attachments_zip", args=[call.pk])
    assert client.get(zip_url).status_code == 200

    client.force_login(unsigned["reviewer"])
    assert client.get(zip_url).status_code == 404
    sign_pledges(unsigned["reviewer"], call)
    assert client.get(zip_url).status_code == 404
    assert client.get(reverse("proposals:index")).status_code in (302, 403)


def test_a_pledge_opens_only_its_own_call(
    unsigned, call, call_index, city_manager, orgs
):
    other = make_call(call_index, slug="call-other")
    services.panel_add(call=other, reviewer=unsigned["reviewer"], actor=city_manager)
    sign_pledges(unsigned["reviewer"], other)

    assert not access.visible_to(unsigned["reviewer"], Proposal).exists()


# --- signing -------------------------------------------------------------------------


def test_the_signature_keeps_the_texts_the_time_and_the_address(client, unsigned, call):
    client.force_login(unsigned["reviewer"])
    response = client.post(
        unsigned["pledge_url"],
        {"confidentiality": "yes", "conflict": "yes"},
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == 302
    pledge = ReviewerPledge.objects.get(reviewer=unsigned["reviewer"], call=call)
    assert pledge.confidentiality_text == call.pledge_confidentiality
    assert pledge.conflict_text == call.pledge_conflict
    assert pledge.ip_address == "203.0.113.7"
    assert pledge.language == "ko"


def test_the_pledge_page_shows_the_signing_time_in_seoul(client, unsigned, call):
    # 2018-09-30 16:00 UTC is 2018-10-01 01:00 in Seoul.
    services.pledge_sign(
        call=call,
        actor=unsigned["reviewer"],
        confidentiality=True,
        conflict=True,
        now=datetime(2018, 9, 30, 16, 0, tzinfo=UTC),
    )
    client.force_login(unsigned["reviewer"])
    page = client.get(unsigned["pledge_url"]).content.decode()

    assert "2018-10-01 01:00" in page
    assert "2018-09-30" not in page


def test_both_pledges_must_be_accepted_and_a_refusal_keeps_the_tick(
    client, unsigned, call
):
    with pytest.raises(ValidationError) as refused:
        services.pledge_sign(
            call=call, actor=unsigned["reviewer"], confidentiality=True, conflict=False
        )
    assert _code(refused.value) == {"conflict_not_accepted"}

    client.force_login(unsigned["reviewer"])
    response = client.post(unsigned["pledge_url"], {"confidentiality": "yes"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="confidentiality" value="yes" checked' in page
    assert not ReviewerPledge.objects.exists()


def test_only_a_reviewer_of_the_call_signs_its_pledges(
    client, unsigned, call, orgs, bupyeong_officer
):
    stranger = make_reviewer(orgs, "not-on-the-panel")
    with pytest.raises(ValidationError) as refused:
        services.pledge_sign(
            call=call, actor=stranger, confidentiality=True, conflict=True
        )
    assert _code(refused.value) == {"not_on_panel"}

    for person in (stranger, bupyeong_officer):
        client.force_login(person)
        assert client.get(unsigned["pledge_url"]).status_code == 404
        client.post(
            unsigned["pledge_url"], {"confidentiality": "yes", "conflict": "yes"}
        )
    assert not ReviewerPledge.objects.exists()


def test_the_call_has_default_pledge_texts_in_both_languages_and_the_reader_signs_theirs(
    unsigned, call
):
    assert "누설하지" in call.pledge_confidentiality
    assert "disclose" in call.pledge_confidentiality_en
    assert "이해충돌" in call.pledge_conflict
    assert "conflict of interest" in call.pledge_conflict_en

    with translation.override("en"):
        pledge = services.pledge_sign(
            call=call,
            actor=unsigned["reviewer"],
            confidentiality=True,
            conflict=True,
            now=AFTER_DEADLINE,
        )
    assert pledge.confidentiality_text == call.pledge_confidentiality_en
    assert pledge.language == "en"
