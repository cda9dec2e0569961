"""Who sees and changes funded projects (registered with accounts.access).

District users see their own district's projects; city managers see every
project; reviewers and everyone else see none of them. A district officer
proposes a change of targets, budget or period; the city decides it.
"""

from accounts.access import (
    change_rule,
    city_all_district_own,
    is_city_manager,
    is_officer_of,
    permission,
    scope_rule,
    through_parent,
)


@scope_rule("projects.project")
def _projects(user, queryset):
    return city_all_district_own(user, queryset)


@scope_rule("projects.projectplan", "projects.changerequest")
def _project_rows(user, queryset):
    return through_parent(
        user, queryset, parent_field="project", parent_model="projects.Project"
    )


@change_rule("projects.changerequest")
def _change_change_request(user, change_request):
    # Deciding is the city's; the district proposes new requests, never edits one.
    return is_city_manager(user)


@permission("propose_change")
def _propose_change(user, project) -> bool:
    return is_officer_of(user, project.district)


@permission("decide_change")
def _decide_change(user, project) -> bool:
    return is_city_manager(user)
