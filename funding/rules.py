"""Who sees and moves a project's money (registered with accounts.access).

An agreement and its tranches are seen by whoever sees the project: the city,
and the users of the project's own district. The city drafts, signs, sets the
schedule, decides and pays; the district's officer requests a tranche. The
conditions of grant per call are the city's.
"""

from accounts.access import (
    change_rule,
    city_only,
    is_city_manager,
    is_city_or_district_user,
    is_officer_of,
    permission,
    scope_rule,
    through_parent,
)


@scope_rule("funding.agreement", "funding.tranche", "funding.settlement")
def _project_money(user, queryset):
    return through_parent(
        user, queryset, parent_field="project", parent_model="projects.Project"
    )


@scope_rule("funding.agreementbudgetline")
def _agreement_rows(user, queryset):
    return through_parent(
        user, queryset, parent_field="agreement", parent_model="funding.Agreement"
    )


@scope_rule("funding.tranchetransition")
def _tranche_history(user, queryset):
    return through_parent(
        user, queryset, parent_field="tranche", parent_model="funding.Tranche"
    )


@scope_rule(
    "funding.settlementline",
    "funding.settlementevidence",
    "funding.settlementreturn",
    "funding.settlementtransition",
)
def _settlement_rows(user, queryset):
    return through_parent(
        user, queryset, parent_field="settlement", parent_model="funding.Settlement"
    )


@scope_rule("funding.grantconditions")
def _grant_conditions(user, queryset):
    return city_only(user, queryset)


@change_rule("funding.agreement")
def _change_agreement(user, agreement):
    # The city's; a signed one is refused by state (the viewset's
    # protected_reason says why), not by person.
    return is_city_manager(user)


@permission("view_funding")
def _view_funding(user) -> bool:
    return is_city_or_district_user(user)


@permission("draft_agreement")
def _draft_agreement(user, project) -> bool:
    return is_city_manager(user)


@permission("set_tranche_schedule")
def _set_tranche_schedule(user, project) -> bool:
    return is_city_manager(user)


@permission("request_tranche")
def _request_tranche(user, project) -> bool:
    return is_officer_of(user, project.district)


@permission("decide_tranche")
def _decide_tranche(user, project) -> bool:
    return is_city_manager(user)


@permission("file_settlement")
def _file_settlement(user, project) -> bool:
    return is_officer_of(user, project.district)


@permission("check_settlement")
def _check_settlement(user, project) -> bool:
    return is_city_manager(user)
