"""Who may see and change the indicator catalogue and its validation rules.

Everyone who works in the admin reads the catalogue (officers read the
definitions of what they report); only the city keeps it.
"""

from accounts.access import change_rule, is_city_manager, roles_of, scope_rule


@scope_rule("indicators.Indicator", "indicators.ValidationRule")
def _catalogue_scope(user, queryset):
    return queryset if roles_of(user) or is_city_manager(user) else queryset.none()


def _catalogue_change(user, obj) -> bool:
    return is_city_manager(user)


change_rule("indicators.Indicator")(_catalogue_change)
change_rule("indicators.ValidationRule")(_catalogue_change)
