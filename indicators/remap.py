"""Renaming the output figures of before the catalogue: ("output", the plan's
output code) becomes (the indicator's code, ``total``), in the figures, the
yearly summaries, the corrections and the comments and warnings keyed by them.

Used by the migration ``reporting.0010_output_figures_by_indicator`` and timed
by ``make bench`` on the benchmark's millions of figures: one indexed UPDATE
per project and output (the index on figures leads with the project), not a
pass over every figure in Python.
"""

import logging

from .models import TOTAL_KEY

logger = logging.getLogger(__name__)

OLD_OUTPUT = "output"


def output_codes_of_projects(plan_output_model) -> dict[tuple[int, str], str]:
    """(project id, the output's old code) → its indicator's code; a later plan
    of the same project wins for a code two plans share."""
    mapping: dict[tuple[int, str], str] = {}
    rows = plan_output_model.objects.order_by(
        "plan__effective_from", "plan_id", "pk"
    ).values_list("plan__project_id", "code", "indicator__code")
    for project_id, code, indicator_code in rows:
        mapping[(project_id, code)] = indicator_code
    return mapping


def remap_output_figures(
    mapping: dict[tuple[int, str], str], *, connection, version_model=None
) -> dict[str, int]:
    """Rename the figures; returns how many rows of each table changed."""
    changed = {"figures": 0, "years": 0, "corrections": 0, "versions": 0}
    with connection.cursor() as cursor:
        for (project_id, code), indicator in mapping.items():
            cursor.execute(
                "UPDATE reporting_reportvalue SET measure = %s, key = %s "
                "WHERE project_id = %s AND measure = %s AND key = %s",
                [indicator, TOTAL_KEY, project_id, OLD_OUTPUT, code],
            )
            changed["figures"] += max(cursor.rowcount, 0)
            cursor.execute(
                "UPDATE reporting_figureyear SET measure = %s, key = %s "
                "WHERE project_id = %s AND measure = %s AND key = %s",
                [indicator, TOTAL_KEY, project_id, OLD_OUTPUT, code],
            )
            changed["years"] += max(cursor.rowcount, 0)
            cursor.execute(
                "UPDATE reporting_reportcorrection SET measure = %s, key = %s "
                "WHERE measure = %s AND key = %s AND reopening_id IN ("
                " SELECT o.id FROM reporting_reportreopening o"
                " JOIN reporting_monthlyreport r ON r.id = o.report_id"
                " WHERE r.project_id = %s)",
                [indicator, TOTAL_KEY, OLD_OUTPUT, code, project_id],
            )
            changed["corrections"] += max(cursor.rowcount, 0)
        cursor.execute(
            "SELECT COUNT(*) FROM reporting_reportvalue WHERE measure = %s",
            [OLD_OUTPUT],
        )
        left = cursor.fetchone()[0]
    if left:
        logger.warning(
            "%s output figures name an output no plan of their project has; "
            "they were left as they were and count in no total.",
            left,
        )
    if version_model is not None:
        changed["versions"] = _rename_comment_keys(mapping, version_model)
    return changed


def _rename_comment_keys(mapping, version_model) -> int:
    """Comments and warnings are keyed by figure ("output.cases",
    "spike.output.cases"): follow the figures' new names."""
    changed = 0
    versions = (
        version_model.objects.exclude(comments={}, warnings={})
        .values_list("pk", "report__project_id", "comments", "warnings")
        .iterator(chunk_size=2000)
    )
    for pk, project_id, comments, warnings in versions:
        new_comments = _renamed(comments or {}, project_id, mapping)
        new_warnings = _renamed(warnings or {}, project_id, mapping)
        if new_comments != comments or new_warnings != warnings:
            version_model.objects.filter(pk=pk).update(
                comments=new_comments, warnings=new_warnings
            )
            changed += 1
    return changed


def _renamed(keyed: dict, project_id: int, mapping) -> dict:
    renamed = {}
    for key, value in keyed.items():
        for prefix in ("", "spike."):
            old = f"{prefix}{OLD_OUTPUT}."
            if key.startswith(old):
                indicator = mapping.get((project_id, key[len(old) :]))
                if indicator:
                    key = f"{prefix}{indicator}.{TOTAL_KEY}"
                break
        renamed[key] = value
    return renamed
