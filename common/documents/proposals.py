"""The proposal receipt (접수증) and a call's selection result with its reasons."""

from datetime import datetime

from django.utils.translation import gettext as _

from . import Column, DocumentPDF, count, month_text, person, seoul_time, won


def call_title(call) -> str:
    return call.localized("title")


def proposal_receipt_pdf(proposal, *, reader, now: datetime | None = None) -> bytes:
    """What the city's system received, when, under which number."""
    pdf = DocumentPDF(_("Proposal receipt"), printed_by=reader, now=now)
    attachments = [
        a.title or a.file.name.rsplit("/", 1)[-1] for a in proposal.attachments.all()
    ]
    pdf.fields(
        [
            (_("Receipt number"), proposal.receipt_number or "–"),
            (_("Received at"), seoul_time(proposal.submitted_at)),
            (_("Call"), call_title(proposal.call)),
            (_("District"), proposal.district.name),
            (_("Project title"), proposal.title or "–"),
            (_("Submitted by"), person(proposal.submitted_by)),
            (
                _("Project period"),
                f"{month_text(proposal.period_start)} – {month_text(proposal.period_end)}",
            ),
            (_("Planned jobs"), count(proposal.planned_jobs)),
            (_("City share"), won(proposal.city_share)),
            (_("District share"), won(proposal.district_share)),
            (_("Total budget"), won(proposal.total_budget)),
            (_("Attachments"), "\n".join(attachments) or "–"),
            (_("Status"), proposal.status_label),
        ]
    )
    pdf.paragraph(
        _(
            "The city's system received the proposal above at the time shown, "
            "judged by the server's clock in Korea Standard Time. Keep this "
            "receipt with the proposal's file."
        )
    )
    pdf.signature_lines([_("Received by (city)"), _("Submitted by (district)")])
    return pdf.render()


def selection_result_pdf(call, *, reader, now: datetime | None = None) -> bytes:
    """Every ranked proposal of a call with the city's decision and its reason."""
    from competitions.selectors import call_ranking, selected_city_share_total

    ranking = call_ranking(call=call)
    publication = getattr(call, "results_publication", None)
    selected_total = selected_city_share_total(call=call)
    decided = [line for line in ranking if line.decision is not None]
    selected = [line for line in decided if line.decision.decision == "selected"]
    pdf = DocumentPDF(_("Selection result"), printed_by=reader, now=now)
    pdf.fields(
        [
            (_("Call"), call_title(call)),
            (_("Total budget (city share)"), won(call.total_budget)),
            (_("Proposals ranked"), count(len(ranking))),
            (_("Decisions recorded"), count(len(decided))),
            (_("Selected"), count(len(selected))),
            (_("Selected (city share)"), won(selected_total)),
            (
                _("Results published"),
                seoul_time(publication.published_at)
                if publication
                else _("Not yet published"),
            ),
        ]
    )
    pdf.heading(_("Decisions and reasons"), size=12)
    rows = []
    for line in ranking:
        proposal, decision = line.proposal, line.decision
        score = line.score_display
        rows.append(
            [
                str(line.rank),
                proposal.receipt_number or "–",
                proposal.district.name,
                proposal.title or "–",
                "–" if score is None else str(score),
                # A reduced selection shows what is funded, and says so.
                won(line.counted_amount)
                + (f" ({_('reduced')})" if decision and decision.is_reduced else ""),
                decision.get_decision_display() if decision else _("Not decided"),
                (
                    f"{decision.reason}\n({person(decision.decided_by)}, "
                    f"{seoul_time(decision.decided_at)})"
                )
                if decision
                else "–",
            ]
        )
    pdf.columns(
        [
            Column(_("Rank"), 10, "RIGHT"),
            Column(_("Receipt number"), 22),
            Column(_("District"), 18),
            Column(_("Project title"), 38),
            Column(_("Score"), 14, "RIGHT"),
            Column(_("City share requested"), 24, "RIGHT"),
            Column(_("Decision"), 16),
            Column(_("Reason"), 48),
        ],
        rows,
    )
    pdf.signature_lines([_("Prepared by"), _("Approved by")])
    return pdf.render()
