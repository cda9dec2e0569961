"""Who sees background jobs and the audit trail (registered with accounts.access).

City managers read the trail; no one else does, and no one changes it. Entries
about a district's proposal or monthly report (and their rows) follow that
object: a draft the city may not see is not shown through its trail either.
"""

from django.apps import apps
from django.db.models import BigIntegerField, Q, TextField, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce

from accounts.access import (
    acts_for,
    can,
    is_city_manager,
    permission,
    scope_rule,
    visible_to,
)

from .audit import SCOPE_MODELS


@scope_rule("common.backgroundjob")
def _background_jobs(user, queryset):
    if is_city_manager(user):
        return queryset
    return queryset.filter(owner=user)


@permission("view_audit_trail")
def _view_audit_trail(user) -> bool:
    return is_city_manager(user)


@scope_rule("auditlog.logentry")
def _audit_trail(user, queryset):
    if not can(user, "view_audit_trail"):
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


# --- printed documents (common.documents) ----------------------------------------


@permission("print_proposal_receipt")
def _print_proposal_receipt(user, proposal) -> bool:
    """The receipt is the district's proof of filing and the city's record;
    a reviewer reads the proposal, not its receipt."""
    return is_city_manager(user) or acts_for(user, proposal.district)


@permission("print_selection_result")
def _print_selection_result(user) -> bool:
    """Decisions and reasons are the city's until published on the results page."""
    return is_city_manager(user)
