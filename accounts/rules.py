"""Who sees and manages organisations and people (registered with accounts.access).

What managing users allows. Superusers do anything; a city manager gives only
the roles accounts.roles.ROLES_GRANTED_BY_CITY_MANAGERS lists, never superuser
status, never touches a superuser or anyone holding a role they could not give,
and sets no one's password but their own (a new person gets a link to choose
theirs). The user forms, the bulk actions and the services ask here.
"""

from django.contrib.auth.models import Group
from django.db.models import QuerySet

from .access import (
    can,
    has_role,
    is_city_manager,
    is_superuser,
    permission,
    scope_rule,
    user_district,
)
from .roles import ROLES_GRANTED_BY_CITY_MANAGERS, Role


@scope_rule("accounts.organisation")
def _organisations(user, queryset):
    if is_city_manager(user):
        return queryset
    return queryset.filter(pk=user.organisation_id)


@scope_rule("accounts.user")
def _users(user, queryset):
    if is_city_manager(user):
        return queryset
    if user_district(user) is not None:
        return queryset.filter(organisation_id=user.organisation_id)
    return queryset.filter(pk=user.pk)


@scope_rule("accounts.twofactorevent")
def _two_factor_events(user, queryset):
    # The record of enrolments and resets: the city's, and each person's own.
    if is_city_manager(user):
        return queryset
    return queryset.filter(user=user)


@permission("manage_organisations")
def _manage_organisations(user) -> bool:
    return is_city_manager(user)


@permission("manage_users")
def _manage_users(user) -> bool:
    return is_city_manager(user)


@permission("grant_superuser")
def _grant_superuser(user) -> bool:
    return is_superuser(user)


def grantable_groups(user) -> QuerySet:
    """The groups (roles) ``user`` may give to or take from someone."""
    if is_superuser(user):
        return Group.objects.all()
    if can(user, "manage_users"):
        return Group.objects.filter(
            role__code__in=[role.value for role in ROLES_GRANTED_BY_CITY_MANAGERS]
        )
    return Group.objects.none()


@permission("change_user")
def _change_user(user, person) -> bool:
    """May ``user`` change ``person``'s account (name, e-mail, organisation,
    roles, active)?"""
    if is_superuser(user):
        return True
    if not can(user, "manage_users") or person.is_superuser:
        return False
    if person.pk == user.pk:
        return True
    held = set(person.groups.values_list("pk", flat=True))
    return held <= set(grantable_groups(user).values_list("pk", flat=True))


@permission("set_password")
def _set_password(user, person) -> bool:
    """Only superusers type a password for someone else; anyone else gets a
    reset link sent to them."""
    return is_superuser(user) or (person.pk is not None and person.pk == user.pk)


# --- district profiles (department, person in charge, phone, address) ---------


@scope_rule("accounts.districtprofile")
def _district_profiles(user, queryset):
    if is_city_manager(user):
        return queryset
    district = user_district(user)
    if district is not None:
        return queryset.filter(organisation=district)
    return queryset.none()


@permission("edit_district_profile")
def _edit_district_profile(user, organisation) -> bool:
    """A district's profile: its own officers, and city managers."""
    if organisation is None or not organisation.is_local:
        return False
    if is_city_manager(user):
        return True
    district = user_district(user)
    return (
        district is not None
        and district.pk == organisation.pk
        and has_role(user, Role.DISTRICT_OFFICER)
    )
