"""A notice goes through the real broker to a real worker process, which marks
it sent in the database (CI: Redis and PostgreSQL)."""

import pytest

from notifications.models import Notification, OutboxStatus
from notifications.services import notify
from tests.helpers import wait_for


@pytest.mark.django_db(transaction=True)
def test_a_notice_is_sent_by_a_separate_worker_after_the_step_commits(
    celery_worker_process, bupyeong_officer
):
    notify(
        recipients=[bupyeong_officer],
        kind="report_due",
        dedupe_key="round-trip",
        params={"project": "BP-2019-01", "month": "2019년 10월"},
        link="/admin/",
    )
    notice = Notification.objects.get()

    def sent():
        notice.refresh_from_db()
        return notice.status == OutboxStatus.SENT

    assert wait_for(sent), "the worker did not send the notice within 60 s"
    assert notice.attempts == 1 and notice.sent_at is not None
    assert celery_worker_process.poll() is None, "the worker should still be running"
