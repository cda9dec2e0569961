"""Reads of notices: a person's inbox and unread count, the city's outbox."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import translation

from accounts.models import User

from . import kinds
from .models import Notification, OutboxStatus

_UNREAD_ON_REQUEST = "_sangsaeng_unread_notifications"


def inbox(user: User) -> QuerySet[Notification]:
    """The person's own notices, newest first: never anyone else's, whatever
    their role (a superuser's inbox is theirs too)."""
    return Notification.objects.filter(recipient_id=user.pk).order_by(
        "-created_at", "-pk"
    )


def unread_count(request: HttpRequest) -> int:
    """The bell's number: one query per request, kept on the request."""
    cached = getattr(request, _UNREAD_ON_REQUEST, None)
    if cached is None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            cached = 0
        else:
            cached = Notification.objects.filter(
                recipient_id=user.pk, read_at__isnull=True
            ).count()
        setattr(request, _UNREAD_ON_REQUEST, cached)
    return cached


@dataclass(frozen=True)
class InboxFilters:
    unread: bool = False
    kind: str = ""
    call: str = ""
    project: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> "InboxFilters":
        def number(name: str) -> str:
            value = query.get(name, "")
            return value if value.isdigit() else ""

        kind = query.get("kind", "")
        return cls(
            unread=query.get("unread", "") == "1",
            kind=kind if kind in kinds.KINDS else "",
            call=number("call"),
            project=number("project"),
        )

    def apply(self, queryset: QuerySet[Notification]) -> QuerySet[Notification]:
        if self.unread:
            queryset = queryset.filter(read_at__isnull=True)
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        if self.call:
            queryset = queryset.filter(call_id=int(self.call))
        if self.project:
            queryset = queryset.filter(project_id=int(self.project))
        return queryset


def inbox_choices(user: User) -> dict[str, list[tuple[str, str]]]:
    """What the inbox's filters offer: the kinds, calls and projects the
    person's own notices are about."""
    mine = inbox(user).order_by()
    kind_codes = sorted(set(mine.values_list("kind", flat=True)))
    # A call by its title in the reader's language (the English one may be empty).
    english = translation.get_language() == "en"
    calls = sorted(
        (
            (pk, (title_en if english and title_en else title))
            for pk, title, title_en in mine.filter(call__isnull=False)
            .values_list("call_id", "call__title", "call__title_en")
            .distinct()
        ),
        key=lambda row: row[1],
    )
    projects = (
        mine.filter(project__isnull=False)
        .values_list("project_id", "project__code")
        .distinct()
        .order_by("project__code")
    )
    return {
        "kind": [(code, kinds.label_of(code)) for code in kind_codes],
        "call": [(str(pk), title) for pk, title in calls],
        "project": [(str(pk), code) for pk, code in projects],
    }


def outbox(status: str = "") -> QuerySet[Notification]:
    """Every notice's sending status, for the city; failed ones first."""
    queryset = Notification.objects.select_related("recipient").order_by(
        "-created_at", "-pk"
    )
    if status in OutboxStatus.values:
        queryset = queryset.filter(status=status)
    return queryset
