"""The arithmetic, against examples computed by hand."""

from decimal import Decimal

from reporting.evaluation import scoring
from reporting.evaluation.scoring import Tier


def test_achievement_is_result_over_target_in_percent_rounded_half_up():
    assert scoring.achievement(180, 180) == Decimal("100.0")
    assert scoring.achievement(27, 40) == Decimal("67.5")
    assert scoring.achievement(1, 3) == Decimal("33.3")
    assert scoring.achievement(2, 3) == Decimal("66.7")
    assert scoring.achievement(961, 960) == Decimal("100.1")


def test_achievement_without_a_target_is_none_not_a_division_by_zero():
    assert scoring.achievement(5, 0) is None


def test_execution_rate_is_spending_over_budget():
    # 9 months of 1/12 of a 135,000,000 budget: 101,250,000 → 75 %.
    assert scoring.execution_rate(101_250_000, 135_000_000) == Decimal("75.0")
    assert scoring.execution_rate(0, 0) is None


def test_cost_per_job_rounds_to_the_won_and_is_none_without_jobs():
    assert scoring.cost_per_job(100_000_000, 3) == 33_333_333
    assert scoring.cost_per_job(200_000_000, 3) == 66_666_667
    assert scoring.cost_per_job(1_000, 0) is None


def test_year_over_year_181_to_500_is_plus_176_point_2_percent():
    assert scoring.growth(500, 181) == Decimal("176.2")
    assert scoring.signed_percent(scoring.growth(500, 181)) == "+176.2 %"
    assert scoring.growth(2_261, 371) == Decimal("509.4")
    assert scoring.growth(90, 100) == Decimal("-10.0")
    assert scoring.growth(5, 0) is None


def test_weighted_score_caps_each_measure_at_100():
    weights = {
        "jobs": 40,
        "outputs": 20,
        "execution": 20,
        "timeliness": 10,
        "qualitative": 10,
    }
    measures = {
        "jobs": Decimal("120"),
        "outputs": Decimal("50"),
        "execution": Decimal("75"),
        "timeliness": Decimal("88.9"),
        "qualitative": Decimal("80"),
    }
    # (40·100 + 20·50 + 20·75 + 10·88.9 + 10·80) / 100 = 81.89
    assert scoring.weighted_score(measures, weights) == Decimal("81.89")


def test_weighted_score_without_a_measure_scales_the_other_weights_up():
    weights = {
        "jobs": 40,
        "outputs": 20,
        "execution": 20,
        "timeliness": 10,
        "qualitative": 10,
    }
    measures = {
        "jobs": Decimal("100"),
        "outputs": Decimal("50"),
        "execution": Decimal("75"),
        "timeliness": Decimal("100"),
        "qualitative": None,
    }
    # (4000 + 1000 + 1500 + 1000) / 90 = 83.333… → 83.33
    assert scoring.weighted_score(measures, weights) == Decimal("83.33")
    assert scoring.weighted_score({}, weights) is None


def test_trimmed_mean_drops_one_highest_and_one_lowest_from_five_scores_on():
    assert scoring.trimmed_mean([70, 80, 90, 100, 60]) == Decimal("80")
    assert scoring.trimmed_mean([70, 80, 95, 100, 10]) == Decimal("245") / 3
    # Fewer than five: the plain mean.
    assert scoring.trimmed_mean([70, 80, 100, 10]) == Decimal("65")
    assert scoring.trimmed_mean([]) is None


def test_grade_tiers_by_count_take_the_next_projects_of_the_ranking():
    ranked = [(f"p{i}", Decimal(100 - i)) for i in range(1, 40)]
    tiers = [
        Tier("대상", count=2),
        Tier("최우수", count=5),
        Tier("우수", count=9),
        Tier("장려", count=19),
    ]
    grades = scoring.assign_grades(ranked, tiers)
    counts = {
        name: list(grades.values()).count(name)
        for name in ("대상", "최우수", "우수", "장려")
    }
    assert counts == {"대상": 2, "최우수": 5, "우수": 9, "장려": 19}
    assert (
        grades["p1"] == "대상" and grades["p3"] == "최우수" and grades["p35"] == "장려"
    )
    assert "p36" not in grades


def test_grade_tiers_by_threshold_take_every_remaining_project_at_or_above_it():
    ranked = [
        ("a", Decimal("93.9")),
        ("b", Decimal("90")),
        ("c", Decimal("85")),
        ("d", Decimal("60")),
        ("e", Decimal("59.99")),
        ("f", None),
    ]
    tiers = [
        Tier("대상", count=1),
        Tier("우수", threshold=Decimal("85")),
        Tier("장려", threshold=Decimal("60")),
    ]
    assert scoring.assign_grades(ranked, tiers) == {
        "a": "대상",
        "b": "우수",
        "c": "우수",
        "d": "장려",
    }


def test_a_tier_with_count_and_threshold_takes_only_those_reaching_the_threshold():
    ranked = [("a", Decimal("95")), ("b", Decimal("70")), ("c", Decimal("65"))]
    tiers = [
        Tier("최우수", count=2, threshold=Decimal("90")),
        Tier("장려", threshold=Decimal("60")),
    ]
    assert scoring.assign_grades(ranked, tiers) == {
        "a": "최우수",
        "b": "장려",
        "c": "장려",
    }
