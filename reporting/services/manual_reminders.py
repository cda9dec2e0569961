"""A reminder of an overdue month sent now, by a city manager from the
overdue list, beside the daily ones of ``reminders.py``."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from notifications.services import Notice, notify_many
from projects.models import Project
from projects.months import month_label, seoul_today

from .. import notifications
from ..models import ManualReminder, MonthlyReport, ReminderKind
from ..selectors import due_deadline, due_on
from ..tasks import send_manual_reminder as send_manual_reminder_task
from .reminders import REMINDER_KIND, reminder_params, report_path


@transaction.atomic
def reminder_send_now(
    *,
    project: Project,
    period: date,
    actor: User,
    now: datetime | None = None,
) -> ManualReminder:
    """Record a reminder of ``project``'s overdue ``period`` and e-mail the
    district's officers after commit (the ``send_manual_reminder`` task).
    City managers only; refused for a month not overdue (not yet due, or
    already received) and for a second reminder of the month the same day."""
    if not access.can(actor, "send_report_reminder", project):
        raise PermissionDenied
    now = now or timezone.now()
    today = seoul_today(now)
    received = MonthlyReport.objects.filter(
        project=project, period=period, first_submitted_at__isnull=False
    ).exists()
    if received or not project.covers(period) or now < due_deadline(project, period):
        raise ValidationError(
            _("%(month)s of %(project)s is not overdue: there is nothing to remind.")
            % {"month": month_label(period), "project": project.code},
            code="reminder_not_overdue",
        )
    already = ManualReminder.objects.filter(
        project=project, period=period, sent_on=today
    ).first()
    if already is None:
        try:
            with transaction.atomic():
                reminder = ManualReminder.objects.create(
                    project=project,
                    district=project.district,
                    period=period,
                    sent_on=today,
                    sent_at=now,
                    sent_by=actor,
                    recipients=", ".join(
                        notifications.district_officer_emails(project.district)
                    ),
                )
        except IntegrityError:  # a second click that raced the first
            already = ManualReminder.objects.get(
                project=project, period=period, sent_on=today
            )
    if already is not None:
        raise ValidationError(
            _(
                "A reminder of %(month)s of %(project)s was already sent today "
                "(%(time)s); the next one can be sent tomorrow."
            )
            % {
                "month": month_label(period),
                "project": project.code,
                "time": timezone.localtime(already.sent_at).strftime("%H:%M"),
            },
            code="reminder_already_sent_today",
        )
    transaction.on_commit(lambda: send_manual_reminder_task.delay(reminder.pk))
    return reminder


def manual_reminder_notify(*, reminder_id: int) -> int:
    """Tell the district's officers, each in their own language, of a reminder
    a city manager sent (the ``send_manual_reminder`` task, after commit):
    a notice of the reminders' kind, once per reminder sent by hand."""
    reminder = ManualReminder.objects.select_related(
        "project", "project__district", "district"
    ).get(pk=reminder_id)
    project, period = reminder.project, reminder.period
    due = due_on(project, period)
    return notify_many(
        notices=[
            Notice(
                recipients=notifications.district_officers(reminder.district),
                kind=REMINDER_KIND.code,
                dedupe_key=f"report-reminder-manual:{reminder.pk}",
                params=reminder_params(
                    project,
                    period,
                    kind=ReminderKind.OVERDUE,
                    text=lambda: manual_reminder_text(project, period, due),
                ),
                link=report_path(project, period),
                due=due,
                mandatory=True,
                call_id=project.call_id,
                project_id=project.pk,
            )
        ]
    )


def manual_reminder_text(project: Project, period: date, due: date) -> str:
    """What a reminder sent by hand says, in the active language."""
    return _(
        "The city asks you to file the monthly report %(month)s of "
        "%(project)s: it was due on %(due)s and has not reached the "
        "city yet."
    ) % {
        "project": f"{project.code} {project.display_title}",
        "month": month_label(period),
        "due": due.isoformat(),
    }
