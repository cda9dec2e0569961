"""Who sees and moves site visits (registered with accounts.access).

A visit and its findings are seen by whoever sees the project: the city, and
the users of the project's own district (reviewers never). The city plans,
records, and closes or returns findings; the district's officer answers them.
The checklists per call are the city's.
"""

from accounts.access import (
    city_only,
    is_city_manager,
    is_city_or_district_user,
    is_officer_of,
    permission,
    scope_rule,
    through_parent,
)


@scope_rule("inspections.sitevisit")
def _project_visits(user, queryset):
    return through_parent(
        user, queryset, parent_field="project", parent_model="projects.Project"
    )


@scope_rule("inspections.checklistanswer", "inspections.finding")
def _visit_rows(user, queryset):
    return through_parent(
        user, queryset, parent_field="visit", parent_model="inspections.SiteVisit"
    )


@scope_rule("inspections.findingattachment", "inspections.findingtransition")
def _finding_rows(user, queryset):
    return through_parent(
        user, queryset, parent_field="finding", parent_model="inspections.Finding"
    )


@scope_rule("inspections.visitchecklistitem")
def _checklists(user, queryset):
    return city_only(user, queryset)


@permission("view_site_visits")
def _view_site_visits(user) -> bool:
    return is_city_or_district_user(user)


@permission("plan_site_visit")
def _plan_site_visit(user, project=None) -> bool:
    return is_city_manager(user)


@permission("answer_finding")
def _answer_finding(user, finding) -> bool:
    return is_officer_of(user, finding.visit.project.district)
