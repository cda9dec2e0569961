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
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from accounts import access
from common import audit
from common.personal_data import find_personal_data, personal_data_names
from indicators.models import Indicator

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


def _whole(value, label: tuple[str, str]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(
            f"{label[0]}: 0 이상의 정수여야 합니다. / {label[1]}: must be a whole number, 0 or more."
        )
    return value


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
    """Checks plan data and returns it normalised; ValidationError (bilingual) if not."""
    period_start = _as_month(data["period_start"])
    period_end = _as_month(data["period_end"])
    if period_end < period_start:
        raise ValidationError(
            "사업 기간: 종료 월이 시작 월보다 앞섭니다. / Period: the last month is before the first."
        )
    cleaned = {
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "city_share": _whole(data.get("city_share", 0), ("시비", "City share")),
        "district_share": _whole(
            data.get("district_share", 0), ("구·군비", "District share")
        ),
    }
    rows_of = {
        "target_groups": ("planned_jobs", ("대상별 계획 인원", "Planned jobs")),
        "outputs": ("target", ("산출 목표", "Output target")),
        "budget_lines": ("amount", ("예산 항목 금액", "Budget line amount")),
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
                    f"{label[0]}: 코드 '{code}'가 올바르지 않거나 중복됩니다. "
                    f"/ {label[1]}: the code '{code}' is invalid or repeated."
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


def _outputs_clean(rows: list, number_field: str, label: tuple[str, str]) -> list:
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


@transaction.atomic
def project_create_from_proposal(
    *, proposal, actor, now: datetime | None = None
) -> Project:
    """The funded project of a selected proposal, with the proposal's targets,
    outputs and budget as its first plan. Idempotent: a proposal that already
    has a project gets that project back, unchanged."""
    existing = Project.objects.filter(source_proposal=proposal).first()
    if existing is not None:
        return existing
    from competitions.models import ProposalStatus

    if proposal.status != ProposalStatus.SELECTED:
        raise ValidationError(
            "선정된 제안서만 사업이 될 수 있습니다. / Only a selected proposal becomes a project."
        )
    return project_create(
        call=proposal.call,
        source_proposal=proposal,
        district=proposal.district,
        title=proposal.title,
        summary=proposal.summary,
        delivery_partners=proposal.delivery_partners,
        plan=plan_data_from_proposal(proposal),
        actor=actor,
        now=now,
    )


# --- changes --------------------------------------------------------------


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
    """The district proposes new targets, budget or period from a month on."""
    if not access.can_view(actor, project) or not access.can(
        actor, "propose_change", project
    ):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "변경 사유를 적어 주세요. / Give the reason for the change."}
        )
    kinds = find_personal_data(reason)
    if kinds:
        ko, en = personal_data_names(kinds)
        raise ValidationError(
            {
                "reason": f"사유에 개인정보({ko})로 보이는 내용이 있습니다. / The reason looks like it contains personal data ({en})."
            }
        )
    data = plan_data_clean(proposed)
    effective_from = _as_month(effective_from)
    if not (
        date.fromisoformat(data["period_start"])
        <= effective_from
        <= date.fromisoformat(data["period_end"])
    ):
        raise ValidationError(
            {
                "effective_from": "적용 월이 사업 기간 밖입니다. / The month it applies from is outside the period."
            }
        )
    return ChangeRequest.objects.create(
        project=project,
        effective_from=effective_from,
        reason=reason,
        proposed=data,
        proposed_by=actor,
        proposed_at=now or timezone.now(),
    )


def _decide(change_request: ChangeRequest, actor) -> ChangeRequest:
    change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if not access.can_view(actor, change_request.project) or not access.can(
        actor, "decide_change", change_request.project
    ):
        raise PermissionDenied
    if change_request.status != ChangeRequestStatus.PROPOSED:
        raise ValidationError(
            "이미 결정된 변경 요청입니다. / This change request has already been decided."
        )
    return change_request


@transaction.atomic
def change_request_approve(
    *, change_request: ChangeRequest, actor, note: str = "", now: datetime | None = None
) -> ProjectPlan:
    """The city agrees: the proposed values become the plan from ``effective_from``."""
    change_request = _decide(change_request, actor)
    now = now or timezone.now()
    change_request.status = ChangeRequestStatus.APPROVED
    change_request.decided_by = actor
    change_request.decided_at = now
    change_request.decision_note = note
    change_request.save()
    project = change_request.project
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
    return plan


@transaction.atomic
def change_request_reject(
    *, change_request: ChangeRequest, actor, note: str, now: datetime | None = None
) -> ChangeRequest:
    change_request = _decide(change_request, actor)
    if not (note or "").strip():
        raise ValidationError(
            {"note": "반려 사유를 적어 주세요. / Say why the change is rejected."}
        )
    change_request.status = ChangeRequestStatus.REJECTED
    change_request.decided_by = actor
    change_request.decided_at = now or timezone.now()
    change_request.decision_note = note
    change_request.save()
    return change_request
