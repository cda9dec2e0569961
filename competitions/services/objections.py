"""Objections (이의 신청): a district objects to a published decision on one
of its proposals within the call's window; the city answers each objection and
may change the decision because of it.

Changing a published decision keeps every rule of publishing: the budget and
the per-district limit hold, the proposal's status moves through the
workflow, a newly selected proposal gets its project, and the public results
page is written again (marking the changed decision, never the reasons). The
view asks for the password again first; the change is in the audit trail as
the decision's change naming the objection it answers."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from notifications import recipients
from notifications.rendering import in_languages
from notifications.services import notify

from .. import objection_workflow, workflow
from ..models import (
    CallPage,
    Decision,
    Objection,
    ObjectionAttachment,
    ObjectionOutcome,
    ObjectionStatus,
    Proposal,
    ProposalStatus,
    SelectionDecision,
)
from ..selectors.objections import objection_window_closes_at
from .review import _error, _require_city_manager


def _won(amount: int) -> str:
    return f"{amount:,}"


def _seoul(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def objection_refusal(
    *, proposal: Proposal, actor: User, now: datetime | None = None
) -> ValidationError | None:
    """Why this person may not object to this proposal now (None if they may):
    an officer of the proposing district, results published, within the window,
    no objection of theirs still awaiting an answer."""
    now = now or timezone.now()
    if not access.is_officer_of(actor, proposal.district):
        return _error(
            "proposal",
            "not_own_district",
            _("Only an officer of the proposing district may object."),
        )
    closes = objection_window_closes_at(call=proposal.call)
    if closes is None or proposal.status not in (
        ProposalStatus.SELECTED,
        ProposalStatus.NOT_SELECTED,
    ):
        return _error(
            "proposal",
            "results_not_published",
            _("Objections open once the call's results are published."),
        )
    if now >= closes:
        return _error(
            "proposal",
            "window_closed",
            _(
                "The objection window closed on %(closed)s KST "
                "(%(days)s days after the results were published)."
            )
            % {"closed": _seoul(closes), "days": proposal.call.objection_window_days},
        )
    if Objection.objects.filter(
        proposal=proposal, status=ObjectionStatus.SUBMITTED
    ).exists():
        return _error(
            "proposal",
            "objection_pending",
            _(
                "An objection to this proposal awaits the city's answer; withdraw it "
                "first if you want to send a new one."
            ),
        )
    return None


@transaction.atomic
def objection_submit(
    *,
    proposal: Proposal,
    reason: str,
    actor: User,
    attachments: list[tuple[str, UploadedFile]] | None = None,
    now: datetime | None = None,
) -> Objection:
    """Record a district's objection with its reason and attachments (each
    checked as a proposal's are; one refused file refuses the whole objection,
    nothing is saved). ``attachments`` are (title, file) pairs."""
    now = now or timezone.now()
    proposal = Proposal.objects.select_related("call", "district").get(pk=proposal.pk)
    if refusal := objection_refusal(proposal=proposal, actor=actor, now=now):
        raise refusal
    reason = (reason or "").strip()
    if not reason:
        raise _error(
            "reason",
            "reason_required",
            _("Write the reason for the objection: what was wrong, and why."),
        )
    rows = []
    errors = []
    for title, upload in attachments or []:
        row = ObjectionAttachment(title=(title or "").strip()[:200], file=upload)
        try:
            row.full_clean(exclude=["objection"])
        except ValidationError as error:
            errors.extend(error.messages)
        rows.append(row)
    if errors:
        raise ValidationError(
            {"attachments": [ValidationError(m, code="attachment") for m in errors]}
        )
    objection = Objection(
        proposal=proposal,
        district=proposal.district,
        reason=reason,
        submitted_by=actor,
        submitted_at=now,
    )
    objection_workflow.move(objection=objection, action="submit", actor=actor, now=now)
    for row in rows:
        row.objection = objection
        row.save()
    _objection_submitted_notify(objection)
    return objection


@transaction.atomic
def objection_withdraw(
    *, objection: Objection, actor: User, now: datetime | None = None
) -> Objection:
    """The district takes its objection back, before the city answers."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    objection_workflow.move(
        objection=objection, action="withdraw", actor=actor, now=now or timezone.now()
    )
    return objection


@transaction.atomic
def objection_answer(
    *,
    objection: Objection,
    outcome: str,
    answer: str,
    actor: User,
    now: datetime | None = None,
    notify: bool = True,
) -> Objection:
    """The city's answer: upheld or rejected, in writing. The district is
    e-mailed once the transaction commits."""
    _require_city_manager(actor)
    now = now or timezone.now()
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if outcome not in ObjectionOutcome.values:
        raise _error("outcome", "outcome_required", _("Choose upheld or rejected."))
    answer = (answer or "").strip()
    if not answer:
        raise _error(
            "answer",
            "answer_required",
            _("Write the answer the district will receive."),
        )
    objection.outcome = outcome
    objection.answer = answer
    objection.answered_by = actor
    objection.answered_at = now
    objection_workflow.move(objection=objection, action="answer", actor=actor, now=now)
    if notify:
        objection_id = objection.pk
        transaction.on_commit(lambda: objection_answer_send(objection_id=objection_id))
    return objection


def decision_change_errors(
    *, call: CallPage, proposal: Proposal, decision: str
) -> list[ValidationError]:
    """What selecting this proposal would break: the budget and the
    district limit, counted with the decisions on record."""
    if decision != Decision.SELECTED:
        return []
    errors = []
    selected = SelectionDecision.objects.filter(
        proposal__call=call, decision=Decision.SELECTED
    ).exclude(proposal=proposal)
    total = sum(
        share or 0 for share in selected.values_list("proposal__city_share", flat=True)
    ) + (proposal.city_share or 0)
    if total > call.total_budget:
        errors.append(
            ValidationError(
                _(
                    "Selecting it would bring the selected city shares to %(total)s "
                    "KRW, above the budget of %(budget)s KRW. Change another "
                    "decision first."
                )
                % {"total": _won(total), "budget": _won(call.total_budget)},
                code="over_budget",
            )
        )
    limit = call.max_selected_per_district
    if limit and selected.filter(proposal__district=proposal.district).count() >= limit:
        errors.append(
            ValidationError(
                _("%(district)s already has %(limit)s selected, the limit.")
                % {"district": proposal.district.name, "limit": limit},
                code="over_district_limit",
            )
        )
    return errors


@transaction.atomic
def objection_decision_change(
    *,
    objection: Objection,
    decision: str,
    reason: str,
    actor: User,
    now: datetime | None = None,
) -> SelectionDecision:
    """Change a published decision because of an upheld objection. The view
    re-authenticates first. Budget and district limit still hold; a proposal
    now selected becomes a project; one no longer selected loses its project
    only while nothing has been reported on it."""
    from projects.services import project_create_from_proposal

    _require_city_manager(actor)
    now = now or timezone.now()
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    proposal = Proposal.objects.select_related("call", "district").get(
        pk=objection.proposal_id
    )
    call = CallPage.objects.select_for_update().get(pk=proposal.call_id)
    if (
        objection.status != ObjectionStatus.ANSWERED
        or objection.outcome != ObjectionOutcome.UPHELD
    ):
        raise _error(
            "objection",
            "objection_not_upheld",
            _("A decision changes only because of an upheld objection."),
        )
    if objection.decision_changed:
        raise _error(
            "objection",
            "already_changed",
            _("The decision was already changed because of this objection."),
        )
    record = SelectionDecision.objects.select_for_update().get(proposal=proposal)
    if decision not in Decision.values:
        raise _error(
            "decision", "decision_required", _("Choose selected or not selected.")
        )
    if decision == record.decision:
        raise _error(
            "decision",
            "same_decision",
            _("The proposal is already %(decision)s.")
            % {"decision": record.get_decision_display()},
        )
    reason = (reason or "").strip()
    if not reason:
        raise _error(
            "reason", "reason_required", _("Give the reason for the new decision.")
        )
    if errors := decision_change_errors(
        call=call, proposal=proposal, decision=decision
    ):
        raise ValidationError({"decision": errors})
    before = record.decision
    record.decision = decision
    record.reason = reason
    record.decided_by = actor
    record.decided_at = now
    record.objection = objection
    record.save()
    if decision == Decision.SELECTED:
        workflow.move(
            proposal=proposal,
            action="select_after_objection",
            actor=actor,
            now=now,
            note=reason,
        )
        project_create_from_proposal(proposal=proposal, actor=actor, now=now)
    else:
        _remove_unreported_project(proposal)
        workflow.move(
            proposal=proposal,
            action="reject_after_objection",
            actor=actor,
            now=now,
            note=reason,
        )
    objection.decision_before = before
    objection.decision_after = decision
    objection.decision_changed_at = now
    objection.save()
    from .selection import results_page_update

    results_page_update(call=call, actor=actor)
    return record


def _remove_unreported_project(proposal: Proposal) -> None:
    from projects.models import Project
    from reporting.models import MonthlyReport, ReportStatus

    project = Project.objects.filter(source_proposal=proposal).first()
    if project is None:
        return
    if (
        MonthlyReport.objects.filter(project=project)
        .exclude(status=ReportStatus.DRAFT)
        .exists()
    ):
        raise _error(
            "decision",
            "project_has_reports",
            _(
                "The project of this proposal already has reports sent to the city; "
                "it cannot be unselected here. Close the project through a change "
                "request instead."
            ),
        )
    try:
        project.delete()
    except ProtectedError:
        raise _error(
            "decision",
            "project_has_reports",
            _(
                "The project of this proposal already has reports sent to the city; "
                "it cannot be unselected here. Close the project through a change "
                "request instead."
            ),
        ) from None


# --- the answer to the district --------------------------------------------------


def objection_answer_send(*, objection_id: int) -> int:
    """The city's answer, to the district's officers and to whoever objected,
    as a notice each reads in their language. The one place objections are
    answered from; returns how many notices were made."""
    objection = (
        Objection.objects.select_related("proposal__call", "district", "submitted_by")
        .filter(pk=objection_id, status=ObjectionStatus.ANSWERED)
        .first()
    )
    if objection is None:
        return 0
    people = list(recipients.district_officers(objection.district))
    if objection.submitted_by is not None and objection.submitted_by not in people:
        people.append(objection.submitted_by)
    return notify(
        recipients=people,
        kind="objection_answered",
        dedupe_key=f"objection-answered:{objection.pk}",
        params={
            **_objection_params(objection),
            "outcome": in_languages(lambda: str(objection.get_outcome_display())),
            "answer": objection.answer,
        },
        link=reverse("objections_detail", args=[objection.pk]),
        call=objection.proposal.call_id,
    )


def _objection_params(objection: Objection) -> dict:
    proposal = objection.proposal
    return {
        "receipt": proposal.receipt_number,
        "title": proposal.title,
        "call": in_languages(lambda: proposal.call.display_title),
        "district": in_languages(lambda: objection.district.name),
    }


def _objection_submitted_notify(objection: Objection) -> None:
    """The city's managers learn of an objection at once: its window is short."""
    notify(
        recipients=recipients.city_managers(),
        kind="objection_submitted",
        dedupe_key=f"objection-submitted:{objection.pk}",
        params=_objection_params(objection),
        link=reverse("objections_detail", args=[objection.pk]),
        call=objection.proposal.call_id,
    )
