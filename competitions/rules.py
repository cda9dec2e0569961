"""Who sees and does what with proposals, reviews and selection (registered with
accounts.access).

Proposals: a district sees its own, drafts included, and nothing of other
districts'. The city sees what a district has sent it, never a draft or one
still waiting for the district's approver. Reviewers see the ones assigned to
them, unless they declared a conflict.

Review and selection: reviewers reach only the proposals (and attachments)
assigned to them and not given up for a conflict, and only once they have
signed the call's pledges (보안 서약, 이해충돌 서약): the gate is here, so every
door that asks the access module (the assignment screen, the proposal, its
attachments, any export) is shut until then. Scoring is blind: a reviewer
sees their own reviews, and other reviewers' submitted ones of a proposal only
after submitting their own and only when the call allows it. City managers see
every review (they aggregate). District users never see reviews, scores or
decisions.
"""

from django.db.models import Q

from accounts.access import (
    acts_for,
    change_rule,
    city_only,
    is_city_manager,
    is_city_or_district_user,
    is_district_officer,
    is_officer_of,
    is_reviewer,
    permission,
    scope_rule,
    through_parent,
    user_district,
)

from . import workflow
from .models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    AssignmentStatus,
    ReviewAssignment,
    ReviewerPanelMember,
    ReviewerPledge,
    ReviewerTie,
    ReviewStatus,
)


@scope_rule("competitions.proposal")
def _proposals(user, queryset):
    district = user_district(user)
    if district is not None:
        return queryset.filter(district=district)
    if is_city_manager(user):
        return queryset.filter(status__in=workflow.SENT_TO_CITY_STATUSES)
    if is_reviewer(user):
        return queryset.filter(pk__in=_assigned_proposal_ids(user))
    return queryset.none()


@scope_rule("competitions.proposalattachment")
def _proposal_attachments(user, queryset):
    return through_parent(
        user, queryset, parent_field="proposal", parent_model="competitions.Proposal"
    )


@scope_rule("competitions.proposalamendment")
def _proposal_amendments(user, queryset):
    # The district's and the city's record, not a reviewer's.
    if not is_city_or_district_user(user):
        return queryset.none()
    return through_parent(
        user, queryset, parent_field="proposal", parent_model="competitions.Proposal"
    )


@permission("view_proposal_history")
def _view_proposal_history(user, proposal) -> bool:
    """Status changes (with their reasons) and amendments: the proposing
    district's users and the city; reviewers score what is in front of them."""
    return is_city_manager(user) or acts_for(user, proposal.district)


@change_rule("competitions.proposal")
def _change_proposal(user, proposal):
    return workflow.can_edit(user, proposal)


@permission("start_proposal")
def _start_proposal(user, call) -> bool:
    """May this user start a proposal to this call (the call page's link)?"""
    district = user_district(user)
    return (
        is_district_officer(user)
        and district is not None
        and call.is_open()
        and call.is_eligible(district)
    )


@permission("manage_calls")
def _manage_calls(user) -> bool:
    """Listings of a call's proposals, their export and the attachments zip."""
    return is_city_manager(user)


def _assigned_proposal_ids(user):
    """Proposals assigned to this reviewer in a call whose pledges they have
    signed, less those of a district they are tied to now, in a call still
    under review: a tie recorded after a review was submitted closes the
    proposal and its files to the reviewer too (their own review row stays
    theirs). A tie changes nothing in a call whose results are published
    (competitions.services.review.tie_declare), so what they scored there
    stays readable."""
    tied = Q(proposal__district_id=user.organisation_id) | Q(
        proposal__district_id__in=ReviewerTie.objects.filter(reviewer=user).values(
            "organisation_id"
        )
    )
    return (
        ReviewAssignment.objects.filter(
            reviewer=user,
            status__in=ACTIVE_ASSIGNMENT_STATUSES,
            proposal__call_id__in=ReviewerPledge.objects.filter(reviewer=user).values(
                "call_id"
            ),
        )
        .exclude(tied & Q(proposal__call__results_publication__isnull=True))
        .values("proposal_id")
    )


def _own_submitted_where_others_are_shown(user):
    """Proposals on which this reviewer has submitted and the call shows the
    other reviews afterwards."""
    return ReviewAssignment.objects.filter(
        reviewer=user,
        status=AssignmentStatus.SUBMITTED,
        proposal__call__reviewers_see_others_after_submit=True,
    ).values("proposal_id")


@scope_rule(
    "competitions.reviewerpanelmember",
    "competitions.reviewertie",
    "competitions.reviewassignment",
    "competitions.conflictdeclaration",
)
def _city_or_own_reviewer_rows(user, queryset):
    if is_city_manager(user):
        return queryset
    if is_reviewer(user):
        return queryset.filter(reviewer=user)
    return queryset.none()


@scope_rule("competitions.review")
def _reviews(user, queryset):
    if is_city_manager(user):
        return queryset
    if is_reviewer(user):
        others = Q(
            status=ReviewStatus.SUBMITTED,
            assignment__proposal__in=_own_submitted_where_others_are_shown(user),
        )
        return queryset.filter(Q(assignment__reviewer=user) | others)
    return queryset.none()


@scope_rule("competitions.criterionscore")
def _criterion_scores(user, queryset):
    return through_parent(
        user, queryset, parent_field="review", parent_model="competitions.Review"
    )


scope_rule("competitions.selectiondecision", "competitions.resultspublication")(
    city_only
)


@change_rule("competitions.reviewassignment")
def _change_review_assignment(user, assignment):
    # The reviewer declares and scores; the city assigns and removes.
    return is_city_manager(user) or assignment.reviewer_id == user.pk


@change_rule("competitions.review")
def _change_review(user, review):
    return review.assignment.reviewer_id == user.pk and not review.is_submitted


@permission("manage_review")
def _manage_review(user) -> bool:
    """Panels, assignments, the ranking, the score sheet, decisions, publishing."""
    return is_city_manager(user)


@permission("score")
def _score(user) -> bool:
    """Reaches "My assignments" (which proposals is decided by the scope rules)."""
    return is_reviewer(user)


# --- the reviewer pool, draws and pledges -----------------------------------------

scope_rule(
    "competitions.expertisefield",
    "competitions.reviewerpoolmember",
    "competitions.reviewerdraw",
    "competitions.reviewerdrawdecline",
)(city_only)


@scope_rule("competitions.reviewerpledge")
def _pledges(user, queryset):
    if is_city_manager(user):
        return queryset
    if is_reviewer(user):
        return queryset.filter(reviewer=user)
    return queryset.none()


@permission("sign_pledge")
def _sign_pledge(user, call) -> bool:
    """A reviewer on the call's panel, or assigned one of its proposals."""
    return is_reviewer(user) and (
        ReviewerPanelMember.objects.filter(call=call, reviewer=user).exists()
        or ReviewAssignment.objects.filter(proposal__call=call, reviewer=user).exists()
    )


# --- objections and presentation reviews ----------------------------------------


@scope_rule("competitions.objection")
def _objections(user, queryset):
    """The proposing district's users and the city; never a reviewer."""
    district = user_district(user)
    if district is not None:
        return queryset.filter(district=district)
    if is_city_manager(user):
        return queryset
    return queryset.none()


@scope_rule("competitions.objectionattachment", "competitions.objectiontransition")
def _objection_rows(user, queryset):
    return through_parent(
        user,
        queryset,
        parent_field="objection",
        parent_model="competitions.Objection",
    )


@permission("object")
def _object(user, proposal) -> bool:
    """May this user object to the decision on this proposal (the window and
    the rest are the service's to say)?"""
    return is_officer_of(user, proposal.district)


@permission("answer_objection")
def _answer_objection(user) -> bool:
    return is_city_manager(user)


@permission("view_objections")
def _view_objections(user) -> bool:
    return is_city_manager(user) or user_district(user) is not None


@scope_rule("competitions.presentationslot")
def _presentation_slots(user, queryset):
    """The city sees every slot; once the timetable is sent, a district its
    own and a panel reviewer every slot but those they are tied to."""
    if is_city_manager(user):
        return queryset
    sent = Q(session__call__presentation_sendings__isnull=False)
    district = user_district(user)
    if district is not None:
        return queryset.filter(sent, proposal__district=district).distinct()
    if is_reviewer(user):
        from .selectors.presentations import slots_for_reviewer

        return queryset.filter(pk__in=slots_for_reviewer(reviewer=user).values("pk"))
    return queryset.none()


@scope_rule("competitions.presentationsession")
def _presentation_sessions(user, queryset):
    if is_city_manager(user):
        return queryset
    from accounts.access import visible_to

    from .models import PresentationSlot

    slots = visible_to(user, PresentationSlot)
    return queryset.filter(pk__in=slots.values("session_id"))


@scope_rule("competitions.presentationreview")
def _presentation_reviews(user, queryset):
    """Blind: a reviewer sees their own; the city every one."""
    if is_city_manager(user):
        return queryset
    if is_reviewer(user):
        return queryset.filter(reviewer=user)
    return queryset.none()


@scope_rule("competitions.presentationscore")
def _presentation_scores(user, queryset):
    return through_parent(
        user,
        queryset,
        parent_field="review",
        parent_model="competitions.PresentationReview",
    )


scope_rule("competitions.presentationtimetablesending")(city_only)


@permission("view_presentations")
def _view_presentations(user) -> bool:
    """ "Presentations": districts and reviewers see their timetable there."""
    return is_reviewer(user) or user_district(user) is not None


@permission("score_presentation")
def _score_presentation(user, slot) -> bool:
    return (
        is_reviewer(user)
        and ReviewerPanelMember.objects.filter(
            call_id=slot.session.call_id, reviewer=user
        ).exists()
    )
