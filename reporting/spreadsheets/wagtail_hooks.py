from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts import access

from . import views

# The "Projects and reports" group's submenu (reporting.wagtail_hooks.SUBMENU_HOOK).
REPORTING_SUBMENU_HOOK = "register_reporting_menu_item"


@hooks.register("register_admin_urls")
def register_spreadsheet_urls():
    return [
        path(
            "reports/sheet/<int:project_id>/<str:month>/template/",
            views.template_download,
            name="spreadsheets_template",
        ),
        path(
            "reports/sheet/<int:project_id>/<str:month>/upload/",
            views.upload,
            name="spreadsheets_upload",
        ),
        path(
            "reports/sheet/<int:project_id>/<str:month>/confirm/",
            views.upload_confirm_view,
            name="spreadsheets_upload_confirm",
        ),
        path("reports/import/", views.bulk_import, name="spreadsheets_bulk_import"),
        path(
            "reports/import/start/",
            views.bulk_import_start,
            name="spreadsheets_bulk_import_start",
        ),
        path(
            "reports/import/jobs/<uuid:job_id>/",
            views.bulk_job,
            name="spreadsheets_bulk_job",
        ),
    ]


class BulkImportMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can(request.user, "bulk_import_figures")


@hooks.register(REPORTING_SUBMENU_HOOK)
def register_bulk_import_item():
    return BulkImportMenuItem(
        _("Import past figures"),
        reverse("spreadsheets_bulk_import"),
        icon_name="upload",
        order=20,
    )
