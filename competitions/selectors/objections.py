"""Reads about objections: the window of a call, what a district may object
to, and the public counts of the results page (never the texts)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from ..models import (
    CallPage,
    Objection,
    ObjectionOutcome,
    ObjectionStatus,
    ResultsPublication,
    SelectionDecision,
)


def objection_window_closes_at(*, call: CallPage) -> datetime | None:
    """When objections to the call's results stop being accepted: the
    publication plus the call's window in days; None before publication."""
    publication = ResultsPublication.objects.filter(call=call).first()
    if publication is None:
        return None
    return publication.published_at + timedelta(days=call.objection_window_days)


def objection_window_open(*, call: CallPage, now: datetime | None = None) -> bool:
    closes = objection_window_closes_at(call=call)
    return closes is not None and (now or timezone.now()) < closes


@dataclass(frozen=True)
class ObjectionCounts:
    received: int
    upheld: int
    rejected: int
    pending: int
    decisions_changed: int


def objection_counts(*, call: CallPage) -> ObjectionCounts:
    """What the public results page says about objections: how many were
    received, upheld and rejected, and how many decisions changed."""
    counted = Objection.objects.filter(proposal__call=call).aggregate(
        received=Count("pk", filter=~Q(status=ObjectionStatus.WITHDRAWN)),
        upheld=Count(
            "pk",
            filter=Q(status=ObjectionStatus.ANSWERED, outcome=ObjectionOutcome.UPHELD),
        ),
        rejected=Count(
            "pk",
            filter=Q(
                status=ObjectionStatus.ANSWERED, outcome=ObjectionOutcome.REJECTED
            ),
        ),
        pending=Count("pk", filter=Q(status=ObjectionStatus.SUBMITTED)),
    )
    changed = SelectionDecision.objects.filter(
        proposal__call=call, objection__isnull=False
    ).count()
    return ObjectionCounts(decisions_changed=changed, **counted)
