"""Who keeps a calendar address and whose it is (registered with accounts.access).

A calendar address is its owner's alone: nobody else, the city included, reads
or lists it. What the calendar shows is decided by the other apps' rules
(projects a person may see, the calls they may propose to, the panels they sit
on), asked by ``calendars.selectors`` for the address's owner.
"""

from accounts.access import (
    is_active_user,
    is_city_manager,
    is_district_user,
    is_reviewer,
    permission,
    scope_rule,
)


@scope_rule("calendars.calendarfeed")
def _own_feed(user, queryset):
    if not is_active_user(user):
        return queryset.none()
    return queryset.filter(user=user)


@permission("keep_calendar_feed")
def _keep_calendar_feed(user) -> bool:
    """An active person with a role that has deadlines: the city, a reviewer,
    a district's officer or approver."""
    return is_active_user(user) and (
        is_city_manager(user) or is_reviewer(user) or is_district_user(user)
    )
