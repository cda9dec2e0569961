from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts import access

from . import views


@hooks.register("register_admin_urls")
def register_announcement_urls():
    return [
        path("announcements/", views.index, name="announcements_index"),
        path("announcements/new/", views.new, name="announcements_new"),
        path("announcements/<int:pk>/", views.detail, name="announcements_detail"),
    ]


class AnnouncementsMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can(request.user, "send_announcement")


@hooks.register("register_admin_menu_item")
def register_announcements_menu_item():
    return AnnouncementsMenuItem(
        _("Announcements"), reverse("announcements_index"), icon_name="mail", order=7
    )
