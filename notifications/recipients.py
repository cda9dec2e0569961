"""Who receives a notice, by role: the people a hand-off reaches. Callers may
pass any users to ``notify``; these are the usual groups."""

from django.db.models import QuerySet

from accounts.models import User
from accounts.roles import Role


def _with_role(*roles: str) -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, groups__role__code__in=roles)
        .distinct()
        .order_by("pk")
    )


def city_managers() -> QuerySet[User]:
    return _with_role(Role.CITY_MANAGER)


def district_officers(district) -> QuerySet[User]:
    return _with_role(Role.DISTRICT_OFFICER).filter(organisation=district)


def district_approvers(district) -> QuerySet[User]:
    return _with_role(Role.DISTRICT_APPROVER).filter(organisation=district)


def district_staff(district) -> QuerySet[User]:
    """Officers and approvers of the district."""
    return _with_role(Role.DISTRICT_OFFICER, Role.DISTRICT_APPROVER).filter(
        organisation=district
    )
