"""Settlement reminders (정산 보고 기한 알림): the district's officers are told a
settlement is due some days before its due day (the call's
``settlement_due_days`` after the project's last month), and once more when
it is overdue — each once per project (the notice's ``dedupe_key``), so the
daily beat task may run any number of times.

A project is reminded while it has something to settle (a signed agreement)
and its settlement has not reached the city (none yet, a draft, or returned);
a closed or cancelled project is not.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import formats

from notifications import recipients
from notifications.models import Notification
from notifications.rendering import in_languages
from notifications.services import Notice, notify_many
from projects.models import Project, ProjectStatus

from .models import GrantConditions, Settlement, SettlementStatus
from .notices import SETTLEMENT_OVERDUE
from .settlement_inputs import SIGNED_STATUSES
from .settlement_services import settlement_due_day

DUE = "settlement_due"  # registered by notifications.kinds
OVERDUE = SETTLEMENT_OVERDUE.code
# Statuses in which the settlement has not reached the city.
NOT_FILED = (SettlementStatus.DRAFT, SettlementStatus.RETURNED)


def days_before() -> int:
    """How many days before the due day the first reminder goes out."""
    return getattr(settings, "SANGSAENG_SETTLEMENT_REMINDER_DAYS", 7)


@dataclass(frozen=True)
class Due:
    project: Project
    due_on: date
    kind: str  # DUE or OVERDUE

    @property
    def dedupe_key(self) -> str:
        return f"{self.kind}:{self.project.pk}"


def kind_for(*, due: date, today: date, before: int) -> str | None:
    """Overdue after the due day; due from ``before`` days ahead up to the
    due day itself; nothing earlier."""
    if today > due:
        return OVERDUE
    if today >= due - timedelta(days=before):
        return DUE
    return None


def settlements_due(*, today: date) -> list[Due]:
    """Every reminder today calls for that has not been sent yet."""
    filed = Settlement.objects.exclude(status__in=NOT_FILED).values("project_id")
    projects = (
        Project.objects.filter(agreements__status__in=SIGNED_STATUSES)
        .exclude(status__in=(ProjectStatus.CLOSED, ProjectStatus.CANCELLED))
        .exclude(pk__in=filed)
        .select_related("district")
        .distinct()
        .order_by("pk")
    )
    days_of_call = dict(
        GrantConditions.objects.values_list("call_id", "settlement_due_days")
    )
    sent = set(
        Notification.objects.filter(kind__in=(DUE, OVERDUE)).values_list(
            "dedupe_key", flat=True
        )
    )
    before = days_before()
    found = []
    for project in projects:
        due = settlement_due_day(project.period_end, days_of_call.get(project.call_id))
        kind = kind_for(due=due, today=today, before=before)
        if kind is None:
            continue
        item = Due(project, due, kind)
        if item.dedupe_key not in sent:
            found.append(item)
    return found


def _notice(item: Due) -> Notice:
    project = item.project
    return Notice(
        recipients=recipients.district_officers(project.district),
        kind=item.kind,
        dedupe_key=item.dedupe_key,
        params={
            "project": f"{project.code}",
            "due": in_languages(
                lambda: formats.date_format(item.due_on, "DATE_FORMAT")
            ),
        },
        link=reverse("funding_settlement", args=[project.pk]),
        due=item.due_on,
        mandatory=True,
        call_id=project.call_id,
        project_id=project.pk,
    )


def settlement_reminders_send(*, today: date) -> list[Due]:
    """Send today's settlement reminders (due soon, overdue); returns them.
    Idempotent: a reminder sent before is not sent again."""
    due = settlements_due(today=today)
    notify_many(notices=[_notice(item) for item in due])
    return due
