"""The proposal state machine: every status, every allowed move, and who may make it.

    draft ──submit──▶ submitted ──withdraw──▶ withdrawn
      │                  └──start_review──▶ under review ──select──▶ selected
      └─submit (call needs sign-off)─▶ awaiting approver      └─reject──▶ not selected
              awaiting approver ──approve──▶ submitted
              awaiting approver ──return───▶ draft
              awaiting approver ──withdraw─▶ withdrawn
    selected ◀──select_after_objection / reject_after_objection──▶ not selected

Services call ``move`` and nothing else changes ``Proposal.status``; each move
is recorded as a ``ProposalTransition``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User

from .models import Proposal, ProposalStatus, ProposalTransition

S = ProposalStatus


def _district_officer_of(user: User, proposal: Proposal) -> bool:
    return access.is_officer_of(user, proposal.district)


def _district_approver_of(user: User, proposal: Proposal) -> bool:
    return access.is_approver_of(user, proposal.district)


def _city_manager(user: User, proposal: Proposal) -> bool:
    return access.is_city_manager(user)


def _before_deadline(proposal: Proposal, now: datetime) -> bool:
    return now < proposal.call.deadline


def _always(proposal: Proposal, now: datetime) -> bool:
    return True


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    may: Callable[[User, Proposal], bool]
    when: Callable[[Proposal, datetime], bool] = _always


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        # The target of "submit" depends on the call (sign-off or not): see target_of.
        Transition("submit", (S.DRAFT,), _district_officer_of, _before_deadline),
        Transition(
            "approve", (S.AWAITING_APPROVAL,), _district_approver_of, _before_deadline
        ),
        Transition("return", (S.AWAITING_APPROVAL,), _district_approver_of),
        Transition(
            "withdraw",
            (S.SUBMITTED, S.AWAITING_APPROVAL),
            _district_officer_of,
            _before_deadline,
        ),
        Transition("start_review", (S.SUBMITTED,), _city_manager),
        Transition("select", (S.UNDER_REVIEW,), _city_manager),
        Transition("reject", (S.UNDER_REVIEW,), _city_manager),
        # A published decision changed because of an upheld objection
        # (competitions.services.objections).
        Transition("select_after_objection", (S.NOT_SELECTED,), _city_manager),
        Transition("reject_after_objection", (S.SELECTED,), _city_manager),
    ]
}

_TARGETS = {
    "approve": S.SUBMITTED,
    "return": S.DRAFT,
    "withdraw": S.WITHDRAWN,
    "start_review": S.UNDER_REVIEW,
    "select": S.SELECTED,
    "reject": S.NOT_SELECTED,
    "select_after_objection": S.SELECTED,
    "reject_after_objection": S.NOT_SELECTED,
}

# Statuses in which the officer may change the content (a sent one only before the
# deadline; one awaiting the approver is returned first).
EDITABLE_STATUSES = (S.DRAFT, S.SUBMITTED)
# Statuses the city sees: whatever the district has sent to it.
SENT_TO_CITY_STATUSES = (
    S.SUBMITTED,
    S.WITHDRAWN,
    S.UNDER_REVIEW,
    S.SELECTED,
    S.NOT_SELECTED,
)
# Proposals that take part in the review: sent to the city and not withdrawn.
# (Selected / not selected exist only once results are published, which closes
# the review; the demo replays a selection that may come before its scores.)
IN_REVIEW_STATUSES = (S.SUBMITTED, S.UNDER_REVIEW, S.SELECTED, S.NOT_SELECTED)
# Statuses that count against the call's maximum per district.
COUNTING_STATUSES = (
    S.AWAITING_APPROVAL,
    S.SUBMITTED,
    S.UNDER_REVIEW,
    S.SELECTED,
    S.NOT_SELECTED,
)


def target_of(action: str, proposal: Proposal) -> str:
    if action == "submit":
        return (
            S.AWAITING_APPROVAL
            if proposal.call.requires_approver_signoff
            else S.SUBMITTED
        )
    return _TARGETS[action]


def can(
    user: User, action: str, proposal: Proposal, *, now: datetime | None = None
) -> bool:
    transition = TRANSITIONS[action]
    now = now or timezone.now()
    return (
        proposal.status in transition.sources
        and bool(transition.may(user, proposal))
        and transition.when(proposal, now)
    )


def available_actions(
    user: User, proposal: Proposal, *, now: datetime | None = None
) -> list[str]:
    return [action for action in TRANSITIONS if can(user, action, proposal, now=now)]


def can_edit(user: User, proposal: Proposal, *, now: datetime | None = None) -> bool:
    """Officers of the district change a draft at any time (until the deadline
    once sent); after the deadline a proposal is read-only."""
    now = now or timezone.now()
    if not _district_officer_of(user, proposal):
        return False
    if proposal.status == S.DRAFT:
        return True
    return proposal.status in EDITABLE_STATUSES and _before_deadline(proposal, now)


def refusal(action: str, proposal: Proposal, now: datetime) -> ValidationError:
    transition = TRANSITIONS[action]
    if proposal.status not in transition.sources:
        return ValidationError(
            {
                "status": ValidationError(
                    _(
                        "This cannot be done (%(action)s) to a proposal that is %(status)s."
                    )
                    % {"action": action, "status": proposal.get_status_display()},
                    code="wrong_status",
                )
            }
        )
    if not transition.when(proposal, now):
        return deadline_error(proposal)
    return ValidationError(
        {
            "status": ValidationError(
                _("You may not do this (%(action)s) to this proposal.")
                % {"action": action},
                code="not_allowed",
            )
        }
    )


def deadline_error(proposal: Proposal) -> ValidationError:
    deadline = timezone.localtime(proposal.call.deadline).strftime("%Y-%m-%d %H:%M")
    return ValidationError(
        {
            "call": ValidationError(
                _(
                    "The deadline (%(deadline)s KST) has passed; the proposal can no "
                    "longer be submitted or changed."
                )
                % {"deadline": deadline},
                code="deadline_passed",
            )
        }
    )


def move(
    *,
    proposal: Proposal,
    action: str,
    actor: User,
    now: datetime,
    note: str = "",
    save: bool = True,
) -> ProposalTransition:
    """Take one allowed step and record it. Raises ValidationError otherwise.
    With ``save=False`` the new status is left for the caller's own save."""
    if not can(actor, action, proposal, now=now):
        raise refusal(action, proposal, now)
    return record(
        proposal=proposal,
        to_status=target_of(action, proposal),
        actor=actor,
        now=now,
        note=note,
        save=save,
    )


def record(
    *,
    proposal: Proposal,
    to_status: str,
    actor: User | None,
    now: datetime,
    note: str = "",
    save: bool = True,
) -> ProposalTransition:
    """Change the status and write the history line; used by ``move`` and by the
    demo seed, which replays history without a live user. ``save=False``: the
    caller saves the proposal (with the status) itself, in the same
    transaction."""
    transition = ProposalTransition.objects.create(
        proposal=proposal,
        from_status=proposal.status,
        to_status=to_status,
        actor=actor,
        at=now,
        note=note,
    )
    proposal.status = to_status
    if save:
        proposal.save(update_fields=["status", "updated_at"])
    return transition
