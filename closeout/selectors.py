"""What the final report reads: the figures of a project at its end, the
report's status for the evaluation, the accepted summaries for the public
outcomes page.

The figures are those the evaluation uses (``reporting.evaluation.selectors
.rollup`` for the project, January to its last month): jobs per target group
and each output against its target, people employed at the end, six-month
retention; spending by budget category is the accepted reports' spending
against the agreement in force (or the plan, before an agreement). Every
value is a count, a code, a name of a category or an amount in won: nothing
about a person.
"""

from datetime import datetime

from django.db.models import Sum
from django.utils import timezone, translation

from accounts import access
from indicators.builtins import SPENDING
from projects.models import Project

from .models import FinalReport, FinalReportStatus
from .sections import final_report_sections


def _figures(project: Project):
    from reporting.evaluation import selectors as evaluation

    end = project.period_end
    rollup = evaluation.rollup(
        evaluation.RollupQuery(
            year=end.year,
            month=end.month,
            project=project,
            detail=False,
            with_timeliness=False,
            public=True,
        )
    )
    return rollup.project(project.code)


def _spending(project: Project) -> dict:
    from funding.services import agreement_in_force
    from reporting.models import ReportValue

    agreement = agreement_in_force(project)
    if agreement is not None:
        lines = list(agreement.budget_lines.all())
    else:
        plan = project.current_plan
        lines = list(plan.budget_lines.all()) if plan is not None else []
    spent = dict(
        ReportValue.objects.filter(project=project, measure=SPENDING, in_force=True)
        .values_list("key")
        .annotate(total=Sum("value"))
        .order_by()
    )
    rows = []
    for line in lines:
        rows.append(
            {
                "code": line.code,
                "name_ko": line.name_ko,
                "name_en": line.name_en,
                "budget": line.amount,
                "spent": int(spent.pop(line.code, 0)),
            }
        )
    # Spending under a code the budget no longer has (or the month's total
    # alone) is shown, never dropped.
    for code, total in sorted(spent.items()):
        rows.append(
            {
                "code": code,
                "name_ko": code,
                "name_en": code,
                "budget": 0,
                "spent": int(total),
            }
        )
    return {
        "budget": sum(row["budget"] for row in rows),
        "spent": sum(row["spent"] for row in rows),
        "lines": rows,
    }


def _plain(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _sections(project: Project) -> list[dict]:
    frozen = []
    for section in final_report_sections():
        titles = {}
        for language in ("ko", "en"):
            with translation.override(language):
                titles[language] = str(section.title())
        frozen.append(
            {
                "key": section.key,
                "title_ko": titles["ko"],
                "title_en": titles["en"],
                "rows": _plain(list(section.rows(project))),
            }
        )
    return frozen


def project_outcome(project: Project, *, now: datetime | None = None) -> dict:
    """The figures of the final report as they stand now, as plain JSON: what
    a draft shows and what a submission freezes."""
    figures = _figures(project)
    jobs, indicators, retention, employed = [], [], None, 0
    if figures is not None:
        jobs = [
            {
                "code": group.code,
                "name_ko": group.name_ko,
                "name_en": group.name_en or group.name_ko,
                "target": int(group.target),
                "result": int(group.jobs),
            }
            for group in figures.groups.values()
        ]
        indicators = [
            {
                "code": output.code,
                "name_ko": output.name_ko,
                "name_en": output.name_en or output.name_ko,
                "unit_ko": output.unit_ko,
                "unit_en": output.unit_en or output.unit_ko,
                "target": int(output.target),
                "result": int(output.value),
            }
            for output in figures.outputs.values()
        ]
        if figures.retention is not None:
            retained, eligible = figures.retention
            retention = {"retained": int(retained), "eligible": int(eligible)}
        employed = figures.employed
    return {
        "taken_at": (now or timezone.now()).isoformat(),
        "project": {
            "code": project.code,
            "title": project.title,
            "title_en": project.title_en,
            "district": project.district.code,
            "period_start": project.period_start.isoformat(),
            "period_end": project.period_end.isoformat(),
        },
        "jobs": jobs,
        "jobs_total": {
            "target": sum(row["target"] for row in jobs),
            "result": sum(row["result"] for row in jobs),
        },
        "employed_at_end": int(employed),
        "indicators": indicators,
        "retention": retention,
        "spending": _spending(project),
        "sections": _sections(project),
    }


def outcome_of(report: FinalReport | None, project: Project) -> dict:
    """The frozen snapshot of the current version once submitted; the live
    figures while it is a draft (or there is no report yet)."""
    version = report.current if report is not None else None
    if version is not None and version.snapshot is not None:
        return version.snapshot
    return project_outcome(project)


def final_report_status(project: Project) -> str | None:
    """The final report's status in words, or None when none was started."""
    report = FinalReport.objects.filter(project=project).first()
    return report.get_status_display() if report is not None else None


def final_reports_visible(user):
    return access.visible_to(user, FinalReport).select_related(
        "project", "project__district"
    )


def accepted_summaries(*, year: int, call=None) -> list[dict]:
    """The public summary of each accepted final report of projects ending in
    ``year``: title, district, targets against results, the achievements."""
    reports = (
        FinalReport.objects.filter(
            status=FinalReportStatus.ACCEPTED, project__period_end__year=year
        )
        .select_related("project", "project__district")
        .order_by("project__district__code", "project__code")
    )
    if call is not None:
        reports = reports.filter(project__call=call)
    summaries = []
    for report in reports:
        version = report.current
        if version is None or version.snapshot is None:
            continue
        summaries.append(
            {
                "project": report.project,
                "district": report.project.district,
                "outcome": localized(version.snapshot),
                "achievements": version.achievements_text,
            }
        )
    return summaries


def localized(outcome: dict) -> dict:
    """A copy of an outcome whose rows carry ``name`` (and ``unit``, ``title``)
    in the reader's language, for templates and the PDF."""
    from cms.models import english_active

    english = english_active()

    def pick(row: dict, field: str) -> str:
        return (row.get(f"{field}_en") if english else None) or row.get(
            f"{field}_ko", ""
        )

    copy = {**outcome}
    copy["jobs"] = [{**row, "name": pick(row, "name")} for row in outcome["jobs"]]
    copy["indicators"] = [
        {**row, "name": pick(row, "name"), "unit": pick(row, "unit")}
        for row in outcome["indicators"]
    ]
    spending = outcome["spending"]
    copy["spending"] = {
        **spending,
        "lines": [{**row, "name": pick(row, "name")} for row in spending["lines"]],
    }
    sections = []
    for section in outcome.get("sections", []):
        rows = section["rows"]
        columns = list(rows[0].keys()) if rows else []
        sections.append(
            {
                **section,
                "title": pick(section, "title"),
                "columns": columns,
                "table": [[row.get(c, "") for c in columns] for row in rows],
            }
        )
    copy["sections"] = sections
    project = outcome["project"]
    copy["title"] = (project.get("title_en") if english else None) or project["title"]
    return copy
