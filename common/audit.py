"""The audit trail (감사 기록): who created, changed or deleted what, and when.

django-auditlog writes one ``LogEntry`` for every create, change and delete of
the models registered below, from model signals; ``AuditlogMiddleware`` puts
the signed-in user and their address on each entry of a request. The trail is
append-only: the application has no view that changes or deletes an entry,
and on PostgreSQL a trigger refuses UPDATE and DELETE on the table (migration
``common.0003``).

What is kept out of it:

* figures (``ReportValue``) are recorded per version, not per row: one entry
  "figures: measure.key before → after" when a version's figures change (see
  ``_FigureWatch``), which is the change a reader looks for, where a row per
  figure would be hundreds of create/delete pairs for one draft save;
* participant rosters (``RosterEntry``) are never recorded, only how many
  participants a version lists: codes stay in the report, not in the trail;
* Wagtail's page bookkeeping and the calls' rich text (Wagtail keeps every
  revision of a page, with who saved and published it).

Writes that bypass model signals (``bulk_create``, ``QuerySet.update``, COPY)
call ``record_created`` or ``record_bulk_import`` here.

Each entry of a proposal, a monthly report or a report version (or one of
their rows) carries ``additional_data = {"scope": ..., "scope_id": ...}``, so
the access module can hold back entries about what the reader may not see: a
district's draft is its own until it is sent, in the trail as everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from auditlog.context import auditlog_value, set_actor
from auditlog.diff import model_instance_diff
from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.signals import post_save, pre_save
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

if TYPE_CHECKING:
    from accounts.models import User
    from reporting.models import ReportTransition

    from .models import BackgroundJob

# Scopes whose entries follow the visibility of their object (see access.py).
SCOPE_MODELS = {
    "proposal": "competitions.Proposal",
    "report": "reporting.MonthlyReport",
    "version": "reporting.ReportVersion",
}

# Saved on every change; the entry's own timestamp says when.
_NOISE = ("created_at", "updated_at", "sort_order")

# A Wagtail page's tree, revision and locking bookkeeping, and the calls' rich
# text, whose every revision Wagtail keeps itself.
_PAGE_BOOKKEEPING = (
    "page_ptr",
    "path",
    "depth",
    "numchild",
    "url_path",
    "content_type",
    "translation_key",
    "locale",
    "alias_of",
    "draft_title",
    "latest_revision",
    "latest_revision_created_at",
    "live_revision",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
    "locked",
    "locked_at",
    "locked_by",
    "owner",
    "seo_title",
    "search_description",
    "show_in_menus",
    "intro",
    "intro_en",
    "body",
    "body_en",
)

# (scope name, id) of a tracked instance; each scope reads its own model's fields.
Scope = Callable[[Any], tuple[str, int | None]]


def _scope(name: str, path: str) -> Scope:
    get = attrgetter(path)
    return lambda obj: (name, get(obj))


def _transition_scope(transition: ReportTransition) -> tuple[str, int | None]:
    if transition.version_id:
        return "version", transition.version_id
    return "report", transition.report_id


@dataclass(frozen=True)
class Tracked:
    label: str
    exclude: tuple[str, ...] = ()
    scope: Scope | None = None
    # Fields recorded as "changed" without their value (a password hash).
    mask: tuple[str, ...] = ()
    # Many-to-many fields whose additions and removals are recorded.
    m2m: tuple[str, ...] = ()


_of_proposal = _scope("proposal", "proposal_id")

TRACKED = [
    # Calls (Wagtail pages) and the rules they carry.
    Tracked("competitions.CallPage", exclude=_PAGE_BOOKKEEPING),
    Tracked("competitions.CallTargetGroup"),
    Tracked("competitions.CallIndicator"),
    Tracked("competitions.RubricCriterion"),
    Tracked("competitions.CallDocument"),
    # The indicator catalogue and the rules the city writes over it.
    Tracked("indicators.Indicator"),
    Tracked("indicators.ValidationRule"),
    # Proposals, their rows and status history.
    # The contact's phone is personal data: recorded as changed, never its value.
    Tracked(
        "competitions.Proposal",
        scope=_scope("proposal", "pk"),
        mask=("contact_phone",),
    ),
    Tracked("competitions.ProposalTargetGroup", scope=_of_proposal),
    Tracked("competitions.ProposalOutput", scope=_of_proposal),
    Tracked("competitions.ProposalBudgetLine", scope=_of_proposal),
    Tracked("competitions.ProposalAttachment", scope=_of_proposal),
    Tracked("competitions.ProposalTransition", scope=_of_proposal),
    # Review: panels, ties, assignments, conflict declarations, scores, decisions.
    Tracked("competitions.ReviewerPanelMember"),
    Tracked("competitions.ReviewerTie"),
    Tracked("competitions.ReviewAssignment"),
    Tracked("competitions.ConflictDeclaration"),
    Tracked("competitions.Review"),
    Tracked("competitions.CriterionScore"),
    Tracked("competitions.SelectionDecision"),
    Tracked("competitions.ResultsPublication"),
    # The reviewer pool, the recorded draws of panels and the pledges.
    Tracked("competitions.ExpertiseField"),
    Tracked("competitions.ReviewerPoolMember", m2m=("expertise",)),
    Tracked("competitions.ReviewerDraw"),
    Tracked("competitions.ReviewerDrawDecline"),
    Tracked("competitions.ReviewerPledge"),
    # Objections and the city's answers; presentation timetables and scores.
    Tracked("competitions.Objection"),
    Tracked("competitions.ObjectionAttachment"),
    Tracked("competitions.ObjectionTransition"),
    Tracked("competitions.PresentationSession"),
    Tracked("competitions.PresentationSlot"),
    Tracked("competitions.PresentationTimetableSending"),
    Tracked("competitions.PresentationReview"),
    Tracked("competitions.PresentationScore"),
    # Projects and what was agreed for them (targets, budget, changes).
    Tracked("projects.Project"),
    Tracked("projects.ProjectPlan"),
    Tracked("projects.PlanTargetGroup"),
    Tracked("projects.PlanOutput"),
    Tracked("projects.PlanBudgetLine"),
    Tracked("projects.ChangeRequest"),
    # Grant agreements (drafts, signatures) and the tranches of the city's share.
    Tracked("funding.GrantConditions"),
    Tracked("funding.Agreement"),
    Tracked("funding.AgreementBudgetLine"),
    Tracked("funding.Tranche"),
    Tracked("funding.TrancheTransition"),
    # Settlements (정산): what was filed, the evidence, the return paid, the moves.
    Tracked("funding.Settlement"),
    Tracked("funding.SettlementLine"),
    Tracked("funding.SettlementEvidence"),
    Tracked("funding.SettlementReturn"),
    Tracked("funding.SettlementTransition"),
    # Site visits, their checklists and answers, findings and their history.
    Tracked("inspections.VisitChecklistItem"),
    Tracked("inspections.SiteVisit", m2m=("inspectors",)),
    Tracked("inspections.ChecklistAnswer"),
    Tracked("inspections.Finding"),
    Tracked("inspections.FindingAttachment"),
    Tracked("inspections.FindingTransition"),
    # Final reports (versions, decisions) and the closing and reopening of projects.
    Tracked("closeout.FinalReport"),
    Tracked("closeout.FinalReportVersion", exclude=("snapshot",)),
    Tracked("closeout.FinalReportTransition"),
    Tracked("closeout.ProjectClosure"),
    # Monthly reports, their versions (figures through _FigureWatch) and history.
    Tracked("reporting.MonthlyReport", scope=_scope("report", "pk")),
    Tracked("reporting.ReportVersion", scope=_scope("version", "pk")),
    Tracked("reporting.ReportTransition", scope=_transition_scope),
    Tracked("reporting.ReportReopening", scope=_scope("report", "report_id")),
    Tracked(
        "reporting.ReportCorrection", scope=_scope("report", "reopening.report_id")
    ),
    # Evaluation: schemes (weights, runs, publication), grade tiers, qualitative scores.
    Tracked("evaluation.EvaluationScheme"),
    Tracked("evaluation.GradeTier"),
    Tracked("evaluation.QualitativeScore"),
    Tracked("evaluation.EvaluationReviewer"),
    # People, their roles and groups, passwords (as "changed", never the hash)
    # and two-factor sign-in changes. last_login changes at every sign-in and
    # says nothing about who changed what.
    Tracked(
        "accounts.User",
        exclude=("last_login",),
        mask=("password",),
        m2m=("groups", "user_permissions"),
    ),
    Tracked("accounts.RoleGroup"),
    Tracked("accounts.DistrictProfile", mask=("phone",)),
    Tracked("accounts.TwoFactorEvent"),
    # A private calendar address made or replaced (the token itself never shown).
    Tracked("calendars.CalendarFeed", mask=("token",)),
    Tracked("auth.Group", m2m=("permissions",)),
    Tracked("wagtailcore.GroupPagePermission"),
    Tracked("wagtailcore.GroupCollectionPermission"),
]


def masked(value: object) -> str:
    """What the trail shows for a masked field: that it changed, not to what."""
    return "********"


# Figures of a version, as they appear in the trail ("figure:new_hires.women").
FIGURE_PREFIX = "figure:"
ROSTER_COUNT = "roster_size"


def _additional_data_method(
    scope: Scope,
) -> Callable[[models.Model], dict[str, object]]:
    def get_additional_data(self: models.Model) -> dict[str, object]:
        name, scope_id = scope(self)
        return {"scope": name, "scope_id": scope_id}

    return get_additional_data


def register_models() -> None:
    """Register every tracked model with auditlog (called once, from
    ``CommonConfig.ready``)."""
    for tracked in TRACKED:
        model = apps.get_model(tracked.label)
        if tracked.scope is not None:
            # auditlog asks each instance for get_additional_data(); the models
            # know nothing of the trail, so the registration supplies it.
            model.get_additional_data = _additional_data_method(tracked.scope)
        fields = model._meta.get_fields()
        present = {field.name for field in fields}
        exclude = [name for name in (*_NOISE, *tracked.exclude) if name in present]
        # Reverse and generic relations are other rows, recorded as such; left
        # in, a create or delete entry would list each as "….None".
        exclude += [
            field.name
            for field in fields
            if (not field.concrete or field.one_to_many or field.many_to_many)
            and field.name not in exclude
        ]
        auditlog.register(
            model,
            exclude_fields=exclude,
            mask_fields=list(tracked.mask),
            mask_callable="common.audit.masked",
            m2m_fields=set(tracked.m2m),
        )
    version_model = apps.get_model("reporting.ReportVersion")
    pre_save.connect(
        _watch_version_figures, sender=version_model, dispatch_uid="audit_figures_pre"
    )
    post_save.connect(
        _watch_new_version_figures,
        sender=version_model,
        dispatch_uid="audit_figures_post",
    )


@contextmanager
def acting_as(actor: User | None, *, remote_addr: str | None = None) -> Iterator[None]:
    """Changes made inside are recorded as ``actor``'s; afterwards, as before.

    auditlog 3.4.1's own ``set_actor`` (and its middleware) set a context
    variable and never put it back, so whatever ran next in the same thread
    outside a request (a task run in-process, a command, the next test) would
    be recorded as that user's, who may be gone by then (a foreign-key error
    at commit)."""
    token = auditlog_value.set({})
    try:
        with set_actor(actor, remote_addr=remote_addr):
            yield
    finally:
        auditlog_value.reset(token)


class RequestAuditMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, but the request's user ends with the
    request (see ``acting_as``), and the address recorded is the client's as
    the trusted proxies report it (auditlog would take the first, client-written
    entry of X-Forwarded-For)."""

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        from accounts.client_address import client_address

        return client_address(request)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = auditlog_value.set({})
        try:
            return super().__call__(request)
        finally:
            auditlog_value.reset(token)


def tracked_models() -> list[type[models.Model]]:
    return [apps.get_model(tracked.label) for tracked in TRACKED]


def current_actor() -> User | None:
    """The user the current request (or ``acting_as``) acts as."""
    return auditlog_value.get({}).get("actor")


def _json_changes(
    old: models.Model | None, new: models.Model | None
) -> dict[str, Any] | None:
    return model_instance_diff(
        old, new, use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES
    )


def record_created(objects: Iterable[models.Model]) -> None:
    """A create entry for each of these objects, saved without model signals
    (``bulk_create``), as if each had been saved alone."""
    for obj in objects:
        LogEntry.objects.log_create(
            obj, action=LogEntry.Action.CREATE, changes=_json_changes(None, obj)
        )


def record_bulk_import(
    *,
    actor: User | None,
    counts: Mapping[str, int],
    months: Iterable[tuple[str, date]],
    filename: str = "",
    job: BackgroundJob | None = None,
) -> LogEntry:
    """ONE entry for a bulk import of figures: who, which file, the counts
    (rows new/updated/unchanged/rejected, months created/corrected) and the
    months it touched, per project code. Call it inside the import's
    transaction, after the writes, so the entry exists exactly when they do."""
    touched: dict[str, list[str]] = {}
    for project_code, period in months:
        touched.setdefault(project_code, []).append(f"{period:%Y-%m}")
    touched = {code: sorted(set(periods)) for code, periods in sorted(touched.items())}
    month_count = sum(len(periods) for periods in touched.values())
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(
            apps.get_model("reporting.MonthlyReport")
        ),
        object_pk=str(job.pk) if job is not None else "",
        # In the importer's language, as the rest of what they read.
        object_repr=gettext("Bulk import: %(file)s (%(months)s months)")
        % {"file": filename or "-", "months": month_count},
        action=LogEntry.Action.CREATE,
        changes={"bulk_import": [None, dict(counts)]},
        actor=actor,
        actor_email=getattr(actor, "email", None),
        additional_data={
            "kind": "bulk_import",
            "filename": filename,
            "job": str(job.pk) if job is not None else None,
            "counts": dict(counts),
            "months": touched,
        },
    )


# --- figures of a report version ---------------------------------------------


def version_figures(version_id: int) -> dict[str, int]:
    """A version's figures as trail keys (``figure:measure.key``), with the
    size (never the codes) of its participant roster."""
    from reporting.models import ReportValue, RosterEntry

    figures = {
        f"{FIGURE_PREFIX}{measure}.{key}": value
        for measure, key, value in ReportValue.objects.filter(
            version_id=version_id
        ).values_list("measure", "key", "value")
    }
    roster_size = RosterEntry.objects.filter(version_id=version_id).count()
    if roster_size:
        figures[ROSTER_COUNT] = roster_size
    return figures


class _FigureWatch:
    """Versions whose figures may change in the current transaction, each with
    its figures as they were; at commit, one entry per version whose figures
    differ. The services write figures with bulk operations after saving the
    version, so the difference can only be seen once the transaction is done."""

    def __init__(self) -> None:
        self.before: dict[int, tuple[dict[str, int], User | None]] = {}
        self.done = False

    def watch(
        self, version_id: int, figures: dict[str, int], actor: User | None
    ) -> None:
        self.before.setdefault(version_id, (figures, actor))

    def __call__(self) -> None:
        from reporting.models import ReportVersion

        self.done = True
        for version_id, (before, actor) in self.before.items():
            after = version_figures(version_id)
            changes = {
                key: [before.get(key), after.get(key)]
                for key in sorted(before.keys() | after.keys())
                if before.get(key) != after.get(key)
            }
            version = (
                ReportVersion.objects.filter(pk=version_id)
                .select_related("report__project")
                .first()
            )
            if changes and version is not None:
                LogEntry.objects.log_create(
                    version,
                    action=LogEntry.Action.UPDATE,
                    changes=changes,
                    actor=actor,
                    actor_email=getattr(actor, "email", None),
                )


def _current_watch() -> _FigureWatch | None:
    """This transaction's watch, registered with on_commit on first use. A
    rolled-back transaction drops its callbacks, and with them its watch."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    for _savepoints, callback, *_rest in connection.run_on_commit:
        if isinstance(callback, _FigureWatch) and not callback.done:
            return callback
    watch = _FigureWatch()
    transaction.on_commit(watch)
    return watch


def _watch_version_figures(
    sender: type[models.Model],
    instance: models.Model,
    raw: bool = False,
    **kwargs: object,
) -> None:
    if raw or instance.pk is None:
        return
    watch = _current_watch()
    if watch is not None and instance.pk not in watch.before:
        watch.watch(instance.pk, version_figures(instance.pk), current_actor())


def _watch_new_version_figures(
    sender: type[models.Model],
    instance: models.Model,
    created: bool,
    raw: bool = False,
    **kwargs: object,
) -> None:
    if created and not raw:
        watch = _current_watch()
        if watch is not None:
            watch.watch(instance.pk, {}, current_actor())
