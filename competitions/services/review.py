"""Review (심사): the panel of a call, ties, assignments, conflict declarations
and scoring. Views, tasks and the demo call these; none of them re-implements a
rule. Errors are ``ValidationError`` in the reader's language, each with a code.

Review of a call opens at its deadline (until then a district may still amend
or withdraw) and closes when its results are published.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Organisation, User
from notifications import recipients
from notifications.rendering import in_languages
from notifications.services import notify

from .. import workflow
from ..models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    AssignmentStatus,
    CallPage,
    ConflictDeclaration,
    CriterionScore,
    Proposal,
    ProposalStatus,
    ResultsPublication,
    Review,
    ReviewAssignment,
    ReviewerPanelMember,
    ReviewerTie,
    ReviewStatus,
    RubricCriterion,
    TieRuling,
)
from ..selectors.review import conflict_with, proposals_in_review
from ..tasks import send_conflict_notice as send_conflict_notice_task
from ..tasks import send_tie_notice as send_tie_notice_task
from ..workflow import IN_REVIEW_STATUSES
from .pledges import require_pledge

S = ProposalStatus


def _error(field_name: str, code: str, message: str) -> ValidationError:
    """A refusal on ``field_name``, in the reader's language, with its code."""
    return ValidationError({field_name: ValidationError(message, code=code)})


def _require_city_manager(actor: User) -> None:
    if not access.can(actor, "manage_review"):
        raise _error(
            "actor",
            "city_manager_only",
            _("Only the city's programme managers may do this."),
        )


def _require_review_open(call: CallPage, now: datetime) -> None:
    if now < call.deadline:
        raise _error(
            "call",
            "before_deadline",
            _("Review starts after the deadline."),
        )
    if ResultsPublication.objects.filter(call=call).exists():
        raise _error(
            "call",
            "review_closed",
            _("The results are published; the review is closed."),
        )


def _require_no_tie(assignment: ReviewAssignment) -> None:
    """Refuse a step of a review whose assignment a recorded tie has ended, or
    whose reviewer is tied to the proposing district now."""
    if assignment.status == AssignmentStatus.ENDED_BY_TIE:
        raise ValidationError(
            {
                "assignment": _(
                    "This assignment was ended because a tie between you and the proposing "
                    "district was recorded. The city will assign another reviewer."
                )
            }
        )
    reason = conflict_with(reviewer=assignment.reviewer, proposal=assignment.proposal)
    if reason:
        raise ValidationError(
            {
                "assignment": _("%(reason)s You may not review this proposal.")
                % {"reason": reason}
            }
        )


def _start_review(proposal: Proposal, actor: User, now: datetime) -> None:
    if proposal.status == S.SUBMITTED:
        workflow.move(proposal=proposal, action="start_review", actor=actor, now=now)


# --- the panel and ties ------------------------------------------------------


@transaction.atomic
def panel_add(
    *, call: CallPage, reviewer: User, actor: User, now: datetime | None = None
) -> ReviewerPanelMember:
    _require_city_manager(actor)
    if not access.is_reviewer(reviewer):
        raise _error(
            "reviewer",
            "not_a_reviewer",
            _("%(reviewer)s does not have the reviewer role.")
            % {"reviewer": reviewer.username},
        )
    member, created = ReviewerPanelMember.objects.get_or_create(
        call=call,
        reviewer=reviewer,
        defaults={"added_by": actor, "added_at": now or timezone.now()},
    )
    if created:
        notify(
            recipients=[reviewer],
            kind="reviewer_appointed",
            dedupe_key=f"reviewer-appointed:{call.pk}:{member.pk}",
            params={"call": in_languages(lambda: call.display_title)},
            link=reverse("review_my_assignments"),
            due=call.review_ends_on,
            call=call,
        )
    return member


def _tell_assigned(call: CallPage, assignments: list[ReviewAssignment]) -> None:
    """Each reviewer given proposals to score hears it once, with how many
    and by when."""
    by_reviewer: dict[int, list[ReviewAssignment]] = {}
    for assignment in assignments:
        by_reviewer.setdefault(assignment.reviewer_id, []).append(assignment)
    for mine in by_reviewer.values():
        first = min(assignment.pk for assignment in mine)
        notify(
            recipients=[mine[0].reviewer],
            kind="reviewer_assigned",
            dedupe_key=f"reviewer-assigned:{call.pk}:{mine[0].reviewer_id}:{first}",
            params={
                "call": in_languages(lambda: call.display_title),
                "count": len(mine),
            },
            link=reverse("review_my_assignments"),
            due=call.review_ends_on,
            call=call,
        )


@transaction.atomic
def panel_remove(*, call: CallPage, reviewer: User, actor: User) -> None:
    _require_city_manager(actor)
    if ReviewAssignment.objects.filter(
        proposal__call=call, reviewer=reviewer, status__in=ACTIVE_ASSIGNMENT_STATUSES
    ).exists():
        raise _error(
            "reviewer",
            "reviewer_has_assignments",
            _("This reviewer has assignments; remove them first."),
        )
    ReviewerPanelMember.objects.filter(call=call, reviewer=reviewer).delete()


@dataclass
class TieEffects:
    """The tie recorded, and what recording it did to the review of calls not
    yet published."""

    tie: ReviewerTie
    ended: list[ReviewAssignment] = field(default_factory=list)  # open, now ended
    flagged: list[Review] = field(default_factory=list)  # submitted, now not counting


@transaction.atomic
def tie_declare(
    *,
    reviewer: User,
    organisation: Organisation,
    actor: User,
    note: str = "",
    now: datetime | None = None,
    notify: bool = True,
) -> TieEffects:
    """A reviewer declares a tie (the city may record one for them).

    A tie recorded after an assignment is not ignored: every open assignment of
    this reviewer to a proposal of that organisation (in a call whose results
    are not published) ends, keeping any draft; every submitted review is
    flagged and stops counting until the city rules on it
    (``review_tie_rule``). The city managers are e-mailed after commit.
    Returns the tie and what it ended and flagged."""
    now = now or timezone.now()
    if actor != reviewer and not access.can(actor, "manage_review"):
        raise _error(
            "reviewer",
            "own_ties_only",
            _("You may declare only your own ties."),
        )
    tie, created = ReviewerTie.objects.get_or_create(
        reviewer=reviewer,
        organisation=organisation,
        defaults={"note": note, "declared_at": now},
    )
    if not created and note and tie.note != note:
        tie.note = note
        tie.save(update_fields=["note"])
    effects = TieEffects(tie=tie)
    touched = (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .filter(
            reviewer=reviewer,
            proposal__district=organisation,
            proposal__call__results_publication__isnull=True,
        )
        .select_related("proposal")
        .order_by("pk")
    )
    for assignment in touched:
        if assignment.status in (
            AssignmentStatus.ASSIGNED,
            AssignmentStatus.NO_CONFLICT,
        ):
            assignment.status = AssignmentStatus.ENDED_BY_TIE
            assignment.save(
                update_fields=["status"]
            )  # a draft review stays, not counted
            effects.ended.append(assignment)
        elif assignment.status == AssignmentStatus.SUBMITTED:
            review = Review.objects.filter(assignment=assignment).first()
            if review is not None and review.tie_flagged_at is None:
                review.tie_flagged_at = now
                review.tie_flag_note = str(organisation)[:300]
                review.save(update_fields=["tie_flagged_at", "tie_flag_note"])
                effects.flagged.append(review)
    if notify and (effects.ended or effects.flagged):
        tie_id = tie.pk
        ended_ids = [assignment.pk for assignment in effects.ended]
        flagged_ids = [review.pk for review in effects.flagged]
        transaction.on_commit(
            lambda: send_tie_notice_task.delay(tie_id, ended_ids, flagged_ids)
        )
    return effects


def tie_notice_send(
    *, tie: ReviewerTie, ended_assignment_ids: list[int], flagged_review_ids: list[int]
) -> int:
    """Tell each city manager, as a notice read in their language: a recorded
    tie ended these assignments (reassign them) and flagged these submitted
    reviews (rule on them: keep or discard). Returns the notices made."""
    ended = list(
        ReviewAssignment.objects.filter(pk__in=ended_assignment_ids).select_related(
            "proposal__district", "proposal__call"
        )
    )
    flagged = list(
        Review.objects.filter(pk__in=flagged_review_ids).select_related(
            "assignment__proposal__district", "assignment__proposal__call"
        )
    )

    def details() -> str:
        lines = []
        if ended:
            lines.append(
                _("These assignments are ended; please assign another reviewer:")
            )
            lines += [
                f"- {a.proposal.receipt_number} {a.proposal.title} "
                f"({a.proposal.call.display_title})"
                for a in ended
            ]
            lines.append("")
        if flagged:
            lines.append(
                _(
                    "These submitted reviews no longer count until you keep or discard "
                    "them, with a reason, on the ranking screen:"
                )
            )
            lines += [
                f"- {r.assignment.proposal.receipt_number} "
                f"{r.assignment.proposal.title} "
                f"({r.assignment.proposal.call.display_title})"
                for r in flagged
            ]
        return "\n".join(lines).strip()

    calls = {a.proposal.call_id for a in ended} | {
        r.assignment.proposal.call_id for r in flagged
    }
    call_id = calls.pop() if len(calls) == 1 else None
    return notify(
        recipients=recipients.city_managers(),
        kind="tie_recorded",
        dedupe_key=f"tie-recorded:{tie.pk}",
        params={
            "reviewer": tie.reviewer.username,
            "organisation": in_languages(lambda: tie.organisation.name),
            "details": in_languages(details),
        },
        link=reverse("review_ranking", args=[call_id])
        if call_id
        else reverse("review_calls"),
        call=call_id,
    )


@transaction.atomic
def review_tie_rule(
    *,
    review: Review,
    ruling: str,
    reason: str,
    actor: User,
    now: datetime | None = None,
) -> Review:
    """The city's ruling on a submitted review whose reviewer is tied to the
    proposing district: keep it (it counts again) or discard it (it never
    counts). Needs a reason; recorded and audited with the review."""
    now = now or timezone.now()
    if not access.can(actor, "manage_review"):
        raise ValidationError(
            {"actor": _("Only the city's programme managers may do this.")}
        )
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related(
            "assignment__proposal__call",
            "assignment__proposal__district",
            "assignment__reviewer",
        )
        .get(pk=review.pk)
    )
    assignment = review.assignment
    _require_review_open(assignment.proposal.call, now)
    if not review.is_submitted:
        raise ValidationError(
            {"review": _("Only a submitted review can be kept or discarded.")}
        )
    if review.tie_flagged_at is None and not conflict_with(
        reviewer=assignment.reviewer, proposal=assignment.proposal
    ):
        raise ValidationError(
            {
                "review": _(
                    "This review is not flagged: no tie between its reviewer and the district is recorded."
                )
            }
        )
    if ruling not in TieRuling.values:
        raise ValidationError(
            {"ruling": _("Choose whether to keep or discard the review.")}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give the reason for keeping or discarding the review.")}
        )
    if review.tie_flagged_at is None:
        review.tie_flagged_at = now
        review.tie_flag_note = conflict_with(
            reviewer=assignment.reviewer, proposal=assignment.proposal
        )[:300]
    review.tie_ruling = ruling
    review.tie_ruling_reason = reason
    review.tie_ruled_by = actor
    review.tie_ruled_at = now
    review.save()
    return review


# --- assignments -------------------------------------------------------------


@transaction.atomic
def assignment_create(
    *, proposal: Proposal, reviewer: User, actor: User, now: datetime | None = None
) -> ReviewAssignment:
    """Assign a panel member to a proposal; a reviewer tied to the proposing
    district (their organisation or a declared tie) is refused."""
    now = now or timezone.now()
    _require_city_manager(actor)
    call = proposal.call
    _require_review_open(call, now)
    if proposal.status not in IN_REVIEW_STATUSES:
        raise _error(
            "proposal",
            "not_in_review",
            _("This proposal is not in the review (draft, withdrawn…)."),
        )
    if not ReviewerPanelMember.objects.filter(call=call, reviewer=reviewer).exists():
        raise _error(
            "reviewer",
            "not_on_panel",
            _("%(reviewer)s is not on this call's reviewer panel.")
            % {"reviewer": reviewer.username},
        )
    reason = conflict_with(reviewer=reviewer, proposal=proposal)
    if reason:
        raise ValidationError({"reviewer": reason})
    if ReviewAssignment.objects.filter(proposal=proposal, reviewer=reviewer).exists():
        raise _error(
            "reviewer",
            "already_assigned",
            _("%(reviewer)s is already assigned to this proposal.")
            % {"reviewer": reviewer.username},
        )
    assignment = ReviewAssignment.objects.create(
        proposal=proposal, reviewer=reviewer, assigned_by=actor, assigned_at=now
    )
    _start_review(proposal, actor, now)
    _tell_assigned(call, [assignment])
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: ReviewAssignment, actor: User) -> None:
    """The city takes an assignment back, as long as no review was submitted."""
    _require_city_manager(actor)
    _require_review_open(assignment.proposal.call, timezone.now())
    if assignment.status == AssignmentStatus.SUBMITTED:
        raise _error(
            "assignment",
            "review_submitted",
            _("A submitted review cannot be taken back."),
        )
    if assignment.status in (AssignmentStatus.CONFLICT, AssignmentStatus.ENDED_BY_TIE):
        raise _error(
            "assignment",
            "conflict_kept",
            _("The record of a declared conflict is kept."),
        )
    assignment.delete()


@dataclass
class AutoAssignResult:
    created: list[ReviewAssignment] = field(default_factory=list)
    shortfalls: list[str] = field(
        default_factory=list
    )  # one bilingual line per proposal


@transaction.atomic
def assignments_auto(
    *, call: CallPage, actor: User, now: datetime | None = None
) -> AutoAssignResult:
    """Give every proposal ``call.reviewers_per_proposal`` reviewers from the
    panel, never a tied one, each time the least-loaded free member (then by
    username). Proposals with the fewest possible reviewers go first, so a
    constrained proposal is not left with nobody. Existing assignments stay."""
    now = now or timezone.now()
    _require_city_manager(actor)
    _require_review_open(call, now)
    wanted = call.reviewers_per_proposal
    members = [
        member.reviewer
        for member in ReviewerPanelMember.objects.filter(call=call).select_related(
            "reviewer"
        )
        if member.reviewer.is_active
    ]
    assignments = ReviewAssignment.objects.filter(proposal__call=call)
    load = {reviewer.pk: 0 for reviewer in members}
    for reviewer_id in assignments.filter(
        status__in=ACTIVE_ASSIGNMENT_STATUSES
    ).values_list("reviewer_id", flat=True):
        if reviewer_id in load:
            load[reviewer_id] += 1
    taken = set(assignments.values_list("proposal_id", "reviewer_id"))
    active: dict[int, int] = {}
    for proposal_id in assignments.filter(
        status__in=ACTIVE_ASSIGNMENT_STATUSES
    ).values_list("proposal_id", flat=True):
        active[proposal_id] = active.get(proposal_id, 0) + 1

    proposals = list(
        proposals_in_review(call=call)
        .select_related("district")
        .order_by("receipt_number", "pk")
    )
    free: dict[int, list[User]] = {
        proposal.pk: [
            reviewer
            for reviewer in members
            if (proposal.pk, reviewer.pk) not in taken
            and not conflict_with(reviewer=reviewer, proposal=proposal)
        ]
        for proposal in proposals
    }
    result = AutoAssignResult()
    for proposal in sorted(
        proposals, key=lambda p: (len(free[p.pk]), p.receipt_number or "", p.pk)
    ):
        need = wanted - active.get(proposal.pk, 0)
        candidates = free[proposal.pk]
        for _slot in range(max(need, 0)):
            if not candidates:
                break
            reviewer = min(candidates, key=lambda r: (load[r.pk], r.username))
            candidates.remove(reviewer)
            result.created.append(
                ReviewAssignment.objects.create(
                    proposal=proposal,
                    reviewer=reviewer,
                    assigned_by=actor,
                    assigned_at=now,
                )
            )
            load[reviewer.pk] += 1
            active[proposal.pk] = active.get(proposal.pk, 0) + 1
            need -= 1
        if need > 0:
            have = active.get(proposal.pk, 0)
            result.shortfalls.append(
                _(
                    "%(proposal)s: %(have)s of %(wanted)s reviewers — no other panel "
                    "member is free of ties to %(district)s. Add reviewers to the panel."
                )
                % {
                    "proposal": f"{proposal.receipt_number} {proposal.title}",
                    "have": have,
                    "wanted": wanted,
                    "district": proposal.district.name,
                }
            )
        _start_review(proposal, actor, now)
    _tell_assigned(call, result.created)
    return result


# --- conflict of interest ----------------------------------------------------


@transaction.atomic
def conflict_declare(
    *,
    assignment: ReviewAssignment,
    actor: User,
    has_conflict: bool,
    note: str = "",
    now: datetime | None = None,
    notify: bool = True,
) -> ConflictDeclaration:
    """The reviewer's declaration before scoring. No conflict opens the score
    form; a conflict removes the assignment (any draft scores with it), is
    recorded, and tells the city managers to reassign."""
    now = now or timezone.now()
    if actor.pk != assignment.reviewer_id:
        raise _error(
            "assignment",
            "not_the_assigned_reviewer",
            _("Only the assigned reviewer declares."),
        )
    _require_review_open(assignment.proposal.call, now)
    require_pledge(reviewer=assignment.reviewer, call=assignment.proposal.call)
    if assignment.status == AssignmentStatus.SUBMITTED:
        raise _error(
            "assignment",
            "review_submitted",
            _("The review is already submitted."),
        )
    if assignment.status == AssignmentStatus.CONFLICT:
        raise _error(
            "assignment",
            "conflict_declared",
            _("A conflict has already been declared."),
        )
    if assignment.status == AssignmentStatus.ENDED_BY_TIE:
        _require_no_tie(assignment)
    if assignment.status == AssignmentStatus.NO_CONFLICT and not has_conflict:
        raise _error(
            "assignment",
            "no_conflict_declared",
            _("No conflict has already been declared."),
        )
    if not has_conflict:
        # A recorded tie is a conflict, whatever the reviewer declares.
        _require_no_tie(assignment)
    if has_conflict and not note.strip():
        raise _error(
            "note",
            "conflict_note_required",
            _("Please describe the conflict."),
        )
    declaration = ConflictDeclaration.objects.create(
        proposal=assignment.proposal,
        reviewer=assignment.reviewer,
        has_conflict=has_conflict,
        note=note.strip(),
        declared_at=now,
    )
    if has_conflict:
        assignment.status = AssignmentStatus.CONFLICT
        Review.objects.filter(assignment=assignment).delete()
        if notify:
            declaration_id = declaration.pk
            transaction.on_commit(
                lambda: send_conflict_notice_task.delay(declaration_id)
            )
    else:
        assignment.status = AssignmentStatus.NO_CONFLICT
    assignment.save(update_fields=["status"])
    return declaration


def conflict_notice_send(*, declaration: ConflictDeclaration) -> int:
    """Tell each city manager, as a notice read in their language: a reviewer
    left a proposal, reassign it. Returns the notices made."""
    proposal = declaration.proposal
    return notify(
        recipients=recipients.city_managers(),
        kind="conflict_declared",
        dedupe_key=f"conflict-declared:{declaration.pk}",
        params={
            "reviewer": declaration.reviewer.username,
            "title": proposal.title,
            "district": in_languages(lambda: proposal.district.name),
            "receipt": proposal.receipt_number,
        },
        link=reverse("review_panel", args=[proposal.call_id]),
        call=proposal.call_id,
    )


# --- scoring -----------------------------------------------------------------

ScoreInput = Mapping[int, tuple[object, str]]  # criterion id → (score, comment)


def _parse_score(value: object, criterion: RubricCriterion) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        score = Decimal(str(value).strip())
    except InvalidOperation:
        score = None
    if score is None or not score.is_finite():
        raise _error(
            f"score_{criterion.pk}",
            "score_not_a_number",
            _("%(criterion)s: enter a number.") % {"criterion": criterion.name},
        )
    if score != score.quantize(Decimal("0.1")):
        raise _error(
            f"score_{criterion.pk}",
            "score_too_precise",
            _("%(criterion)s: scores have at most one decimal place.")
            % {"criterion": criterion.name},
        )
    if not Decimal(0) <= score <= criterion.weight:
        raise _error(
            f"score_{criterion.pk}",
            "score_out_of_range",
            _("%(criterion)s: the score must be from 0 to %(weight)s.")
            % {"criterion": criterion.name, "weight": criterion.weight},
        )
    return score


def _require_scoring(assignment: ReviewAssignment, actor: User, now: datetime) -> None:
    if actor.pk != assignment.reviewer_id:
        raise _error(
            "assignment",
            "not_the_assigned_reviewer",
            _("Only the assigned reviewer scores."),
        )
    _require_review_open(assignment.proposal.call, now)
    require_pledge(reviewer=assignment.reviewer, call=assignment.proposal.call)
    if assignment.status == AssignmentStatus.ASSIGNED:
        raise _error(
            "assignment",
            "declare_first",
            _("Declare that you have no conflict of interest before scoring."),
        )
    if assignment.status == AssignmentStatus.CONFLICT:
        raise _error(
            "assignment",
            "assignment_removed",
            _("The assignment was removed after a declared conflict."),
        )
    if assignment.status == AssignmentStatus.SUBMITTED:
        raise _error(
            "assignment",
            "review_locked",
            _("A submitted review is locked."),
        )
    _require_no_tie(assignment)


def _save(
    assignment: ReviewAssignment,
    scores: ScoreInput,
    overall_comment: str | None,
    now: datetime,
) -> Review:
    criteria = list(assignment.proposal.call.rubric_criteria.all())
    parsed = {}
    errors: dict[str, list[str]] = {}
    for criterion in criteria:
        value, comment = scores.get(criterion.pk, (None, ""))
        try:
            parsed[criterion.pk] = (
                _parse_score(value, criterion),
                (comment or "").strip(),
            )
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    review, _created = Review.objects.get_or_create(
        assignment=assignment, defaults={"updated_at": now}
    )
    if overall_comment is not None:
        review.overall_comment = overall_comment.strip()
    review.updated_at = now
    review.save()
    for criterion in criteria:
        score, comment = parsed[criterion.pk]
        CriterionScore.objects.update_or_create(
            review=review,
            criterion=criterion,
            defaults={"score": score, "comment": comment},
        )
    return review


@transaction.atomic
def review_save_draft(
    *,
    assignment: ReviewAssignment,
    actor: User,
    scores: ScoreInput,
    overall_comment: str | None = None,
    now: datetime | None = None,
) -> Review:
    """Keep what the reviewer has so far; blanks allowed, but no score outside 0..weight."""
    now = now or timezone.now()
    _require_scoring(assignment, actor, now)
    return _save(assignment, scores, overall_comment, now)


@transaction.atomic
def review_submit(
    *,
    assignment: ReviewAssignment,
    actor: User,
    scores: ScoreInput | None = None,
    overall_comment: str | None = None,
    now: datetime | None = None,
) -> Review:
    """Every criterion scored within 0..weight; then the review is locked.
    Without ``scores`` the saved draft is submitted as it is."""
    now = now or timezone.now()
    _require_scoring(assignment, actor, now)
    if scores is not None:
        review = _save(assignment, scores, overall_comment, now)
    else:
        draft = Review.objects.filter(assignment=assignment).first()
        if draft is None:
            raise _error(
                "scores",
                "no_scores",
                _("There are no scores to submit."),
            )
        review = draft
    missing = [
        criterion
        for criterion in assignment.proposal.call.rubric_criteria.all()
        if not review.scores.filter(criterion=criterion, score__isnull=False).exists()
    ]
    if missing:
        raise ValidationError(
            {
                f"score_{criterion.pk}": ValidationError(
                    _("%(criterion)s: a score is needed to submit.")
                    % {"criterion": criterion.name},
                    code="score_missing",
                )
                for criterion in missing
            }
        )
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at = now
    review.updated_at = now
    review.save()
    assignment.status = AssignmentStatus.SUBMITTED
    assignment.save(update_fields=["status"])
    return review
