"""Reminders of reports coming due, due today and overdue, following the rules
of each project's call: how many days before the due day the first one goes,
and how often an overdue month is reminded again until its report arrives."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from accounts.roles import Role
from competitions.models import CallPage
from notifications.kinds import Kind
from notifications.rendering import in_languages
from notifications.services import Notice, notify_many
from projects.models import Project, ProjectStatus
from projects.months import first_of_month, month_label

from .. import notifications
from ..models import MonthlyReport, Reminder, ReminderKind
from ..selectors import due_on

# The rules of a project with no call (entered by hand), and the defaults of a
# new call: "a few days before" is this many days ahead of the due day, and an
# overdue month is reminded again every week until its report arrives.
DAYS_BEFORE_DUE = 3
REPEAT_EVERY_DAYS = 7

_WORDS = {
    ReminderKind.BEFORE_DUE: gettext_lazy("is due soon"),
    ReminderKind.DUE_TODAY: gettext_lazy("is due today"),
    ReminderKind.OVERDUE: gettext_lazy("is overdue"),
}


@dataclass(frozen=True)
class ReminderRules:
    """When a call's districts are reminded of a month not yet received."""

    days_before: int = DAYS_BEFORE_DUE  # 0: none before the due day
    repeat_every_days: int = REPEAT_EVERY_DAYS  # 0: one overdue reminder
    max_overdue: int | None = None  # None: until the report arrives


@dataclass(frozen=True)
class ReminderStep:
    kind: str
    sequence: int  # 1, and for an overdue month the repeat's number


def reminder_rules_by_call() -> dict[int, ReminderRules]:
    """Every call's reminder rules, by call id (one query)."""
    return {
        call_id: ReminderRules(days_before, repeat_every, max_overdue)
        for call_id, days_before, repeat_every, max_overdue in (
            CallPage.objects.values_list(
                "pk",
                "reminder_days_before",
                "reminder_repeat_days",
                "reminder_max_overdue",
            )
        )
    }


def reminder_step(
    *, due: date, today: date, rules: ReminderRules | None = None
) -> ReminderStep | None:
    """The reminder a month due on ``due`` calls for ``today``, if any.

    After the due day the steps are anchored to it: step 1 on the first day
    late, step 2 ``repeat_every_days`` later, and so on; a day between two
    steps calls for the latest one, which is already sent unless the daily
    run missed its day (then it is sent late, once, rather than never)."""
    rules = rules or ReminderRules()
    if today > due:
        days_late = (today - due).days
        if rules.repeat_every_days <= 0:
            return ReminderStep(ReminderKind.OVERDUE, 1)
        return ReminderStep(
            ReminderKind.OVERDUE, 1 + (days_late - 1) // rules.repeat_every_days
        )
    if today == due:
        return ReminderStep(ReminderKind.DUE_TODAY, 1)
    if rules.days_before > 0 and due - timedelta(days=rules.days_before) <= today:
        return ReminderStep(ReminderKind.BEFORE_DUE, 1)
    return None


def reminder_kind(*, due: date, today: date) -> str | None:
    """The kind of reminder a month due on ``due`` calls for ``today`` under
    the default rules (the kind only; see ``reminder_step``)."""
    step = reminder_step(due=due, today=today)
    return step.kind if step is not None else None


# The notice every reminder is (notifications): mandatory, since a deadline is
# not something a person may choose not to be told about by e-mail. Its words
# are written per language when the reminder is made (``reminder_params``).
REMINDER_KIND = Kind(
    "report_reminder",
    gettext_lazy("Reminders of monthly reports due soon, due today or overdue"),
    gettext_lazy("[Sangsaeng] Monthly report %(month)s %(state)s"),
    gettext_lazy("%(text)s"),
    mandatory=True,
    roles=(Role.DISTRICT_OFFICER,),
)


def report_path(project: Project, period: date) -> str:
    """The month's report screen, where the officer files it."""
    return reverse("reporting_report_form", args=[project.pk, month_label(period)])


def reminder_text(
    project: Project, period: date, due: date, kind: str, *, today: date | None = None
) -> str:
    """What a reminder says, in the active language."""
    params = {
        "month": notifications.month_text(project, period),
        "title": project.display_title,
        "due": f"{due:%Y-%m-%d}",
        "state": _WORDS[ReminderKind(kind)],
    }
    text = (
        _("The monthly report %(month)s (%(title)s) is due on %(due)s (%(state)s).")
        % params
    )
    if kind == ReminderKind.OVERDUE and today is not None and today > due:
        days = (today - due).days
        text += " " + (
            ngettext(
                "It is %(days)d day past the due day and has not reached the city.",
                "It is %(days)d days past the due day and has not reached the city.",
                days,
            )
            % {"days": days}
        )
    return text


def reminder_params(
    project: Project, period: date, *, kind: str, text: Callable[[], str]
) -> dict:
    """The reminder notice's words in every language (``REMINDER_KIND``)."""
    return {
        "month": notifications.month_text(project, period),
        "state": in_languages(lambda: _WORDS[ReminderKind(kind)]),
        "text": in_languages(text),
    }


def reminder_notice(
    project: Project,
    period: date,
    due: date,
    step: ReminderStep,
    *,
    today: date,
    officers: list[User],
) -> Notice:
    """The notice of one reminder step to the district's officers: once per
    step (its ``dedupe_key``), with the due day and the report's screen."""
    return Notice(
        recipients=officers,
        kind=REMINDER_KIND.code,
        dedupe_key=(
            f"report-reminder:{project.pk}:{period:%Y-%m}:{step.kind}:{step.sequence}"
        ),
        params=reminder_params(
            project,
            period,
            kind=step.kind,
            text=lambda: reminder_text(project, period, due, step.kind, today=today),
        ),
        link=report_path(project, period),
        due=due,
        mandatory=True,
        call_id=project.call_id,
        project_id=project.pk,
    )


# Reminders recorded and handed to notifications per transaction: a deadline
# day of the whole city is written in short steps that hold no lock for long.
BATCH_SIZE = 200


@dataclass(frozen=True)
class _Due:
    project: Project
    period: date
    due: date
    step: ReminderStep


def reminders_send(*, today: date, now: datetime | None = None) -> list[Reminder]:
    """Remind districts of every month not yet received whose due day is near,
    today or past, by the rules of the project's call (``ReminderRules``; a
    project without a call follows the defaults). Each step is sent once per
    project and month (the Reminder row is the record and the in-admin
    notice), so running twice the same day sends nothing new; an overdue month
    is reminded again each interval until its report reaches the city, up to
    the call's maximum. Each batch of reminders is recorded and its notices
    written in one transaction. Returns the reminders sent now."""
    now = now or timezone.now()
    steps = reminders_due(today=today)
    officers_of: dict[int, list[User]] = {}
    sent: list[Reminder] = []
    for first in range(0, len(steps), BATCH_SIZE):
        batch = steps[first : first + BATCH_SIZE]
        for item in batch:
            district = item.project.district
            if district.pk not in officers_of:
                officers_of[district.pk] = notifications.district_officers(district)
        sent += _record_and_notify(batch, officers_of, today=today, now=now)
    return sent


def reminders_due(*, today: date) -> list[_Due]:
    """The reminder step each month not yet received calls for today, leaving
    out steps already sent and overdue ones past the call's maximum."""
    current_month = first_of_month(today)
    received = set(
        MonthlyReport.objects.filter(first_submitted_at__isnull=False).values_list(
            "project_id", "period"
        )
    )
    already: set[tuple[int, date, str, int]] = set()
    overdue_sent: Counter[tuple[int, date]] = Counter()
    for project_id, period, kind, sequence in Reminder.objects.values_list(
        "project_id", "period", "kind", "sequence"
    ):
        already.add((project_id, period, kind, sequence))
        if kind == ReminderKind.OVERDUE:
            overdue_sent[(project_id, period)] += 1
    rules_by_call = reminder_rules_by_call()
    default_rules = ReminderRules()
    due_steps: list[_Due] = []
    projects = Project.objects.exclude(status=ProjectStatus.CANCELLED).select_related(
        "district"
    )
    for project in projects:
        rules = rules_by_call.get(project.call_id or 0, default_rules)
        for period in project.months:
            if period >= current_month:
                break  # a month's report opens only once the month is over
            if (project.pk, period) in received:
                continue
            due = due_on(project, period)
            # Only the latest applicable step: a month long overdue is not
            # first reminded that it is "due soon".
            step = reminder_step(due=due, today=today, rules=rules)
            if step is None or (project.pk, period, step.kind, step.sequence) in (
                already
            ):
                continue
            if (
                step.kind == ReminderKind.OVERDUE
                and rules.max_overdue is not None
                and overdue_sent[(project.pk, period)] >= rules.max_overdue
            ):
                continue
            due_steps.append(_Due(project, period, due, step))
    return due_steps


@transaction.atomic
def _record_and_notify(
    batch: list[_Due],
    officers_of: dict[int, list[User]],
    *,
    today: date,
    now: datetime,
) -> list[Reminder]:
    sent: list[Reminder] = []
    notices: list[Notice] = []
    for item in batch:
        project = item.project
        officers = officers_of[project.district_id]
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    project=project,
                    district=project.district,
                    period=item.period,
                    kind=item.step.kind,
                    sequence=item.step.sequence,
                    sent_at=now,
                    recipients=", ".join(sorted({o.email for o in officers})),
                )
        except IntegrityError:  # a second run at the same moment sent it
            continue
        sent.append(reminder)
        notices.append(
            reminder_notice(
                project,
                item.period,
                item.due,
                item.step,
                today=today,
                officers=officers,
            )
        )
    # Recorded with the reminders; e-mailed by notifications after commit.
    notify_many(notices=notices)
    return sent
