"""A proposal's history as its district and the city read it: every status
change (with its reason) and every amendment after it was sent, field by field,
in time order."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cms.models import english_active
from common.formats import person_name

from ..models import Proposal, ProposalAmendment, ProposalStatus, ProposalTransition

# Longer texts are shortened in the history; the proposal shows them whole.
TEXT_SHOWN = 200


@dataclass(frozen=True)
class AmendedValue:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    kind: str  # "status" or "amendment"
    from_status: str = ""
    to_status: str = ""
    note: str = ""
    changes: list[AmendedValue] = field(default_factory=list)


def _verbose_name(name: str) -> str:
    field = Proposal._meta.get_field(name)
    assert isinstance(field, models.Field)
    return str(field.verbose_name)


def _field_labels() -> dict[str, str]:
    labels = {
        name: _verbose_name(name)
        for name in (
            "title",
            "summary",
            "local_need",
            "delivery_partners",
            "period_start",
            "period_end",
            "city_share",
            "district_share",
        )
    }
    labels.update(
        target_groups=_("Planned jobs"),
        outputs=_("Output target"),
        budget_lines=_("Budget line"),
        attachments=_("Attachment"),
    )
    return labels


def _shown(name: str, value: object) -> str:
    if value is None or value == "":
        return "—"
    if name in ("period_start", "period_end") and isinstance(value, str):
        return date_format(date.fromisoformat(value), "YEAR_MONTH_FORMAT")
    if name in ("city_share", "district_share", "budget_lines") and isinstance(
        value, int
    ):
        return _("KRW %(amount)s") % {"amount": f"{value:,}"}
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    text = str(value)
    return text if len(text) <= TEXT_SHOWN else text[:TEXT_SHOWN] + "…"


def _amended_values(amendment: ProposalAmendment) -> list[AmendedValue]:
    labels = _field_labels()
    values = []
    for change in amendment.changes or []:
        name = change.get("field", "")
        label = labels.get(name, name)
        item = (change.get("label_en") if english_active() else "") or change.get(
            "label_ko", ""
        )
        values.append(
            AmendedValue(
                label=f"{label}: {item}" if item else label,
                before=_shown(name, change.get("before")),
                after=_shown(name, change.get("after")),
            )
        )
    return values


def proposal_history(proposal: Proposal) -> list[HistoryEntry]:
    """Status changes and amendments of one proposal, oldest first. Whoever
    calls it has checked ``view_proposal_history`` for this proposal."""
    entries = [
        HistoryEntry(
            at=transition.at,
            actor=person_name(transition.actor),
            kind="status",
            from_status=str(ProposalStatus(transition.from_status).label),
            to_status=str(ProposalStatus(transition.to_status).label),
            note=transition.note,
        )
        for transition in ProposalTransition.objects.filter(
            proposal=proposal
        ).select_related("actor")
    ]
    entries += [
        HistoryEntry(
            at=amendment.at,
            actor=person_name(amendment.actor),
            kind="amendment",
            changes=_amended_values(amendment),
        )
        for amendment in ProposalAmendment.objects.filter(
            proposal=proposal
        ).select_related("actor")
    ]
    return sorted(entries, key=lambda entry: entry.at)
