"""Who sees notices (registered with accounts.access).

A notice is its recipient's: only they read it or mark it read, whoever
else may be signed in. The city's managers see the outbox — every notice's
sending status, to find and retry what failed — but not anyone's inbox.
"""

from accounts.access import is_city_manager, permission, scope_rule


@scope_rule("notifications.notification")
def _notifications(user, queryset):
    if is_city_manager(user):
        return queryset
    return queryset.filter(recipient=user)


@scope_rule("notifications.notificationpreference")
def _preferences(user, queryset):
    return queryset.filter(user=user)


@permission("read_notification")
def _read_notification(user, notification) -> bool:
    """One's own inbox only: a city manager or a superuser included."""
    return notification.recipient_id == user.pk


@permission("view_outbox")
def _view_outbox(user) -> bool:
    return is_city_manager(user)


@permission("retry_notification")
def _retry_notification(user, notification) -> bool:
    return is_city_manager(user)
