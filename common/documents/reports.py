"""A monthly report as it was submitted: one version, its figures by target
group and indicator, spending, narrative and comments. No personal data: of the
participant roster only the number of people per target group is printed."""

from collections import Counter
from datetime import datetime

from django.utils.translation import gettext as _

from . import Column, DocumentPDF, count, month_text, person, seoul_time, won


def report_as_submitted_pdf(
    report, version, *, reader, now: datetime | None = None
) -> bytes:
    from reporting.selectors import due_on, form_rows, version_values

    project, period = report.project, report.period
    pdf = DocumentPDF(_("Monthly performance report"), printed_by=reader, now=now)
    decision = "–"
    if version.decided_at:
        decision = f"{version.status_label} · {person(version.decided_by)} · {seoul_time(version.decided_at)}"
    pdf.fields(
        [
            (_("Project"), f"{project.code} {project.display_title}"),
            (_("District"), report.district.name),
            (_("Month"), month_text(period)),
            (_("Version"), str(version.number)),
            (_("Status of this version"), version.status_label),
            (_("Submitted at"), seoul_time(version.submitted_at)),
            (_("Submitted by"), person(version.submitted_by)),
            (_("Due"), due_on(project, period).strftime("%Y-%m-%d")),
            (_("City's decision"), decision),
        ]
        + (
            [(_("City's comment"), version.decision_comment)]
            if version.decision_comment
            else []
        )
    )

    figures = version_values(version)
    rows = form_rows(project=project, period=period)
    labels = {}
    people, money = [], []
    for row in rows:
        value = figures[row.measure].get(row.key)
        label = row.measure_label if row.label == row.measure_label else row.label
        labels[f"{row.measure}.{row.key}"] = (
            row.label
            if row.label == row.measure_label
            else f"{row.measure_label} · {row.label}"
        )
        if row.indicator is not None and row.indicator.is_money:
            money.append([label, won(value), won(row.target)])
        else:
            people.append(
                [
                    row.measure_label,
                    label if label != row.measure_label else "–",
                    row.unit,
                    count(value),
                    count(row.target),
                ]
            )
    pdf.heading(_("Jobs and outputs"), size=12)
    pdf.columns(
        [
            Column(_("Indicator"), 58),
            Column(_("Item"), 52),
            Column(_("Unit"), 20),
            Column(_("This month"), 30, "RIGHT"),
            Column(_("Target"), 30, "RIGHT"),
        ],
        people,
    )
    if money:
        pdf.heading(_("Spending this month"), size=12)
        pdf.columns(
            [
                Column(_("Budget line"), 90),
                Column(_("Spent this month"), 50, "RIGHT"),
                Column(_("Budget"), 50, "RIGHT"),
            ],
            money,
        )
    if version.has_roster:
        by_group = Counter(version.roster.values_list("target_group_code", flat=True))
        names = {
            row.key: row.label
            for row in rows
            if row.indicator is not None
            and row.indicator.disaggregation == "target_group"
        }
        pdf.heading(_("Participant roster (counts only)"), size=12)
        pdf.columns(
            [Column(_("Target group"), 120), Column(_("People"), 70, "RIGHT")],
            [[names.get(code, code), count(n)] for code, n in sorted(by_group.items())]
            + [[_("Total"), count(sum(by_group.values()))]],
        )
    pdf.heading(_("Narrative"), size=12)
    pdf.paragraph(version.narrative)
    if version.comments:
        pdf.heading(_("Comments on figures"), size=12)
        pdf.columns(
            [Column(_("Figure"), 70), Column(_("Comment"), 120)],
            [[labels.get(key, key), text] for key, text in version.comments.items()],
        )
    pdf.signature_lines([_("Prepared by"), _("Approved by (district)")])
    return pdf.render()
