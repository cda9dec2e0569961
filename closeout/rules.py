"""Who sees and moves a project's final report and its closing (registered
with accounts.access), and the one guard every door of a closed project uses.

A final report and the closing history are seen by whoever sees the project:
the city, and the users of the project's own district. The district's
officer writes and submits the report; the city accepts or returns it,
closes the project and reopens it.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.access import (
    is_city_manager,
    is_city_or_district_user,
    is_officer_of,
    permission,
    scope_rule,
    through_parent,
)


@scope_rule("closeout.finalreport", "closeout.projectclosure")
def _of_project(user, queryset):
    return through_parent(
        user, queryset, parent_field="project", parent_model="projects.Project"
    )


@scope_rule("closeout.finalreportversion", "closeout.finalreporttransition")
def _of_final_report(user, queryset):
    return through_parent(
        user, queryset, parent_field="report", parent_model="closeout.FinalReport"
    )


@permission("view_final_reports")
def _view_final_reports(user) -> bool:
    return is_city_or_district_user(user)


@permission("write_final_report")
def _write_final_report(user, project) -> bool:
    return is_officer_of(user, project.district)


@permission("decide_final_report")
def _decide_final_report(user, project) -> bool:
    return is_city_manager(user)


@permission("close_project")
def _close_project(user, project) -> bool:
    return is_city_manager(user)


def refuse_if_closed(project) -> None:
    """A closed project takes no new report, change or payment: raise a
    ValidationError saying so (and how it can be reopened)."""
    from projects.models import ProjectStatus

    if project is not None and project.status == ProjectStatus.CLOSED:
        raise ValidationError(
            _(
                "Project %(code)s is closed: nothing more is filed, changed or paid "
                "for it. If something must still be done, ask the city to reopen it."
            )
            % {"code": project.code},
            code="project_closed",
        )
