"""The final report (결과 보고서) as PDF, drawn by the product's one document
engine (``common.documents``), in the reader's language: the frozen figures
of the version submitted (the live ones while it is a draft), the narrative
and the city's decision."""

from datetime import datetime

from django.utils.translation import gettext as _

from common.documents import (
    Column,
    DocumentPDF,
    count,
    month_text,
    person,
    seoul_time,
    won,
)
from projects.models import Project

from .models import FinalReport
from .selectors import localized, outcome_of


def _percent(result: int, target: int) -> str:
    return f"{result * 100 // target} %" if target else "–"


def final_report_pdf(
    project: Project,
    report: FinalReport | None,
    *,
    reader,
    now: datetime | None = None,
) -> bytes:
    outcome = localized(outcome_of(report, project))
    version = report.current if report is not None else None
    pdf = DocumentPDF(_("Final report"), printed_by=reader, now=now)
    pdf.fields(
        [
            (_("Project"), f"{project.code} {outcome['title']}"),
            (_("District"), project.district.name),
            (
                _("Period"),
                f"{month_text(project.period_start)} – {month_text(project.period_end)}",
            ),
            (_("Status"), report.get_status_display() if report else _("Not started")),
            (_("Version"), str(version.number) if version else "–"),
            (
                _("Submitted"),
                f"{seoul_time(version.submitted_at)} {person(version.submitted_by)}"
                if version and version.submitted_at
                else "–",
            ),
            (
                _("Figures as of"),
                seoul_time(datetime.fromisoformat(outcome["taken_at"])),
            ),
        ]
    )
    pdf.heading(_("Jobs by target group: target and result"), size=12)
    jobs = outcome["jobs"]
    pdf.columns(
        [
            Column(_("Target group"), 80),
            Column(_("Target"), 35, "RIGHT"),
            Column(_("Result"), 35, "RIGHT"),
            Column(_("Achieved"), 30, "RIGHT"),
        ],
        [
            [
                row["name"],
                count(row["target"]),
                count(row["result"]),
                _percent(row["result"], row["target"]),
            ]
            for row in jobs
        ]
        + [
            [
                _("Total"),
                count(outcome["jobs_total"]["target"]),
                count(outcome["jobs_total"]["result"]),
                _percent(
                    outcome["jobs_total"]["result"], outcome["jobs_total"]["target"]
                ),
            ]
        ],
    )
    if outcome["indicators"]:
        pdf.heading(_("Outputs: target and result"), size=12)
        pdf.columns(
            [
                Column(_("Indicator"), 80),
                Column(_("Target"), 35, "RIGHT"),
                Column(_("Result"), 35, "RIGHT"),
                Column(_("Achieved"), 30, "RIGHT"),
            ],
            [
                [
                    f"{row['name']} ({row['unit']})",
                    count(row["target"]),
                    count(row["result"]),
                    _percent(row["result"], row["target"]),
                ]
                for row in outcome["indicators"]
            ],
        )
    retention = outcome["retention"]
    pdf.fields(
        [
            (_("Employed at the end"), count(outcome["employed_at_end"])),
            (
                _("Still employed after six months"),
                f"{count(retention['retained'])} / {count(retention['eligible'])}"
                if retention
                else "–",
            ),
        ]
    )
    spending = outcome["spending"]
    pdf.heading(_("Spending against budget by category"), size=12)
    pdf.columns(
        [
            Column(_("Budget category"), 70),
            Column(_("Budget"), 40, "RIGHT"),
            Column(_("Spent"), 40, "RIGHT"),
            Column(_("Rate"), 30, "RIGHT"),
        ],
        [
            [
                row["name"],
                won(row["budget"]),
                won(row["spent"]),
                _percent(row["spent"], row["budget"]),
            ]
            for row in spending["lines"]
        ]
        + [
            [
                _("Total"),
                won(spending["budget"]),
                won(spending["spent"]),
                _percent(spending["spent"], spending["budget"]),
            ]
        ],
    )
    for section in outcome["sections"]:
        pdf.heading(section["title"], size=12)
        if not section["table"]:
            pdf.paragraph(_("Nothing to report."), size=9)
            continue
        width = 180 / len(section["columns"])
        pdf.columns(
            [Column(str(name), width) for name in section["columns"]],
            [[str(value) for value in row] for row in section["table"]],
        )
    if version is not None:
        for title, text in (
            (_("Achievements"), version.achievements_text),
            (_("Problems"), version.problems_text),
            (_("Lessons"), version.lessons_text),
        ):
            pdf.heading(title, size=12)
            pdf.paragraph(text or "–", size=10)
        if version.decided_at:
            pdf.heading(_("The city's decision"), size=12)
            pdf.fields(
                [
                    (
                        _("Decided"),
                        f"{seoul_time(version.decided_at)} {person(version.decided_by)}",
                    ),
                    (_("Comment"), version.city_comment or "–"),
                ]
            )
    return pdf.render()
