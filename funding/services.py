"""What changes the money of a project: drafting and signing its grant
agreement (협약), setting the schedule of tranches, and the request, decision
and payment of each tranche (교부 신청 → 교부 결정 → 교부).

Rules held here (and nowhere else):

* amounts by source follow the call's ratio, in whole won: the city's share
  is rounded down to the won, the district's is the rest (``funding.money``);
* a signed agreement is never edited: a plan changed by an approved change
  request is drafted as the next version, which replaces the signed one
  when it is signed;
* the tranches add up to the agreement's city share exactly;
* no request, decision or payment before the agreement is signed; a
  conditional tranche is approved only once its month's report is accepted;
  the city never commits or pays more than its share in total.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from closeout.rules import refuse_if_closed
from common.formats import month_label, won
from common.personal_data import describe_findings, scan_personal_data
from projects.models import Project, ProjectPlan
from projects.months import seoul_today

from . import workflow
from .models import (
    Agreement,
    AgreementBudgetLine,
    AgreementStatus,
    GrantConditions,
    Tranche,
    TrancheStatus,
)
from .money import split_by_ratio
from .settlement import money_lock_guard

# The conditions of grant (교부 조건) of a call that has not written its own.
DEFAULT_CONDITIONS_KO = """\
1. 보고 의무: 보조사업자는 매월 실적을 다음 달 보고 기한까지 보고하고, 사업이 끝나면 정산 보고서와 결과 보고서를 제출한다.
2. 목적 외 사용 금지: 보조금은 협약한 사업과 비목에만 사용하며, 비목 간 변경은 시의 승인을 받는다.
3. 집행 잔액과 이자 반납: 사업이 끝난 뒤 남은 보조금 중 시비 부담분과 보조금에서 생긴 이자는 시에 반납한다.
4. 교부 결정 취소: 위 조건을 어기면 교부 결정의 전부 또는 일부를 취소하고 이미 교부한 금액의 반환을 명할 수 있다."""

DEFAULT_CONDITIONS_EN = """\
1. Reporting duty: the grantee reports each month's results by the next month's due day and files a settlement report and a final report when the project ends.
2. Purpose restriction: the grant is spent only on the agreed project and budget categories; moving money between categories needs the city's approval.
3. Return of unspent funds and interest: at the end, the city's share of the unspent balance and any interest earned on the grant are returned to the city.
4. Cancellation: if these conditions are broken, the grant decision may be cancelled in whole or in part and the amounts paid reclaimed."""


def conditions_for(call) -> tuple[str, str]:
    """(Korean, English) conditions of grant of a call: its own, or the default."""
    own = GrantConditions.objects.filter(call=call).first() if call else None
    if own is not None:
        return own.text_ko, own.text_en
    return DEFAULT_CONDITIONS_KO, DEFAULT_CONDITIONS_EN


@dataclass(frozen=True)
class Amounts:
    total: int
    city_percent: int | None
    city_share: int
    district_share: int


def amounts_for(plan: ProjectPlan) -> Amounts:
    """The plan's total split by the call's ratio (see ``funding.money``); a
    project without a call keeps the plan's own shares."""
    total = plan.city_share + plan.district_share
    call = plan.project.call
    if call is None or call.city_share_percent is None:
        return Amounts(total, None, plan.city_share, plan.district_share)
    city, district = split_by_ratio(total, call.city_share_percent)
    return Amounts(total, call.city_share_percent, city, district)


def agreement_in_force(project: Project) -> Agreement | None:
    """The signed agreement that governs the project's money now."""
    return (
        Agreement.objects.filter(project=project, status=AgreementStatus.SIGNED)
        .order_by("-version")
        .first()
    )


def agreement_latest(project: Project) -> Agreement | None:
    return Agreement.objects.filter(project=project).order_by("-version").first()


def _city_of(district):
    city = district.parent
    while city is not None and not city.is_city_level:
        city = city.parent
    if city is None:
        raise ValidationError(
            _(
                "%(district)s belongs to no city in the list of organisations: set its "
                "parent organisation first."
            )
            % {"district": district.name},
            code="district_without_city",
        )
    return city


def _fill_from_plan(agreement: Agreement, plan: ProjectPlan) -> None:
    amounts = amounts_for(plan)
    agreement.plan = plan
    agreement.period_start = plan.period_start
    agreement.period_end = plan.period_end
    agreement.total_amount = amounts.total
    agreement.city_share_percent = amounts.city_percent
    agreement.city_share = amounts.city_share
    agreement.district_share = amounts.district_share


@transaction.atomic
def agreement_draft(
    *, actor: User, project: Project, now: datetime | None = None
) -> Agreement:
    """The draft agreement of a project, made from the plan in force.

    A draft already there is brought up to the plan (what people typed —
    conditions, signatories — is kept); a signed agreement whose plan has
    since been changed by an approved change request gets its next version,
    linked to that request; a signed agreement with the plan unchanged is
    refused (nothing to amend)."""
    if not access.can_view(actor, project):
        raise PermissionDenied
    if not access.can(actor, "draft_agreement", project):
        raise PermissionDenied
    project = Project.objects.select_for_update().get(pk=project.pk)
    plan = project.current_plan
    if plan is None:
        raise ValidationError(
            _("This project has no agreed plan to make an agreement from."),
            code="no_plan",
        )
    latest = agreement_latest(project)
    if latest is not None and latest.status == AgreementStatus.DRAFT:
        _fill_from_plan(latest, plan)
        latest.change_request = plan.change_request if latest.version > 1 else None
        latest.save()
        latest.budget_lines.all().delete()
        _copy_budget_lines(latest, plan)
        return latest
    if latest is not None and latest.plan_id == plan.pk:
        raise ValidationError(
            _(
                "The signed agreement (version %(version)s) already follows the plan "
                "in force. A new version is made only after a change request is "
                "approved."
            )
            % {"version": latest.version},
            code="agreement_unchanged",
        )
    conditions_ko, conditions_en = conditions_for(project.call)
    agreement = Agreement(
        project=project,
        version=(latest.version + 1) if latest else 1,
        change_request=plan.change_request if latest else None,
        city=_city_of(project.district),
        district=project.district,
        conditions_ko=conditions_ko,
        conditions_en=conditions_en,
        created_by=actor,
        created_at=now or timezone.now(),
    )
    if latest is not None:  # the same people usually sign the amendment
        for field in (
            "city_signatory_name",
            "city_signatory_title",
            "district_signatory_name",
            "district_signatory_title",
        ):
            setattr(agreement, field, getattr(latest, field))
    _fill_from_plan(agreement, plan)
    agreement.save()
    _copy_budget_lines(agreement, plan)
    return agreement


def _copy_budget_lines(agreement: Agreement, plan: ProjectPlan) -> None:
    for line in plan.budget_lines.all():
        AgreementBudgetLine.objects.create(
            agreement=agreement,
            code=line.code,
            name_ko=line.name_ko,
            name_en=line.name_en,
            amount=line.amount,
        )


def scheduled_total(project: Project) -> int:
    return Tranche.objects.filter(project=project).aggregate(s=Sum("amount"))["s"] or 0


def _schedule_error(project: Project, city_share: int) -> ValidationError | None:
    total = scheduled_total(project)
    if not Tranche.objects.filter(project=project).exists():
        return ValidationError(
            _(
                "Set the disbursement schedule first: the tranches of the city's share "
                "(%(city)s)."
            )
            % {"city": won(city_share)},
            code="schedule_missing",
        )
    if total != city_share:
        return _mismatch(total, city_share)
    return None


def _mismatch(total: int, city_share: int) -> ValidationError:
    difference = city_share - total
    if difference > 0:
        message = _(
            "The tranches add up to %(total)s, %(difference)s less than the "
            "agreement's city share of %(city)s. Add %(difference)s to the tranches."
        )
    else:
        message = _(
            "The tranches add up to %(total)s, %(difference)s more than the "
            "agreement's city share of %(city)s. Take %(difference)s off the tranches."
        )
    return ValidationError(
        message
        % {
            "total": won(total),
            "difference": won(abs(difference)),
            "city": won(city_share),
        },
        code="schedule_total_mismatch",
    )


@transaction.atomic
def agreement_sign(
    *,
    actor: User,
    agreement: Agreement,
    signed_on: date | None,
    city_signatory_name: str,
    city_signatory_title: str,
    district_signatory_name: str,
    district_signatory_title: str,
    now: datetime | None = None,
) -> Agreement:
    """The city records the signature of both sides. The agreement must still
    follow the plan in force and the tranches must add up to its city share;
    a version it replaces becomes superseded. Re-authentication is the view's
    (accounts.reauth), as for every step that cannot be taken back."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not access.can_view(actor, agreement):
        raise PermissionDenied
    workflow.agreement_require(actor, "sign", agreement)
    now = now or timezone.now()
    errors: dict[str, list[ValidationError]] = {}
    people = {
        "city_signatory_name": (city_signatory_name, _("City signatory")),
        "city_signatory_title": (city_signatory_title, _("City signatory's title")),
        "district_signatory_name": (district_signatory_name, _("District signatory")),
        "district_signatory_title": (
            district_signatory_title,
            _("District signatory's title"),
        ),
    }
    cleaned = {}
    for field, (value, label) in people.items():
        cleaned[field] = (value or "").strip()
        if not cleaned[field]:
            errors[field] = [
                ValidationError(
                    _("%(field)s: enter it as on the signed paper.") % {"field": label},
                    code="signatory_required",
                )
            ]
    if signed_on is None:
        errors["signed_on"] = [
            ValidationError(
                _("Enter the date both sides signed."), code="signed_on_required"
            )
        ]
    elif signed_on > seoul_today(now):
        errors["signed_on"] = [
            ValidationError(
                _("The date signed is in the future: enter the day it was signed."),
                code="signed_on_in_future",
            )
        ]
    project = agreement.project
    if project.current_plan != agreement.plan:
        errors.setdefault("__all__", []).append(
            ValidationError(
                _(
                    "The project's plan changed after this draft was made: make the "
                    "draft again from the plan in force before signing."
                ),
                code="agreement_plan_changed",
            )
        )
    schedule_error = _schedule_error(project, agreement.city_share)
    if schedule_error is not None:
        errors.setdefault("__all__", []).append(schedule_error)
    if errors:
        raise ValidationError(errors)
    for earlier in Agreement.objects.filter(
        project=project, status=AgreementStatus.SIGNED
    ).exclude(pk=agreement.pk):
        earlier.status = AgreementStatus.SUPERSEDED
        earlier.save(update_fields=["status"])
    for field, value in cleaned.items():
        setattr(agreement, field, value)
    agreement.signed_on = signed_on
    agreement.signed_by = actor
    agreement.signed_at = now
    agreement.status = AgreementStatus.SIGNED
    agreement.save()
    return agreement


# --- the schedule ----------------------------------------------------------------


@dataclass(frozen=True)
class TrancheRow:
    planned_on: date
    amount: int
    condition_month: date | None = None


@transaction.atomic
def tranche_schedule_set(
    *, actor: User, project: Project, rows: list[TrancheRow]
) -> list[Tranche]:
    """The city sets the tranches not yet requested; tranches already
    requested, decided or paid stay as they are and keep their numbers. With
    them, the tranches must add up to the latest agreement's city share."""
    if not access.can_view(actor, project):
        raise PermissionDenied
    if not access.can(actor, "set_tranche_schedule", project):
        raise PermissionDenied
    Project.objects.select_for_update().get(pk=project.pk)
    money_lock_guard(project)
    agreement = agreement_latest(project)
    if agreement is None:
        raise ValidationError(
            _("Draft the agreement first: the schedule shares out its city share."),
            code="agreement_missing",
        )
    kept = list(
        Tranche.objects.filter(project=project).exclude(status=TrancheStatus.SCHEDULED)
    )
    errors = []
    for index, row in enumerate(rows, start=1):
        if (
            isinstance(row.amount, bool)
            or not isinstance(row.amount, int)
            or (row.amount <= 0)
        ):
            errors.append(
                ValidationError(
                    _("Row %(row)s: enter an amount of 1 won or more.")
                    % {"row": index},
                    code="tranche_amount_invalid",
                )
            )
        month = row.condition_month
        if month is not None and not (
            agreement.period_start <= month <= agreement.period_end
        ):
            errors.append(
                ValidationError(
                    _(
                        "Row %(row)s: %(month)s is outside the agreement's period; "
                        "choose a month of the project."
                    )
                    % {"row": index, "month": month_label(month)},
                    code="condition_month_outside_period",
                )
            )
    if not rows and not kept:
        errors.append(
            ValidationError(_("Enter at least one tranche."), code="schedule_missing")
        )
    total = sum(t.amount for t in kept) + sum(
        row.amount for row in rows if isinstance(row.amount, int)
    )
    if not errors and total != agreement.city_share:
        errors.append(_mismatch(total, agreement.city_share))
    if errors:
        raise ValidationError(errors)
    Tranche.objects.filter(project=project, status=TrancheStatus.SCHEDULED).delete()
    number = max((t.number for t in kept), default=0)
    created = []
    for row in sorted(rows, key=lambda r: r.planned_on):
        number += 1
        created.append(
            Tranche.objects.create(
                project=project,
                number=number,
                planned_on=row.planned_on,
                amount=row.amount,
                condition_month=(
                    row.condition_month.replace(day=1) if row.condition_month else None
                ),
            )
        )
    return sorted([*kept, *created], key=lambda t: t.number)


# --- request, decision, payment ----------------------------------------------------------


def _locked_tranche(tranche: Tranche, actor: User) -> Tranche:
    tranche = (
        Tranche.objects.select_for_update()
        .select_related("project__district")
        .get(pk=tranche.pk)
    )
    if not access.can_view(actor, tranche.project):
        raise PermissionDenied
    money_lock_guard(tranche.project_id)
    refuse_if_closed(tranche.project)
    return tranche


def _signed_agreement(tranche: Tranche) -> Agreement:
    agreement = agreement_in_force(tranche.project)
    if agreement is None:
        raise ValidationError(
            _(
                "The agreement of this project is not signed yet: no money is "
                "requested, decided or paid before it is."
            ),
            code="agreement_not_signed",
        )
    return agreement


def _note_error(note: str) -> ValidationError | None:
    findings = scan_personal_data(note)
    if findings:
        return ValidationError(
            _(
                "The note looks like it holds personal data (%(found)s). Write it "
                "without names, phone numbers or registration numbers."
            )
            % {"found": describe_findings(findings)},
            code="note_personal_data",
        )
    return None


def condition_holds(tranche: Tranche) -> bool:
    """A conditional tranche's month has its report accepted."""
    if tranche.condition_month is None:
        return True
    from reporting.models import MonthlyReport, ReportStatus

    return MonthlyReport.objects.filter(
        project_id=tranche.project_id,
        period=tranche.condition_month,
        status=ReportStatus.ACCEPTED,
    ).exists()


def committed_total(project: Project, *, exclude: Tranche | None = None) -> int:
    """What the city has approved or paid of its share (a paid tranche counts
    what was paid, an approved one what was requested)."""
    tranches = Tranche.objects.filter(
        project=project, status__in=workflow.COMMITTED_STATUSES
    )
    if exclude is not None:
        tranches = tranches.exclude(pk=exclude.pk)
    total = 0
    for status, requested, paid in tranches.values_list(
        "status", "requested_amount", "paid_amount"
    ):
        total += (paid if status == TrancheStatus.PAID else requested) or 0
    return total


def paid_total(project: Project) -> int:
    return (
        Tranche.objects.filter(project=project, status=TrancheStatus.PAID).aggregate(
            s=Sum("paid_amount")
        )["s"]
        or 0
    )


def _over_share(amount: int, already: int, city_share: int) -> ValidationError:
    return ValidationError(
        _(
            "This would take the city's payments to %(total)s, over its share of "
            "%(city)s by %(over)s (already approved or paid: %(already)s). Lower the "
            "amount to %(room)s or less."
        )
        % {
            "total": won(already + amount),
            "city": won(city_share),
            "over": won(already + amount - city_share),
            "already": won(already),
            "room": won(max(city_share - already, 0)),
        },
        code="over_city_share",
    )


@transaction.atomic
def tranche_request(
    *,
    actor: User,
    tranche: Tranche,
    amount: int,
    note: str = "",
    now: datetime | None = None,
) -> Tranche:
    """The district asks for a tranche (교부 신청): at most the tranche's amount."""
    tranche = _locked_tranche(tranche, actor)
    workflow.tranche_require(actor, "request", tranche)
    _signed_agreement(tranche)
    note = (note or "").strip()
    errors = []
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        errors.append(
            ValidationError(
                _("Enter the amount requested, 1 won or more."),
                code="requested_amount_invalid",
            )
        )
    elif amount > tranche.amount:
        errors.append(
            ValidationError(
                _(
                    "The amount requested (%(amount)s) is more than tranche "
                    "%(number)s's %(tranche)s. Request %(tranche)s or less."
                )
                % {
                    "amount": won(amount),
                    "number": tranche.number,
                    "tranche": won(tranche.amount),
                },
                code="requested_over_tranche",
            )
        )
    if note and (error := _note_error(note)) is not None:
        errors.append(error)
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    workflow.tranche_move(
        tranche=tranche,
        action="request",
        actor=actor,
        now=now,
        note=note,
        amount=amount,
    )
    tranche.requested_amount = amount
    tranche.request_note = note
    tranche.requested_by = actor
    tranche.requested_at = now
    tranche.decision_note = ""
    tranche.decided_by = None
    tranche.decided_at = None
    tranche.save()
    return tranche


@transaction.atomic
def tranche_approve(
    *, actor: User, tranche: Tranche, note: str = "", now: datetime | None = None
) -> Tranche:
    """The city decides to pay (교부 결정): only once a conditional tranche's
    month is accepted, and never beyond the city's share in total."""
    tranche = _locked_tranche(tranche, actor)
    workflow.tranche_require(actor, "approve", tranche)
    agreement = _signed_agreement(tranche)
    if not condition_holds(tranche):
        raise ValidationError(
            _(
                "Tranche %(number)s is paid after the report of %(month)s is accepted, "
                "and it is not accepted yet. Decide after accepting that report."
            )
            % {"number": tranche.number, "month": month_label(tranche.condition_month)},
            code="condition_not_met",
        )
    already = committed_total(tranche.project, exclude=tranche)
    amount = tranche.requested_amount or 0
    if already + amount > agreement.city_share:
        raise ValidationError(_over_share(amount, already, agreement.city_share))
    note = (note or "").strip()
    if note and (error := _note_error(note)) is not None:
        raise ValidationError(error)
    now = now or timezone.now()
    workflow.tranche_move(
        tranche=tranche,
        action="approve",
        actor=actor,
        now=now,
        note=note,
        amount=amount,
    )
    tranche.decision_note = note
    tranche.decided_by = actor
    tranche.decided_at = now
    tranche.save()
    return tranche


@transaction.atomic
def tranche_refuse(
    *, actor: User, tranche: Tranche, note: str, now: datetime | None = None
) -> Tranche:
    """The city refuses a request, saying why; the district may request again."""
    tranche = _locked_tranche(tranche, actor)
    workflow.tranche_require(actor, "refuse", tranche)
    _signed_agreement(tranche)
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            _("Say why the request is refused, so the district knows what to do."),
            code="refusal_reason_required",
        )
    if (error := _note_error(note)) is not None:
        raise ValidationError(error)
    now = now or timezone.now()
    workflow.tranche_move(
        tranche=tranche,
        action="refuse",
        actor=actor,
        now=now,
        note=note,
        amount=tranche.requested_amount,
    )
    tranche.decision_note = note
    tranche.decided_by = actor
    tranche.decided_at = now
    tranche.save()
    return tranche


@transaction.atomic
def tranche_pay(
    *,
    actor: User,
    tranche: Tranche,
    paid_on: date | None,
    amount: int,
    now: datetime | None = None,
) -> Tranche:
    """The city records the payment (교부): at most the approved amount, never
    more than the city's share in total, on a day not in the future."""
    tranche = _locked_tranche(tranche, actor)
    workflow.tranche_require(actor, "pay", tranche)
    agreement = _signed_agreement(tranche)
    now = now or timezone.now()
    errors = []
    if paid_on is None:
        errors.append(
            ValidationError(_("Enter the day it was paid."), code="paid_on_required")
        )
    elif paid_on > seoul_today(now):
        errors.append(
            ValidationError(
                _("The day paid is in the future: record a payment once it is made."),
                code="paid_on_in_future",
            )
        )
    approved = tranche.requested_amount or 0
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        errors.append(
            ValidationError(
                _("Enter the amount paid, 1 won or more."), code="paid_amount_invalid"
            )
        )
    elif amount > approved:
        errors.append(
            ValidationError(
                _(
                    "The amount paid (%(amount)s) is more than the %(approved)s "
                    "approved for tranche %(number)s. Record %(approved)s or less."
                )
                % {
                    "amount": won(amount),
                    "approved": won(approved),
                    "number": tranche.number,
                },
                code="paid_over_approved",
            )
        )
    else:
        already = paid_total(tranche.project)
        if already + amount > agreement.city_share:
            errors.append(_over_share(amount, already, agreement.city_share))
    if errors:
        raise ValidationError(errors)
    workflow.tranche_move(
        tranche=tranche, action="pay", actor=actor, now=now, amount=amount
    )
    tranche.paid_on = paid_on
    tranche.paid_amount = amount
    tranche.save()
    return tranche
