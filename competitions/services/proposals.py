"""Things that change proposals. Views, forms, tasks and the demo call these;
none of them re-implements a rule.

Errors are ``ValidationError`` with a dict of field → message, each message in
the active language (the reader's), so a form can show it on its field.
"""

import tempfile
import zipfile
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import access
from common.models import BackgroundJob
from common.personal_data import describe_findings, scan_personal_data
from common.services import (
    job_fail,
    job_mark_running,
    job_progress,
    job_start,
    job_succeed,
)
from notifications import recipients
from notifications.rendering import in_languages
from notifications.services import notify

from .. import workflow
from ..models import (
    CallIndicator,
    CallPage,
    Proposal,
    ProposalAmendment,
    ProposalAttachment,
    ProposalStatus,
    ReceiptCounter,
)
from ..tasks import build_attachments_zip as build_attachments_zip_task

S = ProposalStatus
RATIO_TOLERANCE_KRW = 1_000


def _won(amount: int) -> str:
    return f"{amount:,}"


class _Errors:
    def __init__(self):
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


# --- the rules of a complete proposal -----------------------------------------

# What a submission needs, with the name the message gives each field.
REQUIRED_FIELDS = {
    "title": gettext_lazy("The title is needed to submit."),
    "summary": gettext_lazy("The summary is needed to submit."),
    "local_need": gettext_lazy("The local need is needed to submit."),
    "delivery_partners": gettext_lazy("The delivery partners are needed to submit."),
    "period_start": gettext_lazy("The start month is needed to submit."),
    "period_end": gettext_lazy("The end month is needed to submit."),
    "city_share": gettext_lazy("The city share is needed to submit."),
    "district_share": gettext_lazy("The district share is needed to submit."),
}


def proposal_submission_errors(
    *, proposal: Proposal, now: datetime
) -> dict[str, list[str]]:
    """Every rule a proposal must meet to be sent to the city, checked against
    the rows held in memory (a form's unsaved rows) or in the database, all in
    one pass: the officer sees every problem at once. Messages are in the
    active language."""
    call = proposal.call
    errors = _Errors()

    if not call.is_eligible(proposal.district):
        errors.add(
            "district",
            _("%(district)s is not eligible for this call.")
            % {"district": proposal.district.name},
        )
    if now < call.opens_at:
        opens = timezone.localtime(call.opens_at).strftime("%Y-%m-%d %H:%M")
        errors.add(
            "call",
            _("The call does not accept proposals yet (it opens %(opens)s KST).")
            % {"opens": opens},
        )
    elif now >= call.deadline:
        errors.by_field.update(workflow.deadline_error(proposal).message_dict)

    already_sent = (
        Proposal.objects.filter(
            call=call, district=proposal.district, status__in=workflow.COUNTING_STATUSES
        )
        .exclude(pk=proposal.pk)
        .count()
        if proposal.pk
        else Proposal.objects.filter(
            call=call, district=proposal.district, status__in=workflow.COUNTING_STATUSES
        ).count()
    )
    if already_sent >= call.max_proposals_per_district:
        errors.add(
            "call",
            _(
                "A district may send at most %(max)s proposal(s) to this call; %(sent)s already "
                "sent. Withdraw one of them to send this one."
            )
            % {"max": call.max_proposals_per_district, "sent": already_sent},
        )

    for field, message in REQUIRED_FIELDS.items():
        value = getattr(proposal, field)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors.add(field, str(message))
    if (
        proposal.period_start
        and proposal.period_end
        and proposal.period_end < proposal.period_start
    ):
        errors.add("period_end", _("The end month is before the start month."))

    city_share = proposal.city_share or 0
    district_share = proposal.district_share or 0
    total = city_share + district_share
    if proposal.city_share is not None and city_share > call.cap_per_project:
        errors.add(
            "city_share",
            _(
                "The city share of KRW %(city)s is above the cap per project of KRW %(cap)s."
            )
            % {"city": _won(city_share), "cap": _won(call.cap_per_project)},
        )
    if proposal.city_share is not None and proposal.district_share is not None:
        if total == 0:
            errors.add(
                "city_share",
                _("The budget is zero: enter the city and district shares."),
            )
        # Shares follow the call's ratio to the nearest 1,000 KRW (integer arithmetic).
        elif (
            abs(city_share * 100 - total * call.city_share_percent)
            >= RATIO_TOLERANCE_KRW * 100
        ):
            expected_city = total * call.city_share_percent // 100
            errors.add(
                "district_share",
                _(
                    "City and district shares must be in the ratio %(ratio)s (to the nearest "
                    "KRW 1,000): for a total of KRW %(total)s, about KRW %(city)s from the city "
                    "and KRW %(district)s from the district."
                )
                % {
                    "ratio": call.ratio_label,
                    "total": _won(total),
                    "city": _won(expected_city),
                    "district": _won(total - expected_city),
                },
            )

    lines_total = sum(line.amount or 0 for line in proposal.budget_lines.all())
    if lines_total != total:
        errors.add(
            "budget_lines",
            _(
                "The line items add up to KRW %(lines)s, not to the total of KRW %(total)s."
            )
            % {"lines": _won(lines_total), "total": _won(total)},
        )

    target_rows = list(proposal.target_groups.all())
    if not any((row.planned_jobs or 0) > 0 for row in target_rows):
        errors.add(
            "target_groups", _("At least one target group with planned jobs is needed.")
        )
    if any(row.target_group.page_id != call.pk for row in target_rows):
        errors.add("target_groups", _("A target group does not belong to this call."))
    for message in proposal_output_errors(proposal=proposal, targets_needed=True):
        errors.add("outputs", message)
    return errors.by_field


def proposal_output_errors(*, proposal: Proposal, targets_needed: bool) -> list[str]:
    """The output rows (in memory or saved) against the call: only the call's
    indicators, each once, and a target where the indicator requires one
    (``targets_needed``: when the proposal is sent; a draft may lack them)."""
    rows = list(proposal.outputs.all())
    if not rows:
        return []
    allowed = set(
        CallIndicator.objects.filter(page_id=proposal.call_id).values_list(
            "indicator_id", flat=True
        )
    )
    messages, seen = [], set()
    for row in rows:
        if row.indicator_id is None:
            continue  # a row the form refused already says so
        indicator = row.indicator
        if row.indicator_id not in allowed:
            messages.append(
                _(
                    "%(indicator)s is not one of this call's output indicators: "
                    "choose one the call lists."
                )
                % {"indicator": indicator.name}
            )
        elif row.indicator_id in seen:
            messages.append(
                _("%(indicator)s is chosen twice: give each indicator one target.")
                % {"indicator": indicator.name}
            )
        elif targets_needed and indicator.target_required and not row.target:
            messages.append(
                _("%(indicator)s needs a target: enter the number you plan to reach.")
                % {"indicator": indicator.name}
            )
        seen.add(row.indicator_id)
    return messages


# --- saving ------------------------------------------------------------------


@transaction.atomic
def proposal_save_draft(
    *, proposal: Proposal, actor, now: datetime | None = None
) -> Proposal:
    """Save a draft as it is, complete or not. A new one belongs to the actor's district."""
    now = now or timezone.now()
    if proposal.pk is None:
        district = access.user_district(actor)
        if district is None or not access.is_district_officer(actor):
            raise ValidationError(
                {"district": _("Only district officers write proposals.")}
            )
        proposal.district = district
        proposal.created_by = actor
        proposal.status = S.DRAFT
        call = proposal.call
        if not call.is_eligible(district):
            raise ValidationError(
                {
                    "district": _("%(district)s is not eligible for this call.")
                    % {"district": district.name}
                }
            )
        if call.state(now) == "closed":
            raise workflow.deadline_error(proposal)
    if proposal.status != S.DRAFT:
        raise ValidationError(
            {"status": _("A sent proposal is changed by amending it.")}
        )
    if not workflow.can_edit(actor, proposal, now=now):
        raise ValidationError({"status": _("You may not change this proposal.")})
    # A draft may be incomplete, but not name what the call does not offer.
    output_errors = proposal_output_errors(proposal=proposal, targets_needed=False)
    if output_errors:
        raise ValidationError({"outputs": output_errors})
    proposal.save()
    return proposal


@transaction.atomic
def proposal_amend(
    *, proposal: Proposal, actor, now: datetime | None = None
) -> Proposal:
    """Change a submitted proposal before the deadline; it must stay complete."""
    now = now or timezone.now()
    if proposal.status != S.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted proposal is amended.")})
    if now >= proposal.call.deadline:
        raise workflow.deadline_error(proposal)
    if not workflow.can_edit(actor, proposal, now=now):
        raise ValidationError({"status": _("You may not change this proposal.")})
    _lock_receipt_counter(proposal)
    errors = proposal_submission_errors(proposal=proposal, now=now)
    if errors:
        raise ValidationError(errors)
    before = amendable_state(Proposal.objects.get(pk=proposal.pk))
    proposal.save()
    changes = amendment_changes(
        before, amendable_state(Proposal.objects.get(pk=proposal.pk))
    )
    if changes:
        # The history of a sent proposal shows its amendments to both sides.
        ProposalAmendment.objects.create(
            proposal=proposal, actor=actor, at=now, changes=changes
        )
    return proposal


# What an amendment may change, each compared before and after.
AMENDABLE_FIELDS = (
    "title",
    "summary",
    "local_need",
    "delivery_partners",
    "period_start",
    "period_end",
    "city_share",
    "district_share",
)


def amendable_state(proposal: Proposal) -> dict[tuple[str, str], dict]:
    """A stored proposal's fields and rows as plain values, keyed by
    (field, item): item is "" for a field, the row's code for a row."""
    state: dict[tuple[str, str], dict] = {}
    for name in AMENDABLE_FIELDS:
        value = getattr(proposal, name)
        state[(name, "")] = {
            "value": value.isoformat()
            if value and hasattr(value, "isoformat")
            else value
        }
    for row in proposal.target_groups.select_related("target_group"):
        group = row.target_group
        state[("target_groups", group.code)] = {
            "value": row.planned_jobs,
            "label_ko": group.name_ko,
            "label_en": group.name_en,
        }
    for row in proposal.outputs.select_related("indicator"):
        state[("outputs", row.indicator.code)] = {
            "value": row.target,
            "label_ko": row.indicator.name_ko,
            "label_en": row.indicator.name_en,
        }
    for row in proposal.budget_lines.all():
        item, number = row.category, 2
        while ("budget_lines", item) in state:
            item, number = f"{row.category} ({number})", number + 1
        state[("budget_lines", item)] = {"value": row.amount, "label_ko": item}
    for attachment in proposal.attachments.all():
        name = attachment.filename
        state[("attachments", name)] = {"value": name, "label_ko": name}
    return state


def amendment_changes(before: dict, after: dict) -> list[dict]:
    """What differs between two ``amendable_state``s, in a stable order."""
    changes = []
    for key in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(key), after.get(key)
        old_value = old["value"] if old else None
        new_value = new["value"] if new else None
        if old_value == new_value:
            continue
        labels = new or old or {}
        changes.append(
            {
                "field": key[0],
                "item": key[1],
                "label_ko": labels.get("label_ko", ""),
                "label_en": labels.get("label_en", ""),
                "before": old_value,
                "after": new_value,
            }
        )
    return changes


# --- moving through the workflow ----------------------------------------------


def _lock_receipt_counter(proposal: Proposal) -> ReceiptCounter:
    """Take the (year, district) counter row for update: submissions of one
    district are serialised, so the per-district maximum and the receipt
    sequence hold under concurrency (on SQLite the write lock does the same)."""
    counter, _created = ReceiptCounter.objects.get_or_create(
        year=proposal.call.year, district=proposal.district
    )
    return ReceiptCounter.objects.select_for_update().get(pk=counter.pk)


def _issue_receipt(
    *, proposal: Proposal, counter: ReceiptCounter, now: datetime, save: bool = True
) -> None:
    if not proposal.receipt_number:
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        proposal.receipt_number = (
            f"{proposal.call.year}-{proposal.district.code}-{counter.last_number:03d}"
        )
    proposal.submitted_at = now
    if save:
        proposal.save(update_fields=["receipt_number", "submitted_at", "updated_at"])


def _proposal_params(proposal: Proposal) -> dict:
    call = proposal.call
    return {
        "title": proposal.title,
        "call": in_languages(lambda: call.display_title),
        "district": in_languages(lambda: proposal.district.name),
        "receipt": proposal.receipt_number,
    }


def _send_receipt_after_commit(proposal: Proposal) -> None:
    """The receipt, to whoever sent and wrote the proposal, each in their
    own language (e-mailed after commit by the notification service)."""
    context = {
        "proposal": proposal,
        "call": proposal.call,
        "submitted_at": timezone.localtime(proposal.submitted_at),
    }
    people = [p for p in (proposal.submitted_by, proposal.created_by) if p is not None]
    notify(
        recipients=people,
        kind="proposal_submitted",
        dedupe_key=f"proposal-received:{proposal.pk}:{proposal.submitted_at:%Y%m%d%H%M%S}",
        params={
            **_proposal_params(proposal),
            "details": in_languages(
                lambda: render_to_string(
                    "competitions/email/receipt.txt", context
                ).strip()
            ),
        },
        link=reverse("proposals:inspect", args=[proposal.pk]),
        call=proposal.call_id,
    )


def _tell_approvers(proposal: Proposal, now: datetime) -> None:
    """The call asks for the district approver's sign-off before the city."""
    notify(
        recipients=recipients.district_approvers(proposal.district),
        kind="proposal_awaiting_signoff",
        dedupe_key=f"proposal-awaiting-signoff:{proposal.pk}:{now:%Y%m%d%H%M%S}",
        params=_proposal_params(proposal),
        link=reverse("proposals:inspect", args=[proposal.pk]),
        due=proposal.call.deadline,
        call=proposal.call_id,
    )


@transaction.atomic
def proposal_submit(
    *,
    proposal: Proposal,
    actor,
    now: datetime | None = None,
    note: str = "",
    notify: bool = True,
) -> Proposal:
    """Check every rule on the server and send the proposal: to the city with a
    receipt number, or first to the district approver when the call asks for it.
    Nothing is written unless every rule holds."""
    now = now or timezone.now()
    if proposal.pk is None:
        proposal.district = (
            proposal.district if proposal.district_id else access.user_district(actor)
        )
        proposal.created_by = proposal.created_by or actor
    if not workflow.can(actor, "submit", proposal, now=now):
        raise workflow.refusal("submit", proposal, now)
    counter = _lock_receipt_counter(proposal)
    errors = proposal_submission_errors(proposal=proposal, now=now)
    if errors:
        raise ValidationError(errors)
    proposal.submitted_by = actor
    if proposal.pk is None:
        proposal.save()  # the history line refers to the proposal's row
    # The form's changes, the new status and the receipt in one save, so one
    # audit entry (each save read the row back for the audit log and wrote an
    # entry: three of each were some 8 % of a submit's CPU).
    workflow.move(
        proposal=proposal, action="submit", actor=actor, now=now, note=note, save=False
    )
    to_the_city = proposal.status == S.SUBMITTED
    if to_the_city:
        _issue_receipt(proposal=proposal, counter=counter, now=now, save=False)
    proposal.save()
    if notify:
        if to_the_city:
            _send_receipt_after_commit(proposal)
        else:
            _tell_approvers(proposal, now)
    return proposal


@transaction.atomic
def proposal_approve(
    *,
    proposal: Proposal,
    actor,
    now: datetime | None = None,
    note: str = "",
    notify: bool = True,
) -> Proposal:
    """The district approver signs off: the proposal goes to the city."""
    now = now or timezone.now()
    if not workflow.can(actor, "approve", proposal, now=now):
        raise workflow.refusal("approve", proposal, now)
    counter = _lock_receipt_counter(proposal)
    errors = proposal_submission_errors(proposal=proposal, now=now)
    if errors:
        raise ValidationError(errors)
    workflow.move(proposal=proposal, action="approve", actor=actor, now=now, note=note)
    _issue_receipt(proposal=proposal, counter=counter, now=now)
    if notify:
        _send_receipt_after_commit(proposal)
    return proposal


@transaction.atomic
def proposal_return(
    *, proposal: Proposal, actor, note: str, now: datetime | None = None
) -> Proposal:
    """The approver sends the proposal back to the officer as a draft, saying why."""
    now = now or timezone.now()
    if not note.strip():
        raise ValidationError({"note": _("Please say why the proposal is returned.")})
    workflow.move(proposal=proposal, action="return", actor=actor, now=now, note=note)
    notify(
        recipients=recipients.district_officers(proposal.district),
        kind="proposal_returned",
        dedupe_key=f"proposal-returned:{proposal.pk}:{now:%Y%m%d%H%M%S}",
        params=_proposal_params(proposal),
        link=reverse("proposals:edit", args=[proposal.pk]),
        due=proposal.call.deadline,
        reason=note,
        call=proposal.call_id,
    )
    return proposal


@transaction.atomic
def proposal_withdraw(
    *, proposal: Proposal, actor, now: datetime | None = None, note: str = ""
) -> Proposal:
    """The district takes a sent proposal back (until the deadline), saying
    why: the reason is required, carries no personal data, and is kept in the
    proposal's history for the district and the city."""
    now = now or timezone.now()
    if not workflow.can(actor, "withdraw", proposal, now=now):
        raise workflow.refusal("withdraw", proposal, now)
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {
                "note": ValidationError(
                    _("Say why the proposal is withdrawn."),
                    code="withdrawal_reason_required",
                )
            }
        )
    findings = scan_personal_data(note)
    if findings:
        raise ValidationError(
            {
                "note": ValidationError(
                    _(
                        "The reason looks like it contains personal data (%(found)s). "
                        "Write it without names, phone numbers or registration numbers."
                    ),
                    code="withdrawal_reason_personal_data",
                    params={"found": describe_findings(findings)},
                )
            }
        )
    workflow.move(proposal=proposal, action="withdraw", actor=actor, now=now, note=note)
    return proposal


@transaction.atomic
def proposal_record_historical_submission(
    *, proposal: Proposal, submitted_at: datetime
) -> Proposal:
    """For the demo only: replay a submission made in the past by a district
    whose officer has no account here. The rules are checked as of
    ``submitted_at``; only the check of who is acting is skipped, explicitly."""
    counter = _lock_receipt_counter(proposal)
    errors = proposal_submission_errors(proposal=proposal, now=submitted_at)
    if errors:
        raise ValidationError(errors)
    proposal.save()
    workflow.record(
        proposal=proposal,
        to_status=S.SUBMITTED,
        actor=proposal.created_by,
        now=submitted_at,
        note="데모 데이터(2018년 접수 기록)",
    )
    proposal.submitted_by = proposal.created_by
    proposal.save(update_fields=["submitted_by"])
    _issue_receipt(proposal=proposal, counter=counter, now=submitted_at)
    return proposal


# --- side effects ------------------------------------------------------------


def attachments_zip_start(*, call: CallPage, owner) -> BackgroundJob:
    return job_start(
        kind="competitions.attachments_zip",
        owner=owner,
        task=build_attachments_zip_task,
        parameters={"call_id": call.pk},
    )


def attachments_zip_build(*, job: BackgroundJob) -> BackgroundJob:
    """Put every attachment of the call that the job's owner may see into one zip,
    one folder per proposal (receipt number and district)."""
    call_id = job.parameters["call_id"]
    attachments = list(
        access.visible_to(
            job.owner,
            ProposalAttachment.objects.filter(proposal__call_id=call_id)
            .exclude(proposal__status=S.DRAFT)
            .select_related("proposal__district"),
        ).order_by("proposal__receipt_number", "sort_order", "pk")
    )
    job_mark_running(job=job, total=len(attachments))
    try:
        with tempfile.TemporaryFile() as buffer:
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for done, attachment in enumerate(attachments, start=1):
                    folder = (
                        attachment.proposal.receipt_number
                        or f"proposal-{attachment.proposal_id}"
                    )
                    with attachment.file.open("rb") as source:
                        archive.writestr(
                            f"{folder}/{attachment.filename}", source.read()
                        )
                    if done % 10 == 0:
                        job_progress(job=job, done=done)
            buffer.seek(0)
            job.result_file.save(
                f"call-{call_id}-attachments.zip", File(buffer), save=False
            )
    except OSError as error:
        job_fail(job=job, message=str(error))
        return job
    job_succeed(job=job, result={"files": len(attachments)}, message="ok")
    return job
