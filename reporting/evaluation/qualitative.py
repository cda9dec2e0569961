"""The qualitative part of the year-end evaluation, scored by reviewers.

The city assigns reviewers to a scheme (``evaluation_reviewer_assign``): users
with the reviewer role or members of the reviewer pool. Each reviewer scores
every project of the scheme's call except those of a district they are tied
to — their own organisation or a declared tie, the rule of proposal review
(``competitions.selectors.review.tied_organisation_ids``) — from 0 to 100 with
a comment (``qualitative_score_submit``); they never see another reviewer's
score, nor, when the scheme is blind, the project's district or code. The
scheme's (trimmed) mean combines the scores (``services.qualitative_of``).
The city sees who has scored what (``qualitative_progress``) and reminds
(``evaluation_reviewers_remind``); it never enters a score for a reviewer.

Reads first, then the services that change data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from notifications.rendering import in_languages
from notifications.services import notify
from projects.models import Project

from .models import EvaluationReviewer, EvaluationScheme, QualitativeScore

# --- reads ----------------------------------------------------------------------


def _tied_organisation_ids(reviewer: User) -> set[int]:
    from competitions.selectors.review import tied_organisation_ids

    return tied_organisation_ids(reviewer=reviewer)


def is_assigned(*, scheme: EvaluationScheme, reviewer: User) -> bool:
    return EvaluationReviewer.objects.filter(scheme=scheme, reviewer=reviewer).exists()


def scheme_projects(*, scheme: EvaluationScheme) -> QuerySet[Project]:
    return Project.objects.filter(call=scheme.call)


def projects_to_score(*, scheme: EvaluationScheme, reviewer: User) -> QuerySet[Project]:
    """The scheme's projects this reviewer scores: all but their tied districts'."""
    return (
        scheme_projects(scheme=scheme)
        .exclude(district_id__in=_tied_organisation_ids(reviewer))
        .order_by("pk")
    )


def may_score(*, scheme: EvaluationScheme, reviewer: User, project: Project) -> bool:
    """Assigned to the scheme, the project one of its call's, and no tie."""
    return (
        access.is_active_user(reviewer)
        and project.call_id == scheme.call_id
        and is_assigned(scheme=scheme, reviewer=reviewer)
        and project.district_id not in _tied_organisation_ids(reviewer)
    )


def eligible_reviewers(*, scheme: EvaluationScheme) -> QuerySet[User]:
    """Who the city may assign: active users with the reviewer role or in the
    reviewer pool, not yet assigned to this scheme."""
    from accounts.roles import Role

    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__role__code=Role.REVIEWER) | Q(pool_membership__isnull=False))
        .exclude(evaluation_assignments__scheme=scheme)
        .distinct()
        .order_by("username")
    )


@dataclass
class ReviewerProgress:
    """One assigned reviewer's progress on a scheme (what the city sees)."""

    assignment: EvaluationReviewer
    to_score: int  # projects they score (their tied districts' left out)
    scored: int
    tied: int  # projects left out because of a tie

    @property
    def left(self) -> int:
        return max(self.to_score - self.scored, 0)

    @property
    def done(self) -> bool:
        return self.to_score > 0 and self.left == 0


@dataclass
class ProjectProgress:
    project: Project
    scores: int  # how many reviewers scored it
    reviewers: int  # how many assigned reviewers may score it


def qualitative_progress(
    *, scheme: EvaluationScheme
) -> tuple[list[ReviewerProgress], list[ProjectProgress]]:
    """Per reviewer: projects to score, scored, left, left out by a tie; per
    project: how many of the reviewers who may score it have. No scores."""
    projects = list(scheme_projects(scheme=scheme).select_related("district"))
    assignments = list(
        EvaluationReviewer.objects.filter(scheme=scheme).select_related(
            "reviewer", "reviewer__organisation"
        )
    )
    scored: dict[int, set[int]] = {}
    for reviewer_id, project_id in QualitativeScore.objects.filter(
        scheme=scheme
    ).values_list("reviewer_id", "project_id"):
        scored.setdefault(reviewer_id, set()).add(project_id)
    reviewers: list[ReviewerProgress] = []
    may: dict[int, int] = {project.pk: 0 for project in projects}
    done: dict[int, int] = {project.pk: 0 for project in projects}
    for assignment in assignments:
        tied = _tied_organisation_ids(assignment.reviewer)
        theirs = {p.pk for p in projects if p.district_id not in tied}
        mine = scored.get(assignment.reviewer_id, set()) & theirs
        for pk in theirs:
            may[pk] += 1
        for pk in mine:
            done[pk] += 1
        reviewers.append(
            ReviewerProgress(
                assignment=assignment,
                to_score=len(theirs),
                scored=len(mine),
                tied=len(projects) - len(theirs),
            )
        )
    return reviewers, [
        ProjectProgress(project=p, scores=done[p.pk], reviewers=may[p.pk])
        for p in projects
    ]


@dataclass
class ReviewerLine:
    """A project as a reviewer sees it: no district or code when blind, and
    only their own score."""

    project: Project
    label: str
    score: Decimal | None
    comment: str
    # What the reviewer typed when a save was refused, with the reasons.
    typed: dict | None = None


def reviewer_lines(*, scheme: EvaluationScheme, reviewer: User) -> list[ReviewerLine]:
    own = {
        row.project_id: row
        for row in QualitativeScore.objects.filter(scheme=scheme, reviewer=reviewer)
    }
    lines = []
    for number, project in enumerate(
        projects_to_score(scheme=scheme, reviewer=reviewer).select_related("district"),
        start=1,
    ):
        label = project_label(scheme=scheme, project=project, number=number)
        row = own.get(project.pk)
        lines.append(
            ReviewerLine(
                project=project,
                label=label,
                score=row.score if row else None,
                comment=row.comment if row else "",
            )
        )
    return lines


def project_label(*, scheme: EvaluationScheme, project: Project, number: int) -> str:
    """How a reviewer sees a project: blind, a number and its title."""
    if scheme.qualitative_blind:
        return _("Project %(number)s: %(title)s") % {
            "number": number,
            "title": project.display_title,
        }
    return f"{project.code} {project.display_title} ({project.district.name})"


def schemes_for_reviewer(*, reviewer: User) -> list[tuple[EvaluationScheme, int, int]]:
    """The schemes a reviewer is assigned to, with (scored, to score)."""
    rows = []
    for assignment in EvaluationReviewer.objects.filter(
        reviewer=reviewer
    ).select_related("scheme", "scheme__call"):
        scheme = assignment.scheme
        theirs = projects_to_score(scheme=scheme, reviewer=reviewer)
        scored = QualitativeScore.objects.filter(
            scheme=scheme, reviewer=reviewer, project__in=theirs
        ).count()
        rows.append((scheme, scored, theirs.count()))
    return rows


# --- changes --------------------------------------------------------------------


def _require_manager(actor: User) -> None:
    if not access.can(actor, "manage_evaluation"):
        raise PermissionDenied


def _require_open(scheme: EvaluationScheme) -> None:
    from .models import published_refusal

    if EvaluationScheme.objects.filter(
        pk=scheme.pk, published_at__isnull=False
    ).exists():
        raise published_refusal()


@transaction.atomic
def evaluation_reviewer_assign(
    *,
    scheme: EvaluationScheme,
    reviewer: User,
    actor: User,
    now: datetime | None = None,
) -> EvaluationReviewer:
    """The city assigns a reviewer (reviewer role or pool member) to score the
    scheme's projects. Assigning twice gives the assignment back."""
    _require_manager(actor)
    _require_open(scheme)
    existing = EvaluationReviewer.objects.filter(
        scheme=scheme, reviewer=reviewer
    ).first()
    if existing is not None:
        return existing
    if not eligible_reviewers(scheme=scheme).filter(pk=reviewer.pk).exists():
        raise ValidationError(
            _(
                "%(person)s is not a reviewer: assign someone with the reviewer role "
                "or from the reviewer pool."
            )
            % {"person": reviewer.username},
            code="not_a_reviewer",
        )
    return EvaluationReviewer.objects.create(
        scheme=scheme,
        reviewer=reviewer,
        assigned_by=actor,
        assigned_at=now or timezone.now(),
    )


@transaction.atomic
def evaluation_reviewer_unassign(
    *, scheme: EvaluationScheme, reviewer: User, actor: User
) -> None:
    """Only a reviewer who has scored nothing yet: a score given stays."""
    _require_manager(actor)
    _require_open(scheme)
    if QualitativeScore.objects.filter(scheme=scheme, reviewer=reviewer).exists():
        raise ValidationError(
            _(
                "%(person)s has already scored projects of this evaluation; their "
                "scores stay, so the assignment stays too."
            )
            % {"person": reviewer.username},
            code="reviewer_has_scores",
        )
    EvaluationReviewer.objects.filter(scheme=scheme, reviewer=reviewer).delete()


def _score_value(text: object) -> Decimal:
    from .services import _score_value as checked

    return checked(text)


@transaction.atomic
def qualitative_score_submit(
    *,
    scheme: EvaluationScheme,
    project: Project,
    score: object,
    comment: str,
    actor: User,
    now: datetime | None = None,
) -> QualitativeScore:
    """A reviewer's own qualitative score of one project (0–100, two decimals
    at most) with a comment; changed freely until the grades are published.
    Refused to anyone not assigned, and for a project of a tied district (a
    404 to the views, so an id guessed tells nothing)."""
    if not may_score(scheme=scheme, reviewer=actor, project=project):
        raise PermissionDenied
    _require_open(scheme)
    value = _score_value(score)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {
                "comment": ValidationError(
                    _("Comment: say in a sentence or two why you give this score."),
                    code="comment_required",
                )
            }
        )
    row, _created = QualitativeScore.objects.update_or_create(
        scheme=scheme,
        project=project,
        reviewer=actor,
        defaults={
            "score": value,
            "comment": comment,
            "entered_at": now or timezone.now(),
        },
    )
    return row


@transaction.atomic
def evaluation_reviewers_remind(
    *, scheme: EvaluationScheme, actor: User, now: datetime | None = None
) -> int:
    """E-mail every assigned reviewer with projects left to score (each in
    their language, after the commit); returns how many are reminded."""
    from .tasks import send_qualitative_reminders as send_qualitative_reminders_task

    _require_manager(actor)
    _require_open(scheme)
    now = now or timezone.now()
    progress, _projects = qualitative_progress(scheme=scheme)
    waiting = [row.assignment for row in progress if row.left]
    EvaluationReviewer.objects.filter(pk__in=[a.pk for a in waiting]).update(
        reminded_at=now
    )
    ids = [a.pk for a in waiting]
    if ids:
        transaction.on_commit(lambda: send_qualitative_reminders_task.delay(ids))
    return len(ids)


def qualitative_reminders_send(*, assignment_ids: list[int]) -> int:
    """The reminders (called by the task), each a notice the reviewer reads in
    their language. Returns the notices made."""
    made = 0
    for assignment in EvaluationReviewer.objects.filter(
        pk__in=assignment_ids
    ).select_related("scheme", "scheme__call", "reviewer"):
        reviewer = assignment.reviewer
        scheme = assignment.scheme
        theirs = projects_to_score(scheme=scheme, reviewer=reviewer)
        total = theirs.count()
        scored = QualitativeScore.objects.filter(
            scheme=scheme, reviewer=reviewer, project__in=theirs
        ).count()
        left = total - scored
        if left <= 0:
            continue
        call = scheme.call
        reminded = assignment.reminded_at or timezone.now()
        made += notify(
            recipients=[reviewer],
            kind="evaluation_scoring_reminder",
            dedupe_key=(f"evaluation-reminder:{assignment.pk}:{reminded:%Y%m%d%H%M%S}"),
            params={
                "count": left,
                "left": left,
                "total": total,
                "year": scheme.year,
                "call": in_languages(lambda call=call: call.display_title),
            },
            link=reverse("evaluation_qualitative_mine"),
            call=call.pk,
        )
    return made
