"""The admin home page of each role: what to do now, each item a link to the
screen where it is done.

The reads are the apps' selectors (``reporting.home``, ``projects.selectors``,
``competitions.selectors.home``), each narrowed by ``accounts.access``; this
module only turns their rows into items (a title, the link, a line of context,
when it is due, a note such as the reason a report was returned) and groups
them into Wagtail dashboard panels. ``common.wagtail_hooks`` puts the panels
of every role a user has on the home page, in place of Wagtail's page panels.

Days are calendar days in Asia/Seoul.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.ui.components import Component

from accounts import access
from accounts.models import User
from projects.months import SEOUL, month_label, seoul_today

# Wagtail's own panels: pages, their workflows, edits and locks. Our roles do
# not edit pages (the calls are edited by superusers through the page tree),
# so only a superuser keeps them.
WAGTAIL_PAGE_PANELS = frozenset(
    {
        "workflow_objects_to_moderate",
        "user_objects_in_workflow_moderation",
        "recent_edits",
        "locked_pages",
        "whats_new_in_wagtail_version",
    }
)
# Rows shown per list; the rest are behind the list's own screen.
LIST_LIMIT = 10


@dataclass(frozen=True)
class Item:
    """One thing to do, as the home page shows it."""

    title: str
    url: str
    kind: str  # for the markup (data-home-item) and tests
    detail: str = ""
    when: str = ""
    urgent: bool = False
    note: str = ""


@dataclass
class Section:
    """A dashboard panel: a heading, its items (the first ``LIST_LIMIT``), a
    sentence when there are none, and the link to the whole list."""

    key: str
    heading: str
    items: list[Item]
    empty: str = ""
    more_url: str = ""
    more_label: str = ""
    lines: list[str] = field(default_factory=list)  # sentences above the items
    total: int = 0

    def __post_init__(self) -> None:
        self.total = len(self.items)
        self.items = self.items[:LIST_LIMIT]

    @property
    def hidden(self) -> int:
        return self.total - len(self.items)


# --- words ---------------------------------------------------------------------


def month_words(period: date) -> str:
    """ "2019년 9월" / "September 2019"."""
    return date_format(period, "YEAR_MONTH_FORMAT")


def seoul_time(moment: datetime) -> str:
    return moment.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M")


def days_words(days: int) -> str:
    """Days until a due day (negative: past it), as a person says it."""
    if days == 0:
        return _("Due today")
    if days > 0:
        return ngettext("%(days)s day left", "%(days)s days left", days) % {
            "days": days
        }
    return ngettext("%(days)s day late", "%(days)s days late", -days) % {"days": -days}


def deadline_words(deadline: datetime, now: datetime) -> str:
    """Time left to a call's deadline: days (in Seoul) and, on the last day,
    hours."""
    days = (deadline.astimezone(SEOUL).date() - seoul_today(now)).days
    if days > 0:
        return days_words(days)
    hours = max(int((deadline - now).total_seconds() // 3600), 0)
    return ngettext(
        "Closes today: %(hours)s hour left",
        "Closes today: %(hours)s hours left",
        hours,
    ) % {"hours": hours}


def person(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _joined(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


# --- the panels ------------------------------------------------------------------


class RoleHome(Component):
    """The sections of one role's home, as Wagtail dashboard panels."""

    template_name = "common/home/sections.html"
    name = "role_home"
    order = 10

    def __init__(self, user: User, now: datetime | None = None) -> None:
        self.user = user
        self.now = now

    def sections(self, now: datetime) -> list[Section]:
        raise NotImplementedError

    def get_context_data(
        self, parent_context: Mapping[str, Any] | None = None
    ) -> Mapping[str, Any]:
        now = self.now or timezone.now()
        return {"sections": self.sections(now), "role": self.name}


class OfficerHome(RoleHome):
    """A district officer: reports to file, what came back, drafts, open calls,
    change requests waiting for the city."""

    name = "officer_home"
    order = 10

    def sections(self, now: datetime) -> list[Section]:
        from competitions.selectors.home import open_calls, proposal_drafts
        from projects.selectors import (
            change_requests_pending,
            change_requests_rejected_recently,
        )
        from reporting.home import months_to_file, report_drafts, returned_reports
        from reporting.models import ReportStatus

        user = self.user
        to_file = months_to_file(user=user, now=now)
        due_items = []
        for row in to_file:
            # A month with a report opens its page (figures, the web form,
            # the spreadsheet, sending); one not started opens the form.
            if row.report is not None:
                url = reverse("reporting_report", args=[row.report.pk])
                state = (
                    _("Waiting for your district's approver")
                    if row.status == ReportStatus.AWAITING_APPROVAL
                    else _("Draft saved")
                )
            else:
                url = reverse(
                    "reporting_report_form",
                    args=[row.project.pk, month_label(row.period)],
                )
                state = _("Not started")
            due_items.append(
                Item(
                    title=f"{row.project.code} {row.project.display_title}",
                    url=url,
                    kind="report-due",
                    detail=_joined(
                        month_words(row.period),
                        _("due %(day)s") % {"day": row.due.isoformat()},
                        state,
                    ),
                    when=days_words(row.days_left),
                    urgent=row.days_left <= 3,
                )
            )

        returned_items = [
            Item(
                title=f"{r.report.project.code} {r.report.project.display_title}",
                url=reverse("reporting_report", args=[r.report.pk]),
                kind="report-returned",
                detail=_joined(
                    _("Monthly report of %(month)s")
                    % {"month": month_words(r.report.period)},
                    person(r.returned_by),
                    seoul_time(r.returned_at) if r.returned_at else "",
                ),
                note=r.reason,
                urgent=True,
            )
            for r in returned_reports(user=user)
        ]
        drafts = proposal_drafts(user=user)
        returned_items += [
            Item(
                title=d.proposal.title or _("Untitled proposal"),
                url=reverse("proposals:edit", args=[d.proposal.pk]),
                kind="proposal-returned",
                detail=_joined(
                    _("Proposal to %(call)s") % {"call": d.proposal.call.display_title},
                    seoul_time(d.returned_at) if d.returned_at else "",
                ),
                note=d.returned_note,
                urgent=True,
            )
            for d in drafts
            if d.returned
        ]
        returned_items += [
            Item(
                title=str(change.project),
                url=reverse("projects:inspect", args=[change.project_id]),
                kind="change-rejected",
                detail=_joined(
                    _("Change request from %(month)s, rejected")
                    % {"month": month_words(change.effective_from)},
                    person(change.decided_by),
                    seoul_time(change.decided_at) if change.decided_at else "",
                ),
                note=change.decision_note,
            )
            for change in change_requests_rejected_recently(user=user, now=now)
        ]

        listed = {(row.project.pk, row.period) for row in to_file}
        draft_items = [
            Item(
                title=f"{report.project.code} {report.project.display_title}",
                url=reverse("reporting_report", args=[report.pk]),
                kind="report-draft",
                detail=_joined(
                    _("Monthly report of %(month)s")
                    % {"month": month_words(report.period)},
                    _("saved %(at)s")
                    % {"at": seoul_time(report.current_version.updated_at)}
                    if report.current_version
                    else "",
                ),
            )
            for report in report_drafts(user=user)
            if (report.project_id, report.period) not in listed
        ]
        draft_items += [
            Item(
                title=d.proposal.title or _("Untitled proposal"),
                url=reverse("proposals:edit", args=[d.proposal.pk]),
                kind="proposal-draft",
                detail=_("Proposal to %(call)s")
                % {"call": d.proposal.call.display_title},
                when=deadline_words(d.proposal.call.deadline, now)
                if d.proposal.call.deadline > now
                else _("Closed"),
            )
            for d in drafts
            if not d.returned
        ]

        call_items = []
        for row in open_calls(user=user, now=now):
            call = row.call
            if row.may_start:
                url = f"{reverse('proposals:add')}?call={call.pk}"
                state = _("Start a proposal")
            else:
                url = f"{reverse('proposals:index')}?call={call.pk}"
                state = _("Your district has sent as many proposals as allowed")
            call_items.append(
                Item(
                    title=call.display_title,
                    url=url,
                    kind="open-call",
                    detail=_joined(
                        _("deadline %(at)s") % {"at": seoul_time(call.deadline)},
                        ngettext(
                            "%(count)s of %(max)s proposal sent",
                            "%(count)s of %(max)s proposals sent",
                            call.max_proposals_per_district,
                        )
                        % {
                            "count": row.proposals_counted,
                            "max": call.max_proposals_per_district,
                        },
                        state,
                    ),
                    when=deadline_words(call.deadline, now),
                    urgent=(call.deadline - now).days < 3,
                )
            )

        change_items = [
            Item(
                title=str(change.project),
                url=reverse("projects:inspect", args=[change.project_id]),
                kind="change-pending",
                detail=_joined(
                    _("Applies from %(month)s")
                    % {"month": month_words(change.effective_from)},
                    _("proposed %(at)s") % {"at": seoul_time(change.proposed_at)},
                ),
                note=change.reason,
            )
            for change in change_requests_pending(user=user)
        ]
        return [
            Section(
                "reports-due",
                _("Monthly reports to file"),
                due_items,
                empty=_("Every report due so far has reached the city."),
                more_url=reverse("reporting_overdue"),
                more_label=_("All overdue reports"),
            ),
            Section(
                "returned",
                _("Returned to you"),
                returned_items,
                empty=_("Nothing was returned to you."),
            ),
            Section(
                "drafts",
                _("Drafts in progress"),
                draft_items,
                empty=_("No draft in progress."),
            ),
            Section(
                "open-calls",
                _("Open calls"),
                call_items,
                empty=_("No call is open to your district now."),
            ),
            Section(
                "changes",
                _("Change requests waiting for the city"),
                change_items,
                empty=_("No change request is waiting for the city."),
            ),
        ]


class ApproverHome(RoleHome):
    """A district approver: what awaits their sign-off."""

    name = "approver_home"
    order = 20

    def sections(self, now: datetime) -> list[Section]:
        from competitions.selectors.home import (
            calls_needing_signoff,
            proposals_awaiting_signoff,
        )
        from projects.selectors import projects_needing_signoff
        from reporting.home import reports_awaiting_signoff

        user = self.user
        items = [
            Item(
                title=f"{report.project.code} {report.project.display_title}",
                url=reverse("reporting_report", args=[report.pk]),
                kind="report-signoff",
                detail=_joined(
                    _("Monthly report of %(month)s")
                    % {"month": month_words(report.period)},
                    person(report.current_version.submitted_by)
                    if report.current_version
                    else "",
                ),
            )
            for report in reports_awaiting_signoff(user=user)
        ]
        items += [
            Item(
                title=proposal.title or _("Untitled proposal"),
                url=reverse("proposals:inspect", args=[proposal.pk]),
                kind="proposal-signoff",
                detail=_("Proposal to %(call)s")
                % {"call": proposal.call.display_title},
                when=deadline_words(proposal.call.deadline, now)
                if proposal.call.deadline > now
                else _("Closed"),
                urgent=(proposal.call.deadline - now).days < 3,
            )
            for proposal in proposals_awaiting_signoff(user=user)
        ]
        district = access.user_district(user)
        lines = []
        if (
            not items
            and not calls_needing_signoff(district=district, now=now).exists()
            and not projects_needing_signoff(district=district).exists()
        ):
            lines.append(
                _(
                    "No call or project of your district requires your sign-off: "
                    "officers send proposals and reports straight to the city."
                )
            )
        return [
            Section(
                "signoff",
                _("Waiting for your sign-off"),
                items,
                empty="" if lines else _("Nothing waits for your sign-off."),
                lines=lines,
            )
        ]


class ReviewerHome(RoleHome):
    """A reviewer: assignments by call, with progress and the review deadline."""

    name = "reviewer_home"
    order = 30

    def sections(self, now: datetime) -> list[Section]:
        from competitions.selectors.home import reviewer_assignments

        today = seoul_today(now)
        sections = []
        for group in reviewer_assignments(user=self.user):
            call = group.call
            lines = [
                _(
                    "%(declared)s of %(total)s declared, %(scored)s scored, "
                    "%(submitted)s submitted."
                )
                % {
                    "declared": group.declared,
                    "total": group.total,
                    "scored": group.scored,
                    "submitted": group.submitted,
                }
            ]
            if group.review_ends_on:
                lines.append(
                    _("Review ends on %(day)s (%(left)s).")
                    % {
                        "day": group.review_ends_on.isoformat(),
                        "left": days_words((group.review_ends_on - today).days),
                    }
                )
            items = []
            for progress in group.assignments:
                assignment = progress.assignment
                proposal = assignment.proposal
                if progress.submitted:
                    state = _("Submitted")
                elif not progress.declared:
                    state = _("Declare your conflict of interest first")
                else:
                    state = _("%(scored)s of %(criteria)s criteria scored") % {
                        "scored": progress.scored,
                        "criteria": progress.criteria,
                    }
                items.append(
                    Item(
                        title=_joined(proposal.receipt_number or "", proposal.title),
                        url=reverse("review_assignment", args=[assignment.pk]),
                        kind="assignment",
                        detail=_joined(proposal.district.name, state),
                    )
                )
            sections.append(
                Section(
                    f"assignments-{call.pk}",
                    _("Your review: %(call)s") % {"call": call.display_title},
                    items,
                    lines=lines,
                    more_url=reverse("review_my_assignments"),
                    more_label=_("All your assignments"),
                )
            )
        if not sections:
            sections.append(
                Section(
                    "assignments",
                    _("Your review"),
                    [],
                    empty=_("Nothing is assigned to you for review now."),
                )
            )
        return sections


class CityHome(RoleHome):
    """A city manager: what waits for them, the reporting month's completeness
    by district, overdue reports and the calls by stage."""

    name = "city_home"
    order = 5

    def sections(self, now: datetime) -> list[Section]:
        from competitions.selectors.home import (
            Stage,
            assignments_ended_by_tie,
            call_pipeline,
            conflicts_to_reassign,
        )
        from projects.selectors import change_requests_pending
        from reporting.home import month_completeness, overdue_count, reports_to_decide

        user = self.user
        waiting = [
            Item(
                title=f"{report.project.code} {report.project.display_title}",
                url=reverse("reporting_report", args=[report.pk]),
                kind="report-submitted",
                detail=_joined(
                    _("Monthly report of %(month)s")
                    % {"month": month_words(report.period)},
                    report.district.name,
                    _("received %(at)s") % {"at": seoul_time(report.first_submitted_at)}
                    if report.first_submitted_at
                    else "",
                ),
            )
            for report in reports_to_decide(user=user)
        ]
        waiting += [
            Item(
                title=str(change.project),
                url=reverse("projects:inspect", args=[change.project_id]),
                kind="change-proposed",
                detail=_joined(
                    _("Change request, applies from %(month)s")
                    % {"month": month_words(change.effective_from)},
                    change.project.district.name,
                    person(change.proposed_by),
                ),
                note=change.reason,
            )
            for change in change_requests_pending(user=user)
        ]
        waiting += [
            Item(
                title=_joined(
                    declaration.proposal.receipt_number or "",
                    declaration.proposal.title,
                ),
                url=reverse("review_panel", args=[declaration.proposal.call_id]),
                kind="conflict",
                detail=_joined(
                    _("%(reviewer)s declared a conflict: assign another reviewer")
                    % {"reviewer": person(declaration.reviewer)},
                    declaration.proposal.district.name,
                ),
                note=declaration.note,
            )
            for declaration in conflicts_to_reassign(user=user)
        ]
        waiting += [
            Item(
                title=_joined(
                    assignment.proposal.receipt_number or "", assignment.proposal.title
                ),
                url=reverse("review_panel", args=[assignment.proposal.call_id]),
                kind="ended-by-tie",
                detail=_joined(
                    _(
                        "%(reviewer)s's assignment ended by a tie: assign another reviewer"
                    )
                    % {"reviewer": person(assignment.reviewer)},
                    assignment.proposal.district.name,
                ),
            )
            for assignment in assignments_ended_by_tie(user=user)
        ]

        month = month_completeness(user=user, now=now)
        month_url = f"{reverse('reporting_month')}?month={month_label(month.period)}"
        overdue = overdue_count(user=user, now=now)
        completeness_items = [
            Item(
                title=district.district.name,
                url=month_url,
                kind="district-month",
                detail=_("%(received)s of %(expected)s in")
                % {
                    "received": district.received,
                    "expected": district.expected,
                },
                note=_("Missing: %(projects)s")
                % {"projects": ", ".join(p.code for p in district.missing)}
                if district.missing
                else "",
                urgent=bool(district.missing),
            )
            for district in month.districts
        ]
        month_lines = []
        if month.expected:
            month_lines.append(
                _(
                    "%(received)s of %(expected)s reports of %(month)s "
                    "have reached the city."
                )
                % {
                    "received": month.received,
                    "expected": month.expected,
                    "month": month_words(month.period),
                }
            )
        overdue_line = ngettext(
            "%(count)s report is overdue.", "%(count)s reports are overdue.", overdue
        ) % {"count": overdue}

        stage_names = {
            Stage.DRAFT: _("Not yet on the site"),
            Stage.UPCOMING: _("Upcoming"),
            Stage.OPEN: _("Open"),
            Stage.IN_REVIEW: _("In review"),
            Stage.PUBLISHED: _("Results published"),
        }
        stages = call_pipeline(user=user, now=now)
        pipeline_lines = [
            " · ".join(
                f"{stage_names[stage]} {len(stages.get(stage, []))}"
                for stage in Stage.ORDER
            )
        ]
        pipeline_items = []
        for stage in (Stage.OPEN, Stage.IN_REVIEW, Stage.UPCOMING, Stage.DRAFT):
            for row in stages.get(stage, []):
                call = row.call
                if stage == Stage.IN_REVIEW:
                    url = reverse("review_ranking", args=[call.pk])
                    detail = _(
                        "%(proposals)s proposals, %(reviewed)s of %(assigned)s "
                        "reviews submitted"
                    ) % {
                        "proposals": row.proposals,
                        "reviewed": row.reviews_submitted,
                        "assigned": row.reviews_expected,
                    }
                    when = ""
                else:
                    url = reverse("wagtailadmin_pages:edit", args=[call.pk])
                    detail = _("%(proposals)s proposals sent") % {
                        "proposals": row.proposals
                    }
                    when = (
                        deadline_words(call.deadline, now)
                        if stage == Stage.OPEN
                        else ""
                    )
                pipeline_items.append(
                    Item(
                        title=call.display_title,
                        url=url,
                        kind=f"call-{stage}",
                        detail=_joined(stage_names[stage], detail),
                        when=when,
                    )
                )
        return [
            Section(
                "waiting",
                _("Waiting for you"),
                waiting,
                empty=_("Nothing waits for your decision."),
                more_url=f"{reverse('monthly_reports:index')}?status=submitted",
                more_label=_("All submitted reports"),
            ),
            Section(
                "month",
                _("Reports of %(month)s") % {"month": month_words(month.period)},
                completeness_items,
                lines=month_lines,
                empty=_("No project owes a report for this month."),
                more_url=month_url,
                more_label=_("The month's reports"),
            ),
            Section(
                "overdue",
                _("Overdue reports"),
                [],
                lines=[overdue_line],
                more_url=reverse("reporting_overdue"),
                more_label=_("The overdue list"),
            ),
            Section(
                "calls",
                _("Calls"),
                pipeline_items,
                lines=pipeline_lines,
                more_url=reverse("review_calls"),
                more_label=_("Review and selection"),
            ),
        ]


class NoticesHome(RoleHome):
    """The person's unread notices (the inbox's own records), first on every
    role's home: what reached them, each a link that opens it and marks it read."""

    name = "notices_home"
    order = 5

    def sections(self, now: datetime) -> list[Section]:
        from notifications.rendering import subject_of
        from notifications.selectors import inbox

        unread = inbox(self.user).filter(read_at__isnull=True)
        total = unread.count()
        items = [
            Item(
                title=subject_of(notice),
                url=reverse("notifications_open", args=[notice.pk]),
                kind=f"notice-{notice.kind}",
                detail=seoul_time(notice.created_at),
                when=days_words(
                    (notice.due.astimezone(SEOUL).date() - seoul_today(now)).days
                )
                if notice.due
                else "",
                urgent=notice.mandatory,
                note=notice.reason,
            )
            for notice in unread[:LIST_LIMIT]
        ]
        section = Section(
            key="notices",
            heading=_("Unread notices"),
            items=items,
            empty=_("No unread notice."),
            more_url=reverse("notifications_inbox") + "?unread=1",
            more_label=_("All notices"),
        )
        section.total = total
        return [section]


def panels_for(user: User, now: datetime | None = None) -> Sequence[RoleHome]:
    """The home panels of every role the user has, the unread notices first."""
    panels: list[RoleHome] = []
    if (
        access.is_city_manager(user)
        or access.is_reviewer(user)
        or access.user_district(user) is not None
    ):
        panels.append(NoticesHome(user, now))
    if access.is_city_manager(user):
        panels.append(CityHome(user, now))
    if access.is_district_officer(user) and access.user_district(user) is not None:
        panels.append(OfficerHome(user, now))
    if access.is_district_approver(user) and access.user_district(user) is not None:
        panels.append(ApproverHome(user, now))
    if access.is_reviewer(user):
        panels.append(ReviewerHome(user, now))
    return panels
