"""Starting a proposal from what the district wrote before: a copy of one of
its earlier proposals or projects ("copy last year"), or a continuation
proposal (계속 사업) of a project graded for continuation.

Either way the result is a new draft in the open call, with everything that
still fits the new call copied, the district's profile as its contact, and a
list (``Proposal.copy_gaps``) of what could not be carried over — an output
whose indicator the new call does not offer, a target group it does not
list, an attachment of a type it does not accept — so nothing is dropped
without the officer seeing it. A continuation is also marked as such and
linked to the project it continues: the selection funds it from the call's
continuation reserve (``CallPage.continuation_budget``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.services import district_profile_of

from ..attachments import validate_attachment
from ..models import (
    CallPage,
    Proposal,
    ProposalAttachment,
    ProposalBudgetLine,
    ProposalOutput,
    ProposalTargetGroup,
)
from ..selectors.carry import continuation_refusal
from .proposals import proposal_save_draft


class Gap:
    """What could not be carried over (stable codes of ``copy_gaps``)."""

    TARGET_GROUP = "target_group_not_offered"
    INDICATOR = "indicator_not_offered"
    ATTACHMENT = "attachment_not_accepted"
    ATTACHMENT_MISSING = "attachment_missing"
    OVER_CAP = "over_cap"


@dataclass
class _Content:
    """What a source holds, as plain values to copy."""

    title: str
    summary: str = ""
    local_need: str = ""
    delivery_partners: str = ""
    period_start: date | None = None
    period_end: date | None = None
    city_share: int | None = None
    district_share: int | None = None
    # (code, name_ko, name_en, planned jobs)
    target_groups: list[tuple[str, str, str, int]] = field(default_factory=list)
    # (indicator, target)
    outputs: list[tuple[object, int]] = field(default_factory=list)
    # (category, amount)
    budget_lines: list[tuple[str, int]] = field(default_factory=list)
    attachments: list[ProposalAttachment] = field(default_factory=list)
    year: int | None = None  # the programme year the source belongs to


def _from_proposal(source: Proposal) -> _Content:
    return _Content(
        title=source.title,
        summary=source.summary,
        local_need=source.local_need,
        delivery_partners=source.delivery_partners,
        period_start=source.period_start,
        period_end=source.period_end,
        city_share=source.city_share,
        district_share=source.district_share,
        target_groups=[
            (
                row.target_group.code,
                row.target_group.name_ko,
                row.target_group.name_en,
                row.planned_jobs or 0,
            )
            for row in source.target_groups.select_related("target_group")
        ],
        outputs=[
            (row.indicator, row.target)
            for row in source.outputs.select_related("indicator")
        ],
        budget_lines=[(row.category, row.amount) for row in source.budget_lines.all()],
        attachments=list(source.attachments.all()),
        year=source.call.year,
    )


def _from_project(project) -> _Content:
    """A project as agreed now: its plan in force, approved changes included."""
    plan = project.current_plan
    origin = project.source_proposal
    content = _Content(
        title=project.title,
        summary=project.summary,
        local_need=origin.local_need if origin is not None else "",
        delivery_partners=project.delivery_partners,
        attachments=list(origin.attachments.all()) if origin is not None else [],
        year=project.call.year if project.call_id else project.period_start.year - 1,
    )
    if plan is not None:
        content.period_start = plan.period_start
        content.period_end = plan.period_end
        content.city_share = plan.city_share
        content.district_share = plan.district_share
        content.target_groups = [
            (row.code, row.name_ko, row.name_en, row.planned_jobs)
            for row in plan.target_groups.all()
        ]
        content.outputs = [
            (row.indicator, row.target)
            for row in plan.outputs.select_related("indicator")
        ]
        content.budget_lines = [
            (row.name_ko, row.amount) for row in plan.budget_lines.all()
        ]
    return content


def _shifted(month: date | None, years: int) -> date | None:
    if month is None:
        return None
    return month.replace(year=month.year + years, day=1)


def _attachment_copy(attachment: ProposalAttachment) -> ContentFile | str:
    """A new file with the attachment's content, or the reason it cannot be
    carried over (its type is not accepted, or the stored file is gone)."""
    name = attachment.filename
    try:
        with attachment.file.open("rb") as handle:
            content = ContentFile(handle.read(), name=name)
    except (FileNotFoundError, OSError, ValueError):
        return Gap.ATTACHMENT_MISSING
    try:
        validate_attachment(content)
    except ValidationError:
        return Gap.ATTACHMENT
    return content


def _build(
    *, content: _Content, call: CallPage, actor
) -> tuple[Proposal, list[dict], list[tuple[str, ContentFile]]]:
    """The new draft in memory (not saved), what could not be carried over,
    and the attachments to save with it."""
    gaps: list[dict] = []
    years = (call.year - content.year) if content.year else 0
    proposal = Proposal(
        call=call,
        title=content.title,
        summary=content.summary,
        local_need=content.local_need,
        delivery_partners=content.delivery_partners,
        period_start=_shifted(content.period_start, years),
        period_end=_shifted(content.period_end, years),
        city_share=content.city_share,
        district_share=content.district_share,
    )
    profile_apply(proposal, district_profile_of(access.user_district(actor)))

    groups = {group.code: group for group in call.target_groups.all()}
    target_rows = []
    for code, name_ko, name_en, jobs in content.target_groups:
        group = groups.get(code)
        if group is None:
            gaps.append(
                {
                    "code": Gap.TARGET_GROUP,
                    "name_ko": name_ko,
                    "name_en": name_en or name_ko,
                    "value": jobs,
                }
            )
            continue
        target_rows.append(ProposalTargetGroup(target_group=group, planned_jobs=jobs))
    proposal.target_groups = target_rows  # type: ignore[assignment]

    offered = set(call.indicators.values_list("indicator_id", flat=True))
    output_rows, seen = [], set()
    for indicator, target in content.outputs:
        if indicator.pk not in offered:
            gaps.append(
                {
                    "code": Gap.INDICATOR,
                    "name_ko": indicator.name_ko,
                    "name_en": indicator.name_en or indicator.name_ko,
                    "value": target,
                    "unit_ko": indicator.unit_ko,
                    "unit_en": indicator.unit_en or indicator.unit_ko,
                }
            )
            continue
        if indicator.pk in seen:
            continue
        seen.add(indicator.pk)
        output_rows.append(ProposalOutput(indicator=indicator, target=target))
    proposal.outputs = output_rows  # type: ignore[assignment]

    proposal.budget_lines = [  # type: ignore[assignment]
        ProposalBudgetLine(category=category, amount=amount)
        for category, amount in content.budget_lines
    ]

    if (content.city_share or 0) > call.cap_per_project:
        gaps.append(
            {
                "code": Gap.OVER_CAP,
                "name_ko": "",
                "name_en": "",
                "value": content.city_share,
                "cap": call.cap_per_project,
            }
        )

    files = []
    for attachment in content.attachments:
        copied = _attachment_copy(attachment)
        if isinstance(copied, str):
            gaps.append(
                {
                    "code": copied,
                    "name_ko": attachment.title or attachment.filename,
                    "name_en": attachment.title or attachment.filename,
                    "value": attachment.filename,
                }
            )
            continue
        files.append((attachment.title, copied))
    return proposal, gaps, files


def profile_apply(proposal: Proposal, profile) -> Proposal:
    """Put the district profile's department, person in charge, phone and
    address on a new proposal (nothing without a profile)."""
    if profile is not None:
        proposal.contact_department = profile.department
        proposal.contact_person = profile.person_in_charge
        proposal.contact_phone = profile.phone
        proposal.contact_address = profile.address
    return proposal


def proposal_new(*, call: CallPage, actor) -> Proposal:
    """A new, unsaved proposal to ``call`` for the actor's district, its
    contact prefilled from the district profile (the create form's start)."""
    district = access.user_district(actor)
    proposal = Proposal(call=call, district=district, created_by=actor)
    return profile_apply(proposal, district_profile_of(district))


def _require_can_start(*, call: CallPage, actor, now: datetime) -> None:
    if not (
        access.is_district_officer(actor)
        and access.user_district(actor) is not None
        and call.is_open(now)
        and call.is_eligible(access.user_district(actor))
    ):
        raise ValidationError(
            {
                "call": ValidationError(
                    _("This call does not take proposals from your district now."),
                    code="call_not_open_to_district",
                )
            }
        )


def _save(
    *,
    proposal: Proposal,
    gaps: list[dict],
    files: list[tuple[str, ContentFile]],
    actor,
    now: datetime,
) -> Proposal:
    proposal.copy_gaps = gaps
    proposal.attachments = [  # type: ignore[assignment]
        ProposalAttachment(title=title, file=content) for title, content in files
    ]
    return proposal_save_draft(proposal=proposal, actor=actor, now=now)


@transaction.atomic
def proposal_copy(
    *, source: Proposal | object, call: CallPage, actor, now: datetime | None = None
) -> Proposal:
    """A new draft in ``call`` copied from one of the actor's district's
    earlier proposals or projects (any call). Never from another district's:
    that is refused as if the source did not exist."""
    from projects.models import Project

    now = now or timezone.now()
    if not isinstance(source, Proposal | Project):
        raise TypeError("copy a proposal or a project")
    if not access.is_officer_of(actor, source.district):
        raise PermissionDenied
    _require_can_start(call=call, actor=actor, now=now)
    if isinstance(source, Proposal):
        content = _from_proposal(source)
    else:
        content = _from_project(source)
    proposal, gaps, files = _build(content=content, call=call, actor=actor)
    proposal.copied_from = source if isinstance(source, Proposal) else None
    return _save(proposal=proposal, gaps=gaps, files=files, actor=actor, now=now)


@transaction.atomic
def proposal_carry_forward(
    *, project, call: CallPage, actor, now: datetime | None = None
) -> Proposal:
    """A continuation proposal (계속 사업) of ``project`` in ``call``: a draft
    prefilled from the project as agreed now (its plan in force, approved
    changes included), marked as a continuation and linked to the project."""
    from projects.models import Project

    now = now or timezone.now()
    # One continuation per project and call, even when two officers press at once.
    project = Project.objects.select_for_update().get(pk=project.pk)
    refusal = continuation_refusal(project=project, call=call, actor=actor)
    if refusal is not None:
        raise ValidationError({"project": refusal})
    _require_can_start(call=call, actor=actor, now=now)
    proposal, gaps, files = _build(
        content=_from_project(project), call=call, actor=actor
    )
    proposal.continues_project = project
    proposal.copied_from = project.source_proposal
    return _save(proposal=proposal, gaps=gaps, files=files, actor=actor, now=now)
