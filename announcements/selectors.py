"""Who an announcement reaches, and the record of those sent."""

from django.db.models import QuerySet

from accounts import access
from accounts.models import Organisation, User
from accounts.roles import Role
from competitions.models import CallPage, Proposal, ReviewerPanelMember
from competitions.workflow import IN_REVIEW_STATUSES

from .models import Announcement, Audience


def _people(*roles: str) -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__role__code__in=roles)


def audience_members(*, audience: str, call: CallPage | None = None) -> QuerySet[User]:
    """The active people an announcement to ``audience`` reaches:

    * every district's and county's officers;
    * a call's applicants: the officers of the districts whose proposal to
      the call reached the city and takes part in it (not withdrawn, not a
      draft) — no other district's;
    * a call's review panel: the reviewers appointed to it."""
    if audience == Audience.DISTRICT_OFFICERS:
        people = _people(Role.DISTRICT_OFFICER).filter(
            organisation__kind__in=Organisation.LOCAL_KINDS
        )
    elif audience == Audience.CALL_APPLICANTS and call is not None:
        districts = Proposal.objects.filter(
            call=call, status__in=IN_REVIEW_STATUSES
        ).values("district_id")
        people = _people(Role.DISTRICT_OFFICER).filter(organisation_id__in=districts)
    elif audience == Audience.PANEL_REVIEWERS and call is not None:
        people = _people(Role.REVIEWER).filter(
            pk__in=ReviewerPanelMember.objects.filter(call=call).values("reviewer_id")
        )
    else:
        return User.objects.none()
    return people.distinct().order_by("pk")


def announcements_for(user: User) -> QuerySet[Announcement]:
    """The record of sent announcements the person may read (the city's)."""
    return access.visible_to(user, Announcement).select_related("call", "sent_by")
