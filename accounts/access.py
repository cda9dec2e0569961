"""The access module: who may see and change what.

Every view, export, API and Celery task asks here, and nowhere else:

* ``visible_to(user, queryset)`` narrows a queryset to what the user may see;
* ``can_<verb>(user, obj)`` answers for one object;
* ``get_visible_or_404`` is what a view uses to load one object: an object the
  user may not see is indistinguishable from one that does not exist.

Rules are keyed by model label. A model with no rule is refused to everyone but
superusers (fail closed), and a test checks that every model shown in the admin
has one.
"""

from collections.abc import Callable

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .roles import Role

ScopeRule = Callable[[object, QuerySet], QuerySet]
_SCOPE_RULES: dict[str, ScopeRule] = {}


# --- roles ----------------------------------------------------------------


def roles_of(user) -> frozenset[str]:
    """The role codes of a user, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_sangsaeng_roles", None)
    if cached is None:
        cached = frozenset(
            user.groups.filter(role__isnull=False).values_list("role__code", flat=True)
        )
        user._sangsaeng_roles = cached
    return cached


def has_role(user, role: str) -> bool:
    return role in roles_of(user)


def is_superuser(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_superuser
    )


def is_city_manager(user) -> bool:
    return is_superuser(user) or has_role(user, Role.CITY_MANAGER)


def sees_wagtail_site_history(user) -> bool:
    """Wagtail's site history filters by model type, not through this module, so
    only superusers see it; everyone else uses the audit trail."""
    return is_superuser(user)


def is_reviewer(user) -> bool:
    return has_role(user, Role.REVIEWER)


def is_district_officer(user) -> bool:
    return has_role(user, Role.DISTRICT_OFFICER)


def is_district_approver(user) -> bool:
    return has_role(user, Role.DISTRICT_APPROVER)


def is_district_user(user) -> bool:
    """An officer or approver of a district or county."""
    return is_district_officer(user) or is_district_approver(user)


def user_district(user):
    """The district (or county) a district user acts for, or None."""
    if is_district_user(user) and user.organisation.is_local:
        return user.organisation
    return None


# --- scopes ---------------------------------------------------------------


def scope_rule(*model_labels: str):
    """Register the visibility rule for one or more models (``app_label.modelname``)."""

    def register(rule: ScopeRule) -> ScopeRule:
        for model_label in model_labels:
            _SCOPE_RULES[model_label.lower()] = rule
        return rule

    return register


# The shapes most rules take.


def city_all_district_own(
    user, queryset, *, district_field: str = "district", **district_filters
):
    """City managers see everything; a district user what belongs to their
    district (optionally narrowed further); everyone else nothing."""
    if is_city_manager(user):
        return queryset
    district = user_district(user)
    if district is not None:
        return queryset.filter(**{district_field: district}, **district_filters)
    return queryset.none()


def through_parent(user, queryset, *, parent_field: str, parent_model: str):
    """A child row is visible exactly when its parent is."""
    from django.apps import apps

    parents = visible_to(user, apps.get_model(parent_model)).values("pk")
    return queryset.filter(**{f"{parent_field}__in": parents})


def visible_to(user, queryset_or_model) -> QuerySet:
    """The objects of this queryset the user may see."""
    queryset = (
        queryset_or_model._default_manager.all()
        if isinstance(queryset_or_model, type)
        else queryset_or_model
    )
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if is_superuser(user):
        return queryset
    rule = _SCOPE_RULES.get(queryset.model._meta.label_lower)
    if rule is None:
        return queryset.none()
    return rule(user, queryset)


def has_scope_rule(model: type[Model]) -> bool:
    return model._meta.label_lower in _SCOPE_RULES


def can_view(user, obj: Model) -> bool:
    return visible_to(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def get_visible_or_404(user, queryset_or_model, **lookup):
    """Load one object the user may see; anything else is a 404."""
    queryset = visible_to(user, queryset_or_model)
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


# --- rules: organisations and people --------------------------------------


@scope_rule("accounts.organisation")
def _organisations(user, queryset):
    if is_city_manager(user):
        return queryset
    return queryset.filter(pk=user.organisation_id)


@scope_rule("accounts.user")
def _users(user, queryset):
    if is_city_manager(user):
        return queryset
    if user_district(user) is not None:
        return queryset.filter(organisation_id=user.organisation_id)
    return queryset.filter(pk=user.pk)


@scope_rule("accounts.twofactorevent")
def _two_factor_events(user, queryset):
    # The record of enrolments and resets: the city's, and each person's own.
    if is_city_manager(user):
        return queryset
    return queryset.filter(user=user)


def can_manage_organisations(user) -> bool:
    return is_city_manager(user)


def can_manage_users(user) -> bool:
    return is_city_manager(user)


# What managing users allows. Superusers do anything; a city manager gives only
# the roles accounts.roles.ROLES_GRANTED_BY_CITY_MANAGERS lists, never superuser
# status, never touches a superuser or anyone holding a role they could not
# give, and sets no one's password but their own (a new person gets a link to
# choose theirs). The user forms, the bulk actions and the services ask here.


def can_grant_superuser(user) -> bool:
    return is_superuser(user)


def grantable_groups(user) -> QuerySet:
    """The groups (roles) ``user`` may give to or take from someone."""
    from django.contrib.auth.models import Group

    from .roles import ROLES_GRANTED_BY_CITY_MANAGERS

    if is_superuser(user):
        return Group.objects.all()
    if can_manage_users(user):
        return Group.objects.filter(
            role__code__in=[role.value for role in ROLES_GRANTED_BY_CITY_MANAGERS]
        )
    return Group.objects.none()


def can_change_user(user, person) -> bool:
    """May ``user`` change ``person``'s account (name, e-mail, organisation,
    roles, active)?"""
    if is_superuser(user):
        return True
    if not can_manage_users(user) or person.is_superuser:
        return False
    if person.pk == user.pk:
        return True
    held = set(person.groups.values_list("pk", flat=True))
    return held <= set(grantable_groups(user).values_list("pk", flat=True))


def can_set_password(user, person) -> bool:
    """Only superusers type a password for someone else; anyone else gets a
    reset link sent to them."""
    return is_superuser(user) or (person.pk is not None and person.pk == user.pk)


# --- change rules ---------------------------------------------------------

ChangeRule = Callable[[object, Model], bool]
_CHANGE_RULES: dict[str, ChangeRule] = {}


def change_rule(model_label: str):
    """Register who may change an object of a model they can see."""

    def register(rule: ChangeRule) -> ChangeRule:
        _CHANGE_RULES[model_label.lower()] = rule
        return rule

    return register


def can_change(user, obj: Model) -> bool:
    """May the user change this object? Never true for what they cannot see;
    without a rule of its own, only city managers change things."""
    if not can_view(user, obj):
        return False
    if is_superuser(user):
        return True
    rule = _CHANGE_RULES.get(obj._meta.label_lower)
    if rule is None:
        return is_city_manager(user)
    return rule(user, obj)


# --- rules: background jobs -----------------------------------------------


@scope_rule("common.backgroundjob")
def _background_jobs(user, queryset):
    if is_city_manager(user):
        return queryset
    return queryset.filter(owner=user)


# --- rules: proposals -----------------------------------------------------
# A district sees its own proposals, drafts included, and nothing of other
# districts'. The city sees what a district has sent it, never a draft or one
# still waiting for the district's approver. Reviewers see the ones assigned to
# them, unless they declared a conflict (see "review and selection" below).


@scope_rule("competitions.proposal")
def _proposals(user, queryset):
    from competitions.workflow import SENT_TO_CITY_STATUSES

    district = user_district(user)
    if district is not None:
        return queryset.filter(district=district)
    if is_city_manager(user):
        return queryset.filter(status__in=SENT_TO_CITY_STATUSES)
    if is_reviewer(user):
        return queryset.filter(pk__in=_assigned_proposal_ids(user))
    return queryset.none()


@scope_rule("competitions.proposalattachment")
def _proposal_attachments(user, queryset):
    return through_parent(
        user, queryset, parent_field="proposal", parent_model="competitions.Proposal"
    )


@change_rule("competitions.proposal")
def _change_proposal(user, proposal):
    from competitions.workflow import can_edit

    return can_edit(user, proposal)


def can_start_proposal(user, call) -> bool:
    """May this user start a proposal to this call (the call page's link)?"""
    district = user_district(user)
    return (
        is_district_officer(user)
        and district is not None
        and call.is_open()
        and call.is_eligible(district)
    )


def can_manage_calls(user) -> bool:
    """Listings of a call's proposals, their export and the attachments zip."""
    return is_city_manager(user)


# --- rules: funded projects and monthly reports (projects/, reporting/) -----
# District users see their own district's projects and reports; city managers
# see every project and every report that has left the district's drafts;
# reviewers and everyone else see none of it.


@scope_rule("projects.project")
def _projects(user, queryset):
    return city_all_district_own(user, queryset)


@scope_rule("projects.projectplan")
def _project_plans(user, queryset):
    return through_parent(
        user, queryset, parent_field="project", parent_model="projects.Project"
    )


@scope_rule("projects.changerequest")
def _change_requests(user, queryset):
    return through_parent(
        user, queryset, parent_field="project", parent_model="projects.Project"
    )


@scope_rule("reporting.monthlyreport")
def _monthly_reports(user, queryset):

    from reporting.models import ReportStatus

    if is_city_manager(user):
        # A district's draft is its own until sent; a month once sent stays in sight.
        return queryset.filter(
            ~Q(status=ReportStatus.DRAFT) | Q(first_submitted_at__isnull=False)
        )
    district = user_district(user)
    if district is not None:
        return queryset.filter(district=district)
    return queryset.none()


@scope_rule("reporting.reportversion")
def _report_versions(user, queryset):
    from reporting.models import MonthlyReport, ReportStatus

    queryset = queryset.filter(report__in=visible_to(user, MonthlyReport).values("pk"))
    if is_city_manager(user) and not is_superuser(user):
        queryset = queryset.exclude(status=ReportStatus.DRAFT)
    return queryset


@scope_rule("reporting.rosterdestruction")
def _roster_destructions(user, queryset):
    # The destruction ledger (파기 대장) is the city's record.
    return queryset if is_city_manager(user) else queryset.none()


@scope_rule("reporting.reminder")
def _reminders(user, queryset):
    return city_all_district_own(user, queryset)


@change_rule("projects.changerequest")
def _change_change_request(user, change_request):
    # Deciding is the city's; the district proposes new requests, never edits one.
    return is_city_manager(user)


@change_rule("reporting.monthlyreport")
def _change_monthly_report(user, report):
    from reporting.workflow import allowed_actions

    return bool(allowed_actions(user, report))


# --- rules: review and selection (competitions) -----------------------------
# Reviewers reach only the proposals (and attachments) assigned to them and not
# given up for a conflict. Scoring is blind: a reviewer sees their own reviews,
# and other reviewers' submitted ones of a proposal only after submitting their
# own and only when the call allows it. City managers see every review (they
# aggregate). District users never see reviews, scores or decisions.


def _assigned_proposal_ids(user):
    """Proposals assigned to this reviewer, less those of a district they are
    tied to now, in a call still under review: a tie recorded after a review was
    submitted closes the proposal and its files to the reviewer too (their own
    review row stays theirs). A tie changes nothing in a call whose results are
    published (competitions.services.review.tie_declare), so what they scored
    there stays readable."""
    from competitions.models import (
        ACTIVE_ASSIGNMENT_STATUSES,
        ReviewAssignment,
        ReviewerTie,
    )

    tied = Q(proposal__district_id=user.organisation_id) | Q(
        proposal__district_id__in=ReviewerTie.objects.filter(reviewer=user).values(
            "organisation_id"
        )
    )
    return (
        ReviewAssignment.objects.filter(
            reviewer=user, status__in=ACTIVE_ASSIGNMENT_STATUSES
        )
        .exclude(tied & Q(proposal__call__results_publication__isnull=True))
        .values("proposal_id")
    )


def _own_submitted_where_others_are_shown(user):
    """Proposals on which this reviewer has submitted and the call shows the
    other reviews afterwards."""
    from competitions.models import AssignmentStatus, ReviewAssignment

    return ReviewAssignment.objects.filter(
        reviewer=user,
        status=AssignmentStatus.SUBMITTED,
        proposal__call__reviewers_see_others_after_submit=True,
    ).values("proposal_id")


@scope_rule(
    "competitions.reviewerpanelmember",
    "competitions.reviewertie",
    "competitions.reviewassignment",
    "competitions.conflictdeclaration",
)
def _city_or_own_reviewer_rows(user, queryset):
    if is_city_manager(user):
        return queryset
    if is_reviewer(user):
        return queryset.filter(reviewer=user)
    return queryset.none()


@scope_rule("competitions.review")
def _reviews(user, queryset):

    from competitions.models import ReviewStatus

    if is_city_manager(user):
        return queryset
    if is_reviewer(user):
        others = Q(
            status=ReviewStatus.SUBMITTED,
            assignment__proposal__in=_own_submitted_where_others_are_shown(user),
        )
        return queryset.filter(Q(assignment__reviewer=user) | others)
    return queryset.none()


@scope_rule("competitions.criterionscore")
def _criterion_scores(user, queryset):
    return through_parent(
        user, queryset, parent_field="review", parent_model="competitions.Review"
    )


@scope_rule(
    "competitions.selectiondecision",
    "competitions.resultspublication",
    "evaluation.evaluationscheme",
    "evaluation.gradetier",
    "evaluation.qualitativescore",
)
def _city_only(user, queryset):
    return queryset if is_city_manager(user) else queryset.none()


@change_rule("competitions.reviewassignment")
def _change_review_assignment(user, assignment):
    # The reviewer declares and scores; the city assigns and removes.
    return is_city_manager(user) or assignment.reviewer_id == user.pk


@change_rule("competitions.review")
def _change_review(user, review):
    return review.assignment.reviewer_id == user.pk and not review.is_submitted


def can_manage_review(user) -> bool:
    """Panels, assignments, the ranking, the score sheet, decisions, publishing."""
    return is_city_manager(user)


def can_score(user) -> bool:
    """Reaches "My assignments" (which proposals is decided by the scope rules)."""
    return is_reviewer(user)


# --- rules: roll-up and evaluation (reporting.evaluation) --------------------
# Figures: city managers see the whole city; a district user sees their own
# district only (and, there, what it has submitted but the city not yet
# accepted, marked as such); reviewers and everyone else see no dashboard.
# Evaluation schemes, qualitative scores and evaluations are the city's; a
# district sees its own projects' evaluations once the grades are published.
# Built report files: the city's all, a district's those of its own district.
# The public outcomes page and API show accepted aggregate counts to anyone.


def rollup_scope_for(user, district=None):
    """The district a user's roll-up is narrowed to: ``district`` itself for a
    city manager (None = the whole city), the user's own district for a
    district user (asking for another one raises Http404), and Http404 for
    everyone else."""
    if is_city_manager(user):
        return district
    own = user_district(user)
    if own is None or (district is not None and district.pk != own.pk):
        raise Http404
    return own


def can_view_rollup(user) -> bool:
    return is_city_manager(user) or user_district(user) is not None


def can_see_pending_figures(user, district) -> bool:
    """Submitted-not-accepted figures: only in the district's own view."""
    own = user_district(user)
    return own is not None and district is not None and own.pk == district.pk


def can_manage_evaluation(user) -> bool:
    """Schemes, qualitative scores, running the evaluation, publishing grades."""
    return is_city_manager(user)


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


# --- rules: report spreadsheets (reporting.spreadsheets) ---------------------
# Templates: whoever may see the project. Uploading a filled template: the
# officers of the project's own district (whether the report's status allows a
# save is the workflow's call). The bulk historical import: city managers only.


def can_upload_report_spreadsheet(user, project) -> bool:
    return (
        is_district_officer(user)
        and user_district(user) == project.district
        and can_view(user, project)
    )


def can_bulk_import_figures(user) -> bool:
    return is_city_manager(user)


# --- rules: the audit trail (common/audit.py) ---------------------------------
# City managers read the trail; no one else does, and no one changes it. Entries
# about a district's proposal or monthly report (and their rows) follow that
# object: a draft the city may not see is not shown through its trail either.


def can_view_audit_trail(user) -> bool:
    return is_city_manager(user)


@scope_rule("auditlog.logentry")
def _audit_trail(user, queryset):
    from django.apps import apps
    from django.db.models import BigIntegerField, Q, TextField, Value
    from django.db.models.fields.json import KeyTextTransform
    from django.db.models.functions import Cast, Coalesce

    from common.audit import SCOPE_MODELS

    if not can_view_audit_trail(user):
        return queryset.none()
    queryset = queryset.alias(
        audit_scope=Coalesce(
            KeyTextTransform("scope", "additional_data"),
            Value(""),
            output_field=TextField(),
        ),
        audit_scope_id=Cast(
            KeyTextTransform("scope_id", "additional_data"), BigIntegerField()
        ),
    )
    shown = ~Q(audit_scope__in=list(SCOPE_MODELS))
    for scope, model_label in SCOPE_MODELS.items():
        visible = visible_to(user, apps.get_model(model_label)).values("pk")
        shown |= Q(audit_scope=scope, audit_scope_id__in=visible)
    return queryset.filter(shown)


# --- rules: the indicator catalogue -------------------------------------------
# indicators (moves to indicators/rules.py)
# The catalogue says what each figure means: every role that works with
# figures or proposals reads the indicators (district users, reviewers, the
# city); district users and the city read the validation rules their reports
# are checked against. Only city managers change either (indicators.services
# holds what may change once an indicator is used).


@scope_rule("indicators.indicator")
def _indicators(user, queryset):
    if is_city_manager(user) or is_district_user(user) or is_reviewer(user):
        return queryset
    return queryset.none()


@scope_rule("indicators.validationrule")
def _validation_rules(user, queryset):
    if is_city_manager(user) or is_district_user(user):
        return queryset
    return queryset.none()


@change_rule("indicators.indicator")
@change_rule("indicators.validationrule")
def _change_catalogue(user, obj):
    return can_manage_catalogue(user)


def can_manage_catalogue(user) -> bool:
    return is_city_manager(user)


# --- end of indicators ---------------------------------------------------------
