"""Things that read projects and their change requests; nothing here writes.
Every function narrows by ``accounts.access`` first."""

from datetime import datetime, timedelta

from django.db.models import QuerySet

from accounts import access
from accounts.models import Organisation, User

from .models import ChangeRequest, ChangeRequestStatus, Project, ProjectStatus

# A rejected change request stays on the district's home this long: long
# enough to read the city's reason, short enough not to pile up.
REJECTED_SHOWN_FOR = timedelta(days=30)


def change_requests_pending(*, user: User) -> list[ChangeRequest]:
    """Change requests proposed and not yet decided: for a district, its own
    in flight; for the city, the ones waiting for its decision. Oldest first."""
    return list(
        access.visible_to(user, ChangeRequest)
        .filter(status=ChangeRequestStatus.PROPOSED)
        .select_related("project__district", "proposed_by")
        .order_by("proposed_at", "pk")
    )


def change_requests_rejected_recently(
    *, user: User, now: datetime
) -> list[ChangeRequest]:
    """Change requests the city rejected in the last 30 days, with its
    reason: the district may propose again."""
    return list(
        access.visible_to(user, ChangeRequest)
        .filter(
            status=ChangeRequestStatus.REJECTED,
            decided_at__gte=now - REJECTED_SHOWN_FOR,
        )
        .select_related("project", "decided_by")
        .order_by("-decided_at", "-pk")
    )


def projects_needing_signoff(*, district: Organisation | None) -> QuerySet[Project]:
    """The district's running projects whose call asks its approver to sign
    each monthly report off."""
    if district is None:
        return Project.objects.none()
    return Project.objects.filter(
        district=district,
        status=ProjectStatus.ACTIVE,
        call__requires_approver_signoff=True,
    )
