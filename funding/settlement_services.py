"""What changes a settlement (정산): the district files it (lines prefilled
from the accepted reports, corrections with reasons, interest, evidence) and
submits it; the city returns it with a comment or accepts it (정산 검사) and
records the return (반납). Every move goes through ``funding.workflow``, is
recorded in the audit trail (the models are tracked) and in the settlement's
history, in one transaction.

The rule's figures are stored on the settlement when it is submitted and when
it is accepted (then frozen): always ``compute_settlement`` of the records as
filed, so they can be recomputed at any time.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from common.formats import month_label, won
from notifications import recipients
from notifications.services import notify
from projects.models import Project
from projects.months import add_months, seoul_today

from . import workflow
from .models import (
    SETTLEMENT_FIGURES,
    AgreementStatus,
    Settlement,
    SettlementEvidence,
    SettlementLine,
    SettlementReturn,
    SettlementStatus,
)
from .services import _note_error, agreement_in_force
from .settlement import filed_inputs, money_lock_guard
from .settlement_inputs import settlement_inputs_for
from .settlement_rules import SettlementResult, compute_settlement

S = SettlementStatus


# --- reads ------------------------------------------------------------------------


def settlement_due_on(project: Project) -> date:
    """The day the settlement is due: the call's number of days (30 unless
    its conditions of grant say otherwise) after the project's last month."""
    from .models import GrantConditions

    days = (
        GrantConditions.objects.filter(call_id=project.call_id)
        .values_list("settlement_due_days", flat=True)
        .first()
    )
    return settlement_due_day(project.period_end, days)


def settlement_due_day(period_end: date, due_days: int | None) -> date:
    """``due_days`` (30 when the call says nothing) counted from the first
    day after the project's last month, that first day being day 1."""
    after_last_month = add_months(period_end.replace(day=1), 1)
    return after_last_month + timedelta(days=(30 if due_days is None else due_days) - 1)


def settlement_result(settlement: Settlement) -> SettlementResult | None:
    """The rule applied to the records, with the settlement's interest and its
    lines as filed."""
    inputs = settlement_inputs_for([settlement.project_id]).get(settlement.project_id)
    if inputs is None:
        return None
    return compute_settlement(filed_inputs(settlement, inputs))


def _open_reports(project: Project) -> list[date]:
    from reporting.models import MonthlyReport, ReportStatus

    return list(
        MonthlyReport.objects.filter(project=project)
        .exclude(status=ReportStatus.ACCEPTED)
        .order_by("period")
        .values_list("period", flat=True)
    )


# --- the district files -----------------------------------------------------------


def _budget_names(project: Project) -> dict[str, tuple[str, str]]:
    agreement = agreement_in_force(project)
    if agreement is None:
        return {}
    return {
        line.code: (line.name_ko, line.name_en) for line in agreement.budget_lines.all()
    }


def _reported(project: Project) -> dict[tuple[date, str], int]:
    """Spending by (period's first month, category) in the accepted reports."""
    inputs = settlement_inputs_for([project.pk]).get(project.pk)
    if inputs is None:
        return {}
    result = compute_settlement(inputs)
    return {
        (period.first_month, category.category): category.spent
        for period in result.periods
        for category in period.categories
    } | {
        (period.first_month, code): 0
        for period in result.periods
        for code in _budget_names(project)
        if not any(c.category == code for c in period.categories)
    }


def _refresh_lines(settlement: Settlement) -> None:
    """Bring the prefilled figures up to the accepted reports: a line not
    corrected follows them, a corrected one keeps what the district filed."""
    names = _budget_names(settlement.project)
    existing = {
        (line.period_first_month, line.code): line for line in settlement.lines.all()
    }
    for key, reported in _reported(settlement.project).items():
        line = existing.pop(key, None)
        if line is None:
            name_ko, name_en = names.get(key[1], (key[1], key[1]))
            SettlementLine.objects.create(
                settlement=settlement,
                period_first_month=key[0],
                code=key[1],
                name_ko=name_ko,
                name_en=name_en,
                reported=reported,
                spent=reported,
            )
        elif line.reported != reported:
            if not line.reason:
                line.spent = reported
            line.reported = reported
            line.save(update_fields=["reported", "spent"])
    for line in existing.values():  # a period or category no longer there
        line.delete()


@transaction.atomic
def settlement_start(
    *, actor: User, project: Project, now: datetime | None = None
) -> Settlement:
    """The district's settlement of a project, made once, prefilled from the
    accepted reports (the lines are brought up to them while it is a draft)."""
    if not access.can_view(actor, project):
        raise PermissionDenied
    if not access.can(actor, "file_settlement", project):
        raise PermissionDenied
    project = Project.objects.select_for_update(of=("self",)).get(pk=project.pk)
    if agreement_in_force(project) is None:
        raise ValidationError(
            _(
                "The agreement of this project is not signed: there is nothing to settle."
            ),
            code="agreement_not_signed",
        )
    settlement, _created = Settlement.objects.get_or_create(
        project=project, defaults={"created_at": now or timezone.now()}
    )
    if settlement.status in workflow.SETTLEMENT_EDITABLE:
        _refresh_lines(settlement)
    return settlement


def _locked_settlement(settlement: Settlement, actor: User) -> Settlement:
    settlement = (
        Settlement.objects.select_for_update(of=("self",))
        .select_related("project__district")
        .get(pk=settlement.pk)
    )
    if not access.can_view(actor, settlement.project):
        raise PermissionDenied
    return settlement


@transaction.atomic
def settlement_save(
    *,
    actor: User,
    settlement: Settlement,
    lines: dict[int, tuple[int, str]],
    interest: int,
    note: str = "",
) -> Settlement:
    """The district saves what it files: per line (by id) the amount spent and
    the reason when it differs from the accepted reports, the interest earned
    on the subsidy account and its note. Field errors name the line."""
    settlement = _locked_settlement(settlement, actor)
    if not access.can(actor, "file_settlement", settlement.project):
        raise PermissionDenied
    if settlement.status not in workflow.SETTLEMENT_EDITABLE:
        raise ValidationError(
            _("This settlement is %(status)s: it can no longer be changed.")
            % {"status": settlement.get_status_display()},
            code="wrong_status",
        )
    errors: dict[str, list[ValidationError]] = {}
    if isinstance(interest, bool) or not isinstance(interest, int) or interest < 0:
        errors["interest"] = [
            ValidationError(
                _("Enter the interest earned in whole won, 0 if there was none."),
                code="interest_invalid",
            )
        ]
    note = (note or "").strip()
    if note and (error := _note_error(note)) is not None:
        errors["note"] = [error]
    own = {line.pk: line for line in settlement.lines.all()}
    for line_id, (spent, reason) in lines.items():
        line = own.get(line_id)
        if line is None:
            continue
        field = f"line_{line_id}"
        reason = (reason or "").strip()
        if isinstance(spent, bool) or not isinstance(spent, int) or spent < 0:
            errors[field] = [
                ValidationError(
                    _("%(category)s: enter the amount spent in whole won.")
                    % {"category": line.name},
                    code="spent_invalid",
                )
            ]
            continue
        if spent != line.reported and not reason:
            errors[field] = [
                ValidationError(
                    _(
                        "%(category)s (%(month)s on): %(spent)s differs from the "
                        "accepted reports' %(reported)s. Say why in the reason, or "
                        "enter %(reported)s."
                    )
                    % {
                        "category": line.name,
                        "month": month_label(line.period_first_month),
                        "spent": won(spent),
                        "reported": won(line.reported),
                    },
                    code="correction_needs_reason",
                )
            ]
            continue
        if reason and (error := _note_error(reason)) is not None:
            errors[field] = [error]
            continue
        line.spent = spent
        line.reason = reason if spent != line.reported else ""
    if errors:
        raise ValidationError(errors)
    for line in own.values():
        line.save(update_fields=["spent", "reason"])
    settlement.interest = interest
    settlement.note = note
    settlement.save(update_fields=["interest", "note"])
    return settlement


@transaction.atomic
def settlement_evidence_add(
    *, actor: User, settlement: Settlement, file, title: str = "", now=None
) -> SettlementEvidence:
    """A supporting document, checked like a proposal attachment (type by
    content, size, no macros) and kept on private storage."""
    settlement = _locked_settlement(settlement, actor)
    if not access.can(actor, "file_settlement", settlement.project):
        raise PermissionDenied
    if settlement.status not in workflow.SETTLEMENT_EDITABLE:
        raise ValidationError(
            _("This settlement is %(status)s: it can no longer be changed.")
            % {"status": settlement.get_status_display()},
            code="wrong_status",
        )
    evidence = SettlementEvidence(
        settlement=settlement,
        title=(title or "").strip()[:200],
        file=file,
        uploaded_by=actor,
        uploaded_at=now or timezone.now(),
    )
    try:
        evidence.full_clean()
    except ValidationError as refused:
        raise ValidationError(
            {"file": refused.message_dict.get("file", refused.messages)}
        ) from None
    evidence.save()
    return evidence


def _store_figures(settlement: Settlement) -> SettlementResult:
    result = settlement_result(settlement)
    for name in SETTLEMENT_FIGURES:
        setattr(settlement, name, getattr(result, name))
    return result


def _link(settlement: Settlement) -> str:
    from django.urls import reverse

    return reverse("funding_settlement", args=[settlement.project_id])


@transaction.atomic
def settlement_submit(
    *, actor: User, settlement: Settlement, now: datetime | None = None
) -> Settlement:
    """The district submits: only after the project's last month is over and
    with every month's report accepted; the rule's figures are stored."""
    settlement = _locked_settlement(settlement, actor)
    workflow.settlement_require(actor, "submit", settlement)
    now = now or timezone.now()
    project = settlement.project
    errors = []
    if seoul_today(now) < add_months(project.period_end.replace(day=1), 1):
        errors.append(
            ValidationError(
                _(
                    "The project runs until the end of %(month)s: submit the "
                    "settlement after its last month."
                )
                % {"month": month_label(project.period_end)},
                code="project_not_ended",
            )
        )
    if open_months := _open_reports(project):
        errors.append(
            ValidationError(
                _(
                    "The reports of %(months)s are not accepted yet: the settlement "
                    "is submitted once every month's report is accepted."
                )
                % {"months": ", ".join(month_label(m) for m in open_months)},
                code="reports_open",
            )
        )
    if errors:
        raise ValidationError(errors)
    _refresh_lines(settlement)
    result = _store_figures(settlement)
    settlement.submitted_at = now
    workflow.settlement_move(
        settlement=settlement,
        action="submit",
        actor=actor,
        now=now,
        returned=result.returned,
    )
    settlement.save()
    notify(
        recipients=recipients.city_managers(),
        kind="settlement_submitted",
        dedupe_key=f"settlement-submitted-{settlement.pk}-{now.isoformat()}",
        params={"project": project.code},
        link=_link(settlement),
        project=project,
    )
    return settlement


@transaction.atomic
def settlement_return(
    *, actor: User, settlement: Settlement, comment: str, now: datetime | None = None
) -> Settlement:
    """The city returns the settlement with a comment saying what to change."""
    settlement = _locked_settlement(settlement, actor)
    workflow.settlement_require(actor, "return", settlement)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {
                "comment": [
                    ValidationError(
                        _("Say what the district must change before it submits again."),
                        code="comment_required",
                    )
                ]
            }
        )
    if (error := _note_error(comment)) is not None:
        raise ValidationError({"comment": [error]})
    now = now or timezone.now()
    workflow.settlement_move(
        settlement=settlement, action="return", actor=actor, now=now, note=comment
    )
    settlement.city_comment = comment
    settlement.save()
    notify(
        recipients=recipients.district_officers(settlement.project.district),
        kind="settlement_returned",
        dedupe_key=f"settlement-returned-{settlement.pk}-{now.isoformat()}",
        params={"project": settlement.project.code},
        link=_link(settlement),
        reason=comment,
        project=settlement.project,
    )
    return settlement


@transaction.atomic
def settlement_accept(
    *, actor: User, settlement: Settlement, comment: str = "", now=None
) -> Settlement:
    """The city accepts (정산 검사 done): the figures are computed again and
    frozen, and the project's money is locked. With nothing to return, the
    settlement is settled at once."""
    settlement = _locked_settlement(settlement, actor)
    workflow.settlement_require(actor, "accept", settlement)
    comment = (comment or "").strip()
    if comment and (error := _note_error(comment)) is not None:
        raise ValidationError({"comment": [error]})
    now = now or timezone.now()
    result = _store_figures(settlement)
    settlement.accepted_at = now
    settlement.city_comment = comment
    workflow.settlement_move(
        settlement=settlement,
        action="accept",
        actor=actor,
        now=now,
        note=comment,
        returned=result.returned,
    )
    if result.returned == 0:
        workflow.settlement_move(
            settlement=settlement, action="settle", actor=actor, now=now, returned=0
        )
    settlement.save()
    notify(
        recipients=recipients.district_officers(settlement.project.district),
        kind="settlement_accepted",
        dedupe_key=f"settlement-accepted-{settlement.pk}",
        params={"project": settlement.project.code, "returned": won(result.returned)},
        link=_link(settlement),
        project=settlement.project,
    )
    return settlement


@transaction.atomic
def settlement_record_return(
    *,
    actor: User,
    settlement: Settlement,
    amount: int,
    paid_on: date | None,
    reference: str,
    reason: str = "",
    now: datetime | None = None,
) -> Settlement:
    """The city records the return paid (반납): the amount computed, or
    another with a reason; a day not in the future; the payment's reference."""
    settlement = _locked_settlement(settlement, actor)
    workflow.settlement_require(actor, "settle", settlement)
    now = now or timezone.now()
    reference = (reference or "").strip()
    reason = (reason or "").strip()
    errors: dict[str, list[ValidationError]] = {}
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        errors["amount"] = [
            ValidationError(
                _("Enter the amount returned in whole won."), code="amount_invalid"
            )
        ]
    elif amount != settlement.returned and not reason:
        errors["reason"] = [
            ValidationError(
                _(
                    "%(amount)s differs from the %(returned)s the settlement says to "
                    "return. Record %(returned)s, or say why the amount differs."
                )
                % {"amount": won(amount), "returned": won(settlement.returned or 0)},
                code="return_differs",
            )
        ]
    if paid_on is None:
        errors["paid_on"] = [
            ValidationError(_("Enter the day it was paid."), code="paid_on_required")
        ]
    elif paid_on > seoul_today(now):
        errors["paid_on"] = [
            ValidationError(
                _("The day paid is in the future: record a payment once it is made."),
                code="paid_on_in_future",
            )
        ]
    if not reference:
        errors["reference"] = [
            ValidationError(
                _("Enter the payment's reference (the receipt or transfer number)."),
                code="reference_required",
            )
        ]
    if errors:
        raise ValidationError(errors)
    SettlementReturn.objects.create(
        settlement=settlement,
        amount=amount,
        paid_on=paid_on,
        reference=reference,
        reason=reason if amount != settlement.returned else "",
        recorded_by=actor,
        recorded_at=now,
    )
    workflow.settlement_move(
        settlement=settlement,
        action="settle",
        actor=actor,
        now=now,
        note=reason,
        returned=amount,
    )
    settlement.save()
    return settlement


__all__ = [
    "AgreementStatus",
    "money_lock_guard",
    "settlement_accept",
    "settlement_due_day",
    "settlement_due_on",
    "settlement_evidence_add",
    "settlement_record_return",
    "settlement_result",
    "settlement_return",
    "settlement_save",
    "settlement_start",
    "settlement_submit",
]
