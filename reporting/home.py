"""What the admin home page reads of monthly reports (selectors: nothing here
writes). Each function narrows by ``accounts.access`` first and runs a fixed
number of queries however many rows it returns: the home page is the first
screen of every day, for a district of three projects and for the city of
thousands.

Days are counted in Asia/Seoul: a report due on the 10th is due today from
00:00 KST on the 10th, whatever the date is in UTC.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, F, Q

from accounts import access
from accounts.models import Organisation, User
from projects.models import Project, ProjectStatus
from projects.months import add_months, first_of_month, seoul_today

from .models import MonthlyReport, ReportStatus
from .selectors import due_on, month_rows


def reporting_month(now: datetime) -> date:
    """The month whose reports fall due now: last month, in Seoul."""
    return add_months(first_of_month(seoul_today(now)), -1)


@dataclass(frozen=True)
class MonthToFile:
    """A project's month the district still owes the city."""

    project: Project
    period: date
    due: date
    days_left: int  # negative: days past the due day
    report: MonthlyReport | None

    @property
    def status(self) -> str | None:
        return self.report.status if self.report is not None else None


def months_to_file(*, user: User, now: datetime) -> list[MonthToFile]:
    """Every month up to last month, of the projects the user may see, whose
    report has not yet reached the city (not started, a draft, or waiting for
    the district approver), the nearest due day first. A returned report has
    reached the city once and is listed by ``returned_reports``."""
    today = seoul_today(now)
    last_month = reporting_month(now)
    projects = list(
        access.visible_to(user, Project)
        .exclude(status=ProjectStatus.CANCELLED)
        .filter(period_start__lte=last_month)
        .select_related("district")
        .order_by("code")
    )
    reports: dict[tuple[int, date], MonthlyReport] = {
        (report.project_id, report.period): report
        for report in access.visible_to(user, MonthlyReport).filter(
            project__in=[project.pk for project in projects], period__lte=last_month
        )
    }
    rows = []
    for project in projects:
        for period in project.months:
            if period > last_month:
                break
            report = reports.get((project.pk, period))
            if report is not None and (
                report.first_submitted_at is not None
                or report.status == ReportStatus.ACCEPTED
            ):
                continue
            due = due_on(project, period)
            rows.append(MonthToFile(project, period, due, (due - today).days, report))
    return sorted(rows, key=lambda row: (row.due, row.project.code))


@dataclass(frozen=True)
class ReturnedReport:
    report: MonthlyReport
    reason: str
    returned_by: User | None
    returned_at: datetime | None


def returned_reports(*, user: User) -> list[ReturnedReport]:
    """Reports sent back to the district, with the reason given, oldest month
    first."""
    reports = (
        access.visible_to(user, MonthlyReport)
        .filter(status=ReportStatus.RETURNED)
        .select_related("project", "district", "current_version__decided_by")
        .order_by("period", "project__code")
    )
    rows = []
    for report in reports:
        version = report.current_version
        rows.append(
            ReturnedReport(
                report,
                version.decision_comment if version else "",
                version.decided_by if version else None,
                version.decided_at if version else None,
            )
        )
    return rows


def report_drafts(*, user: User) -> list[MonthlyReport]:
    """Drafts the district has saved and not yet sent (a new month, or the
    correction of a month the city reopened)."""
    return list(
        access.visible_to(user, MonthlyReport)
        .filter(status=ReportStatus.DRAFT)
        .select_related("project", "current_version")
        .order_by("period", "project__code")
    )


def reports_awaiting_signoff(*, user: User) -> list[MonthlyReport]:
    """Reports an officer sent to this district approver, oldest month first."""
    if not access.is_district_approver(user):
        return []
    return list(
        access.visible_to(user, MonthlyReport)
        .filter(status=ReportStatus.AWAITING_APPROVAL)
        .select_related("project", "current_version__submitted_by")
        .order_by("period", "project__code")
    )


def reports_to_decide(*, user: User) -> list[MonthlyReport]:
    """Reports submitted to the city and waiting for its acceptance or
    return, in the order they arrived."""
    if not access.is_city_manager(user):
        return []
    return list(
        access.visible_to(user, MonthlyReport)
        .filter(status=ReportStatus.SUBMITTED)
        .select_related("project", "district", "current_version")
        .order_by("first_submitted_at", "pk")
    )


@dataclass
class DistrictMonth:
    """One district's reports of a month: how many are in, which are not."""

    district: Organisation
    expected: int = 0
    received: int = 0
    missing: list[Project] = field(default_factory=list)


@dataclass
class MonthCompleteness:
    period: date
    expected: int
    received: int
    districts: list[DistrictMonth]

    @property
    def missing_districts(self) -> list[DistrictMonth]:
        return [d for d in self.districts if d.missing]


def month_completeness(*, user: User, now: datetime) -> MonthCompleteness:
    """The reporting month's reports by district: n of N received by the
    city, and the projects whose report has not arrived."""
    period = reporting_month(now)
    rows = month_rows(user=user, period=period, now=now)
    districts: dict[int, DistrictMonth] = {}
    for row in sorted(rows, key=lambda r: (r.project.district.code, r.project.code)):
        holder = districts.setdefault(
            row.project.district_id, DistrictMonth(row.project.district)
        )
        holder.expected += 1
        if row.report is not None and row.report.first_submitted_at is not None:
            holder.received += 1
        else:
            holder.missing.append(row.project)
    return MonthCompleteness(
        period,
        sum(d.expected for d in districts.values()),
        sum(d.received for d in districts.values()),
        list(districts.values()),
    )


def overdue_count(*, user: User, now: datetime) -> int:
    """How many months, of the projects the user may see, are past their due
    day without a report at the city: the length of
    ``reporting.selectors.overdue`` counted by the database (months owed per
    project, less those received) instead of month by month."""
    today = seoul_today(now)
    this_month = first_of_month(today)
    last_month = add_months(this_month, -1)
    projects = (
        access.visible_to(user, Project)
        .exclude(status=ProjectStatus.CANCELLED)
        .filter(period_start__lte=last_month)
    )
    received = {
        row["project_id"]: row
        for row in MonthlyReport.objects.filter(
            project__in=projects.values("pk"),
            first_submitted_at__isnull=False,
            period__lte=last_month,
            # a month outside the project's period (shortened by a change)
            # is not owed, received or not
            period__gte=F("project__period_start"),
        )
        .filter(period__lte=F("project__period_end"))
        .values("project_id")
        .annotate(
            before=Count("pk", filter=Q(period__lt=last_month)),
            last=Count("pk", filter=Q(period=last_month)),
        )
        .order_by()
    }
    count = 0
    for project_id, start, end, due_day in projects.values_list(
        "pk", "period_start", "period_end", "report_due_day"
    ):
        # Past due: every month before last month, and last month once its
        # due day (this month) has ended.
        last_past_due = (
            last_month if today.day > due_day else add_months(last_month, -1)
        )
        last_past_due = min(last_past_due, first_of_month(end))
        first = first_of_month(start)
        if last_past_due < first:
            continue
        owed = (
            (last_past_due.year - first.year) * 12
            + (last_past_due.month - first.month)
            + 1
        )
        row = received.get(project_id)
        if row is not None:
            owed -= row["before"]
            if last_past_due == last_month:
                owed -= row["last"]
        count += max(owed, 0)
    return count
