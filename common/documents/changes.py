"""A change request's decision: who decided, when, why, and each value of the
plan in force before beside the value the district asked for."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from . import Column, DocumentPDF, count, month_text, person, seoul_time, won


def plan_before(change_request):
    """The plan in force for the request's month when it was decided (or now,
    for one still waiting): the plan its approval replaced."""
    cutoff = change_request.decided_at or timezone.now()
    plans = (
        change_request.project.plans.exclude(change_request=change_request)
        .filter(approved_at__lte=cutoff)
        .order_by("-effective_from", "-pk")
    )
    return plans.filter(effective_from__lte=change_request.effective_from).first() or (
        plans.last()
    )


def _name(row: dict) -> str:
    from cms.models import english_active

    if english_active() and row.get("name_en"):
        return row["name_en"]
    return row.get("name_ko") or row.get("code", "")


def _period(data: dict | None) -> str:
    if not data:
        return "–"
    return (
        f"{month_text(date.fromisoformat(data['period_start']))} – "
        f"{month_text(date.fromisoformat(data['period_end']))}"
    )


def comparison(before: dict | None, after: dict) -> list[tuple[str, str, str, bool]]:
    """(item, before, after, changed) for every value of either plan."""
    from indicators.models import Indicator

    before = before or {}
    rows = [
        (_("Period"), _period(before), _period(after)),
        (
            _("City share"),
            won(before.get("city_share")),
            won(after.get("city_share")),
        ),
        (
            _("District share"),
            won(before.get("district_share")),
            won(after.get("district_share")),
        ),
    ]

    def keyed(data: dict, part: str) -> dict[str, dict]:
        return {row["code"]: row for row in data.get(part, [])}

    for part, label, field, show in (
        ("target_groups", _("Planned jobs"), "planned_jobs", count),
        ("budget_lines", _("Budget line"), "amount", won),
    ):
        old, new = keyed(before, part), keyed(after, part)
        for code in [*old, *(c for c in new if c not in old)]:
            row = new.get(code) or old[code]
            rows.append(
                (
                    f"{label}: {_name(row)}",
                    show(old[code][field]) if code in old else "–",
                    show(new[code][field]) if code in new else "–",
                )
            )
    old, new = keyed(before, "outputs"), keyed(after, "outputs")
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=[*old, *new])}
    for code in [*old, *(c for c in new if c not in old)]:
        indicator = indicators.get(code)
        name = f"{indicator.name} ({indicator.unit})" if indicator else code
        rows.append(
            (
                f"{_('Output target')}: {name}",
                count(old[code]["target"]) if code in old else "–",
                count(new[code]["target"]) if code in new else "–",
            )
        )
    return [(item, old_, new_, old_ != new_) for item, old_, new_ in rows]


def change_decision_pdf(
    change_request, *, reader, now: datetime | None = None
) -> bytes:
    from projects.services import plan_data

    project = change_request.project
    before = plan_before(change_request)
    pdf = DocumentPDF(_("Change request decision"), printed_by=reader, now=now)
    decided = change_request.decided_at is not None
    pdf.fields(
        [
            (_("Project"), f"{project.code} {project.display_title}"),
            (_("District"), project.district.name),
            (_("Applies from"), month_text(change_request.effective_from)),
            (_("Requested by"), person(change_request.proposed_by)),
            (_("Requested at"), seoul_time(change_request.proposed_at)),
            (_("Reason for the change"), change_request.reason),
            (_("Decision"), change_request.get_status_display()),
            (_("Decided by"), person(change_request.decided_by) if decided else "–"),
            (_("Decided at"), seoul_time(change_request.decided_at)),
            (_("Reason for the decision"), change_request.decision_note or "–"),
        ]
    )
    pdf.heading(_("Values before and after"), size=12)
    pdf.columns(
        [
            Column(_("Item"), 70),
            Column(_("In force before"), 45, "RIGHT"),
            Column(_("Requested"), 45, "RIGHT"),
            Column(_("Changed"), 30, "CENTER"),
        ],
        [
            [item, old, new, _("Changed") if changed else _("Unchanged")]
            for item, old, new, changed in comparison(
                plan_data(before) if before else None, change_request.proposed
            )
        ],
    )
    pdf.signature_lines([_("Decided by (city)"), _("Received by (district)")])
    return pdf.render()
