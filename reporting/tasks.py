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
    """Tell the district that the city (or its approver) accepted or returned a report."""
    version = ReportVersion.objects.select_related(
        "report__project", "report__district"
    ).get(pk=version_id)
    report = version.report
    month_ko, month_en = notifications.month_text(report.project, report.period)
    if version.status == ReportStatus.ACCEPTED:
        subject = f"[상생] {month_ko} 월별 실적 보고 승인 / Monthly report {month_en} accepted"
        body = f"{month_ko} 보고(버전 {version.number})가 승인되었습니다.\nThe report {month_en} (version {version.number}) was accepted.\n"
    elif version.status == ReportStatus.RETURNED:
        subject = f"[상생] {month_ko} 월별 실적 보고 보완 요청 / Monthly report {month_en} returned"
        body = (
            f"{month_ko} 보고(버전 {version.number})가 보완 요청되었습니다.\n"
            f"The report {month_en} (version {version.number}) was returned.\n\n"
            f"{version.decision_comment}\n"
        )
    else:
        return 0
    recipients = notifications.district_officer_emails(report.district)
    return notifications.send([(subject, body, recipients)])


@shared_task
def send_manual_reminder(reminder_id: int) -> int:
    """E-mail a reminder a city manager sent from the overdue list, to each of
    the district's officers in their own language."""
    from django.utils import translation
    from django.utils.translation import gettext as _
    from wagtail.users.models import UserProfile

    from accounts.models import User
    from accounts.roles import Role

    from .models import ManualReminder
    from .selectors import due_on

    reminder = ManualReminder.objects.select_related("project", "district").get(
        pk=reminder_id
    )
    project, period = reminder.project, reminder.period
    due = due_on(project, period)
    officers = (
        User.objects.filter(
            organisation=reminder.district,
            is_active=True,
            groups__role__code=Role.DISTRICT_OFFICER,
        )
        .exclude(email="")
        .distinct()
    )
    mails = []
    for officer in officers:
        language = UserProfile.get_for_user(officer).get_preferred_language()
        with translation.override(language or "ko"):
            words = {
                "project": f"{project.code} {project.display_title}",
                "month": period.strftime("%Y-%m"),
                "due": due.isoformat(),
            }
            mails.append(
                (
                    _(
                        "[Sangsaeng] The monthly report %(month)s of %(project)s is overdue"
                    )
                    % words,
                    _(
                        "The city asks you to file the monthly report %(month)s of "
                        "%(project)s: it was due on %(due)s and has not reached the "
                        "city yet."
                    )
                    % words
                    + "\n",
                    [officer.email],
                )
            )
    return notifications.send(mails)
