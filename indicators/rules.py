"""Who may see and change the indicator catalogue and its validation rules.

The catalogue says what each figure means: every role that works with figures
or proposals reads the indicators (district users, reviewers, the city);
district users and the city read the validation rules their reports are
checked against. Only city managers change either (``indicators.services``
holds what may change once an indicator is used).
"""

from accounts.access import (
    change_rule,
    is_city_manager,
    is_district_user,
    is_reviewer,
    permission,
    scope_rule,
)


@scope_rule("indicators.indicator")
def _indicators(user, queryset):
    if is_city_manager(user) or is_district_user(user) or is_reviewer(user):
        return queryset
    return queryset.none()


@scope_rule("indicators.validationrule")
def _validation_rules(user, queryset):
    if is_city_manager(user) or is_district_user(user):
        return queryset
    return queryset.none()


@permission("manage_catalogue")
def _manage_catalogue(user) -> bool:
    return is_city_manager(user)


@change_rule("indicators.indicator")
@change_rule("indicators.validationrule")
def _change_catalogue(user, obj) -> bool:
    return is_city_manager(user)
