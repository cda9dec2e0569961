from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts import access

from . import views


class CloseoutMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can(request.user, "view_final_reports")


@hooks.register("register_admin_menu_item")
def register_closeout_menu_item():
    return CloseoutMenuItem(
        _("Final reports and closing"),
        reverse("closeout_index"),
        icon_name="doc-full",
        order=320,
    )


@hooks.register("register_admin_urls")
def register_closeout_urls():
    return [
        path("closeout/", views.index, name="closeout_index"),
        path(
            "closeout/projects/<int:project_id>/",
            views.final_report,
            name="closeout_final_report",
        ),
        path(
            "closeout/projects/<int:project_id>/save/",
            views.final_report_save,
            name="closeout_final_report_save",
        ),
        path(
            "closeout/projects/<int:project_id>/decide/<str:decision>/",
            views.final_report_decide,
            name="closeout_final_report_decide",
        ),
        path(
            "closeout/projects/<int:project_id>/pdf/",
            views.final_report_document,
            name="closeout_final_report_pdf",
        ),
        path(
            "closeout/projects/<int:project_id>/close/",
            views.project_close,
            name="closeout_project_close",
        ),
        path(
            "closeout/projects/<int:project_id>/reopen/",
            views.project_reopen,
            name="closeout_project_reopen",
        ),
    ]
