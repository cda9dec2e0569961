"""Who writes and reads the record of announcements (registered with
accounts.access): city managers. The people an announcement reached read it in
their own inbox (notifications), not here."""

from accounts.access import city_only, is_city_manager, permission, scope_rule

scope_rule("announcements.announcement")(city_only)


@permission("send_announcement")
def _send_announcement(user) -> bool:
    return is_city_manager(user)
