"""A tie between a reviewer and a district recorded after the assignment is
not ignored: it ends the open assignments it touches (the city is e-mailed to
reassign), flags submitted reviews, which stop counting until the city keeps
or discards them with a reason, and every step of the review checks it again."""

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from common import audit
from competitions import services
from competitions.models import (
    AssignmentStatus,
    Decision,
    Review,
    ReviewStatus,
    TieRuling,
)
from competitions.selectors import (
    assignments_ended_by_tie,
    call_ranking,
    reviews_awaiting_tie_ruling,
)

from .conftest import AFTER_DEADLINE, score_and_submit


def _assign(proposal, reviewer, city_manager):
    return services.assignment_create(
        proposal=proposal, reviewer=reviewer, actor=city_manager
    )


def _line(call, proposal):
    return next(line for line in call_ranking(call=call) if line.proposal == proposal)


def test_a_tie_recorded_after_the_assignment_ends_it_and_emails_the_city(
    panel, seogu_proposal, city_manager, orgs, django_capture_on_commit_callbacks
):
    reviewer = panel[1]
    assignment = _assign(seogu_proposal, reviewer, city_manager)
    with django_capture_on_commit_callbacks(execute=True):
        effects = services.tie_declare(
            reviewer=reviewer,
            organisation=orgs["SG"],
            actor=city_manager,
            note="서구 일자리위원회 위원",
        )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ENDED_BY_TIE
    assert effects.ended == [assignment]
    assert assignments_ended_by_tie() == [assignment]
    notices = [message for message in mail.outbox if city_manager.email in message.to]
    assert len(notices) == 1
    assert seogu_proposal.receipt_number in notices[0].body
    assert (
        "Tie recorded" not in notices[0].subject
    )  # one language: the manager's (Korean)


def test_the_tied_reviewer_can_no_longer_declare_no_conflict(
    panel, seogu_proposal, city_manager, orgs
):
    reviewer = panel[1]
    assignment = _assign(seogu_proposal, reviewer, city_manager)
    services.tie_declare(
        reviewer=reviewer, organisation=orgs["SG"], actor=reviewer, notify=False
    )
    assignment.refresh_from_db()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.conflict_declare(
            assignment=assignment,
            actor=reviewer,
            has_conflict=False,
            now=AFTER_DEADLINE,
        )
    assert (
        "tie between you and the proposing district"
        in refused.value.message_dict["assignment"][0]
    )
    assert not Review.objects.exists()


def test_a_tie_after_no_conflict_was_declared_refuses_saving_and_keeps_the_draft(
    panel, seogu_proposal, city_manager, orgs
):
    reviewer = panel[1]
    assignment = _assign(seogu_proposal, reviewer, city_manager)
    services.conflict_declare(
        assignment=assignment, actor=reviewer, has_conflict=False, now=AFTER_DEADLINE
    )
    criteria = list(seogu_proposal.call.rubric_criteria.all())
    services.review_save_draft(
        assignment=assignment,
        actor=reviewer,
        scores={criteria[0].pk: ("30", "좋음")},
        now=AFTER_DEADLINE,
    )
    services.tie_declare(
        reviewer=reviewer, organisation=orgs["SG"], actor=reviewer, notify=False
    )
    assignment.refresh_from_db()
    for service in (services.review_save_draft, services.review_submit):
        with pytest.raises(ValidationError):
            service(
                assignment=assignment,
                actor=reviewer,
                scores={criteria[0].pk: ("30", ""), criteria[1].pk: ("50", "")},
                now=AFTER_DEADLINE,
            )
    draft = Review.objects.get(assignment=assignment)
    assert draft.status == ReviewStatus.DRAFT
    assert (
        draft.scores.get(criterion=criteria[0]).comment == "좋음"
    )  # nothing typed is lost


@pytest.fixture
def two_reviews(panel, seogu_proposal, city_manager):
    """Seo-gu's proposal scored 90 by reviewer-b and 60 by reviewer-c."""
    first = score_and_submit(_assign(seogu_proposal, panel[1], city_manager), [35, 55])
    second = score_and_submit(_assign(seogu_proposal, panel[2], city_manager), [20, 40])
    return first, second


def test_a_tie_after_submission_flags_the_review_which_stops_counting(
    call, panel, seogu_proposal, city_manager, orgs, two_reviews
):
    first, _second = two_reviews
    assert _line(call, seogu_proposal).score == 75
    effects = services.tie_declare(
        reviewer=panel[1], organisation=orgs["SG"], actor=city_manager, notify=False
    )
    assert effects.flagged == [first]
    line = _line(call, seogu_proposal)
    assert line.score == 60
    assert (line.reviews_done, line.reviews_assigned, line.fully_reviewed) == (
        1,
        2,
        False,
    )
    assert reviews_awaiting_tie_ruling(call=call) == [first]
    services.selection_decide(
        proposal=seogu_proposal,
        decision=Decision.SELECTED,
        reason="1위",
        actor=city_manager,
    )
    with translation.override("en"):
        errors = services.publication_errors(call=call)
    assert any("awaits your ruling" in error for error in errors)


def test_the_city_keeps_or_discards_a_flagged_review_with_a_reason_and_it_is_audited(
    call, panel, seogu_proposal, city_manager, orgs, two_reviews, bupyeong_officer
):
    first, _second = two_reviews
    services.tie_declare(
        reviewer=panel[1], organisation=orgs["SG"], actor=city_manager, notify=False
    )
    with pytest.raises(ValidationError):
        services.review_tie_rule(
            review=first, ruling=TieRuling.KEEP, reason=" ", actor=city_manager
        )
    with pytest.raises(ValidationError):
        services.review_tie_rule(
            review=first, ruling=TieRuling.KEEP, reason="무관", actor=bupyeong_officer
        )

    with audit.acting_as(city_manager):
        services.review_tie_rule(
            review=first,
            ruling=TieRuling.KEEP,
            reason="위원회 임기 종료 후 관계",
            actor=city_manager,
        )
    line = _line(call, seogu_proposal)
    assert (line.score, line.reviews_done, line.fully_reviewed) == (75, 2, True)
    assert reviews_awaiting_tie_ruling(call=call) == []

    with audit.acting_as(city_manager):
        services.review_tie_rule(
            review=first,
            ruling=TieRuling.DISCARD,
            reason="재검토 결과 이해관계 있음",
            actor=city_manager,
        )
    line = _line(call, seogu_proposal)
    assert (
        line.score,
        line.reviews_done,
        line.reviews_assigned,
        line.fully_reviewed,
    ) == (60, 1, 1, True)
    entries = LogEntry.objects.get_for_object(Review.objects.get(pk=first.pk))
    assert any(
        "tie_ruling_reason" in (entry.changes_dict or {})
        and entry.actor == city_manager
        for entry in entries
    )


def test_a_review_never_touched_by_a_tie_cannot_be_ruled_on(
    call, city_manager, two_reviews
):
    with pytest.raises(ValidationError):
        services.review_tie_rule(
            review=two_reviews[0],
            ruling=TieRuling.DISCARD,
            reason="?",
            actor=city_manager,
        )


def test_a_tie_through_a_changed_organisation_is_checked_at_every_step(
    client, call, panel, seogu_proposal, bupyeong_proposal, city_manager, orgs
):
    """No tie row at all: the reviewer moved to the proposing district."""
    reviewer = panel[2]
    open_assignment = _assign(seogu_proposal, reviewer, city_manager)
    services.conflict_declare(
        assignment=open_assignment,
        actor=reviewer,
        has_conflict=False,
        now=AFTER_DEADLINE,
    )
    submitted = score_and_submit(
        _assign(bupyeong_proposal, panel[1], city_manager), [30, 50]
    )
    reviewer.organisation = orgs["SG"]
    reviewer.save()
    panel[1].organisation = orgs["BP"]
    panel[1].save()

    with pytest.raises(ValidationError):
        services.review_save_draft(
            assignment=open_assignment, actor=reviewer, scores={}, now=AFTER_DEADLINE
        )
    client.force_login(reviewer)
    response = client.get(reverse("review_assignment", args=[open_assignment.pk]))
    assert response.status_code == 302
    assert response.url == reverse("review_my_assignments")
    line = _line(call, bupyeong_proposal)
    assert (line.reviews_done, line.score) == (0, None)
    assert reviews_awaiting_tie_ruling(call=call) == [submitted]


def test_the_city_rules_from_the_ranking_screen(
    client, call, panel, seogu_proposal, city_manager, orgs, two_reviews
):
    first, _second = two_reviews
    services.tie_declare(
        reviewer=panel[1], organisation=orgs["SG"], actor=city_manager, notify=False
    )
    client.force_login(city_manager)
    url = reverse("review_ranking", args=[call.pk])
    assert "data-awaiting-ruling" in client.get(url).content.decode()
    client.post(
        url,
        {
            "action": "tie_rule",
            "review": first.pk,
            "ruling": TieRuling.DISCARD,
            "reason": "이해관계 확인",
        },
    )
    first.refresh_from_db()
    assert (first.tie_ruling, first.tie_ruling_reason, first.tie_ruled_by) == (
        TieRuling.DISCARD,
        "이해관계 확인",
        city_manager,
    )
    assert "data-awaiting-ruling" not in client.get(url).content.decode()


def test_a_tie_recorded_after_publication_changes_nothing_in_that_call(
    call, panel, seogu_proposal, city_manager, orgs, two_reviews
):
    services.selection_decide(
        proposal=seogu_proposal,
        decision=Decision.SELECTED,
        reason="1위",
        actor=city_manager,
    )
    services.results_publish(call=call, actor=city_manager, notify=False)
    effects = services.tie_declare(
        reviewer=panel[1], organisation=orgs["SG"], actor=city_manager
    )
    assert effects.flagged == [] and effects.ended == []
    assert _line(call, seogu_proposal).score == 75


def test_a_tie_recorded_after_submitting_closes_the_proposal_and_its_files_to_the_reviewer(
    client, panel, seogu_proposal, city_manager, orgs
):
    from django.core.files.base import ContentFile

    from accounts import access
    from competitions.models import Proposal, ProposalAttachment

    reviewer = panel[1]
    assignment = _assign(seogu_proposal, reviewer, city_manager)
    score_and_submit(assignment, [30, 50])
    attachment = ProposalAttachment(proposal=seogu_proposal, title="사업계획서")
    attachment.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    attachment.save()
    client.force_login(reviewer)
    assert (
        client.get(reverse("proposals:attachment", args=[attachment.pk])).status_code
        == 200
    )

    services.tie_declare(
        reviewer=reviewer, organisation=orgs["SG"], actor=city_manager, notify=False
    )

    assert not access.visible_to(
        reviewer, Proposal.objects.filter(pk=seogu_proposal.pk)
    ).exists()
    assert (
        client.get(reverse("proposals:attachment", args=[attachment.pk])).status_code
        == 404
    )
    # The city still sees both.
    assert access.visible_to(
        city_manager, Proposal.objects.filter(pk=seogu_proposal.pk)
    ).exists()


def test_a_refused_ruling_is_shown_again_with_the_choice_and_the_reason_as_typed(
    client, call, panel, city_manager, orgs, two_reviews
):
    first, _second = two_reviews
    services.tie_declare(
        reviewer=panel[1], organisation=orgs["SG"], actor=city_manager, notify=False
    )
    client.force_login(city_manager)
    reason = "재검토 결과 이해관계 있음 — 위원 본인 확인"

    response = client.post(
        reverse("review_ranking", args=[call.pk]),
        {"action": "tie_rule", "review": first.pk, "ruling": "", "reason": reason},
    )

    assert response.status_code == 400
    page = response.content.decode()
    form = page[page.index(f'data-tie-ruling="{first.pk}"') :]
    form = form[: form.index("</form>")]
    assert f'value="{reason}"' in form
    first.refresh_from_db()
    assert first.tie_ruling == ""

    response = client.post(
        reverse("review_ranking", args=[call.pk]),
        {
            "action": "tie_rule",
            "review": first.pk,
            "ruling": TieRuling.DISCARD,
            "reason": " ",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    form = page[page.index(f'data-tie-ruling="{first.pk}"') :]
    form = form[: form.index("</form>")]
    assert f'value="{TieRuling.DISCARD}" selected' in form
