"""Report reminders (daily, by Celery beat) and reminders sent by hand. Thin:
ids and plain data in, services do the work; each task imports its services
inside, so that the services import these tasks at module level without an
import circle."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from projects.months import seoul_today

from . import notifications


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
