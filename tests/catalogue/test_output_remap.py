"""Migration reporting 0010's renaming of the outputs typed before the
catalogue: ("output", the plan's old code) becomes (the indicator's code,
"total") in the figures, the yearly summaries and the comments keyed by them,
and nothing else moves."""

from django.db import connection

from indicators.remap import remap_output_figures
from reporting.models import FigureYear, ReportValue, ReportVersion
from tests.evaluation.conftest import two_districts  # noqa: F401
from tests.projects.fixtures import bupyeong_project, seogu_project  # noqa: F401


def _fingerprint():
    return sorted(
        ReportValue.objects.values_list(
            "project_id", "measure", "key", "value", "period"
        )
    ), sorted(FigureYear.objects.values_list("project_id", "measure", "key", "month_1"))


def _as_before_the_catalogue(project, old_codes: dict[str, str]):
    """The project's output figures in the shape they had before: ("output",
    the plan's code), with a comment keyed by it."""
    for indicator, old_code in old_codes.items():
        for model in (ReportValue, FigureYear):
            model.objects.filter(project=project, measure=indicator).update(
                measure="output", key=old_code
            )
    version = ReportVersion.objects.filter(report__project=project).first()
    version.comments = {f"output.{old_codes['households']}": "방문 가구 설명"}
    version.save(update_fields=["comments"])
    return version


def test_old_output_figures_are_renamed_to_their_indicator_and_nothing_else_moves(
    two_districts,  # noqa: F811
    bupyeong_project,
    seogu_project,
):
    before = _fingerprint()
    assert any(row[1] == "households" for row in before[0])
    version = _as_before_the_catalogue(bupyeong_project, {"households": "hh-visits"})
    # Seo-gu's figures are already in the catalogue's shape: the remap leaves them.
    changed = remap_output_figures(
        {(bupyeong_project.pk, "hh-visits"): "households"},
        connection=connection,
        version_model=ReportVersion,
    )
    assert _fingerprint() == before
    assert (
        changed["figures"]
        == ReportValue.objects.filter(
            project=bupyeong_project, measure="households"
        ).count()
    )
    version.refresh_from_db()
    assert version.comments == {"households.total": "방문 가구 설명"}


def test_an_output_no_plan_names_is_left_as_it_was_and_counts_nowhere(
    two_districts,  # noqa: F811
    bupyeong_project,
):
    _as_before_the_catalogue(bupyeong_project, {"households": "unknown"})
    remap_output_figures({}, connection=connection, version_model=ReportVersion)
    assert ReportValue.objects.filter(measure="output", key="unknown").exists()
    assert not ReportValue.objects.filter(
        project=bupyeong_project, measure="households"
    ).exists()
