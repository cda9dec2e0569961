"""Creating projects and changing what was agreed for them.

Plans travel as plain data ("plan data"), the same shape in a change request, a
test and the demo::

    {"period_start": "2019-01-01", "period_end": "2019-12-01",
     "city_share": 60_000_000, "district_share": 60_000_000,
     "target_groups": [{"code", "name_ko", "name_en", "planned_jobs"}],
     "outputs": [{"code", "target"}],   # code: a catalogue indicator's
     "budget_lines": [{"code", "name_ko", "name_en", "amount"}]}
"""

import re
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from accounts import access
from closeout.rules import refuse_if_closed
from cms.models import english_active
from common import audit
from common.personal_data import describe_findings, scan_personal_data
from indicators.models import Indicator
from notifications import recipients
from notifications.rendering import in_languages
from notifications.services import notify

from .models import (
    ChangeRequest,
    ChangeRequestStatus,
    PlanBudgetLine,
    PlanOutput,
    PlanTargetGroup,
    Project,
    ProjectPlan,
)

# Common budget categories of these programmes, so a proposal's Korean category
# names get stable codes (the spreadsheet import refers to lines by code).
KNOWN_BUDGET_CATEGORIES = {
    "인건비": ("personnel", "Personnel"),
    "운영비": ("operations", "Operations"),
    "사업비": ("programme", "Programme costs"),
    "교육비": ("training", "Training"),
    "홍보비": ("publicity", "Publicity"),
    "재료비": ("materials", "Materials"),
    "여비": ("travel", "Travel"),
    "임차료": ("rent", "Rent"),
    "장비구입비": ("equipment", "Equipment"),
}

_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


def _as_month(value) -> date:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.date()
    return value.replace(day=1)


def _whole(value, label) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(
            _("%(field)s: enter a whole number, 0 or more."),
            code="not_a_whole_number",
            params={"field": label},
        )
    return value


def _krw(amount: int) -> str:
    return gettext("KRW %(amount)s") % {"amount": f"{amount:,}"}


def plan_data(plan: ProjectPlan) -> dict:
    """A plan as plain data (the shape change requests propose)."""
    return {
        "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(),
        "city_share": plan.city_share,
        "district_share": plan.district_share,
        "target_groups": [
            {
                "code": r.code,
                "name_ko": r.name_ko,
                "name_en": r.name_en,
                "planned_jobs": r.planned_jobs,
            }
            for r in plan.target_groups.all()
        ],
        "outputs": [
            {"code": r.indicator.code, "target": r.target}
            for r in plan.outputs.select_related("indicator")
        ],
        "budget_lines": [
            {
                "code": r.code,
                "name_ko": r.name_ko,
                "name_en": r.name_en,
                "amount": r.amount,
            }
            for r in plan.budget_lines.all()
        ],
    }


def plan_data_clean(data: dict) -> dict:
    """Checks plan data and returns it normalised; ValidationError (with a
    code, in the reader's language) if not."""
    period_start = _as_month(data["period_start"])
    period_end = _as_month(data["period_end"])
    if period_end < period_start:
        raise ValidationError(
            _("Period: the last month is before the first. Enter a later last month."),
            code="period_end_before_start",
        )
    cleaned = {
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "city_share": _whole(data.get("city_share", 0), _("City share")),
        "district_share": _whole(data.get("district_share", 0), _("District share")),
    }
    rows_of = {
        "target_groups": ("planned_jobs", _("Planned jobs")),
        "outputs": ("target", _("Output target")),
        "budget_lines": ("amount", _("Budget line amount")),
    }
    for key, (number_field, label) in rows_of.items():
        if key == "outputs":
            cleaned[key] = _outputs_clean(data.get(key, []), number_field, label)
            continue
        rows, seen = [], set()
        for row in data.get(key, []):
            code = str(row.get("code", "")).strip()
            if not _CODE.match(code) or code in seen:
                raise ValidationError(
                    _(
                        "%(field)s: the code '%(code)s' is invalid or given twice. "
                        "Give each row its own code of lower-case letters and digits."
                    ),
                    code="row_code_invalid_or_repeated",
                    params={"field": label, "code": code},
                )
            seen.add(code)
            clean_row = {
                "code": code,
                "name_ko": str(row.get("name_ko") or code),
                "name_en": str(row.get("name_en") or ""),
                number_field: _whole(row.get(number_field), label),
            }
            rows.append(clean_row)
        cleaned[key] = rows
    return cleaned


def _outputs_clean(rows: list, number_field: str, label) -> list:
    """Output targets name catalogue indicators by code; the indicator, not
    the plan, says what the figure is and in which unit."""
    codes = [str(row.get("code", "")).strip() for row in rows]
    known = {i.code: i for i in Indicator.objects.filter(code__in=codes, is_core=False)}
    cleaned, seen = [], set()
    for row, code in zip(rows, codes, strict=True):
        if code not in known or code in seen:
            raise ValidationError(
                gettext(
                    "Output targets: '%(code)s' is not an indicator of the catalogue, "
                    "or it is given twice. Choose each output from the call's indicators "
                    "once."
                )
                % {"code": code},
                code="output_indicator_unknown_or_repeated",
            )
        seen.add(code)
        cleaned.append(
            {"code": code, number_field: _whole(row.get(number_field), label)}
        )
    return cleaned


def _plan_create(
    *,
    project: Project,
    data: dict,
    effective_from: date,
    actor,
    now: datetime,
    change_request: ChangeRequest | None = None,
) -> ProjectPlan:
    data = plan_data_clean(data)
    plan = ProjectPlan.objects.create(
        project=project,
        effective_from=effective_from,
        period_start=date.fromisoformat(data["period_start"]),
        period_end=date.fromisoformat(data["period_end"]),
        city_share=data["city_share"],
        district_share=data["district_share"],
        approved_at=now,
        approved_by=actor,
        change_request=change_request,
    )
    indicators = Indicator.objects.in_bulk(
        [row["code"] for row in data["outputs"]], field_name="code"
    )
    rows = [
        *PlanTargetGroup.objects.bulk_create(
            PlanTargetGroup(plan=plan, **row) for row in data["target_groups"]
        ),
        *PlanOutput.objects.bulk_create(
            PlanOutput(
                plan=plan, indicator=indicators[row["code"]], target=row["target"]
            )
            for row in data["outputs"]
        ),
        *PlanBudgetLine.objects.bulk_create(
            PlanBudgetLine(plan=plan, **row) for row in data["budget_lines"]
        ),
    ]
    audit.record_created(rows)  # bulk_create sends no signals: the trail is told here
    return plan


def _next_code(*, year: int, district) -> str:
    prefix = f"{year}-{district.code}-"
    number = Project.objects.filter(code__startswith=prefix).count() + 1
    while Project.objects.filter(code=f"{prefix}{number:02d}").exists():
        number += 1
    return f"{prefix}{number:02d}"


@transaction.atomic
def project_create(
    *,
    district,
    title: str,
    plan: dict,
    actor,
    call=None,
    source_proposal=None,
    code: str | None = None,
    title_en: str = "",
    summary: str = "",
    delivery_partners: str = "",
    report_due_day: int | None = None,
    now: datetime | None = None,
) -> Project:
    """A funded project with its first plan, in force from its first month."""
    if actor is not None and not access.is_city_manager(actor):
        raise PermissionDenied
    now = now or timezone.now()
    data = plan_data_clean(plan)
    period_start = date.fromisoformat(data["period_start"])
    if report_due_day is None:
        report_due_day = call.report_due_day if call is not None else 10
    project = Project.objects.create(
        code=code or _next_code(year=period_start.year, district=district),
        call=call,
        source_proposal=source_proposal,
        district=district,
        title=title,
        title_en=title_en,
        summary=summary,
        delivery_partners=delivery_partners,
        period_start=period_start,
        period_end=date.fromisoformat(data["period_end"]),
        report_due_day=report_due_day,
    )
    _plan_create(
        project=project, data=data, effective_from=period_start, actor=actor, now=now
    )
    return project


def _budget_code(category: str, index: int, taken: set[str]) -> tuple[str, str]:
    known = KNOWN_BUDGET_CATEGORIES.get(category.strip())
    code, name_en = known if known else (slugify(category)[:32], "")
    if not _CODE.match(code or "") or code in taken:
        code = f"line-{index}"
    return code, name_en


def plan_data_from_proposal(proposal) -> dict:
    call = proposal.call
    default_start = date((call.year if call else timezone.now().year) + 1, 1, 1)
    target_groups = [
        {
            "code": row.target_group.code,
            "name_ko": row.target_group.name_ko,
            "name_en": row.target_group.name_en,
            "planned_jobs": row.planned_jobs or 0,
        }
        for row in proposal.target_groups.select_related("target_group")
    ]
    outputs = [
        {"code": row.indicator.code, "target": row.target}
        for row in proposal.outputs.select_related("indicator")
    ]
    budget_lines, taken = [], set()
    for index, row in enumerate(proposal.budget_lines.all(), start=1):
        code, name_en = _budget_code(row.category, index, taken)
        taken.add(code)
        budget_lines.append(
            {
                "code": code,
                "name_ko": row.category,
                "name_en": name_en,
                "amount": row.amount,
            }
        )
    return {
        "period_start": (proposal.period_start or default_start).isoformat(),
        "period_end": (
            proposal.period_end or default_start.replace(month=12)
        ).isoformat(),
        "city_share": proposal.city_share or 0,
        "district_share": proposal.district_share or 0,
        "target_groups": target_groups,
        "outputs": outputs,
        "budget_lines": budget_lines,
    }


# --- partial funding -----------------------------------------------------


def scale_amounts(amounts: list[int], total: int) -> list[int]:
    """Amounts in whole won scaled to add up to exactly ``total``: each line
    is scaled in proportion and rounded down, and the won left over by the
    rounding go to the largest line (the first of equal ones)."""
    if not amounts:
        return []
    whole = sum(amounts)
    if whole <= 0:
        return [0] * len(amounts)
    scaled = [amount * total // whole for amount in amounts]
    largest = max(range(len(amounts)), key=lambda index: (amounts[index], -index))
    scaled[largest] += total - sum(scaled)
    return scaled


def scale_target(target: int, *, funded: int, requested: int) -> int:
    """A target scaled by the funded share of the request, rounded down, and
    never below 1 where the original was 1 or more."""
    scaled = target * funded // requested
    return max(scaled, 1) if target >= 1 else scaled


def plan_data_scaled(data: dict, *, funded_city_share: int) -> dict:
    """Plan data brought in line with a reduced city share (partial funding).

    The district share keeps the call's ratio (scaled by the same fraction,
    rounded down); the budget lines are scaled to the new total with
    ``scale_amounts``, so they add up to the shares exactly; planned jobs and
    output targets are scaled with ``scale_target``. The project starts from
    this plan; the district renegotiates it through a change request."""
    requested = data["city_share"]
    if requested <= 0 or funded_city_share >= requested:
        return data
    district_share = data["district_share"] * funded_city_share // requested
    old_total = requested + data["district_share"]
    lines = [row["amount"] for row in data["budget_lines"]]
    if sum(lines) == old_total:
        lines_total = funded_city_share + district_share
    else:  # lines that did not match the shares keep their proportion to them
        lines_total = sum(lines) * funded_city_share // requested
    amounts = scale_amounts(lines, lines_total)
    return {
        **data,
        "city_share": funded_city_share,
        "district_share": district_share,
        "target_groups": [
            {
                **row,
                "planned_jobs": scale_target(
                    row["planned_jobs"], funded=funded_city_share, requested=requested
                ),
            }
            for row in data["target_groups"]
        ],
        "outputs": [
            {
                **row,
                "target": scale_target(
                    row["target"], funded=funded_city_share, requested=requested
                ),
            }
            for row in data["outputs"]
        ],
        "budget_lines": [
            {**row, "amount": amount}
            for row, amount in zip(data["budget_lines"], amounts, strict=True)
        ],
    }


def _funded_plan_data(proposal) -> dict:
    """The proposal's plan, scaled when the city funded less than the request."""
    data = plan_data_from_proposal(proposal)
    decision = getattr(proposal, "selection_decision", None)
    if decision is not None and decision.is_reduced:
        data = plan_data_scaled(data, funded_city_share=decision.funded_amount)
    return data


@transaction.atomic
def project_create_from_proposal(
    *, proposal, actor, now: datetime | None = None
) -> Project:
    """The funded project of a selected proposal, with the proposal's targets,
    outputs and budget as its first plan (scaled to the funded amount when the
    city funded less than the request: ``plan_data_scaled``). Idempotent: a
    proposal that already has a project gets that project back, unchanged."""
    existing = Project.objects.filter(source_proposal=proposal).first()
    if existing is not None:
        return existing
    from competitions.models import ProposalStatus

    if proposal.status != ProposalStatus.SELECTED:
        raise ValidationError(
            _("Only a selected proposal becomes a project."),
            code="proposal_not_selected",
        )
    return project_create(
        call=proposal.call,
        source_proposal=proposal,
        district=proposal.district,
        title=proposal.title,
        summary=proposal.summary,
        delivery_partners=proposal.delivery_partners,
        plan=_funded_plan_data(proposal),
        actor=actor,
        now=now,
    )


# --- changes --------------------------------------------------------------


def budget_line_code(category: str, taken: set[str]) -> str:
    """A stable code for a new budget line named ``category`` (the known
    categories' codes, else the next free ``line-N``)."""
    index = len(taken) + 1
    code, _name_en = _budget_code(category, index, taken)
    while code in taken:
        index += 1
        code = f"line-{index}"
    return code


def row_name(row: dict) -> str:
    """A target group's or budget line's name in plan data, in the reader's language."""
    if english_active() and row.get("name_en"):
        return row["name_en"]
    return row.get("name_ko") or row["code"]


def _reason_error(text: str, *, field_label) -> ValidationError | None:
    """A reason or note is required and carries no personal data."""
    if not text:
        return ValidationError(
            _("%(field)s: write it before sending."),
            code="reason_required",
            params={"field": field_label},
        )
    findings = scan_personal_data(text)
    if findings:
        return ValidationError(
            _(
                "%(field)s: this looks like personal data (%(found)s). Describe the "
                "change without names, phone numbers or registration numbers."
            ),
            code="reason_personal_data",
            params={"field": field_label, "found": describe_findings(findings)},
        )
    return None


def change_errors(*, project: Project, data: dict) -> dict[str, list[ValidationError]]:
    """What a proposed plan (cleaned plan data) breaks, by field: the rows a
    change may add (the call's target groups and output indicators), the call's
    cap on the city share and its city:district ratio, and the budget lines
    adding up to the shares. Every message names the rule and the numbers."""
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, error: ValidationError) -> None:
        errors.setdefault(field, []).append(error)

    call = project.call
    # Rows the project has had may stay or come back; new ones come from the call.
    kept_groups = set(
        PlanTargetGroup.objects.filter(plan__project=project).values_list(
            "code", flat=True
        )
    )
    kept_outputs = set(
        PlanOutput.objects.filter(plan__project=project).values_list(
            "indicator__code", flat=True
        )
    )
    call_groups = (
        set(call.target_groups.values_list("code", flat=True)) if call else set()
    )
    if call is not None:
        call_outputs = set(call.indicators.values_list("indicator__code", flat=True))
    else:
        call_outputs = set(
            Indicator.objects.filter(is_core=False, is_active=True).values_list(
                "code", flat=True
            )
        )

    if not data["target_groups"]:
        add(
            "target_groups",
            ValidationError(
                _("Keep at least one target group with its planned jobs."),
                code="no_target_group",
            ),
        )
    for row in data["target_groups"]:
        if row["code"] not in kept_groups | call_groups:
            add(
                "target_groups",
                ValidationError(
                    _(
                        "%(name)s is not a target group of this project's call: add "
                        "only the call's target groups."
                    ),
                    code="target_group_not_in_call",
                    params={"name": row_name(row)},
                ),
            )
    for row in data["outputs"]:
        if row["code"] not in kept_outputs | call_outputs:
            indicator = Indicator.objects.get(code=row["code"])
            add(
                "outputs",
                ValidationError(
                    _(
                        "%(indicator)s is not an output indicator of this project's "
                        "call: add only the indicators the call lists."
                    ),
                    code="output_indicator_not_in_call",
                    params={"indicator": indicator.name},
                ),
            )

    city, district = data["city_share"], data["district_share"]
    total = city + district
    if call is not None and city > call.cap_per_project:
        add(
            "city_share",
            ValidationError(
                _(
                    "Cap per project: the call allows at most %(cap)s from the city for "
                    "one project; this change asks for %(city)s. Lower the city share "
                    "to %(cap)s or less."
                ),
                code="city_share_over_cap",
                params={"cap": _krw(call.cap_per_project), "city": _krw(city)},
            ),
        )
    if call is not None and total > 0:
        from competitions.services.proposals import RATIO_TOLERANCE_KRW

        # The proposal's rule, to the nearest 1,000 KRW, in integers.
        if (
            abs(city * 100 - total * call.city_share_percent)
            >= RATIO_TOLERANCE_KRW * 100
        ):
            expected_city = total * call.city_share_percent // 100
            add(
                "district_share",
                ValidationError(
                    _(
                        "Cost sharing: the call shares costs %(ratio)s between the city "
                        "and the district (to the nearest KRW 1,000). For a total of "
                        "%(total)s that is about %(expected_city)s from the city and "
                        "%(expected_district)s from the district; this change gives "
                        "%(city)s and %(district)s."
                    ),
                    code="shares_off_ratio",
                    params={
                        "ratio": call.ratio_label,
                        "total": _krw(total),
                        "expected_city": _krw(expected_city),
                        "expected_district": _krw(total - expected_city),
                        "city": _krw(city),
                        "district": _krw(district),
                    },
                ),
            )
    lines_total = sum(row["amount"] for row in data["budget_lines"])
    if data["budget_lines"] and lines_total != total:
        add(
            "budget_lines",
            ValidationError(
                _(
                    "Budget lines: the lines add up to %(lines)s, but the city and "
                    "district shares to %(total)s. Make them equal."
                ),
                code="budget_lines_total_mismatch",
                params={"lines": _krw(lines_total), "total": _krw(total)},
            ),
        )
    return errors


@transaction.atomic
def change_request_propose(
    *,
    project: Project,
    actor,
    proposed: dict,
    reason: str,
    effective_from: date,
    now: datetime | None = None,
) -> ChangeRequest:
    """The district proposes new targets, budget or period from a month on:
    rows may change, be added (the call's target groups and indicators) or be
    removed; nothing is saved unless every rule holds, and all the problems
    are reported together, by field."""
    if not access.can_view(actor, project) or not access.can(
        actor, "propose_change", project
    ):
        raise PermissionDenied
    refuse_if_closed(project)
    errors: dict[str, list[ValidationError]] = {}
    reason = (reason or "").strip()
    reason_error = _reason_error(reason, field_label=_("Reason"))
    if reason_error is not None:
        errors["reason"] = [reason_error]
    try:
        data = plan_data_clean(proposed)
    except ValidationError as error:
        errors.setdefault("__all__", []).extend(error.error_list)
        raise ValidationError(errors) from None
    effective_from = _as_month(effective_from)
    if not (
        date.fromisoformat(data["period_start"])
        <= effective_from
        <= date.fromisoformat(data["period_end"])
    ):
        errors["effective_from"] = [
            ValidationError(
                _(
                    "The month it applies from is outside the period: choose a month "
                    "from the first to the last month."
                ),
                code="effective_month_outside_period",
            )
        ]
    for field, field_errors in change_errors(project=project, data=data).items():
        errors.setdefault(field, []).extend(field_errors)
    if errors:
        raise ValidationError(errors)
    change_request = ChangeRequest.objects.create(
        project=project,
        effective_from=effective_from,
        reason=reason,
        proposed=data,
        proposed_by=actor,
        proposed_at=now or timezone.now(),
    )
    _tell_about_change(change_request)
    return change_request


def _tell_about_change(change_request: ChangeRequest) -> int:
    """Proposed: the city's managers are asked to decide. Decided: the
    district's officers and approvers are told, with the city's comment."""
    project = change_request.project
    proposed = change_request.status == ChangeRequestStatus.PROPOSED
    return notify(
        recipients=(
            recipients.city_managers()
            if proposed
            else recipients.district_staff(project.district)
        ),
        kind="change_request_proposed" if proposed else "change_request_decided",
        dedupe_key=f"change-request-{change_request.status}:{change_request.pk}",
        params={
            "project": in_languages(lambda: f"{project.code} {project.display_title}"),
            "district": in_languages(lambda: project.district.name),
            "decision": in_languages(change_request.get_status_display),
        },
        link=reverse("projects_change_request", args=[change_request.pk]),
        reason=change_request.reason if proposed else change_request.decision_note,
        project=project,
        call=project.call_id,
    )


def _decide(change_request: ChangeRequest, actor) -> ChangeRequest:
    change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if not access.can_view(actor, change_request.project) or not access.can(
        actor, "decide_change", change_request.project
    ):
        raise PermissionDenied
    if change_request.status != ChangeRequestStatus.PROPOSED:
        raise ValidationError(
            _("This change request has already been decided."),
            code="change_request_already_decided",
        )
    # What it replaces (or would have), kept with the decision.
    in_force = change_request.project.plan_for(change_request.effective_from)
    change_request.in_force_before = plan_data(in_force) if in_force else None
    return change_request


@transaction.atomic
def change_request_approve(
    *, change_request: ChangeRequest, actor, note: str = "", now: datetime | None = None
) -> ProjectPlan:
    """The city agrees: the proposed values become the plan from ``effective_from``.
    The call's rules are checked again (the plan in force may have changed since
    the request). Figures already reported stay as they are, also for rows the
    new plan no longer has: each month is read against its own plan."""
    change_request = _decide(change_request, actor)
    note = (note or "").strip()
    if note:
        note_error = _reason_error(note, field_label=_("Comment"))
        if note_error is not None:
            raise ValidationError({"note": [note_error]})
    project = change_request.project
    errors = change_errors(
        project=project, data=plan_data_clean(change_request.proposed)
    )
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    change_request.status = ChangeRequestStatus.APPROVED
    change_request.decided_by = actor
    change_request.decided_at = now
    change_request.decision_note = note
    change_request.save()
    plan = _plan_create(
        project=project,
        data=change_request.proposed,
        effective_from=change_request.effective_from,
        actor=actor,
        now=now,
        change_request=change_request,
    )
    current = project.current_plan
    project.period_start, project.period_end = current.period_start, current.period_end
    project.save(update_fields=["period_start", "period_end", "updated_at"])
    _tell_about_change(change_request)
    return plan


@transaction.atomic
def change_request_reject(
    *, change_request: ChangeRequest, actor, note: str, now: datetime | None = None
) -> ChangeRequest:
    change_request = _decide(change_request, actor)
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {
                "note": ValidationError(
                    _("Say why the change is rejected."),
                    code="rejection_reason_required",
                )
            }
        )
    note_error = _reason_error(note, field_label=_("Comment"))
    if note_error is not None:
        raise ValidationError({"note": [note_error]})
    change_request.status = ChangeRequestStatus.REJECTED
    change_request.decided_by = actor
    change_request.decided_at = now or timezone.now()
    change_request.decision_note = note
    change_request.save()
    _tell_about_change(change_request)
    return change_request
