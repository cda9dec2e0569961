"""Who sees roll-ups and evaluations (registered with accounts.access).

Figures: city managers see the whole city; a district user sees their own
district only (and, there, what it has submitted but the city not yet
accepted, marked as such); reviewers and everyone else see no dashboard.
Evaluation schemes, qualitative scores and evaluations are the city's; a
district sees its own projects' evaluations once the grades are published.
A reviewer the city assigned to a scheme enters their own qualitative scores
(``score_qualitative``), never for a project of a district they are tied to.
Built report files: the city's all, a district's those of its own district.
The public outcomes page and API show accepted aggregate counts to anyone.
The district a roll-up is narrowed to is accounts.access.district_scope_for.
"""

from accounts.access import (
    acts_for,
    city_all_district_own,
    city_only,
    is_active_user,
    is_city_manager,
    is_city_or_district_user,
    permission,
    scope_rule,
)

scope_rule(
    "evaluation.evaluationscheme",
    "evaluation.gradetier",
    "evaluation.qualitativescore",
    "evaluation.evaluationreviewer",
)(city_only)


@scope_rule("evaluation.projectevaluation")
def _project_evaluations(user, queryset):
    # A district sees its projects' evaluations once the grades are published.
    return city_all_district_own(
        user,
        queryset,
        district_field="project__district",
        scheme__published_at__isnull=False,
    )


@scope_rule("evaluation.reportfile")
def _report_files(user, queryset):
    return city_all_district_own(user, queryset)


@permission("view_rollup")
def _view_rollup(user) -> bool:
    return is_city_or_district_user(user)


@permission("see_pending_figures")
def _see_pending_figures(user, district) -> bool:
    """Submitted-not-accepted figures: only in the district's own view."""
    return acts_for(user, district)


@permission("manage_evaluation")
def _manage_evaluation(user) -> bool:
    """Schemes, qualitative scores, running the evaluation, publishing grades."""
    return is_city_manager(user)


@permission("score_qualitative")
def _score_qualitative(user, scheme, project=None) -> bool:
    """A reviewer assigned to the scheme; for a project, one of its call's and
    of no district the reviewer is tied to (the rule of proposal review)."""
    from .qualitative import is_assigned, may_score

    if project is None:
        return is_active_user(user) and is_assigned(scheme=scheme, reviewer=user)
    return may_score(scheme=scheme, reviewer=user, project=project)
