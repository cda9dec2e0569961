"""Who uploads report spreadsheets (registered with accounts.access).

Templates: whoever may see the project. Uploading a filled template: the
officers of the project's own district (whether the report's status allows a
save is the workflow's call). The bulk historical import: city managers only.
"""

from accounts.access import can_view, is_city_manager, is_officer_of, permission


@permission("upload_report_spreadsheet")
def _upload_report_spreadsheet(user, project) -> bool:
    return is_officer_of(user, project.district) and can_view(user, project)


@permission("bulk_import_figures")
def _bulk_import_figures(user) -> bool:
    return is_city_manager(user)
