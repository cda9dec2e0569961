"""Presentation reviews (발표 심사): the city's timetable of a call (sessions,
one slot per shortlisted proposal, no two slots at once in one room), sent to
the districts (their own slots) and to the panel (every slot but those of
districts a reviewer is tied to); the panel's presentation scores, blind, on
the call's rubric, refused to a tied reviewer as in the document review."""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.messages import CodedMessage
from notifications import recipients
from notifications.rendering import in_languages
from notifications.services import notify

from ..models import (
    CallPage,
    PresentationReview,
    PresentationReviewStatus,
    PresentationScore,
    PresentationSession,
    PresentationSlot,
    PresentationTimetableSending,
    Proposal,
    ReviewerPanelMember,
)
from ..selectors.presentations import presentation_shortlist, timetable_sent
from ..selectors.review import conflict_with
from ..workflow import IN_REVIEW_STATUSES
from .pledges import require_pledge
from .review import _error, _require_city_manager


def _seoul(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _require_presentations(call: CallPage) -> None:
    if not call.presentation_review:
        raise _error(
            "call",
            "no_presentation_review",
            _(
                "This call has no presentation review. Tick “presentation review” "
                "in the call's settings first."
            ),
        )


# --- the timetable ---------------------------------------------------------------


@transaction.atomic
def presentation_session_save(
    *,
    call: CallPage,
    starts_at: datetime | None,
    room: str,
    video_link: str,
    actor: User,
) -> PresentationSession:
    """A new sitting: when, and a room or a video link (at least one)."""
    _require_city_manager(actor)
    _require_presentations(call)
    if starts_at is None:
        raise _error(
            "starts_at",
            "start_required",
            _("Give the date and time the session starts (Seoul time)."),
        )
    room, video_link = (room or "").strip(), (video_link or "").strip()
    if not room and not video_link:
        raise _error(
            "room",
            "place_required",
            _("Give the room, or the video link, of the session."),
        )
    session = PresentationSession(
        call=call, starts_at=starts_at, room=room, video_link=video_link
    )
    session.full_clean()
    session.save()
    return session


def _overlap(slot: PresentationSlot) -> PresentationSlot | None:
    """Another slot of the call in the same room (or video link) at a time
    that overlaps this one."""
    session = slot.session
    others = (
        PresentationSlot.objects.filter(
            session__call_id=session.call_id,
            starts_at__lt=slot.ends_at,
        )
        .exclude(pk=slot.pk)
        .select_related("session", "proposal")
    )
    for other in others:
        if other.session.place == session.place and other.ends_at > slot.starts_at:
            return other
    return None


@transaction.atomic
def presentation_slot_save(
    *,
    session: PresentationSession,
    proposal: Proposal,
    starts_at: datetime | None,
    length_minutes: int | None,
    actor: User,
) -> PresentationSlot:
    """Give a proposal its slot (or move it): within the call's review, one
    slot per proposal, never overlapping another slot in the same room."""
    _require_city_manager(actor)
    call = CallPage.objects.select_for_update().get(pk=session.call_id)
    _require_presentations(call)
    if proposal.call_id != call.pk or proposal.status not in IN_REVIEW_STATUSES:
        raise _error(
            "proposal",
            "not_in_review",
            _("%(title)s is not in this call's review.") % {"title": proposal.title},
        )
    if starts_at is None or not length_minutes or length_minutes < 1:
        raise _error(
            "starts_at",
            "time_required",
            _("Give the slot's start time and its length in minutes."),
        )
    if starts_at < session.starts_at:
        raise _error(
            "starts_at",
            "before_session",
            _("The slot starts before its session (%(start)s KST).")
            % {"start": _seoul(session.starts_at)},
        )
    slot = PresentationSlot.objects.filter(proposal=proposal).first()
    if slot is None:
        slot = PresentationSlot(proposal=proposal)
    elif slot.reviews.exists():
        raise _error(
            "proposal",
            "slot_scored",
            _("%(title)s has presentation scores already; its slot cannot move.")
            % {"title": proposal.title},
        )
    slot.session = session
    slot.starts_at = starts_at
    slot.length_minutes = length_minutes
    if other := _overlap(slot):
        raise _error(
            "starts_at",
            "slot_overlaps",
            _(
                "%(place)s is taken from %(start)s to %(end)s KST by %(title)s; "
                "choose another time or room."
            )
            % {
                "place": session.place,
                "start": _seoul(other.starts_at),
                "end": timezone.localtime(other.ends_at).strftime("%H:%M"),
                "title": other.proposal.title,
            },
        )
    slot.full_clean()
    slot.save()
    return slot


@transaction.atomic
def presentation_slot_delete(*, slot: PresentationSlot, actor: User) -> None:
    _require_city_manager(actor)
    if slot.reviews.exists():
        raise _error(
            "slot",
            "slot_scored",
            _("%(title)s has presentation scores already; its slot cannot move.")
            % {"title": slot.proposal.title},
        )
    slot.delete()


def timetable_errors(*, call: CallPage) -> list[CodedMessage]:
    """Why the timetable cannot be sent yet, one line per problem."""
    if not call.presentation_review:
        return [
            CodedMessage(
                _("This call has no presentation review."), "no_presentation_review"
            )
        ]
    have_slot = set(
        PresentationSlot.objects.filter(session__call=call).values_list(
            "proposal_id", flat=True
        )
    )
    errors = [
        CodedMessage(
            _("%(receipt)s %(title)s is shortlisted but has no presentation slot.")
            % {"receipt": proposal.receipt_number, "title": proposal.title},
            "slot_missing",
        )
        for proposal in presentation_shortlist(call=call)
        if proposal.pk not in have_slot
    ]
    if not have_slot and not errors:
        errors.append(
            CodedMessage(_("The timetable has no slot yet."), "timetable_empty")
        )
    return errors


@transaction.atomic
def presentation_timetable_send(
    *, call: CallPage, actor: User, now: datetime | None = None, notify: bool = True
) -> PresentationTimetableSending:
    """Send the timetable: each district gets its own slots, each panel
    reviewer every slot but those of districts they are tied to."""
    _require_city_manager(actor)
    if errors := timetable_errors(call=call):
        raise ValidationError(
            {"timetable": [ValidationError(e, code=e.code) for e in errors]}
        )
    sending = PresentationTimetableSending.objects.create(
        call=call, sent_at=now or timezone.now(), sent_by=actor
    )
    if notify:
        call_id = call.pk
        transaction.on_commit(
            lambda: presentation_timetable_send_emails(call_id=call_id)
        )
    return sending


def presentation_timetable_send_emails(*, call_id: int) -> int:
    """The notices of a sent timetable: each district its own slots, each
    panel reviewer the slots they review, read in each reader's language. The
    one place timetables are sent from; returns how many notices were made."""
    from ..selectors.presentations import slots_for_reviewer

    call = CallPage.objects.get(pk=call_id)
    slots = list(
        PresentationSlot.objects.filter(session__call=call)
        .select_related("session", "proposal__district")
        .order_by("starts_at")
    )
    # One timetable, one event: sending it again after a change is a new one.
    sent = (
        PresentationTimetableSending.objects.filter(call=call)
        .order_by("-sent_at")
        .values_list("pk", flat=True)
        .first()
    )

    def lines(rows) -> str:
        return "\n".join(
            f"- {_seoul(slot.starts_at)}–"
            f"{timezone.localtime(slot.ends_at):%H:%M} {slot.session.place}: "
            f"{slot.proposal.receipt_number} {slot.proposal.title}"
            for slot in rows
        )

    def tell(people, rows, who: str) -> int:
        return notify(
            recipients=people,
            kind="presentation_timetable",
            dedupe_key=f"presentation-timetable:{call.pk}:{sent}:{who}",
            params={
                "call": in_languages(lambda: call.display_title),
                "slots": lines(rows),
            },
            link=reverse("presentations_mine"),
            call=call.pk,
        )

    made = 0
    districts = {slot.proposal.district for slot in slots}
    for district in sorted(districts, key=lambda d: d.code):
        own = [slot for slot in slots if slot.proposal.district_id == district.pk]
        made += tell(recipients.district_officers(district), own, district.code)
    for member in ReviewerPanelMember.objects.filter(call=call).select_related(
        "reviewer"
    ):
        theirs = list(slots_for_reviewer(reviewer=member.reviewer, call=call))
        if theirs:
            made += tell([member.reviewer], theirs, f"reviewer-{member.reviewer_id}")
    return made


# --- scores ----------------------------------------------------------------------


def presentation_refusal(*, slot: PresentationSlot, reviewer: User) -> str:
    """Why this reviewer may not score this presentation ("" if they may)."""
    call = slot.session.call
    if not call.presentation_review or not timetable_sent(call=call):
        return _("The presentation timetable of this call has not been sent.")
    if not ReviewerPanelMember.objects.filter(call=call, reviewer=reviewer).exists():
        return _("Only the call's panel scores its presentations.")
    return conflict_with(reviewer=reviewer, proposal=slot.proposal)


@transaction.atomic
def presentation_score_save(
    *,
    slot: PresentationSlot,
    actor: User,
    scores: dict[int, object],
    comment: str = "",
    submit: bool = False,
    now: datetime | None = None,
) -> PresentationReview:
    """Save (or submit, which locks) a reviewer's presentation scores:
    ``scores`` maps criterion id → score, 0 to the criterion's weight, one
    decimal place. Refused to anyone tied to the district, off the panel, or
    without the call's pledges."""
    now = now or timezone.now()
    slot = PresentationSlot.objects.select_related(
        "session__call", "proposal__district"
    ).get(pk=slot.pk)
    call = slot.session.call
    if refusal := presentation_refusal(slot=slot, reviewer=actor):
        raise _error("slot", "presentation_refused", refusal)
    require_pledge(reviewer=actor, call=call)
    review, _created = PresentationReview.objects.select_for_update().get_or_create(
        slot=slot, reviewer=actor, defaults={"updated_at": now}
    )
    if review.is_submitted:
        raise _error(
            "review",
            "already_submitted",
            _("Your presentation scores are submitted and can no longer change."),
        )
    errors = []
    values: dict[int, Decimal] = {}
    for criterion in call.rubric_criteria.all():
        raw = scores.get(criterion.pk)
        if raw in (None, ""):
            if submit:
                errors.append(
                    ValidationError(
                        _("%(criterion)s: give a score before submitting.")
                        % {"criterion": criterion.name},
                        code="score_missing",
                    )
                )
            continue
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            value = Decimal(-1)
        if not (0 <= value <= criterion.weight) or value != value.quantize(
            Decimal("0.1")
        ):
            errors.append(
                ValidationError(
                    _(
                        "%(criterion)s: the score is from 0 to %(weight)s, with at "
                        "most one decimal place."
                    )
                    % {"criterion": criterion.name, "weight": criterion.weight},
                    code="score_out_of_range",
                )
            )
            continue
        values[criterion.pk] = value
    if errors:
        raise ValidationError({"scores": errors})
    for criterion_id, value in values.items():
        PresentationScore.objects.update_or_create(
            review=review, criterion_id=criterion_id, defaults={"score": value}
        )
    review.comment = (comment or "").strip()
    review.updated_at = now
    if submit:
        review.status = PresentationReviewStatus.SUBMITTED
        review.submitted_at = now
    review.save()
    return review
