"""What a district may start a proposal from (its earlier proposals and
projects), which projects it may carry into a call as continuations, and
what a copy could not carry over, in words. Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts import access
from cms.models import english_active

from ..models import CallPage, Proposal, ProposalStatus
from .calls import open_calls_for

if TYPE_CHECKING:
    from accounts.models import User
    from projects.models import Project


@dataclass
class CarrySource:
    kind: str  # "proposal" or "project"
    pk: int
    title: str
    call_title: str
    label: str  # status or project code, in words
    continuation_eligible: bool = False


def copy_sources_for(*, user: User, call: CallPage) -> list[CarrySource]:
    """The user's district's earlier proposals (any call, any status but an
    empty draft of this very call) and projects, newest first. Nothing of
    another district: the lists are narrowed by the access module."""
    from projects.models import Project
    from reporting.evaluation.selectors import continuation_eligible

    if access.user_district(user) is None:
        return []
    proposals = (
        access.visible_to(user, Proposal)
        .select_related("call")
        .order_by("-call__year", "-pk")
    )
    sources = [
        CarrySource(
            kind="proposal",
            pk=proposal.pk,
            title=proposal.title or _("(untitled proposal)"),
            call_title=proposal.call.display_title,
            label=str(proposal.status_label),
        )
        for proposal in proposals
        if not (proposal.call_id == call.pk and proposal.status == ProposalStatus.DRAFT)
    ]
    projects = (
        access.visible_to(user, Project)
        .select_related("call")
        .order_by("-period_start", "code")
    )
    for project in projects:
        sources.append(
            CarrySource(
                kind="project",
                pk=project.pk,
                title=project.display_title,
                call_title=project.call.display_title if project.call_id else "",
                label=project.code,
                continuation_eligible=project.call_id != call.pk
                and continuation_eligible(project),
            )
        )
    return sources


def continuation_calls_for(*, user: User, project: Project) -> list[CallPage]:
    """The open calls this user may carry ``project`` into as a continuation:
    an officer of its district, a project graded for continuation, a call
    other than its own with no continuation of it yet."""
    if not access.is_officer_of(user, project.district):
        return []
    return [
        call
        for call in open_calls_for(district=project.district)
        if continuation_refusal(project=project, call=call, actor=user) is None
    ]


def copy_gap_lines(proposal: Proposal) -> list[str]:
    """What a copy or continuation could not carry over, one sentence each,
    in the reader's language (empty for a proposal written from scratch)."""
    english = english_active()
    lines = []
    for gap in proposal.copy_gaps or []:
        name = gap.get("name_en" if english else "name_ko") or gap.get("name_ko", "")
        code = gap.get("code")
        if code == "indicator_not_offered":
            unit = gap.get("unit_en" if english else "unit_ko", "")
            lines.append(
                _(
                    "Output %(name)s (target %(target)s %(unit)s): this call does not "
                    "offer the indicator. Choose one of the call's indicators for it, "
                    "or leave it out."
                )
                % {"name": name, "target": f"{gap.get('value') or 0:,}", "unit": unit}
            )
        elif code == "target_group_not_offered":
            lines.append(
                _(
                    "Target group %(name)s (%(jobs)s planned jobs): this call does not "
                    "list it. Put the jobs under one of the call's target groups."
                )
                % {"name": name, "jobs": gap.get("value") or 0}
            )
        elif code == "attachment_not_accepted":
            lines.append(
                _(
                    "Attachment %(name)s: this call does not accept its type. Save it "
                    "as PDF, HWP, HWPX, DOCX or XLSX and attach it again."
                )
                % {"name": name}
            )
        elif code == "attachment_missing":
            lines.append(
                _("Attachment %(name)s: its file could not be read. Attach it again.")
                % {"name": name}
            )
        elif code == "over_cap":
            lines.append(
                _(
                    "The city share of KRW %(share)s is above this call's cap of KRW "
                    "%(cap)s: it was copied as it was; lower it before submitting."
                )
                % {
                    "share": f"{gap.get('value') or 0:,}",
                    "cap": f"{gap.get('cap') or 0:,}",
                }
            )
    return lines


def continuation_refusal(
    *, project: Project, call: CallPage, actor: User
) -> ValidationError | None:
    """Why ``actor`` may not carry ``project`` into ``call`` as a continuation
    proposal (None when they may). Only the project's own district's
    officers, only a project whose published grade allows continuation, only
    into another, open call, once per project and call."""
    from reporting.evaluation.selectors import continuation_eligible

    if not access.is_officer_of(actor, project.district):
        return ValidationError(
            _("Only an officer of the project's district carries it forward."),
            code="not_project_district",
        )
    if not continuation_eligible(project):
        return ValidationError(
            _(
                "This project has no published grade that allows continuation, so "
                "it cannot be carried into a new call. Start a new proposal or copy "
                "it instead."
            ),
            code="not_eligible_for_continuation",
        )
    if project.call_id == call.pk:
        return ValidationError(
            _("A project continues in a later call, not in the call it came from."),
            code="same_call",
        )
    existing = (
        Proposal.objects.filter(call=call, continues_project=project)
        .exclude(status=ProposalStatus.WITHDRAWN)
        .first()
    )
    if existing is not None:
        return ValidationError(
            _(
                "This project already has a continuation proposal in this call "
                "(%(title)s). Open and complete that one."
            )
            % {"title": existing.title or _("(untitled proposal)")},
            code="continuation_exists",
        )
    return None
