"""The grant agreement (협약서) as PDF, drawn by the product's one document
engine (``common.documents``), in the reader's language."""

from datetime import datetime

from django.utils.translation import gettext as _

from common.documents import Column, DocumentPDF, month_text, person, seoul_time, won

from .models import Agreement


def agreement_pdf(
    agreement: Agreement, *, reader, now: datetime | None = None
) -> bytes:
    project = agreement.project
    pdf = DocumentPDF(_("Grant agreement"), printed_by=reader, now=now)
    percent = agreement.city_share_percent
    ratio = f"{percent}:{100 - percent}" if percent is not None else _("as in the plan")
    pdf.fields(
        [
            (_("Project"), f"{project.code} {project.display_title}"),
            (_("Version"), str(agreement.version)),
            (_("Status"), agreement.get_status_display()),
            (_("City"), agreement.city.name),
            (_("District"), agreement.district.name),
            (
                _("Period"),
                f"{month_text(agreement.period_start)} – "
                f"{month_text(agreement.period_end)}",
            ),
            (_("Total"), won(agreement.total_amount)),
            (_("City share"), won(agreement.city_share)),
            (_("District share"), won(agreement.district_share)),
            (_("Cost sharing (city:district)"), ratio),
            (
                _("Amended after"),
                _("change request of %(month)s")
                % {"month": month_text(agreement.change_request.effective_from)}
                if agreement.change_request
                else "–",
            ),
        ]
    )
    pdf.paragraph(
        _(
            "The city's share is the total times the city's percentage, rounded "
            "down to the won; the district's share is the rest."
        ),
        size=8,
    )
    pdf.heading(_("Budget by category"), size=12)
    lines = list(agreement.budget_lines.all())
    pdf.columns(
        [Column(_("Budget category"), 120), Column(_("Amount"), 70, "RIGHT")],
        [[line.name, won(line.amount)] for line in lines]
        + [[_("Total"), won(sum(line.amount for line in lines))]],
    )
    tranches = list(project.tranches.all())
    if tranches:
        pdf.heading(_("Disbursement schedule of the city's share"), size=12)
        pdf.columns(
            [
                Column(_("Tranche"), 20, "CENTER"),
                Column(_("Planned date"), 40),
                Column(_("Amount"), 50, "RIGHT"),
                Column(_("Condition"), 80),
            ],
            [
                [
                    str(t.number),
                    t.planned_on.isoformat(),
                    won(t.amount),
                    _("after the report of %(month)s is accepted")
                    % {"month": month_text(t.condition_month)}
                    if t.condition_month
                    else "–",
                ]
                for t in tranches
            ],
        )
    pdf.heading(_("Conditions of grant"), size=12)
    pdf.paragraph(agreement.conditions, size=9)
    pdf.heading(_("Signatures"), size=12)
    pdf.fields(
        [
            (
                _("Signed on"),
                agreement.signed_on.isoformat() if agreement.signed_on else "–",
            ),
            (
                _("For the city"),
                " ".join(
                    x
                    for x in (
                        agreement.city_signatory_title,
                        agreement.city_signatory_name,
                    )
                    if x
                )
                or "–",
            ),
            (
                _("For the district"),
                " ".join(
                    x
                    for x in (
                        agreement.district_signatory_title,
                        agreement.district_signatory_name,
                    )
                    if x
                )
                or "–",
            ),
            (_("Signature recorded by"), person(agreement.signed_by)),
            (_("Signature recorded at"), seoul_time(agreement.signed_at)),
        ]
    )
    pdf.signature_lines([_("For the city"), _("For the district")])
    return pdf.render()
