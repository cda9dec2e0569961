"""Reminders of reports coming due, due today and overdue."""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.models import Project, ProjectStatus
from projects.months import first_of_month

from .. import notifications
from ..models import MonthlyReport, Reminder, ReminderKind
from ..selectors import due_on

# "A few days before": the reminder goes out this many days ahead of the due day.
DAYS_BEFORE_DUE = 3

_WORDS = {
    ReminderKind.BEFORE_DUE: gettext_lazy("is due soon"),
    ReminderKind.DUE_TODAY: gettext_lazy("is due today"),
    ReminderKind.OVERDUE: gettext_lazy("is overdue"),
}


def reminder_mail(project, period, due: date, kind: str) -> tuple[str, str]:
    """Subject and body of a reminder, in the active language."""
    params = {
        "month": notifications.month_text(project, period),
        "title": project.display_title,
        "due": f"{due:%Y-%m-%d}",
        "state": _WORDS[ReminderKind(kind)],
    }
    subject = _("[Sangsaeng] Monthly report %(month)s %(state)s") % params
    body = (
        _("The monthly report %(month)s (%(title)s) is due on %(due)s (%(state)s).")
        % params
    )
    return subject, body + "\n"


def reminder_kind(*, due: date, today: date) -> str | None:
    if today > due:
        return ReminderKind.OVERDUE
    if today == due:
        return ReminderKind.DUE_TODAY
    if due - timedelta(days=DAYS_BEFORE_DUE) <= today:
        return ReminderKind.BEFORE_DUE
    return None


@transaction.atomic
def reminders_send(*, today: date, now: datetime | None = None) -> list[Reminder]:
    """Remind districts of every month not yet received whose due day is near,
    today or past. Each kind is sent once per project and month (the Reminder
    row is the record and the in-admin notice), so running twice sends nothing
    new. Returns the reminders sent now."""
    now = now or timezone.now()
    current_month = first_of_month(today)
    received = set(
        MonthlyReport.objects.filter(first_submitted_at__isnull=False).values_list(
            "project_id", "period"
        )
    )
    already = set(Reminder.objects.values_list("project_id", "period", "kind"))
    sent, mails = [], []
    projects = Project.objects.exclude(status=ProjectStatus.CANCELLED).select_related(
        "district"
    )
    for project in projects:
        for period in project.months:
            if period >= current_month:
                break  # a month's report opens only once the month is over
            if (project.pk, period) in received:
                continue
            due = due_on(project, period)
            kind = reminder_kind(due=due, today=today)
            if kind is None or (project.pk, period, kind) in already:
                continue
            # Only the latest applicable kind: a month long overdue is not
            # first reminded that it is "due soon".
            officers = notifications.district_officers(project.district)
            recipients = sorted({officer.email for officer in officers})
            reminder = Reminder.objects.create(
                project=project,
                district=project.district,
                period=period,
                kind=kind,
                sent_at=now,
                recipients=", ".join(recipients),
            )
            sent.append(reminder)
            mails += notifications.in_each_language(
                officers,
                lambda project=project, period=period, due=due, kind=kind: (
                    reminder_mail(project, period, due, kind)
                ),
            )
    transaction.on_commit(lambda: notifications.send(mails))
    return sent
