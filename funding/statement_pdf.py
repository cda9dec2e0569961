"""The settlement statement (정산서) as PDF, drawn by the product's one document
engine (``common.documents``): the same figures as the workbook
(``funding.statement``), from the same ``SettlementResult``, with the rule
written under them, in the header's language."""

from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from common.documents import Column, DocumentPDF, won

from .settlement_rules import SettlementInputs, SettlementResult
from .statement import StatementHeader, interest_rule_label, month_label, rule_text


def statement_pdf(
    header: StatementHeader,
    inputs: SettlementInputs,
    result: SettlementResult,
    *,
    reader=None,
    now: datetime | None = None,
) -> bytes:
    with translation.override(header.language):
        pdf = DocumentPDF(_("Settlement statement"), printed_by=reader, now=now)
        pdf.fields(
            [
                (_("Project"), f"{header.project_code} {header.title}"),
                (_("District"), header.district),
                (_("Call"), header.call),
                (_("Agreement versions"), header.agreement_versions or "–"),
                (_("Signed on"), header.signed_dates or "–"),
                (_("Interest rule"), interest_rule_label(header.interest_rule)),
            ]
        )
        _periods(pdf, header, result)
        pdf.heading(_("Settlement"), size=12)
        pdf.columns(
            [Column("", 120), Column("", 70, "RIGHT")],
            [
                [label, won(amount)]
                for label, amount in (
                    (_("City money received (tranches paid)"), result.city_received),
                    (_("District money contributed"), result.district_contributed),
                    (_("City's share of spending"), result.city_spent),
                    (_("District's share of spending"), result.district_spent),
                    (_("Unspent city money"), result.city_unspent),
                    (_("City's shortfall"), result.city_shortfall),
                    (_("Unspent district money"), result.district_unspent),
                    (_("Interest earned"), result.interest),
                    (_("Interest returned"), result.interest_returned),
                    (_("Returned to the city"), result.returned),
                )
            ],
            headings=False,
        )
        pdf.heading(_("The rule"), size=12)
        for text in rule_text():
            pdf.paragraph(text, size=8)
        pdf.signature_lines([_("For the district"), _("Checked by the city")])
        return pdf.render()


def _periods(pdf, header: StatementHeader, result: SettlementResult) -> None:
    """Each agreement period: its ratio, its spending and the split, then the
    spending by budget category."""
    pdf.heading(_("Spending by agreement period"), size=12)
    pdf.columns(
        [
            Column(pgettext("spending period", "Period"), 34),
            Column(_("City share (agreement)"), 34, "RIGHT"),
            Column(_("Total (agreement)"), 34, "RIGHT"),
            Column(_("Spent"), 30, "RIGHT"),
            Column(_("City's share of spending"), 30, "RIGHT"),
            Column(_("District's share of spending"), 28, "RIGHT"),
        ],
        [
            [
                f"{month_label(p.first_month)} – {month_label(p.last_month)}",
                won(p.city_share),
                won(p.total),
                won(p.spent),
                won(p.city_spent),
                won(p.district_spent),
            ]
            for p in result.periods
        ]
        + [
            [
                _("Total"),
                "",
                "",
                won(result.spent),
                won(result.city_spent),
                won(result.district_spent),
            ]
        ],
    )
    rows = [
        [
            month_label(p.first_month),
            header.category_names.get(c.category, c.category),
            won(c.spent),
            won(c.city),
            won(c.district),
        ]
        for p in result.periods
        for c in p.categories
    ]
    if rows:
        pdf.heading(_("Spending by budget category"), size=12)
        pdf.columns(
            [
                Column(pgettext("spending period", "From"), 26),
                Column(_("Budget category"), 56),
                Column(_("Spent"), 36, "RIGHT"),
                Column(pgettext("money source", "City"), 36, "RIGHT"),
                Column(pgettext("money source", "District"), 36, "RIGHT"),
            ],
            rows,
        )
