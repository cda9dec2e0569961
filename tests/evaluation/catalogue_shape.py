"""TRANSITIONAL (issue 20): the figures the test helpers and the demo write
while the reporting write path still stores outputs as ("output", code), moved
to their catalogue shape (the indicator's code, "total") exactly as migration
``reporting.0010`` does (``indicators.remap``). Once reporting stores outputs
under their indicator's code there is nothing left to move and this is a no-op;
then it can go."""

from django.db import connection

from indicators.remap import remap_output_figures
from projects.models import PlanOutput
from reporting.models import ReportVersion


def as_catalogue_figures() -> None:
    mapping = {
        (project_id, code): code
        for project_id, code in PlanOutput.objects.values_list(
            "plan__project_id", "indicator__code"
        )
    }
    remap_output_figures(mapping, connection=connection, version_model=ReportVersion)


def as_written_figures(project) -> None:
    """Back to the shape the reporting write path still reads and writes, for a
    project about to be corrected through it; a no-op once ``Measure`` has no
    OUTPUT (reporting reads the catalogue's shape)."""
    from reporting.models import Measure

    if not hasattr(Measure, "OUTPUT"):
        return
    codes = list(
        PlanOutput.objects.filter(plan__project=project).values_list(
            "indicator__code", flat=True
        )
    )
    from django.db.models import F

    from reporting.models import FigureYear, ReportValue

    for model in (ReportValue, FigureYear):
        model.objects.filter(project=project, key="total", measure__in=codes).update(
            key=F("measure"), measure="output"
        )
