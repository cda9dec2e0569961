"""The one notification service: every hand-off of the workflow calls
``notify`` from its service (never from a view).

``notify`` records one notice per recipient — the inbox item and the outbox
row — once per event (``dedupe_key``), and sends the ones to be e-mailed now
by Celery after the caller's transaction commits. Sending marks a notice sent
under its row lock, so a retried or repeated task never mails twice; a mail
server that fails leaves the notice failed with its error, retried with
back-off by the beat (``notifications_retry_due``) or by the city's "retry",
and never makes the workflow step fail (it has already committed).
"""

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.language import preferred_language
from accounts.models import User

from . import kinds, rendering
from .models import Delivery, Notification, NotificationPreference, OutboxStatus
from .tasks import send_notifications as send_notifications_task

logger = logging.getLogger(__name__)

# Rows written per INSERT and per transaction by ``notify_many``, and notices
# sent per task: a deadline day's thousands are written in short steps that
# hold no lock for long.
BATCH_SIZE = 500
# A failed mail is tried again after 5, 15, 45 and 135 minutes, then left
# failed for the city to retry by hand.
MAX_ATTEMPTS = 5
FIRST_RETRY_AFTER = timedelta(minutes=5)
# A notice still waiting this long was never handed to a worker (the broker was
# down at commit): the retry beat sends it.
LOST_AFTER = timedelta(minutes=10)


@dataclass
class Notice:
    """One event to tell people about (``notify``'s arguments, for
    ``notify_many``)."""

    recipients: Iterable[User]
    kind: str
    dedupe_key: str
    params: dict = field(default_factory=dict)
    link: str = ""
    due: date | datetime | None = None
    reason: str = ""
    mandatory: bool = False
    call_id: int | None = None
    project_id: int | None = None


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    dedupe_key: str,
    params: dict | None = None,
    link: str = "",
    due: date | datetime | None = None,
    reason: str = "",
    mandatory: bool = False,
    call: Model | int | None = None,
    project: Model | int | None = None,
) -> int:
    """Tell ``recipients`` that they must act: ``kind`` (notifications.kinds)
    says what, ``params`` fill its words (plain JSON values; a value that
    differs by language as ``rendering.in_languages`` makes it), ``link`` is
    the path of the admin screen where they act, ``due`` the deadline (a date:
    a due day; a datetime: a moment), ``reason`` why it came back.

    Once per event and person: ``dedupe_key`` names the event, and a second
    call with it creates and sends nothing for those already told. Returns
    the number of notices created."""
    return notify_many(
        notices=[
            Notice(
                recipients=recipients,
                kind=kind,
                dedupe_key=dedupe_key,
                params=params or {},
                link=link,
                due=due,
                reason=reason,
                mandatory=mandatory,
                call_id=call.pk if isinstance(call, Model) else call,
                project_id=project.pk if isinstance(project, Model) else project,
            )
        ]
    )


def _due(value: date | datetime | None) -> tuple[datetime | None, bool]:
    if value is None:
        return None, False
    if isinstance(value, datetime):
        return value, False
    # A due day: its last moment in Seoul (what "due on the 10th" means here).
    seoul = ZoneInfo(settings.TIME_ZONE)
    return datetime.combine(value, time(23, 59, 59), tzinfo=seoul), True


def _status(delivery: str, user: User) -> str:
    if delivery == Delivery.INBOX_ONLY or not user.email:
        return OutboxStatus.INBOX_ONLY
    if delivery == Delivery.DAILY_DIGEST:
        return OutboxStatus.DIGEST_WAITING
    return OutboxStatus.PENDING


# Set while past events are loaded (the demo's history): nobody is told of them.
_SILENCED: ContextVar[bool] = ContextVar("notifications_silenced", default=False)


@contextmanager
def silenced() -> Iterator[None]:
    """Within it, ``notify`` writes and sends nothing: for loading history
    (decisions taken years ago reach no inbox and no mailbox)."""
    token = _SILENCED.set(True)
    try:
        yield
    finally:
        _SILENCED.reset(token)


def notify_many(*, notices: Iterable[Notice]) -> int:
    """``notify`` for many events at once, written in batches of
    ``BATCH_SIZE`` rows, each batch in its own short transaction (or the
    caller's). Returns the number of notices created."""
    if _SILENCED.get():
        return 0
    created = 0
    batch: list[tuple[Notice, User]] = []
    for notice in notices:
        kind = kinds.get(notice.kind)  # unknown: raises before its rows are written
        if kind.mandatory:
            notice.mandatory = True
        seen: set[int] = set()
        for user in notice.recipients:
            if user.pk in seen or not user.is_active:
                continue
            seen.add(user.pk)
            batch.append((notice, user))
            if len(batch) >= BATCH_SIZE:
                created += _write_batch(batch)
                batch = []
    if batch:
        created += _write_batch(batch)
    return created


@transaction.atomic
def _write_batch(batch: Sequence[tuple[Notice, User]]) -> int:
    user_ids = {user.pk for _notice, user in batch}
    keys = {notice.dedupe_key for notice, _user in batch}
    told = set(
        Notification.objects.filter(
            dedupe_key__in=keys, recipient_id__in=user_ids
        ).values_list("recipient_id", "dedupe_key")
    )
    chosen = {
        (user_id, kind): delivery
        for user_id, kind, delivery in NotificationPreference.objects.filter(
            user_id__in=user_ids, kind__in={notice.kind for notice, _user in batch}
        ).values_list("user_id", "kind", "delivery")
    }
    rows: list[Notification] = []
    for notice, user in batch:
        if (user.pk, notice.dedupe_key) in told:
            continue
        told.add((user.pk, notice.dedupe_key))
        delivery = (
            Delivery.IMMEDIATELY
            if notice.mandatory
            else chosen.get((user.pk, notice.kind), Delivery.IMMEDIATELY)
        )
        due, due_is_day = _due(notice.due)
        rows.append(
            Notification(
                recipient=user,
                kind=notice.kind,
                params=notice.params,
                link=notice.link,
                due=due,
                due_is_day=due_is_day,
                reason=notice.reason,
                mandatory=notice.mandatory,
                dedupe_key=notice.dedupe_key,
                call_id=notice.call_id,
                project_id=notice.project_id,
                delivery=delivery,
                status=_status(delivery, user),
            )
        )
    if not rows:
        return 0
    # A concurrent notify of the same event may have written a row since the
    # look-up: the unique constraint keeps one, and sending it is idempotent.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    to_send = list(
        Notification.objects.filter(
            dedupe_key__in={row.dedupe_key for row in rows},
            recipient_id__in={row.recipient_id for row in rows},
            status=OutboxStatus.PENDING,
            attempts=0,
        ).values_list("pk", flat=True)
    )
    if to_send:
        transaction.on_commit(
            lambda: send_notifications_task.delay(to_send), robust=True
        )
    return len(rows)


# --- sending ---------------------------------------------------------------------


def _retry_at(attempts: int, now: datetime) -> datetime | None:
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + FIRST_RETRY_AFTER * 3 ** (attempts - 1)


def _error_text(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def notification_send(*, notification_id: int, now: datetime | None = None) -> str:
    """E-mail one notice unless it is sent already (or not to be e-mailed);
    returns its status afterwards. The row stays locked while the mail goes,
    so two workers given the same notice send it once."""
    now = now or timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None:
            return ""
        if notification.status not in (OutboxStatus.PENDING, OutboxStatus.FAILED):
            return notification.status
        notification.attempts += 1
        try:
            subject, body = rendering.mail_of(notification)
            EmailMessage(
                subject=subject, body=body, to=[notification.recipient.email]
            ).send()
        except Exception as error:  # noqa: BLE001 — any failure is recorded, not raised
            logger.warning("Notice %s not sent: %s", notification.pk, error)
            notification.status = OutboxStatus.FAILED
            notification.last_error = _error_text(error)
            notification.next_attempt_at = _retry_at(notification.attempts, now)
        else:
            notification.status = OutboxStatus.SENT
            notification.sent_at = now
            notification.next_attempt_at = None
            notification.last_error = ""
        notification.save(
            update_fields=[
                "status",
                "attempts",
                "last_error",
                "next_attempt_at",
                "sent_at",
            ]
        )
        return notification.status


def notifications_send(*, notification_ids: Iterable[int]) -> int:
    """Send each of these notices (see ``notification_send``); returns how
    many are sent now."""
    return sum(
        notification_send(notification_id=pk) == OutboxStatus.SENT
        for pk in notification_ids
    )


def notifications_retry_due(*, now: datetime | None = None) -> int:
    """Beat: send the failed notices whose back-off is over, and those never
    handed to a worker. Returns how many are sent now."""
    now = now or timezone.now()
    due = Notification.objects.filter(
        Q(status=OutboxStatus.FAILED, next_attempt_at__lte=now)
        | Q(status=OutboxStatus.PENDING, created_at__lte=now - LOST_AFTER)
    ).values_list("pk", flat=True)
    return sum(
        notification_send(notification_id=pk, now=now) == OutboxStatus.SENT
        for pk in list(due[:BATCH_SIZE])
    )


def notification_retry(*, notification: Notification, actor: User) -> Notification:
    """The city sends a failed notice again now."""
    if not access.can(actor, "retry_notification", notification):
        raise PermissionDenied
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        if notification.status != OutboxStatus.FAILED:
            raise ValidationError(
                _("Only a notice that failed can be sent again."),
                code="notification_not_failed",
            )
        notification.status = OutboxStatus.PENDING
        notification.next_attempt_at = None
        notification.save(update_fields=["status", "next_attempt_at"])
        notification_id = notification.pk
        transaction.on_commit(
            lambda: send_notifications_task.delay([notification_id]), robust=True
        )
    return notification


def digest_send(*, now: datetime | None = None) -> int:
    """Daily at 09:00 in Seoul: one e-mail per person with every notice
    waiting for their digest, each notice marked under its row lock in the
    same step (a second run finds nothing). Returns the number of mails sent."""
    now = now or timezone.now()
    people = (
        Notification.objects.filter(status=OutboxStatus.DIGEST_WAITING)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for recipient_id in list(people):
        with transaction.atomic():
            waiting = list(
                Notification.objects.select_for_update()
                .select_related("recipient")
                .filter(recipient_id=recipient_id, status=OutboxStatus.DIGEST_WAITING)
                .order_by("created_at", "pk")
            )
            if not waiting:
                continue
            recipient = waiting[0].recipient
            ids = [notification.pk for notification in waiting]
            try:
                subject, body = rendering.digest_of(
                    waiting, preferred_language(recipient)
                )
                EmailMessage(subject=subject, body=body, to=[recipient.email]).send()
            except Exception as error:  # noqa: BLE001 — recorded for the city
                logger.warning("Digest for %s not sent: %s", recipient_id, error)
                Notification.objects.filter(pk__in=ids).update(
                    status=OutboxStatus.FAILED,
                    attempts=1,
                    last_error=_error_text(error),
                    next_attempt_at=_retry_at(1, now),
                )
                continue
            Notification.objects.filter(pk__in=ids).update(
                status=OutboxStatus.SENT, sent_at=now, attempts=1, last_error=""
            )
            sent += 1
    return sent


# --- the inbox ---------------------------------------------------------------------


def _own(notification: Notification, actor: User) -> None:
    if not access.can(actor, "read_notification", notification):
        raise PermissionDenied


def notification_mark_read(
    *, notification: Notification, actor: User, now: datetime | None = None
) -> Notification:
    """The recipient has seen it (no one else marks another's notice)."""
    _own(notification, actor)
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, actor: User, now: datetime | None = None) -> int:
    """Every unread notice of the actor, read; returns how many."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


# --- choices -------------------------------------------------------------------------


def preference_set(*, user: User, kind: str, delivery: str) -> NotificationPreference:
    """How ``user`` receives ``kind``. Mandatory kinds are always e-mailed."""
    notice_kind = kinds.get(kind)
    if delivery not in Delivery.values:
        raise ValidationError(
            _("Choose one of the ways offered."), code="unknown_delivery"
        )
    if notice_kind.mandatory and delivery != Delivery.IMMEDIATELY:
        raise ValidationError(
            _(
                "'%(kind)s' is always e-mailed at once: deadlines, returns "
                "and results must reach you."
            )
            % {"kind": notice_kind.label},
            code="mandatory_kind",
        )
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"delivery": delivery}
    )
    return preference


@transaction.atomic
def preferences_set(*, user: User, choices: dict[str, str]) -> None:
    """Several kinds at once (the settings screen): all or nothing."""
    for kind, delivery in choices.items():
        preference_set(user=user, kind=kind, delivery=delivery)
