"""Things that read projects and their change requests; nothing here writes.

The district's and the city's home read the change requests in flight through
``accounts.access``. ``change_request_comparison`` puts the values in force
beside the proposed ones (period, shares, planned jobs per target group, output
targets, budget lines), each row marked unchanged, changed, added or removed;
the city's decision screen shows it, and ``change_request_decision`` adds who
asked and decided, when and why, for the printed decision.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Organisation, User
from cms.models import english_active
from indicators.models import Indicator

from .models import ChangeRequest, ChangeRequestStatus, Project, ProjectStatus

# A rejected change request stays on the district's home this long: long
# enough to read the city's reason, short enough not to pile up.
REJECTED_SHOWN_FOR = timedelta(days=30)


def change_requests_pending(*, user: User) -> list[ChangeRequest]:
    """Change requests proposed and not yet decided: for a district, its own
    in flight; for the city, the ones waiting for its decision. Oldest first."""
    return list(
        access.visible_to(user, ChangeRequest)
        .filter(status=ChangeRequestStatus.PROPOSED)
        .select_related("project__district", "proposed_by")
        .order_by("proposed_at", "pk")
    )


def change_requests_rejected_recently(
    *, user: User, now: datetime
) -> list[ChangeRequest]:
    """Change requests the city rejected in the last 30 days, with its
    reason: the district may propose again."""
    return list(
        access.visible_to(user, ChangeRequest)
        .filter(
            status=ChangeRequestStatus.REJECTED,
            decided_at__gte=now - REJECTED_SHOWN_FOR,
        )
        .select_related("project", "decided_by")
        .order_by("-decided_at", "-pk")
    )


def projects_needing_signoff(*, district: Organisation | None) -> QuerySet[Project]:
    """The district's running projects whose call asks its approver to sign
    each monthly report off."""
    if district is None:
        return Project.objects.none()
    return Project.objects.filter(
        district=district,
        status=ProjectStatus.ACTIVE,
        call__requires_approver_signoff=True,
    )


UNCHANGED, CHANGED, ADDED, REMOVED = "unchanged", "changed", "added", "removed"
MONTH, MONEY, NUMBER = "month", "money", "number"


def _month_words(value: date | None) -> str:
    return date_format(value, "YEAR_MONTH_FORMAT") if value else ""


@dataclass(frozen=True)
class ComparedRow:
    """One value in force beside the one proposed (``None``: no such row)."""

    label: str
    before: int | date | None
    after: int | date | None
    kind: str = NUMBER  # MONTH, MONEY or NUMBER
    unit: str = ""

    @property
    def change(self) -> str:
        if self.before is None and self.after is not None:
            return ADDED
        if self.after is None and self.before is not None:
            return REMOVED
        return UNCHANGED if self.before == self.after else CHANGED

    @property
    def changed(self) -> bool:
        return self.change != UNCHANGED

    @property
    def change_label(self) -> str:
        return {
            UNCHANGED: _("unchanged"),
            CHANGED: _("changed"),
            ADDED: _("added"),
            REMOVED: _("removed"),
        }[self.change]

    def _show(self, value: int | date | None) -> str:
        if value is None:
            return "—"
        if self.kind == MONTH:
            return _month_words(value)  # type: ignore[arg-type]
        if self.kind == MONEY:
            return _("KRW %(amount)s") % {"amount": f"{value:,}"}
        shown = f"{value:,}"
        return f"{shown} {self.unit}" if self.unit else shown

    @property
    def before_display(self) -> str:
        return self._show(self.before)

    @property
    def after_display(self) -> str:
        return self._show(self.after)

    @property
    def difference_display(self) -> str:
        """+3 / −1,000,000 for numbers that changed; empty otherwise."""
        if self.kind == MONTH or self.change != CHANGED:
            return ""
        delta = int(self.after) - int(self.before)  # type: ignore[arg-type]
        sign = "+" if delta > 0 else "−"
        return f"{sign}{abs(delta):,}"


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[ComparedRow] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(row.changed for row in self.rows)


@dataclass(frozen=True)
class Comparison:
    sections: list[Section]

    @property
    def changed_rows(self) -> int:
        return sum(
            1 for section in self.sections for row in section.rows if row.changed
        )


def _name(row: dict) -> str:
    if english_active() and row.get("name_en"):
        return row["name_en"]
    return row.get("name_ko") or row["code"]


def _rows(
    before: list[dict], after: list[dict], number: str, *, kind: str, label
) -> list[ComparedRow]:
    """Rows matched by code, in the proposed order, removed ones last."""
    old = {row["code"]: row for row in before}
    new = {row["code"]: row for row in after}
    order = list(new) + [code for code in old if code not in new]
    rows = []
    for code in order:
        source = new.get(code) or old[code]
        name, unit = label(source)
        rows.append(
            ComparedRow(
                label=name,
                before=old[code][number] if code in old else None,
                after=new[code][number] if code in new else None,
                kind=kind,
                unit=unit,
            )
        )
    return rows


def _month(value: str) -> date:
    return date.fromisoformat(value)


def compare_plans(before: dict, after: dict) -> list[Section]:
    """Two plans as plain data (``projects.services.plan_data``), side by side."""
    indicators = Indicator.objects.in_bulk(
        [row["code"] for row in [*before["outputs"], *after["outputs"]]],
        field_name="code",
    )

    def output_label(row: dict) -> tuple[str, str]:
        indicator = indicators.get(row["code"])
        if indicator is None:
            return row["code"], ""
        return indicator.name, indicator.unit

    return [
        Section(
            _("Period and shares"),
            [
                ComparedRow(
                    _("First month of the period"),
                    _month(before["period_start"]),
                    _month(after["period_start"]),
                    MONTH,
                ),
                ComparedRow(
                    _("Last month of the period"),
                    _month(before["period_end"]),
                    _month(after["period_end"]),
                    MONTH,
                ),
                ComparedRow(
                    _("City share"), before["city_share"], after["city_share"], MONEY
                ),
                ComparedRow(
                    _("District share"),
                    before["district_share"],
                    after["district_share"],
                    MONEY,
                ),
                ComparedRow(
                    _("Total budget"),
                    before["city_share"] + before["district_share"],
                    after["city_share"] + after["district_share"],
                    MONEY,
                ),
            ],
        ),
        Section(
            _("Planned jobs by target group"),
            _rows(
                before["target_groups"],
                after["target_groups"],
                "planned_jobs",
                kind=NUMBER,
                label=lambda row: (_name(row), ""),
            ),
        ),
        Section(
            _("Output targets"),
            _rows(
                before["outputs"],
                after["outputs"],
                "target",
                kind=NUMBER,
                label=output_label,
            ),
        ),
        Section(
            _("Budget lines"),
            _rows(
                before["budget_lines"],
                after["budget_lines"],
                "amount",
                kind=MONEY,
                label=lambda row: (_name(row), ""),
            ),
        ),
    ]


def values_in_force(change_request: ChangeRequest) -> dict | None:
    """The plan the request is compared with, as plain data: kept with the
    decision once decided; while it waits, the plan in force for its month."""
    from .services import plan_data

    if change_request.in_force_before is not None:
        return change_request.in_force_before
    project = change_request.project
    if change_request.status == ChangeRequestStatus.APPROVED:
        # Decided before the values were kept: the plan before the one it made.
        plan = (
            project.plans.filter(effective_from__lte=change_request.effective_from)
            .exclude(change_request=change_request)
            .order_by("-effective_from", "-pk")
            .first()
        )
    else:
        plan = project.plan_for(change_request.effective_from)
    return plan_data(plan) if plan is not None else None


def change_request_comparison(change_request: ChangeRequest) -> Comparison:
    before = values_in_force(change_request)
    after = change_request.proposed
    if before is None:  # a project without a plan: everything is new
        before = {
            **after,
            "target_groups": [],
            "outputs": [],
            "budget_lines": [],
        }
    return Comparison(sections=compare_plans(before, after))


@dataclass(frozen=True)
class ChangeDecision:
    """A change request as a decision to read or print: what, who, when, why."""

    change_request: ChangeRequest
    project_code: str
    project_title: str
    district: str
    applies_from: str
    status: str
    reason: str
    proposed_by: str
    proposed_at: datetime | None
    decided_by: str
    decided_at: datetime | None
    decision_note: str
    comparison: Comparison


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def change_request_decision(change_request: ChangeRequest) -> ChangeDecision:
    project = change_request.project
    return ChangeDecision(
        change_request=change_request,
        project_code=project.code,
        project_title=project.display_title,
        district=str(project.district),
        applies_from=_month_words(change_request.effective_from),
        status=change_request.get_status_display(),
        reason=change_request.reason,
        proposed_by=_person(change_request.proposed_by),
        proposed_at=timezone.localtime(change_request.proposed_at)
        if change_request.proposed_at
        else None,
        decided_by=_person(change_request.decided_by),
        decided_at=timezone.localtime(change_request.decided_at)
        if change_request.decided_at
        else None,
        decision_note=change_request.decision_note,
        comparison=change_request_comparison(change_request),
    )
