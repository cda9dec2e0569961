"""Publishing the results: final statuses, the public results page (no scores,
no reviewers), district e-mails and a project per selected proposal."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from competitions import services
from competitions.models import (
    CallResultsPage,
    Decision,
    ProposalStatus,
    ResultsPublication,
)
from projects.models import Project
from tests.helpers import reauthenticate

from .conftest import make_submitted, score_and_submit


@pytest.fixture
def reviewed(call, orgs, panel, city_manager, bupyeong_officer, seogu_officer):
    """Two proposals scored by two reviewers: Seo-gu (the better) and Bupyeong-gu."""
    seogu = make_submitted(call, orgs["SG"], title="검단 무빙콜", city_share=70_000_000)
    bupyeong = make_submitted(call, orgs["BP"], title="육아코칭", city_share=60_000_000)
    for proposal, scores in [
        (seogu, [[37.5, 52], [33, 48]]),
        (bupyeong, [[21, 33], [24, 35]]),
    ]:
        for reviewer, reviewer_scores in zip(panel[1:3], scores, strict=True):
            assignment = services.assignment_create(
                proposal=proposal, reviewer=reviewer, actor=city_manager
            )
            review = score_and_submit(assignment, reviewer_scores)
            review.overall_comment = f"{reviewer.username}의 종합 의견"
            review.save()
    return {"SG": seogu, "BP": bupyeong}


def _decide_all(reviewed, city_manager):
    services.selection_decide(
        proposal=reviewed["SG"],
        decision=Decision.SELECTED,
        reason="1위, 예산 범위 내",
        actor=city_manager,
    )
    services.selection_decide(
        proposal=reviewed["BP"],
        decision=Decision.NOT_SELECTED,
        reason="사업 계획의 구체성 부족",
        actor=city_manager,
    )


def test_publishing_is_refused_while_a_proposal_has_no_decision(
    call, reviewed, city_manager
):
    services.selection_decide(
        proposal=reviewed["SG"],
        decision=Decision.SELECTED,
        reason="1위",
        actor=city_manager,
    )
    with pytest.raises(ValidationError) as refused:
        services.results_publish(call=call, actor=city_manager)
    refusals = refused.value.error_dict["decisions"]
    assert any(r.code == "no_decision" and "육아코칭" in r.message for r in refusals)
    assert not ResultsPublication.objects.exists()
    assert not CallResultsPage.objects.exists()
    assert not Project.objects.exists()


def test_publishing_is_refused_when_the_selection_exceeds_the_budget(
    call, reviewed, city_manager
):
    call.total_budget = call.cap_per_project = 100_000_000
    call.save()
    for proposal in reviewed.values():
        services.selection_decide(
            proposal=proposal,
            decision=Decision.SELECTED,
            reason="선정",
            actor=city_manager,
        )
    with pytest.raises(ValidationError) as refused:
        services.results_publish(call=call, actor=city_manager)
    codes = [r.code for r in refused.value.error_dict["decisions"]]
    assert "over_budget" in codes


def test_publishing_makes_decisions_final_creates_page_and_projects_and_emails_districts(
    call,
    reviewed,
    city_manager,
    bupyeong_officer,
    seogu_officer,
    django_capture_on_commit_callbacks,
):
    _decide_all(reviewed, city_manager)
    with django_capture_on_commit_callbacks(execute=True):
        page = services.results_publish(call=call, actor=city_manager)

    reviewed["SG"].refresh_from_db()
    reviewed["BP"].refresh_from_db()
    assert reviewed["SG"].status == ProposalStatus.SELECTED
    assert reviewed["BP"].status == ProposalStatus.NOT_SELECTED
    assert reviewed["BP"].transitions.last().note == "사업 계획의 구체성 부족"

    assert page.get_parent().pk == call.pk and page.live
    assert [(e.district.code, e.title, e.city_share) for e in page.entries.all()] == [
        ("SG", "검단 무빙콜", 70_000_000)
    ]
    project = Project.objects.get()
    assert project.source_proposal == reviewed["SG"]
    assert project.current_plan.city_share == 70_000_000
    assert project.current_plan.target_groups.get().planned_jobs == 27

    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == [bupyeong_officer.email, seogu_officer.email]
    bupyeong_mail = next(m for m in mail.outbox if bupyeong_officer.email in m.to)
    assert (
        "미선정" in bupyeong_mail.body
        and "사업 계획의 구체성 부족" in bupyeong_mail.body
    )
    assert "not selected" not in bupyeong_mail.body  # Korean only, the officer's
    assert "reviewer-" not in bupyeong_mail.body

    with pytest.raises(ValidationError):
        services.selection_decide(
            proposal=reviewed["BP"],
            decision=Decision.SELECTED,
            reason="번복",
            actor=city_manager,
        )
    with pytest.raises(ValidationError):
        services.results_publish(call=call, actor=city_manager)
    with pytest.raises(ValidationError):
        services.review_save_draft(
            assignment=reviewed["SG"].review_assignments.first(),
            actor=reviewed["SG"].review_assignments.first().reviewer,
            scores={},
        )


def test_the_public_results_and_call_pages_show_no_score_or_reviewer(
    client, call, reviewed, city_manager, panel
):
    _decide_all(reviewed, city_manager)
    page = services.results_publish(call=call, actor=city_manager)

    results_html = client.get(page.url).content.decode()
    assert "검단 무빙콜" in results_html and "서구" in results_html
    assert "70,000,000" in results_html
    assert "육아코칭" not in results_html

    call_html = client.get(call.url).content.decode()
    assert page.url in call_html
    for html in (results_html, call_html):
        for reviewer in panel:
            assert reviewer.username not in html
        # Reviewer totals 89.5 / 81 and 54 / 59, means 85.25 and 56.5, the comments.
        for score_text in ("89.5", "85.25", "56.5", "종합 의견", "점수", "Score"):
            assert score_text not in html
        assert (
            "사업 계획의 구체성 부족" not in html
        )  # reasons are for the district, not the public


def test_updating_the_results_page_rewrites_it_rather_than_adding_one(
    call, reviewed, city_manager
):
    _decide_all(reviewed, city_manager)
    services.results_publish(call=call, actor=city_manager, notify=False)
    page = services.results_page_update(call=call, actor=city_manager)
    assert CallResultsPage.objects.count() == 1
    assert page.entries.count() == 1


def test_the_results_page_is_not_written_for_a_call_still_in_review(
    call, reviewed, city_manager
):
    _decide_all(reviewed, city_manager)
    with pytest.raises(ValidationError):
        services.results_page_update(call=call, actor=city_manager)
    assert not CallResultsPage.objects.exists()


def test_the_city_publishes_from_the_ranking_screen(
    client, call, reviewed, city_manager, django_capture_on_commit_callbacks
):
    client.force_login(city_manager)
    url = reverse("review_ranking", args=[call.pk])
    page = client.get(url + "?suggest=1").content.decode()
    assert "data-ranking" in page and "data-publication-errors" in page
    assert 'data-suggested="yes"' in page
    for proposal in reviewed.values():
        client.post(
            url,
            {
                "action": "decide",
                "proposal": proposal.pk,
                "decision": "selected",
                "reason": "예산 범위 내",
            },
        )
    page = client.get(url).content.decode()
    assert 'data-selected-total="130000000"' in page
    response = client.post(url, {"action": "publish"})
    assert response["Location"].startswith(reverse("accounts_reauth"))
    assert not ResultsPublication.objects.filter(call=call).exists()
    reauthenticate(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "publish"})
    assert response.status_code == 302
    assert ResultsPublication.objects.filter(call=call).exists()
    assert Project.objects.count() == 2
