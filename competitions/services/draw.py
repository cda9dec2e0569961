"""The reviewer pool and the recorded random draw of a call's panel
(평가위원 풀 추첨).

The city keeps a pool of reviewers with their fields of expertise and ties. For
a call it asks for N members, optionally only those with given fields of
expertise; ``panel_draw`` draws them at random from the pool, never one tied to
a district that competes in the call, records everything needed to check the
draw (``ReviewerDraw``, which the audit trail records too) and puts the drawn
members on the panel through ``panel_add``, so every rule of the panel and of
assignment still applies to them.

Which districts compete: before the deadline every eligible district, since
any of them may still send a proposal; from the deadline on, only the
districts with a proposal in the review. A district that sent nothing has no
stake in the review, and excluding its ties would shrink the pool for nothing.

The draw is reproducible: ``draw_order`` is a pure function of the recorded
seed and eligible list (SHA-256, which anyone can recompute by hand), and
``draw_recompute`` gives the drawn members again from a record. A member who
declines is replaced by the next reserve of that recorded order, never by a
new draw (``draw_decline``).
"""

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Organisation, User
from cms.models import english_active

from ..models import (
    CallPage,
    ExpertiseField,
    ResultsPublication,
    ReviewerDraw,
    ReviewerDrawDecline,
    ReviewerPanelMember,
    ReviewerPoolMember,
    ReviewerTie,
)
from ..selectors.review import proposals_in_review
from .review import panel_add, panel_remove

# Why a pool member could not be drawn: stable codes in the record, shown in
# the reader's language by ``exclusion_label``.
UNAVAILABLE = "unavailable"
ON_PANEL = "on_panel"
DECLINED = "declined"
TIED = "tied"
EXPERTISE = "expertise"

SEED_BYTES = 32


def _refused(field: str, message: str, code: str) -> ValidationError:
    """A refusal on one field, with a stable code tests and callers can check."""
    return ValidationError({field: ValidationError(message, code=code)})


def _names(items: Iterable[dict]) -> str:
    key = "name_en" if english_active() else "name_ko"
    return ", ".join(item.get(key) or item.get("name_ko", "") for item in items)


def exclusion_label(entry: dict) -> str:
    """An excluded (or passed-over) member's reason, in the reader's words."""
    reason = entry.get("reason")
    if reason == TIED:
        return _("Tied to a competing district: %(districts)s") % {
            "districts": _names(entry.get("districts", []))
        }
    if reason == EXPERTISE:
        return _("Lacks a required field of expertise: %(fields)s") % {
            "fields": _names(entry.get("missing", []))
        }
    if reason == ON_PANEL:
        return _("Already on this call's panel")
    if reason == DECLINED:
        return _("Declined this call earlier")
    if reason == UNAVAILABLE:
        return _("Not available for draws")
    return str(reason)


def draw_order(*, seed: str, eligible: Sequence[int]) -> list[int]:
    """The eligible members (user ids) in draw order: ascending by the
    hexadecimal SHA-256 of ``"<seed>:<id>"``. A pure function of the recorded
    seed and list, so a draw can be checked with any SHA-256 tool."""

    def key(reviewer_id: int) -> tuple[str, int]:
        digest = hashlib.sha256(f"{seed}:{reviewer_id}".encode()).hexdigest()
        return digest, reviewer_id

    return sorted(eligible, key=key)


def draw_recompute(draw: ReviewerDraw) -> list[int]:
    """The members a recorded draw drew, computed again from its seed and
    eligible list alone."""
    return draw_order(seed=draw.seed, eligible=draw.eligible)[: draw.requested]


def draw_verifies(draw: ReviewerDraw) -> bool:
    """Whether the record's order and drawn members are what its seed and
    eligible list give."""
    order = draw_order(seed=draw.seed, eligible=draw.eligible)
    return order == list(draw.order) and draw_recompute(draw) == list(draw.drawn)


def competing_districts(*, call: CallPage, now: datetime) -> QuerySet[Organisation]:
    """The districts whose ties exclude a pool member from a draw for this
    call at ``now`` (see the module's docstring for why)."""
    if now < call.deadline:
        return call.eligible_districts.all()
    return Organisation.objects.filter(
        pk__in=proposals_in_review(call=call).values("district_id")
    )


def draw_members(draw: ReviewerDraw) -> list[int]:
    """Who serves through this draw now: the drawn and their replacements,
    less those who declined, in the order they came."""
    serving = list(draw.drawn)
    for decline in draw.declines.order_by("recorded_at", "pk"):
        if decline.reviewer_id in serving:
            serving.remove(decline.reviewer_id)
        if decline.replacement_id is not None:
            serving.append(decline.replacement_id)
    return serving


# --- refusals --------------------------------------------------------------------


def _require_city_manager(actor: User) -> None:
    if not access.can(actor, "manage_review"):
        raise _refused(
            "actor",
            _("Only the city's programme managers may do this."),
            "not_city_manager",
        )


def _require_not_published(call: CallPage) -> None:
    if ResultsPublication.objects.filter(call=call).exists():
        raise _refused(
            "call",
            _(
                "The results of this call are published: its panel can no "
                "longer change."
            ),
            "results_published",
        )


# --- the pool ---------------------------------------------------------------------


@transaction.atomic
def pool_member_save(
    *,
    actor: User,
    member: ReviewerPoolMember,
    expertise: Iterable[ExpertiseField],
    new_ties: Iterable[Organisation] = (),
    tie_note: str = "",
    now: datetime | None = None,
) -> ReviewerPoolMember:
    """Add a reviewer to the pool or change their entry: fields of expertise,
    availability, note, and ties recorded through ``tie_declare`` (a recorded
    tie is kept, and ends the reviewer's open assignments to that district)."""
    from .review import tie_declare

    now = now or timezone.now()
    _require_city_manager(actor)
    reviewer = member.reviewer
    if not access.is_reviewer(reviewer) or not reviewer.is_active:
        raise _refused(
            "reviewer",
            _("%(name)s is not an active reviewer: give them the reviewer role first.")
            % {"name": reviewer.username},
            "not_a_reviewer",
        )
    if (
        member.pk is None
        and ReviewerPoolMember.objects.filter(reviewer=reviewer).exists()
    ):
        raise _refused(
            "reviewer",
            _("%(name)s is in the pool already.") % {"name": reviewer},
            "already_in_pool",
        )
    member.save()
    member.expertise.set(list(expertise))
    for organisation in new_ties:
        tie_declare(
            reviewer=reviewer,
            organisation=organisation,
            actor=actor,
            note=tie_note,
            now=now,
        )
    return member


# --- the draw ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Situation:
    """What decides, member by member, whether they can be drawn now."""

    districts: dict[int, Organisation]
    required: dict[int, ExpertiseField]
    on_panel: set[int]
    declined: set[int]


def _situation(
    call: CallPage, required: Sequence[ExpertiseField], now: datetime
) -> _Situation:
    return _Situation(
        districts={
            district.pk: district
            for district in competing_districts(call=call, now=now).order_by("code")
        },
        required={field.pk: field for field in required},
        on_panel=set(
            ReviewerPanelMember.objects.filter(call=call).values_list(
                "reviewer_id", flat=True
            )
        ),
        declined=set(
            ReviewerDrawDecline.objects.filter(draw__call=call).values_list(
                "reviewer_id", flat=True
            )
        ),
    )


def _exclusion(
    member: ReviewerPoolMember, situation: _Situation, ties: dict[int, set[int]]
) -> dict | None:
    """Why this pool member cannot be drawn, as a record entry, or None."""
    reviewer = member.reviewer
    entry: dict = {"reviewer": reviewer.pk, "username": reviewer.username}
    if (
        not member.available
        or not reviewer.is_active
        or not access.is_reviewer(reviewer)
    ):
        return {**entry, "reason": UNAVAILABLE}
    if reviewer.pk in situation.on_panel:
        return {**entry, "reason": ON_PANEL}
    if reviewer.pk in situation.declined:
        return {**entry, "reason": DECLINED}
    tied = ({reviewer.organisation_id} | ties.get(reviewer.pk, set())) & set(
        situation.districts
    )
    if tied:
        districts = sorted(
            (situation.districts[pk] for pk in tied), key=lambda d: d.code
        )
        return {**entry, "reason": TIED, "districts": [_named(d) for d in districts]}
    has = {field.pk for field in member.expertise.all()}
    missing = [
        _named(field)
        for pk, field in sorted(situation.required.items())
        if pk not in has
    ]
    if missing:
        return {**entry, "reason": EXPERTISE, "missing": missing}
    return None


def _named(thing: Organisation | ExpertiseField) -> dict[str, str]:
    """A district or field of expertise as the record keeps it: its code and
    both names, so the record reads in either language after a rename."""
    return {"code": thing.code, "name_ko": thing.name_ko, "name_en": thing.name_en}


def _ties_of(reviewer_ids: Iterable[int]) -> dict[int, set[int]]:
    ties: dict[int, set[int]] = {}
    for reviewer_id, organisation_id in ReviewerTie.objects.filter(
        reviewer_id__in=list(reviewer_ids)
    ).values_list("reviewer_id", "organisation_id"):
        ties.setdefault(reviewer_id, set()).add(organisation_id)
    return ties


@transaction.atomic
def panel_draw(
    *,
    call: CallPage,
    requested: int,
    actor: User,
    required_expertise: Sequence[ExpertiseField] = (),
    now: datetime | None = None,
) -> ReviewerDraw:
    """Draw ``requested`` members for the call's panel at random from the
    pool, record the draw and add the drawn members to the panel.

    Excluded, each with the reason in the record: members not available,
    already on the panel, who declined this call before, tied (their own
    organisation or a declared tie) to a competing district, or lacking a
    required field of expertise. Refused, with nothing recorded, when fewer
    members are eligible than asked for."""
    now = now or timezone.now()
    _require_city_manager(actor)
    # One draw of a call at a time: the second waits and sees the first's panel.
    call = CallPage.objects.select_for_update().get(pk=call.pk)
    _require_not_published(call)
    if requested < 1:
        raise _refused(
            "requested", _("Ask for at least one member."), "too_few_requested"
        )
    situation = _situation(call, required_expertise, now)
    members = list(
        ReviewerPoolMember.objects.select_related("reviewer__organisation")
        .prefetch_related("expertise")
        .order_by("reviewer_id")
    )
    ties = _ties_of(member.reviewer_id for member in members)
    eligible: list[int] = []
    excluded: list[dict] = []
    for member in members:
        exclusion = _exclusion(member, situation, ties)
        if exclusion is None:
            eligible.append(member.reviewer_id)
        else:
            excluded.append(exclusion)
    if len(eligible) < requested:
        raise _refused(
            "requested",
            _(
                "Only %(eligible)s pool members can be drawn for this call, "
                "fewer than the %(requested)s asked for. Ask for fewer, require "
                "fewer fields of expertise, or add reviewers to the pool."
            )
            % {"eligible": len(eligible), "requested": requested},
            "too_few_eligible",
        )
    seed = secrets.token_hex(SEED_BYTES)
    order = draw_order(seed=seed, eligible=eligible)
    draw = ReviewerDraw.objects.create(
        call=call,
        requested=requested,
        required_expertise=sorted(field.code for field in required_expertise),
        competing_districts=sorted(
            district.code for district in situation.districts.values()
        ),
        seed=seed,
        eligible=eligible,
        excluded=excluded,
        order=order,
        drawn=order[:requested],
        drawn_by=actor,
        drawn_at=now,
    )
    reviewers = User.objects.in_bulk(draw.drawn)
    for reviewer_id in draw.drawn:
        panel_add(call=call, reviewer=reviewers[reviewer_id], actor=actor, now=now)
    return draw


@transaction.atomic
def draw_decline(
    *,
    draw: ReviewerDraw,
    reviewer: User,
    reason: str,
    actor: User,
    now: datetime | None = None,
) -> ReviewerDrawDecline:
    """Record that a drawn member declined, with the reason, take them off the
    panel (refused while they have assignments) and put the next reserve of
    the draw's recorded order on it. Reserves who can no longer serve (left
    the pool, unavailable, tied now, on the panel already) are passed over and
    listed with the reason. With no reserve left, the decline is recorded
    without a replacement: draw again for the missing member."""
    now = now or timezone.now()
    _require_city_manager(actor)
    draw = (
        ReviewerDraw.objects.select_for_update().select_related("call").get(pk=draw.pk)
    )
    call = draw.call
    _require_not_published(call)
    reason = (reason or "").strip()
    if not reason:
        raise _refused(
            "reason", _("Give the reason the member declined."), "reason_required"
        )
    if reviewer.pk not in draw_members(draw):
        raise _refused(
            "reviewer",
            _(
                "%(name)s does not serve through this draw: only a drawn member "
                "or a replacement can decline."
            )
            % {"name": reviewer.username},
            "not_drawn",
        )
    panel_remove(call=call, reviewer=reviewer, actor=actor)

    used = set(draw.drawn)
    for earlier in draw.declines.all():
        if earlier.replacement_id is not None:
            used.add(earlier.replacement_id)
        used |= {entry["reviewer"] for entry in earlier.skipped}
    required = list(ExpertiseField.objects.filter(code__in=draw.required_expertise))
    situation = _situation(call, required, now)
    situation.declined.add(reviewer.pk)
    members = {
        member.reviewer_id: member
        for member in ReviewerPoolMember.objects.filter(reviewer_id__in=draw.order)
        .select_related("reviewer__organisation")
        .prefetch_related("expertise")
    }
    ties = _ties_of(members)
    replacement: User | None = None
    skipped: list[dict] = []
    for reviewer_id in draw.order:
        if reviewer_id in used:
            continue
        member = members.get(reviewer_id)
        if member is None:
            skipped.append({"reviewer": reviewer_id, "reason": UNAVAILABLE})
            continue
        exclusion = _exclusion(member, situation, ties)
        if exclusion is not None:
            skipped.append(exclusion)
            continue
        replacement = member.reviewer
        break
    decline = ReviewerDrawDecline.objects.create(
        draw=draw,
        reviewer=reviewer,
        reason=reason,
        replacement=replacement,
        skipped=skipped,
        recorded_by=actor,
        recorded_at=now,
    )
    if replacement is not None:
        panel_add(call=call, reviewer=replacement, actor=actor, now=now)
    return decline
