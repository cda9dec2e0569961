import pytest
from auditlog.models import LogEntry

from tests.competitions.conftest import (  # noqa: F401
    bupyeong_proposal,
    call,
    call_index,
    open_call,
    panel,
)
from tests.projects.fixtures import bupyeong_project  # noqa: F401


def entries_of(obj, **filters):
    """The trail of one object, oldest first."""
    return list(
        LogEntry.objects.get_for_object(obj)
        .filter(**filters)
        .order_by("timestamp", "pk")
    )


def changed(entry, field):
    """(before, after) of a field in an entry, or None when it did not change."""
    values = (entry.changes or {}).get(field)
    return tuple(values) if values is not None else None


@pytest.fixture
def commit_callbacks(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (the figures' trail) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
