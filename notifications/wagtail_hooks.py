from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts import access

from . import views


@hooks.register("register_admin_urls")
def register_notification_urls():
    return [
        path("notifications/", views.inbox, name="notifications_inbox"),
        path(
            "notifications/<int:pk>/open/",
            views.open_notice,
            name="notifications_open",
        ),
        path(
            "notifications/<int:pk>/read/",
            views.mark_read,
            name="notifications_mark_read",
        ),
        path(
            "notifications/read-all/",
            views.mark_all_read,
            name="notifications_mark_all_read",
        ),
        path(
            "notifications/settings/",
            views.notification_settings,
            name="notifications_settings",
        ),
        path("notifications/outbox/", views.outbox, name="notifications_outbox"),
        path(
            "notifications/outbox/<int:pk>/retry/",
            views.retry,
            name="notifications_retry",
        ),
    ]


class OutboxMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can(request.user, "view_outbox")


@hooks.register("register_admin_menu_item")
def register_inbox_menu_item():
    return MenuItem(
        _("Notifications"),
        reverse("notifications_inbox"),
        icon_name="mail",
        order=5,
    )


@hooks.register("register_admin_menu_item")
def register_outbox_menu_item():
    return OutboxMenuItem(
        _("Outbox"), reverse("notifications_outbox"), icon_name="mail", order=960
    )


@hooks.register("register_account_menu_item")
def notification_settings_account_menu_item(request):
    """Account → More actions: how each kind of notice reaches me."""
    return {
        "url": reverse("notifications_settings"),
        "label": _("Notification settings"),
        "help_text": _(
            "E-mail at once, a daily digest at 09:00, or the inbox only, per "
            "kind of notice."
        ),
    }


@hooks.register("insert_global_admin_css")
def bell_stylesheet():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("css/admin-notifications.css")
    )
