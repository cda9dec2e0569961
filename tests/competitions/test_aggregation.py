"""Aggregation and ranking against examples computed by hand."""

from decimal import Decimal

import pytest

from competitions import scoring, services
from competitions.selectors import call_ranking

from .conftest import make_submitted, score_and_submit

D = Decimal


@pytest.mark.parametrize(
    ("totals", "trim", "expected"),
    [
        # (80 + 85 + 90) / 3: 70 and 95 are dropped.
        ([70, 80, 85, 90, 95], True, D("85")),
        # Without trimming: 420 / 5.
        ([70, 80, 85, 90, 95], False, D("84")),
        # Four reviewers are too few to trim: 340 / 4.
        ([70, 80, 90, 100], True, D("85")),
        # Six: one 100 and the 60 go, (70 + 80 + 90 + 100) / 4.
        ([60, 70, 80, 90, 100, 100], True, D("85")),
        # Half points: (77.5 + 80 + 82.5) / 3.
        ([D("60"), D("77.5"), D("80"), D("82.5"), D("99")], True, D("80")),
        ([], True, None),
    ],
)
def test_the_proposal_score_is_the_mean_trimmed_of_extremes_from_five_reviews(
    totals, trim, expected
):
    assert (
        scoring.proposal_score([D(t) for t in totals], trim_extremes=trim) == expected
    )


def test_a_reviewers_total_is_the_sum_of_their_criterion_scores():
    assert scoring.weighted_total([D("18.5"), 27, 16, None, 12]) == D("73.5")


@pytest.mark.parametrize(
    ("totals", "flag"), [([50, 81], True), ([50, 80], False), ([90], False)]
)
def test_disagreement_is_a_range_of_totals_above_the_threshold(totals, flag):
    assert scoring.has_strong_disagreement([D(t) for t in totals], threshold=30) is flag


def test_criterion_means_are_taken_per_criterion():
    assert scoring.criterion_means([[D(30), D(50)], [D(20), None]]) == [D(25), D(50)]


def _assign_all(call, proposals, reviewers, city_manager):
    return {
        (proposal.pk, reviewer.pk): services.assignment_create(
            proposal=proposal, reviewer=reviewer, actor=city_manager
        )
        for proposal in proposals
        for reviewer in reviewers
    }


def test_the_ranking_trims_five_reviews_and_shows_means_counts_and_disagreement(
    call, orgs, panel, city_manager
):
    proposal = make_submitted(call, orgs["SG"], title="서구")
    reviewers = panel[1:] + []  # four without ties to Seo-gu…
    reviewers.append(panel[0])  # …and the Bupyeong-gu employee, free to review Seo-gu
    assignments = _assign_all(call, [proposal], reviewers, city_manager)
    # Need (40), Jobs (60): totals 70, 80, 85, 90, 95 as in the hand-computed example.
    for reviewer, scores in zip(
        reviewers, [[30, 40], [30, 50], [35, 50], [40, 50], [35, 60]], strict=True
    ):
        score_and_submit(assignments[(proposal.pk, reviewer.pk)], scores)

    [line] = call_ranking(call=call)
    assert line.score == D("85")
    assert line.trimmed
    assert line.criterion_means == [D("34"), D("50")]
    assert (line.reviews_done, line.reviews_assigned) == (5, 5)
    assert not line.disagreement  # 95 − 70 = 25, not above 30


def test_the_ranking_flags_strong_disagreement_and_counts_pending_reviews(
    call, orgs, panel, city_manager
):
    proposal = make_submitted(call, orgs["SG"], title="서구")
    assignments = _assign_all(call, [proposal], panel[1:4], city_manager)
    score_and_submit(assignments[(proposal.pk, panel[1].pk)], [40, 55])  # 95
    score_and_submit(assignments[(proposal.pk, panel[2].pk)], [20, 40])  # 60
    [line] = call_ranking(call=call)
    assert line.disagreement
    assert (line.reviews_done, line.reviews_assigned) == (2, 3)
    assert line.score == D("77.5")
    assert not line.fully_reviewed


def test_ties_break_on_the_criteria_in_rubric_order(call, orgs, panel, city_manager):
    jobs_heavy = make_submitted(call, orgs["SG"], title="일자리 강점")
    need_heavy = make_submitted(call, orgs["JG"], title="필요성 강점")
    unscored = make_submitted(call, orgs["DG"], title="미심사")
    reviewer = panel[1]
    assignments = _assign_all(
        call, [jobs_heavy, need_heavy, unscored], [reviewer], city_manager
    )
    score_and_submit(assignments[(jobs_heavy.pk, reviewer.pk)], [30, 50])  # 80
    score_and_submit(
        assignments[(need_heavy.pk, reviewer.pk)], [40, 40]
    )  # 80, better on Need

    ranking = call_ranking(call=call)
    assert [line.proposal for line in ranking] == [need_heavy, jobs_heavy, unscored]
    assert [line.rank for line in ranking] == [1, 2, 3]
    assert ranking[2].score is None
