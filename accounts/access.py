"""The access mechanism: who may see and do what.

Every view, export, API and Celery task asks here, and nowhere else:

* ``visible_to(user, queryset)`` narrows a queryset to what the user may see;
* ``can_view`` / ``can_change(user, obj)`` answer for one object;
* ``can(user, "verb", *objects)`` answers any other question ("may this user
  start a proposal to this call?");
* ``get_visible_or_404`` is what a view uses to load one object: an object the
  user may not see is indistinguishable from one that does not exist.

This module holds the mechanism and the roles only, and imports no other app of
the project. The rules themselves live with their models, in each app's
``rules.py`` (``@scope_rule``, ``@change_rule``, ``@permission``), imported at
start-up by ``AccountsConfig.ready`` as Wagtail imports ``wagtail_hooks``. A
model with no scope rule is refused to everyone but superusers (fail closed),
and a test checks that every model shown in the admin has one.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.http import Http404

from .roles import Role

ScopeRule = Callable[[object, QuerySet], QuerySet]
ChangeRule = Callable[[object, Model], bool]
PermissionRule = Callable[..., bool]
_SCOPE_RULES: dict[str, ScopeRule] = {}
_CHANGE_RULES: dict[str, ChangeRule] = {}
_PERMISSIONS: dict[str, PermissionRule] = {}


# --- roles: one predicate per idea -----------------------------------------


def is_active_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def roles_of(user) -> frozenset[str]:
    """The role codes of a user, cached on the user object for the request."""
    if not is_active_user(user):
        return frozenset()
    cached = getattr(user, "_sangsaeng_roles", None)
    if cached is None:
        cached = frozenset(
            user.groups.filter(role__isnull=False).values_list("role__code", flat=True)
        )
        user._sangsaeng_roles = cached
    return cached


def has_role(user, role: str) -> bool:
    return role in roles_of(user)


def is_superuser(user) -> bool:
    return is_active_user(user) and user.is_superuser


def is_city_manager(user) -> bool:
    return is_superuser(user) or has_role(user, Role.CITY_MANAGER)


def sees_wagtail_site_history(user) -> bool:
    """Wagtail's site history filters by model type, not through this module, so
    only superusers see it; everyone else uses the audit trail."""
    return is_superuser(user)


def is_reviewer(user) -> bool:
    return has_role(user, Role.REVIEWER)


def is_district_officer(user) -> bool:
    return has_role(user, Role.DISTRICT_OFFICER)


def is_district_approver(user) -> bool:
    return has_role(user, Role.DISTRICT_APPROVER)


def is_district_user(user) -> bool:
    """An officer or approver of a district or county."""
    return is_district_officer(user) or is_district_approver(user)


def user_district(user):
    """The district (or county) a district user acts for, or None."""
    if is_district_user(user) and user.organisation.is_local:
        return user.organisation
    return None


def is_city_or_district_user(user) -> bool:
    """Works with projects and their figures: the city, or a district user."""
    return is_city_manager(user) or user_district(user) is not None


def acts_for(user, district) -> bool:
    """A district user (officer or approver) of exactly this district."""
    own = user_district(user)
    return own is not None and district is not None and own.pk == district.pk


def is_officer_of(user, district) -> bool:
    """A district officer of this district: files its proposals and reports."""
    return is_district_officer(user) and acts_for(user, district)


def is_approver_of(user, district) -> bool:
    """A district approver of this district: signs off what its officers send."""
    return is_district_approver(user) and acts_for(user, district)


def district_scope_for(user, district=None):
    """The district a user's figures are narrowed to: ``district`` itself for a
    city manager (None = the whole city), the user's own district for a
    district user (asking for another one raises Http404), and Http404 for
    everyone else."""
    if is_city_manager(user):
        return district
    own = user_district(user)
    if own is None or (district is not None and district.pk != own.pk):
        raise Http404
    return own


# --- registration (each app's rules.py) -------------------------------------


def _register(registry: dict, key: str, rule: Callable, kind: str) -> None:
    known = registry.get(key)
    name = f"{rule.__module__}.{rule.__qualname__}"
    if known is not None and f"{known.__module__}.{known.__qualname__}" != name:
        raise ImproperlyConfigured(
            f"Two {kind} rules for {key!r}: {known.__module__}.{known.__qualname__} "
            f"and {name}. Keep one."
        )
    registry[key] = rule


def scope_rule(*model_labels: str):
    """Register the visibility rule for one or more models (``app_label.modelname``)."""

    def register(rule: ScopeRule) -> ScopeRule:
        for model_label in model_labels:
            _register(_SCOPE_RULES, model_label.lower(), rule, "scope")
        return rule

    return register


def change_rule(model_label: str):
    """Register who may change an object of a model they can see."""

    def register(rule: ChangeRule) -> ChangeRule:
        _register(_CHANGE_RULES, model_label.lower(), rule, "change")
        return rule

    return register


def permission(verb: str):
    """Register the rule that answers ``can(user, verb, *objects)``."""

    def register(rule: PermissionRule) -> PermissionRule:
        _register(_PERMISSIONS, verb, rule, "permission")
        return rule

    return register


# --- the questions ------------------------------------------------------------


def visible_to(user, queryset_or_model) -> QuerySet:
    """The objects of this queryset the user may see."""
    queryset = (
        queryset_or_model._default_manager.all()
        if isinstance(queryset_or_model, type)
        else queryset_or_model
    )
    if not is_active_user(user):
        return queryset.none()
    if is_superuser(user):
        return queryset
    rule = _SCOPE_RULES.get(queryset.model._meta.label_lower)
    if rule is None:
        return queryset.none()
    return rule(user, queryset)


def has_scope_rule(model: type[Model]) -> bool:
    return model._meta.label_lower in _SCOPE_RULES


def can_view(user, obj: Model) -> bool:
    return visible_to(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def get_visible_or_404(user, queryset_or_model, **lookup):
    """Load one object the user may see; anything else is a 404."""
    queryset = visible_to(user, queryset_or_model)
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def can_change(user, obj: Model) -> bool:
    """May the user change this object? Never true for what they cannot see;
    without a rule of its own, only city managers change things."""
    if not can_view(user, obj):
        return False
    if is_superuser(user):
        return True
    rule = _CHANGE_RULES.get(obj._meta.label_lower)
    if rule is None:
        return is_city_manager(user)
    return rule(user, obj)


def can(user, verb: str, *objects) -> bool:
    """May the user do ``verb`` (to these objects)? Never for someone signed
    out or inactive. A verb no app registered is a programming error (a typo
    must not quietly refuse everyone), so it raises."""
    rule = _PERMISSIONS.get(verb)
    if rule is None:
        raise LookupError(
            f"No rule answers {verb!r}: register one with @access.permission "
            f"in the rules.py of the app it belongs to."
        )
    return is_active_user(user) and bool(rule(user, *objects))


# --- the shapes most scope rules take -------------------------------------------


def city_all_district_own(
    user, queryset, *, district_field: str = "district", **district_filters
):
    """City managers see everything; a district user what belongs to their
    district (optionally narrowed further); everyone else nothing."""
    if is_city_manager(user):
        return queryset
    district = user_district(user)
    if district is not None:
        return queryset.filter(**{district_field: district}, **district_filters)
    return queryset.none()


def city_only(user, queryset):
    return queryset if is_city_manager(user) else queryset.none()


def through_parent(user, queryset, *, parent_field: str, parent_model: str):
    """A child row is visible exactly when its parent is."""
    from django.apps import apps

    parents = visible_to(user, apps.get_model(parent_model)).values("pk")
    return queryset.filter(**{f"{parent_field}__in": parents})
