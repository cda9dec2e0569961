"""Who reaches what of the review: reviewers only their assigned proposals and
attachments, districts and the public nothing of reviews, scores or rankings."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts import access
from competitions import services
from competitions.models import (
    ConflictDeclaration,
    CriterionScore,
    Decision,
    Proposal,
    ProposalAttachment,
    Review,
    ReviewAssignment,
    SelectionDecision,
)

from .conftest import score_and_submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _attach(proposal) -> ProposalAttachment:
    attachment = ProposalAttachment(proposal=proposal, title="사업계획서")
    attachment.file.save("plan.pdf", ContentFile(PDF), save=False)
    attachment.save()
    return attachment


@pytest.fixture
def scored(panel, bupyeong_proposal, seogu_proposal, city_manager):
    """reviewer-b assigned to (and scored) Seo-gu only; Bupyeong-gu is reviewed by reviewer-c."""
    mine = services.assignment_create(
        proposal=seogu_proposal, reviewer=panel[1], actor=city_manager
    )
    other = services.assignment_create(
        proposal=bupyeong_proposal, reviewer=panel[2], actor=city_manager
    )
    score_and_submit(mine, [30, 50])
    score_and_submit(other, [20, 40])
    services.selection_decide(
        proposal=seogu_proposal,
        decision=Decision.SELECTED,
        reason="선정",
        actor=city_manager,
    )
    return {"mine": mine, "other": other}


def test_a_reviewer_reaches_only_assigned_proposals_and_their_attachments(
    client, scored, panel, bupyeong_proposal, seogu_proposal
):
    reviewer = panel[1]
    assigned_file, unassigned_file = _attach(seogu_proposal), _attach(bupyeong_proposal)
    assert list(access.visible_to(reviewer, Proposal)) == [seogu_proposal]

    client.force_login(reviewer)
    assert (
        client.get(reverse("proposals:attachment", args=[assigned_file.pk])).status_code
        == 200
    )
    assert (
        client.get(
            reverse("proposals:attachment", args=[unassigned_file.pk])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("review_assignment", args=[scored["other"].pk])).status_code
        == 404
    )
    page = client.get(
        reverse("review_assignment", args=[scored["mine"].pk])
    ).content.decode()
    assert reverse("proposals:attachment", args=[assigned_file.pk]) in page


def test_a_reviewer_who_declared_a_conflict_no_longer_reaches_the_proposal(
    client, panel, bupyeong_proposal, city_manager
):
    reviewer = panel[3]
    assignment = services.assignment_create(
        proposal=bupyeong_proposal, reviewer=reviewer, actor=city_manager
    )
    attachment = _attach(bupyeong_proposal)
    services.conflict_declare(
        assignment=assignment,
        actor=reviewer,
        has_conflict=True,
        note="친족",
        notify=False,
    )
    client.force_login(reviewer)
    assert (
        client.get(reverse("review_assignment", args=[assignment.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("proposals:attachment", args=[attachment.pk])).status_code
        == 404
    )


def test_district_users_see_no_review_score_or_decision(
    scored, bupyeong_officer, bupyeong_approver
):
    for user in (bupyeong_officer, bupyeong_approver):
        for model in (
            Review,
            CriterionScore,
            ReviewAssignment,
            SelectionDecision,
            ConflictDeclaration,
        ):
            assert not access.visible_to(user, model).exists(), model


def test_district_officers_are_refused_every_review_screen(
    client, scored, call, seogu_officer
):
    client.force_login(seogu_officer)
    for url in [
        reverse("review_calls"),
        reverse("review_panel", args=[call.pk]),
        reverse("review_ranking", args=[call.pk]),
        reverse("review_score_sheet", args=[call.pk]),
        reverse("review_my_assignments"),
        reverse("review_assignment", args=[scored["mine"].pk]),
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("review_ranking", args=[call.pk]), {"action": "publish"}
    )
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in_and_see_nothing(client, scored, call):
    for url in [
        reverse("review_ranking", args=[call.pk]),
        reverse("review_score_sheet", args=[call.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    assert not access.visible_to(AnonymousUser(), Review).exists()


def test_menus_follow_the_role(client, city_manager, reviewer, bupyeong_officer):
    home = reverse("wagtailadmin_home")
    client.force_login(city_manager)
    page = client.get(home).content.decode()
    assert (
        reverse("review_calls") in page and reverse("review_my_assignments") not in page
    )
    client.force_login(reviewer)
    page = client.get(home).content.decode()
    assert (
        reverse("review_my_assignments") in page and reverse("review_calls") not in page
    )
    client.force_login(bupyeong_officer)
    page = client.get(home).content.decode()
    assert (
        reverse("review_calls") not in page
        and reverse("review_my_assignments") not in page
    )


def test_the_score_sheet_has_a_row_per_proposal_reviewer_and_criterion_and_defuses_formulas(
    client, scored, call, city_manager
):
    score = CriterionScore.objects.filter(review__assignment=scored["mine"]).first()
    score.comment = '=HYPERLINK("http://evil.example","click")'
    score.save()
    client.force_login(city_manager)
    response = client.get(reverse("review_score_sheet", args=[call.pk]))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 1 + 2 * 2  # header + 2 proposals × 1 reviewer × 2 criteria
    comments = [row[8] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","click")' in comments
    assert all(
        not str(value).startswith("=")
        for row in rows
        for value in row
        if value is not None
    )
    totals = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert sorted(row[4] for row in totals[1:]) == [60, 80]


def test_the_city_manages_the_panel_and_auto_assigns_through_the_screen(
    client, panel, call, city_manager, bupyeong_proposal
):
    client.force_login(city_manager)
    url = reverse("review_panel", args=[call.pk])
    page = client.get(url).content.decode()
    assert "data-panel" in page and "reviewer-a" in page
    response = client.post(
        url,
        {"action": "assign", "proposal": bupyeong_proposal.pk, "reviewer": panel[0].pk},
    )
    assert response.status_code == 302
    assert not ReviewAssignment.objects.exists()  # reviewer-a works for Bupyeong-gu
    client.post(url, {"action": "auto"})
    assert ReviewAssignment.objects.filter(proposal=bupyeong_proposal).count() == 3
    assert not ReviewAssignment.objects.filter(reviewer=panel[0]).exists()
