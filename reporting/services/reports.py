"""Filing a month and moving it through the workflow.

A version's figures are the whole month. Saving a draft replaces every figure
of the draft with exactly what is given; accepting a version puts its figures —
and only its figures — in force for the month (``ReportValue.in_force``). A
figure left out of a resubmission is therefore gone from the month, never kept
from an earlier version.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Min, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from accounts import access
from closeout.rules import refuse_if_closed
from funding.settlement import report_spending_guard
from projects.models import Project
from projects.months import first_of_month, seoul_today

from .. import notifications, workflow
from ..checks import CheckResult, ReportContext, check_report
from ..models import (
    FigureYear,
    MonthlyReport,
    ReportCorrection,
    ReportReopening,
    ReportStatus,
    ReportValue,
    ReportVersion,
    RosterEntry,
)
from ..selectors import (
    arrived_on_time,
    report_context,
    version_differences,
    version_roster,
    version_values,
)

S = ReportStatus


def _locked_report(report: MonthlyReport, actor) -> MonthlyReport:
    """The report, row-locked for the move; out of the actor's sight is refused."""
    report = (
        MonthlyReport.objects.select_for_update()
        .select_related("project", "district")
        .get(pk=report.pk)
    )
    if not access.can_view(actor, report):
        raise PermissionDenied
    return report


def _raise_for(result: CheckResult, comments: dict, *, with_warnings: bool) -> None:
    errors = dict(result.errors)
    if with_warnings:
        for key, message in result.unanswered_warnings(comments).items():
            errors.setdefault(f"comments.{key}", []).append(message)
    if errors:
        # Each message keeps its check's code (``CodedMessage``).
        raise ValidationError(
            {
                key: [ValidationError(m, code=getattr(m, "code", None)) for m in ms]
                for key, ms in errors.items()
            }
        )


def _write_figures(
    version: ReportVersion, result: CheckResult, report: MonthlyReport
) -> None:
    """Replace the version's figures and roster with the checked ones."""
    version.values.all().delete()
    version.roster.all().delete()
    ReportValue.objects.bulk_create(
        ReportValue(
            version=version,
            measure=measure,
            key=key,
            value=value,
            project_id=report.project_id,
            district_id=report.district_id,
            period=report.period,
        )
        for measure, figures in result.values.items()
        for key, value in figures.items()
    )
    RosterEntry.objects.bulk_create(
        RosterEntry(version=version, **row) for row in result.roster
    )


def _new_version(
    report: MonthlyReport, actor, now: datetime, *, copy_of: ReportVersion | None = None
) -> ReportVersion:
    number = (
        report.versions.order_by("-number").values_list("number", flat=True).first()
        or 0
    ) + 1
    version = ReportVersion.objects.create(
        report=report,
        number=number,
        status=S.DRAFT,
        created_by=actor,
        created_at=now,
        updated_at=now,
        narrative=copy_of.narrative if copy_of else "",
        comments=dict(copy_of.comments) if copy_of else {},
        has_roster=copy_of.has_roster if copy_of else False,
    )
    if copy_of is not None:
        ReportValue.objects.bulk_create(
            ReportValue(
                version=version,
                measure=v.measure,
                key=v.key,
                value=v.value,
                project_id=v.project_id,
                district_id=v.district_id,
                period=v.period,
            )
            for v in copy_of.values.all()
        )
        RosterEntry.objects.bulk_create(
            RosterEntry(version=version, **row) for row in version_roster(copy_of)
        )
    return version


@transaction.atomic
def report_save_draft(
    *,
    project: Project,
    period: date,
    actor,
    values: dict,
    narrative: str = "",
    comments: dict[str, str] | None = None,
    roster: list[dict] | None = None,
    now: datetime | None = None,
    context: ReportContext | None = None,
) -> ReportVersion:
    """Save the district's figures for a month as a draft.

    The first save creates the month's report; saving over a draft replaces its
    figures; saving after a return (or a reopening) starts a new version.
    Refuses what may never be stored (see ``check_report``). ``context``: what
    the figures are checked against, when the caller has just read it in the
    same transaction for the same month and day (an upload's preview, where
    reading it twice was a third of the confirm's time); otherwise read here."""
    now = now or timezone.now()
    period = first_of_month(period)
    if not access.can_view(actor, project):
        raise PermissionDenied
    report = (
        MonthlyReport.objects.select_for_update()
        .filter(project=project, period=period)
        .first()
    )
    workflow.require(actor, "save", district=project.district, report=report)
    comments = {k: v for k, v in (comments or {}).items() if (v or "").strip()}
    today = seoul_today(now)
    if context is None or (context.period, context.today) != (period, today):
        context = report_context(project=project, period=period, today=today)
    result = check_report(
        context=context,
        values=values,
        roster=roster,
        texts={"narrative": narrative},
        comments=comments,
        for_submission=False,
    )
    _raise_for(result, comments, with_warnings=False)

    if report is None:
        report = MonthlyReport.objects.create(
            project=project, period=period, district=project.district
        )
    status_before = workflow.current_status(report)
    if status_before == S.DRAFT:
        version = report.current_version
    else:
        version = _new_version(report, actor, now)
    version.narrative = narrative
    version.comments = comments
    version.has_roster = bool(roster)
    version.updated_at = now
    version.save(update_fields=["narrative", "comments", "has_roster", "updated_at"])
    _write_figures(version, result, report)
    if status_before != S.DRAFT:
        workflow.record(
            report=report,
            version=version,
            action="save",
            from_status=status_before,
            to_status=S.DRAFT,
            actor=actor,
            at=now,
        )
    return version


@transaction.atomic
def report_save_and_submit(
    *,
    project: Project,
    period: date,
    actor,
    values: dict,
    narrative: str = "",
    comments: dict[str, str] | None = None,
    roster: list[dict] | None = None,
    now: datetime | None = None,
) -> ReportVersion:
    """Save what the form holds and submit it, all or nothing.

    Every check of a submission runs on the given figures first, so every
    error and every unanswered warning is reported together; a refusal
    leaves the month exactly as it was (no draft written, a returned report
    still returned)."""
    now = now or timezone.now()
    period = first_of_month(period)
    if not access.can_view(actor, project):
        raise PermissionDenied
    report = MonthlyReport.objects.filter(project=project, period=period).first()
    workflow.require(actor, "save", district=project.district, report=report)
    comments = {k: v for k, v in (comments or {}).items() if (v or "").strip()}
    result = check_report(
        context=report_context(project=project, period=period, today=seoul_today(now)),
        values=values,
        roster=roster,
        texts={"narrative": narrative},
        comments=comments,
    )
    _raise_for(result, comments, with_warnings=True)
    version = report_save_draft(
        project=project,
        period=period,
        actor=actor,
        values=values,
        narrative=narrative,
        comments=comments,
        roster=roster,
        now=now,
    )
    return report_submit(report=version.report, actor=actor, now=now)


def _full_check(
    report: MonthlyReport, version: ReportVersion, now: datetime
) -> CheckResult:
    context = report_context(
        project=report.project, period=report.period, today=seoul_today(now)
    )
    return check_report(
        context=context,
        values=version_values(version),
        roster=version_roster(version) if version.has_roster else None,
        texts={"narrative": version.narrative},
        comments=version.comments,
    )


def _mark_received(report: MonthlyReport, now: datetime) -> None:
    if report.first_submitted_at is None:
        report.first_submitted_at = now
        report.arrived_on_time = arrived_on_time(report.project, report.period, now)
        report.save(update_fields=["first_submitted_at", "arrived_on_time"])


def arrivals_rejudge(project: Project) -> int:
    """Judge the project's received reports again against its due day (after
    the day changed); returns how many changed."""
    changed = []
    for report in project.reports.filter(first_submitted_at__isnull=False):
        on_time = arrived_on_time(project, report.period, report.first_submitted_at)
        if report.arrived_on_time != on_time:
            report.arrived_on_time = on_time
            changed.append(report)
    MonthlyReport.objects.bulk_update(changed, ["arrived_on_time"])
    return len(changed)


@transaction.atomic
def report_submit(
    *,
    report: MonthlyReport,
    actor,
    now: datetime | None = None,
    notify: bool = True,
) -> ReportVersion:
    """Send the draft: to the district approver when the call asks for a
    sign-off, to the city otherwise. Every check must pass and every warning
    have a comment. Whoever must act next is told (``notify=False``: loading
    history, as for decisions)."""
    now = now or timezone.now()
    report = _locked_report(report, actor)
    workflow.require(actor, "submit", district=report.district, report=report)
    refuse_if_closed(report.project)
    version = report.current_version
    result = _full_check(report, version, now)
    _raise_for(result, version.comments, with_warnings=True)
    call = report.project.call
    target = (
        S.AWAITING_APPROVAL
        if call is not None and call.requires_approver_signoff
        else S.SUBMITTED
    )
    version.submitted_by = actor
    version.submitted_at = now
    version.warnings = result.warnings
    version.save(update_fields=["submitted_by", "submitted_at", "warnings"])
    if target == S.SUBMITTED:
        _mark_received(report, now)
    workflow.record(
        report=report,
        version=version,
        action="submit",
        from_status=S.DRAFT,
        to_status=target,
        actor=actor,
        at=now,
    )
    if notify and target == S.SUBMITTED:
        notifications.report_reached_city(report, version)
    elif notify:
        notifications.report_awaits_signoff(report, version)
    return version


@transaction.atomic
def report_sign_off(
    *,
    report: MonthlyReport,
    actor,
    note: str = "",
    now: datetime | None = None,
    notify: bool = True,
) -> ReportVersion:
    """The district approver signs the report off; it goes to the city."""
    now = now or timezone.now()
    report = _locked_report(report, actor)
    workflow.require(actor, "sign_off", district=report.district, report=report)
    version = report.current_version
    version.approver_signed_by = actor
    version.approver_signed_at = now
    version.save(update_fields=["approver_signed_by", "approver_signed_at"])
    _mark_received(report, now)
    workflow.record(
        report=report,
        version=version,
        action="sign_off",
        from_status=S.AWAITING_APPROVAL,
        to_status=S.SUBMITTED,
        actor=actor,
        at=now,
        note=note,
    )
    if notify:
        notifications.report_reached_city(report, version)
    return version


def _decide(
    report: MonthlyReport, version: ReportVersion, actor, comment: str, now: datetime
) -> None:
    version.decided_by = actor
    version.decided_at = now
    version.decision_comment = comment
    version.save(update_fields=["decided_by", "decided_at", "decision_comment"])


def _notify_decision(version: ReportVersion, *, notify: bool = True) -> None:
    """Tell the district about the decision (sent after commit). ``notify=False``
    is for loading history (the demo, imports of past years), where no one
    should receive mail about decisions taken years ago."""
    if notify:
        notifications.report_decided(version)


@transaction.atomic
def report_approver_return(
    *,
    report: MonthlyReport,
    actor,
    comment: str,
    now: datetime | None = None,
    notify: bool = True,
) -> ReportVersion:
    """The district approver sends the report back to the officer."""
    now = now or timezone.now()
    report = _locked_report(report, actor)
    workflow.require(
        actor, "approver_return", district=report.district, report=report, note=comment
    )
    version = report.current_version
    # A settled project's spending is closed (funding's one guard).
    report_spending_guard(
        project_id=report.project_id, period=report.period, version_id=version.pk
    )
    _decide(report, version, actor, comment, now)
    workflow.record(
        report=report,
        version=version,
        action="approver_return",
        from_status=S.AWAITING_APPROVAL,
        to_status=S.RETURNED,
        actor=actor,
        at=now,
        note=comment,
    )
    _notify_decision(version, notify=notify)
    return version


@transaction.atomic
def report_return(
    *,
    report: MonthlyReport,
    actor,
    comment: str,
    now: datetime | None = None,
    notify: bool = True,
) -> ReportVersion:
    """The city returns the report with its comment; the district resubmits a new version."""
    now = now or timezone.now()
    report = _locked_report(report, actor)
    workflow.require(
        actor, "return", district=report.district, report=report, note=comment
    )
    version = report.current_version
    # A settled project's spending is closed (funding's one guard).
    report_spending_guard(
        project_id=report.project_id, period=report.period, version_id=version.pk
    )
    _decide(report, version, actor, comment, now)
    workflow.record(
        report=report,
        version=version,
        action="return",
        from_status=S.SUBMITTED,
        to_status=S.RETURNED,
        actor=actor,
        at=now,
        note=comment,
    )
    _notify_decision(version, notify=notify)
    return version


def figure_years_refresh(
    *, project_ids: Iterable[int] | None = None, years: Iterable[int] | None = None
) -> None:
    """Rebuild the roll-up's summary (``FigureYear``) of these projects (ids,
    or a queryset of them) and years — all of them when left out — from the
    figures in force.

    Two statements however many months: a delete and one INSERT … SELECT of
    the figures grouped by project, measure, key and year, pivoted by month."""
    if not isinstance(project_ids, QuerySet | None):
        project_ids = sorted(set(project_ids))
    if years is not None:
        years = sorted(set(years))
    if project_ids == [] or years == []:
        return
    figures = ReportValue.objects.filter(in_force=True)
    stale = FigureYear.objects.all()
    if project_ids is not None:
        figures = figures.filter(project_id__in=project_ids)
        stale = stale.filter(project_id__in=project_ids)
    if years is not None:
        figures = figures.filter(
            Q(*(Q(period__year=year) for year in years), _connector=Q.OR)
        )
        stale = stale.filter(year__in=years)
    stale.delete()
    rows = (
        figures.values(
            "project_id",
            "project__district_id",
            "measure",
            "key",
            year=ExtractYear("period"),
        )
        .annotate(
            first_month=Min(ExtractMonth("period")),
            **{
                name: Sum("value", filter=Q(period__month=number), default=0)
                for number, name in enumerate(FigureYear.MONTHS, start=1)
            },
        )
        .order_by()
    )
    select, params = rows.query.sql_with_params()
    columns = [
        "project_id",
        "district_id",
        "measure",
        "key",
        "year",
        "first_month",
        *FigureYear.MONTHS,
    ]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(FigureYear._meta.db_table)} ({', '.join(map(quote, columns))}) {select}",
            params,
        )
    # The public pages and the open-data API answer 304 until the stamp moves.
    from reporting.evaluation.caching import public_data_changed

    public_data_changed()


def report_close_accepted(
    *,
    report: MonthlyReport,
    version: ReportVersion,
    corrections,
    corrected_by,
    actor,
    now: datetime,
) -> None:
    """The last step of every acceptance (by the city, or of imported history):
    close an open reopening with one correction record per changed figure
    (``corrections`` yields measure, key, old, new), and lock the month on this
    version, and bring the roll-up's summary up to date with it. The caller
    has already put the version's figures in force."""
    reopening = report.reopenings.filter(closed_at__isnull=True).first()
    if reopening is not None:
        ReportCorrection.objects.bulk_create(
            ReportCorrection(
                reopening=reopening,
                measure=measure,
                key=key,
                old_value=old,
                new_value=new,
                corrected_by=corrected_by,
                accepted_by=actor,
                at=now,
            )
            for measure, key, old, new in corrections
        )
        reopening.corrected_version = version
        reopening.closed_at = now
        reopening.save(update_fields=["corrected_version", "closed_at"])
    report.accepted_version = version
    report.is_locked = True
    report.locked_at = now
    report.save(update_fields=["accepted_version", "is_locked", "locked_at"])
    figure_years_refresh(project_ids=[report.project_id], years=[report.period.year])


@transaction.atomic
def report_accept(
    *,
    report: MonthlyReport,
    actor,
    comment: str = "",
    now: datetime | None = None,
    notify: bool = True,
) -> ReportVersion:
    """The city accepts: this version's figures become the month's, the month is
    locked, and a correction after a reopening is recorded figure by figure."""
    now = now or timezone.now()
    report = _locked_report(report, actor)
    workflow.require(actor, "accept", district=report.district, report=report)
    refuse_if_closed(report.project)
    version = report.current_version
    # A settled project's spending is closed (funding's one guard).
    report_spending_guard(
        project_id=report.project_id, period=report.period, version_id=version.pk
    )
    _decide(report, version, actor, comment, now)
    ReportValue.objects.filter(
        project_id=report.project_id, period=report.period, in_force=True
    ).update(in_force=False)
    version.values.update(in_force=True)
    corrections = (
        version_differences(reopening.previous_version, version)
        if (reopening := report.reopenings.filter(closed_at__isnull=True).first())
        else []
    )
    report_close_accepted(
        report=report,
        version=version,
        corrections=corrections,
        corrected_by=version.submitted_by,
        actor=actor,
        now=now,
    )
    workflow.record(
        report=report,
        version=version,
        action="accept",
        from_status=S.SUBMITTED,
        to_status=S.ACCEPTED,
        actor=actor,
        at=now,
        note=comment,
    )
    _notify_decision(version, notify=notify)
    return version


@transaction.atomic
def report_reopen(
    *, report: MonthlyReport, actor, reason: str, now: datetime | None = None
) -> ReportReopening:
    """A city manager unlocks an accepted month, with a reason. A new draft
    version (a copy of the accepted one) is opened for the correction; the
    accepted figures stay in force until the correction is accepted."""
    now = now or timezone.now()
    report = _locked_report(report, actor)
    workflow.require(
        actor, "reopen", district=report.district, report=report, note=reason
    )
    accepted = report.accepted_version
    reopening = ReportReopening.objects.create(
        report=report,
        reopened_by=actor,
        reopened_at=now,
        reason=reason,
        previous_version=accepted,
    )
    version = _new_version(report, actor, now, copy_of=accepted)
    report.is_locked = False
    report.save(update_fields=["is_locked"])
    workflow.record(
        report=report,
        version=version,
        action="reopen",
        from_status=S.ACCEPTED,
        to_status=S.DRAFT,
        actor=actor,
        at=now,
        note=reason,
    )
    return reopening
