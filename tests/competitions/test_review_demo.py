"""The demo shows a finished 2018 round and a 2020 round in review, and seeding
again (in either order with the projects seed) changes nothing."""

import pytest

from competitions.models import (
    AssignmentStatus,
    CallPage,
    CallResultsPage,
    Decision,
    Proposal,
    ProposalStatus,
    ProposalTransition,
    Review,
    ReviewAssignment,
    ReviewStatus,
    SelectionDecision,
)
from competitions.selectors import call_ranking
from projects.demo import SELECTED_2018
from projects.models import Project


def _state():
    return (
        ReviewAssignment.objects.count(),
        Review.objects.count(),
        SelectionDecision.objects.count(),
        ProposalTransition.objects.count(),
        Project.objects.count(),
        CallResultsPage.objects.count(),
        sorted(Project.objects.values_list("code", "title_en")),
    )


@pytest.fixture
def demo(db):
    from accounts.demo import seed_accounts
    from cms.demo import seed_home_page
    from competitions.demo import seed_calls

    seed_accounts()
    seed_calls(seed_home_page())
    return _state()


def test_the_2018_round_is_reviewed_selected_and_published(demo):
    call = CallPage.objects.get(year=2018)
    ranking = call_ranking(call=call)
    assert len(ranking) == 12
    assert all(line.reviews_done == 5 and line.trimmed for line in ranking)
    selected = {
        (line.proposal.district.code, line.proposal.title) for line in ranking[:9]
    }
    assert selected == {(code, title) for code, title, _en in SELECTED_2018}
    assert (
        Proposal.objects.filter(call=call, status=ProposalStatus.SELECTED).count() == 9
    )
    not_selected = SelectionDecision.objects.filter(
        proposal__call=call, decision=Decision.NOT_SELECTED
    )
    assert not_selected.count() == 3
    assert all(
        "예산 초과" in decision.reason for decision in not_selected
    )  # seeded in Korean
    assert CallResultsPage.objects.child_of(call).get().entries.count() == 9
    assert Project.objects.filter(call=call).count() == 9
    assert any(line.disagreement for line in ranking)


def test_the_2020_round_is_in_review_with_work_left_for_reviewer1_and_reviewer2(demo):
    call = CallPage.objects.get(year=2020)
    assignments = ReviewAssignment.objects.filter(proposal__call=call)
    assert assignments.count() == 6 * 3
    assert not assignments.filter(
        proposal__district__code="BP", reviewer__username="reviewer2"
    ).exists()
    assert not assignments.filter(
        proposal__district__code="SG", reviewer__username="reviewer4"
    ).exists()
    assert Review.objects.filter(
        assignment__proposal__call=call, status=ReviewStatus.SUBMITTED
    ).exists()
    for username in ("reviewer1", "reviewer2"):
        assert assignments.filter(
            reviewer__username=username,
            status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.NO_CONFLICT],
        ).exists()
    assert Review.objects.filter(
        assignment__reviewer__username="reviewer1", status=ReviewStatus.DRAFT
    ).exists()
    assert not call.is_results_published


def test_seeding_again_and_then_the_projects_changes_nothing(demo):
    from accounts.demo import seed_accounts
    from cms.demo import seed_home_page
    from competitions.demo import seed_calls
    from projects.demo import seed_projects

    seed_accounts()
    seed_calls(seed_home_page())
    seed_projects()
    assert _state() == demo
    assert all(title_en for _code, title_en in demo[-1])


def test_a_database_whose_projects_were_seeded_before_the_review_ends_in_the_same_state(
    db, monkeypatch
):
    """An older demo database: proposals selected by the projects seed, no review yet."""
    from accounts.demo import seed_accounts
    from cms.demo import seed_home_page
    from competitions import demo_review
    from competitions.demo import seed_calls
    from projects.demo import seed_projects

    seed_accounts()
    home = seed_home_page()
    with monkeypatch.context() as patched:
        patched.setattr(demo_review, "seed_review", lambda **kwargs: None)
        seed_calls(home)
    seed_projects()
    seed_calls(home)

    call = CallPage.objects.get(year=2018)
    assert (
        Proposal.objects.filter(call=call, status=ProposalStatus.SELECTED).count() == 9
    )
    assert (
        Proposal.objects.filter(call=call, status=ProposalStatus.NOT_SELECTED).count()
        == 3
    )
    assert SelectionDecision.objects.filter(proposal__call=call).count() == 12
    assert (
        Review.objects.filter(
            assignment__proposal__call=call, status=ReviewStatus.SUBMITTED
        ).count()
        == 60
    )
    assert CallResultsPage.objects.child_of(call).get().entries.count() == 9
    codes = sorted(Project.objects.values_list("code", "title_en"))
    assert len(codes) == 9 and all(title_en for _code, title_en in codes)
