"""Report reminders (daily, by Celery beat) and decision e-mails. Thin: ids and
plain data in, services do the work; each task imports its services inside, so
that the services import these tasks at module level without an import circle."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from projects.months import seoul_today

from . import notifications
from .models import ReportStatus, ReportVersion


@shared_task
def send_report_reminders(today: str | None = None) -> int:
    """Daily: remind districts of reports due soon, due today and overdue.
    ``today`` (ISO date, Asia/Seoul) is for tests and catching up; idempotent."""
    from .services import reminders_send

    day = date.fromisoformat(today) if today else seoul_today(timezone.now())
    return len(reminders_send(today=day))


@shared_task
def destroy_expired_rosters(today: str | None = None) -> int:
    """Daily: destroy the rosters whose retention period ended, and record it."""
    from .services import rosters_destroy_expired

    day = date.fromisoformat(today) if today else seoul_today(timezone.now())
    return len(rosters_destroy_expired(today=day))


@shared_task
def send_report_decision_email(version_id: int) -> int:
    """Tell the district that the city (or its approver) accepted or returned a
    report, each officer in their own language."""
    version = ReportVersion.objects.select_related(
        "report__project", "report__district"
    ).get(pk=version_id)
    if version.status not in (ReportStatus.ACCEPTED, ReportStatus.RETURNED):
        return 0
    report = version.report
    officers = notifications.district_officers(report.district)
    return notifications.send(
        notifications.in_each_language(officers, lambda: decision_mail(version))
    )


def decision_mail(version: ReportVersion) -> tuple[str, str]:
    """Subject and body of a decision e-mail, in the active language."""
    from django.utils.translation import gettext as _

    report = version.report
    params = {
        "month": notifications.month_text(report.project, report.period),
        "title": report.project.display_title,
        "version": version.number,
    }
    if version.status == ReportStatus.ACCEPTED:
        subject = _("[Sangsaeng] Monthly report %(month)s accepted") % params
        body = (
            _("The report %(month)s (%(title)s), version %(version)s, was accepted.")
            % params
        )
        return subject, body + "\n"
    subject = _("[Sangsaeng] Monthly report %(month)s returned") % params
    body = (
        _(
            "The report %(month)s (%(title)s), version %(version)s, was returned "
            "with this comment:"
        )
        % params
    )
    return subject, f"{body}\n\n{version.decision_comment}\n"


@shared_task
def send_manual_reminder(reminder_id: int) -> int:
    """E-mail a reminder a city manager sent from the overdue list, to each of
    the district's officers in their own language."""
    from .models import ManualReminder

    reminder = ManualReminder.objects.select_related("project", "district").get(
        pk=reminder_id
    )
    officers = notifications.district_officers(reminder.district)
    return notifications.send(
        notifications.in_each_language(officers, lambda: manual_reminder_mail(reminder))
    )


def manual_reminder_mail(reminder) -> tuple[str, str]:
    """Subject and body of a reminder sent by hand, in the active language."""
    from django.utils.translation import gettext as _

    from .selectors import due_on

    project, period = reminder.project, reminder.period
    words = {
        "project": f"{project.code} {project.display_title}",
        "month": notifications.month_label(period),
        "due": due_on(project, period).isoformat(),
    }
    subject = (
        _("[Sangsaeng] The monthly report %(month)s of %(project)s is overdue") % words
    )
    body = (
        _(
            "The city asks you to file the monthly report %(month)s of "
            "%(project)s: it was due on %(due)s and has not reached the "
            "city yet."
        )
        % words
    )
    return subject, body + "\n"
