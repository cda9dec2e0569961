"""Report reminders (daily, by Celery beat) and reminders sent by hand. Thin:
ids and plain data in, services do the work; each task imports its services
inside, so that the services import these tasks at module level without an
import circle."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from projects.months import seoul_today


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
    """Tell the district's officers of a reminder a city manager sent from the
    overdue list (through notifications, each in their own language)."""
    from .services.manual_reminders import manual_reminder_notify

    return manual_reminder_notify(reminder_id=reminder_id)
