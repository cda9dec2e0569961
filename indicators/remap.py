"""Renaming the output figures of before the catalogue: ("output", the plan's
output code) becomes (the indicator's code, ``total``), in the figures, the
yearly summaries, the corrections and the comments and warnings keyed by them.

Used by the migration ``reporting.0010_output_figures_by_indicator`` and timed
by ``make bench`` on the benchmark's millions of figures: the mapping goes into
a temporary table and each table is renamed by one joined UPDATE, not a
statement per project and output nor a pass over every figure in Python.
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
        # The mapping in a table of its own, then one joined UPDATE per table:
        # a statement per project and output took five minutes on 3 million
        # figures; set-wise it is one pass over the output figures.
        cursor.execute("DROP TABLE IF EXISTS indicators_output_remap")
        cursor.execute(
            "CREATE TEMPORARY TABLE indicators_output_remap ("
            " project_id bigint NOT NULL, old_key varchar(32) NOT NULL,"
            " indicator varchar(32) NOT NULL)"
        )
        rows = [(p, code, i) for (p, code), i in mapping.items()]
        for start in range(0, len(rows), 5000):
            cursor.executemany(
                "INSERT INTO indicators_output_remap VALUES (%s, %s, %s)",
                rows[start : start + 5000],
            )
        # Statistics for the planner: unanalysed, a temporary table may be
        # taken for one row and scanned once per figure.
        cursor.execute("ANALYZE indicators_output_remap")
        for table, count in (
            ("reporting_reportvalue", "figures"),
            ("reporting_figureyear", "years"),
        ):
            cursor.execute(
                f"UPDATE {table} SET measure = indicators_output_remap.indicator,"
                f" key = %s FROM indicators_output_remap"
                f" WHERE {table}.project_id = indicators_output_remap.project_id"
                f" AND {table}.measure = %s"
                f" AND {table}.key = indicators_output_remap.old_key",
                [TOTAL_KEY, OLD_OUTPUT],
            )
            changed[count] = max(cursor.rowcount, 0)
        cursor.execute(
            "UPDATE reporting_reportcorrection"
            " SET measure = indicators_output_remap.indicator, key = %s"
            " FROM indicators_output_remap, reporting_reportreopening,"
            " reporting_monthlyreport"
            " WHERE reporting_reportcorrection.measure = %s"
            " AND reporting_reportcorrection.key = indicators_output_remap.old_key"
            " AND reporting_reportreopening.id"
            " = reporting_reportcorrection.reopening_id"
            " AND reporting_monthlyreport.id = reporting_reportreopening.report_id"
            " AND reporting_monthlyreport.project_id"
            " = indicators_output_remap.project_id",
            [TOTAL_KEY, OLD_OUTPUT],
        )
        changed["corrections"] = max(cursor.rowcount, 0)
        cursor.execute("DROP TABLE indicators_output_remap")
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
