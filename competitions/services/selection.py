"""Selection (선정) and announcement: the suggestion, the decisions with their
reasons, and publishing the results (final statuses, the public results page,
e-mails to the districts, and a project for each selected proposal)."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from common.messages import CodedMessage
from notifications import recipients
from notifications.rendering import in_languages
from notifications.services import notify

from .. import workflow
from ..models import (
    CallPage,
    CallResultEntry,
    CallResultsPage,
    Decision,
    Proposal,
    ProposalStatus,
    ResultsPublication,
    SelectionDecision,
)
from ..models.review import results_page_writing
from ..optimal import OutReason
from ..selectors import (
    proposals_in_review,
    reviews_awaiting_tie_ruling,
    selection_suggest,
)
from ..selectors.optimal import selection_optimal
from ..workflow import IN_REVIEW_STATUSES
from .review import _error, _require_city_manager

S = ProposalStatus


def _won(amount: int) -> str:
    return f"{amount:,}"


def _require_not_published(call: CallPage) -> None:
    if ResultsPublication.objects.filter(call=call).exists():
        raise _error(
            "call",
            "results_published",
            _("The results are published; decisions are final."),
        )


# --- decisions -----------------------------------------------------------------


@transaction.atomic
def selection_decide(
    *,
    proposal: Proposal,
    decision: str,
    reason: str,
    actor: User,
    now: datetime | None = None,
    funded_amount: int | None = None,
    reduction_reason: str = "",
) -> SelectionDecision:
    """Record (or change, until published) the decision on one proposal and why.

    ``funded_amount`` selects it at less than the city share it asks for
    (partial funding, where the call allows it): whole won, above 0, below the
    request and at least the call's minimum share, with ``reduction_reason``.
    Left empty, the request is funded in full."""
    _require_city_manager(actor)
    _require_not_published(proposal.call)
    if proposal.status not in IN_REVIEW_STATUSES:
        raise _error(
            "proposal",
            "not_in_review",
            _("This proposal is not in the review."),
        )
    if decision not in Decision.values:
        raise _error(
            "decision",
            "decision_required",
            _("Choose selected or not selected."),
        )
    reason = (reason or "").strip()
    if not reason:
        raise _error(
            "reason",
            "reason_required",
            _("Give the reason for the decision."),
        )
    reduction_reason = (reduction_reason or "").strip()
    if funded_amount is not None:
        _check_funded_amount(
            proposal=proposal,
            decision=decision,
            funded_amount=funded_amount,
            reduction_reason=reduction_reason,
        )
    else:
        reduction_reason = ""
    record, _created = SelectionDecision.objects.update_or_create(
        proposal=proposal,
        defaults={
            "decision": decision,
            "reason": reason,
            "funded_amount": funded_amount,
            "reduction_reason": reduction_reason,
            "decided_by": actor,
            "decided_at": now or timezone.now(),
        },
    )
    return record


def _check_funded_amount(
    *,
    proposal: Proposal,
    decision: str,
    funded_amount: int,
    reduction_reason: str,
) -> None:
    """A reduced amount: only for a selection, where the call allows it, in
    whole won above 0 and below the request, not under the call's minimum
    share, and with its reason."""
    call = proposal.call
    if decision != Decision.SELECTED:
        raise _error(
            "funded_amount",
            "reduced_only_when_selected",
            _("A reduced amount is given only with the decision “selected”."),
        )
    if not call.partial_funding_allowed:
        raise _error(
            "funded_amount",
            "partial_funding_not_allowed",
            _(
                "This call does not allow partial funding: select the proposal at "
                "its requested city share, or leave the reduced amount empty."
            ),
        )
    requested = proposal.city_share or 0
    if (
        isinstance(funded_amount, bool)
        or not isinstance(funded_amount, int)
        or funded_amount <= 0
        or funded_amount >= requested
    ):
        raise _error(
            "funded_amount",
            "funded_amount_out_of_range",
            _(
                "Reduced amount: enter whole won above 0 and below the requested "
                "city share (%(requested)s KRW)."
            )
            % {"requested": _won(requested)},
        )
    minimum_percent = call.partial_funding_min_percent
    if minimum_percent and funded_amount * 100 < requested * minimum_percent:
        # The smallest whole won that reaches the share.
        minimum = -(-requested * minimum_percent // 100)
        raise _error(
            "funded_amount",
            "funded_amount_below_minimum_share",
            _(
                "Reduced amount: the call funds at least %(percent)s%% of the request, "
                "that is %(minimum)s KRW of %(requested)s KRW; %(amount)s KRW is "
                "less."
            )
            % {
                "percent": minimum_percent,
                "minimum": _won(minimum),
                "requested": _won(requested),
                "amount": _won(funded_amount),
            },
        )
    if not reduction_reason:
        raise _error(
            "reduction_reason",
            "reduction_reason_required",
            _("Give the reason for funding less than the request."),
        )


@transaction.atomic
def selection_apply_suggestion(
    *, call: CallPage, actor: User, now: datetime | None = None
) -> int:
    """Record the suggestion as the decision of every proposal still undecided,
    with the suggestion's reason. Returns how many were recorded.

    The suggestion is computed here, with the call locked, from the decisions
    on record at this moment, so a stored reason is never one computed before
    another decision changed what is left."""
    _require_city_manager(actor)
    call = CallPage.objects.select_for_update().get(pk=call.pk)
    _require_not_published(call)
    recorded = 0
    for row in selection_suggest(call=call):
        if row.line.decision is not None:
            continue
        selection_decide(
            proposal=row.line.proposal,
            decision=Decision.SELECTED if row.suggested else Decision.NOT_SELECTED,
            reason=row.reason,
            actor=actor,
            now=now,
        )
        recorded += 1
    return recorded


@transaction.atomic
def selection_apply_optimal(
    *, call: CallPage, actor: User, now: datetime | None = None
) -> int:
    """Record the optimal set as the decision of every proposal still
    undecided, each with its reason in words. Computed here, with the call
    locked, from the decisions on record at this moment. Refused when no set
    can be found (the reason says what to change). Returns how many were
    recorded."""
    _require_city_manager(actor)
    call = CallPage.objects.select_for_update().get(pk=call.pk)
    _require_not_published(call)
    comparison = selection_optimal(call=call)
    if comparison.problem:
        raise ValidationError({"call": comparison.problem}, code="no_optimal_set")
    recorded = 0
    for row in comparison.rows:
        if row.line.decision is not None or not row.reason:
            continue
        if not row.chosen and row.reason_code not in OPTIMAL_REASONS_TO_RECORD:
            continue  # not reviewed: no decision is made for it
        selection_decide(
            proposal=row.line.proposal,
            decision=Decision.SELECTED if row.chosen else Decision.NOT_SELECTED,
            reason=row.reason,
            actor=actor,
            now=now,
        )
        recorded += 1
    return recorded


# Left-out reasons under which recording "not selected" is a decision the
# optimal set justifies (a proposal not yet fully reviewed is left undecided).
OPTIMAL_REASONS_TO_RECORD = frozenset(
    {
        OutReason.OVER_BUDGET_ALONE,
        OutReason.DISTRICT_FULL,
        OutReason.MINIMUMS,
        OutReason.TRADE_OFF,
        OutReason.TIE,
    }
)


# --- publishing ----------------------------------------------------------------


def publication_errors(*, call: CallPage) -> list[CodedMessage]:
    """Why the results cannot be published yet, in the reader's language, each
    line a ``CodedMessage``; empty when they can."""
    errors: list[CodedMessage] = []
    proposals = list(
        proposals_in_review(call=call)
        .select_related("district")
        .order_by("receipt_number")
    )
    decisions = {
        d.proposal_id: d for d in SelectionDecision.objects.filter(proposal__call=call)
    }
    missing = [p for p in proposals if p.pk not in decisions]
    if not proposals:
        errors.append(
            CodedMessage(_("There are no proposals in the review."), "no_proposals")
        )
    for proposal in missing:
        errors.append(
            CodedMessage(
                _("%(receipt)s %(title)s: no decision yet.")
                % {"receipt": proposal.receipt_number, "title": proposal.title},
                "no_decision",
            )
        )
    selected = [
        p
        for p in proposals
        if p.pk in decisions and decisions[p.pk].decision == Decision.SELECTED
    ]
    total = sum(_counted_amount(decisions[p.pk], p) for p in selected)
    if total > call.total_budget:
        errors.append(
            CodedMessage(
                _(
                    "The selected city shares add up to %(total)s KRW, above the "
                    "budget of %(budget)s KRW."
                )
                % {"total": _won(total), "budget": _won(call.total_budget)},
                "over_budget",
            )
        )
    errors.extend(_reserve_errors(call=call, selected=selected, decisions=decisions))
    limit = call.max_selected_per_district
    if limit:
        per_district: dict[int, list[Proposal]] = {}
        for proposal in selected:
            per_district.setdefault(proposal.district_id, []).append(proposal)
        for chosen in per_district.values():
            if len(chosen) > limit:
                district = chosen[0].district
                errors.append(
                    CodedMessage(
                        _("%(district)s: %(count)s selected, the limit is %(limit)s.")
                        % {
                            "district": district.name,
                            "count": len(chosen),
                            "limit": limit,
                        },
                        "over_district_limit",
                    )
                )
    for review in reviews_awaiting_tie_ruling(call=call):
        proposal = review.assignment.proposal
        errors.append(
            CodedMessage(
                _(
                    "%(receipt)s %(title)s: the review of %(reviewer)s awaits your ruling (keep or "
                    "discard) because of a tie with %(district)s."
                )
                % {
                    "receipt": proposal.receipt_number,
                    "title": proposal.title,
                    "reviewer": review.assignment.reviewer.username,
                    "district": proposal.district.name,
                },
                "tie_ruling_pending",
            )
        )
    for proposal in proposals:
        decision = decisions.get(proposal.pk)
        target = _target_status(decision)
        if (
            decision
            and proposal.status in (S.SELECTED, S.NOT_SELECTED)
            and proposal.status != target
        ):
            errors.append(
                CodedMessage(
                    _(
                        "%(receipt)s: already %(status)s, which differs from the decision."
                    )
                    % {
                        "receipt": proposal.receipt_number,
                        "status": proposal.get_status_display(),
                    },
                    "status_differs",
                )
            )
    return errors


def _reserve_errors(
    *, call: CallPage, selected: list[Proposal], decisions: dict
) -> list[CodedMessage]:
    """With a reserve for continuation projects, two budgets hold: the
    selected continuations within the reserve, the others within the rest
    (a reduced selection counted at its funded amount)."""
    if not call.continuation_budget:
        return []
    errors = []
    continuing = sum(
        _counted_amount(decisions[p.pk], p) for p in selected if p.is_continuation
    )
    others = sum(
        _counted_amount(decisions[p.pk], p) for p in selected if not p.is_continuation
    )
    if continuing > call.continuation_budget:
        errors.append(
            CodedMessage(
                _(
                    "The selected continuation projects' city shares add up to "
                    "%(total)s KRW, above the reserve for continuation projects of "
                    "%(reserve)s KRW."
                )
                % {
                    "total": _won(continuing),
                    "reserve": _won(call.continuation_budget),
                },
                "over_continuation_reserve",
            )
        )
    if others > call.general_budget:
        errors.append(
            CodedMessage(
                _(
                    "The selected proposals other than continuations add up to "
                    "%(total)s KRW, above the %(rest)s KRW left once the reserve "
                    "for continuation projects is set aside."
                )
                % {"total": _won(others), "rest": _won(call.general_budget)},
                "over_general_budget",
            )
        )
    return errors


def _counted_amount(decision: SelectionDecision, proposal: Proposal) -> int:
    """What a selection counts against the budget: a reduced one its funded
    amount, else the request (read from the proposal in hand, no query)."""
    funded = decision.funded_amount
    return funded if funded is not None else (proposal.city_share or 0)


def _target_status(decision: SelectionDecision | None) -> str | None:
    if decision is None:
        return None
    return S.SELECTED if decision.decision == Decision.SELECTED else S.NOT_SELECTED


RESULTS_SLUG = "results"


def results_page_update(
    *, call: CallPage, actor: User, announced_on: date | None = None
) -> CallResultsPage:
    """Create or rewrite the public results page under the call: the selected
    projects with district, title and city share, and nothing else. Only for a
    call whose results are published (``results_publish`` calls it); the page
    editor cannot write results pages (see ``CallResultsPage``)."""
    if not ResultsPublication.objects.filter(call=call).exists():
        raise ValidationError(
            {
                "call": _(
                    "The results page is written when the results are published; this call's "
                    "results are not published."
                )
            }
        )
    page = CallResultsPage.objects.child_of(call).first()
    selected = (
        Proposal.objects.filter(
            call=call, selection_decision__decision=Decision.SELECTED
        )
        .select_related("district", "selection_decision")
        .order_by("district__code", "receipt_number")
    )
    entries = [
        CallResultEntry(
            district=proposal.district,
            title=proposal.title,
            city_share=proposal.selection_decision.counted_amount,
            reduced=proposal.selection_decision.is_reduced,
            changed_after_objection=proposal.selection_decision.objection_id
            is not None,
            sort_order=order,
        )
        for order, proposal in enumerate(selected)
    ]
    intro = f"<p>{call.title}의 심사 결과 {len(entries)}개 사업을 선정했습니다.</p>"
    intro_en = (
        f"<p>{len(entries)} projects were selected in the review of "
        f"{call.title_en or call.title}.</p>"
    )
    with results_page_writing():
        if page is None:
            page = CallResultsPage(
                title=f"{call.title} 선정 결과",
                title_en=f"{call.title_en or call.title}: results",
                slug=RESULTS_SLUG,
                intro=intro,
                intro_en=intro_en,
                announced_on=announced_on,
            )
            # modelcluster: assigning a list sets the page's child rows.
            page.entries = entries  # type: ignore[misc]
            call.add_child(instance=page)
        else:
            page = page.specific
            page.intro, page.intro_en = intro, intro_en
            page.announced_on = announced_on or page.announced_on
            page.entries = entries
        # The page's own permission tester refuses publishing to everyone; this
        # service is the one door, so it skips that check.
        page.save_revision(user=actor).publish(user=actor, skip_permission_checks=True)
    return page


@transaction.atomic
def results_publish(
    *, call: CallPage, actor: User, now: datetime | None = None, notify: bool = True
) -> CallResultsPage:
    """Make every decision final and announce it: statuses move through the
    workflow (start_review, then select or reject), the public results page is
    written, each selected proposal becomes a project, and the districts are
    e-mailed once the transaction commits."""
    from projects.services import project_create_from_proposal

    now = now or timezone.now()
    _require_city_manager(actor)
    call = CallPage.objects.select_for_update().get(pk=call.pk)
    _require_not_published(call)
    if now < call.deadline:
        raise _error(
            "call",
            "before_deadline",
            _("Results cannot be published before the deadline."),
        )
    errors = publication_errors(call=call)
    if errors:
        raise ValidationError(
            {"decisions": [ValidationError(e, code=e.code) for e in errors]}
        )
    proposals = list(
        proposals_in_review(call=call)
        .select_related("selection_decision")
        .order_by("receipt_number", "pk")
    )
    for proposal in proposals:
        decision = proposal.selection_decision
        if proposal.status == S.SUBMITTED:
            workflow.move(
                proposal=proposal, action="start_review", actor=actor, now=now
            )
        if proposal.status == S.UNDER_REVIEW:
            action = "select" if decision.decision == Decision.SELECTED else "reject"
            workflow.move(
                proposal=proposal,
                action=action,
                actor=actor,
                now=now,
                note=decision.reason,
            )
    ResultsPublication.objects.create(call=call, published_at=now, published_by=actor)
    page = results_page_update(
        call=call, actor=actor, announced_on=timezone.localdate(now)
    )
    for proposal in proposals:
        if proposal.selection_decision.decision == Decision.SELECTED:
            project_create_from_proposal(proposal=proposal, actor=actor, now=now)

    if notify:
        results_notify(call=call)
    return page


def results_notify(*, call: CallPage) -> int:
    """Tell each district that took part the outcome of each of its
    proposals, with the reason (no scores, no reviewers): its officers and
    approvers and whoever wrote or sent a proposal, each in their own
    language, e-mailed after commit. Returns the notices created."""
    proposals = (
        Proposal.objects.filter(call=call, selection_decision__isnull=False)
        .select_related("district", "selection_decision", "created_by", "submitted_by")
        .order_by("district__code", "receipt_number")
    )
    by_district: dict[int, list[Proposal]] = {}
    for proposal in proposals:
        by_district.setdefault(proposal.district_id, []).append(proposal)
    created = 0
    for district_proposals in by_district.values():
        district = district_proposals[0].district
        # The district's officers and approvers (a reviewer may work there too).
        people: list[User] = list(recipients.district_staff(district))
        for proposal in district_proposals:
            for person in (proposal.created_by, proposal.submitted_by):
                if person is not None:
                    people.append(person)
        created += notify(
            recipients=people,
            kind="results_published",
            dedupe_key=f"results-published:{call.pk}:{district.pk}",
            params={
                "call": in_languages(lambda: _call_title(call)),
                "district": _names_of(district),
                "outcomes": _outcomes_of(district_proposals),
            },
            link=f"{reverse('proposals:index')}?call={call.pk}",
            call=call,
        )
    return created


def _names_of(district: Organisation) -> dict[str, str]:
    return in_languages(lambda: district.name)


def _outcomes_of(proposals: list[Proposal]) -> dict[str, str]:
    return in_languages(lambda: _outcome_lines(proposals))


def _call_title(call: CallPage) -> str:
    english = translation.get_language() == "en"
    return (call.title_en or call.title) if english else call.title


def _outcome_lines(proposals: list[Proposal]) -> str:
    """One line per proposal: its outcome and the reason, in the active language."""
    lines = []
    for proposal in proposals:
        decision = proposal.selection_decision
        outcome = (
            _("selected")
            if decision.decision == Decision.SELECTED
            else _("not selected")
        )
        lines.append(
            f"- {proposal.receipt_number} {proposal.title}: {outcome} — {decision.reason}"
        )
        if decision.is_reduced:
            lines.append(
                "  "
                + _(
                    "Funded at %(funded)s KRW of the %(requested)s KRW requested: "
                    "%(reason)s"
                )
                % {
                    "funded": _won(decision.funded_amount or 0),
                    "requested": _won(proposal.city_share or 0),
                    "reason": decision.reduction_reason,
                }
            )
    return "\n".join(lines)
