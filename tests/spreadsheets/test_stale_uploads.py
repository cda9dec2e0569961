"""Uploads previewed but never confirmed are deleted after a day."""

import os
from datetime import timedelta

from django.utils import timezone

from common.models import BackgroundJob
from reporting.spreadsheets.storage import _storage, stored_upload_save
from reporting.spreadsheets.tasks import delete_stale_uploads


def _age(name: str, *, days: float) -> None:
    path = _storage().path(name)
    when = (timezone.now() - timedelta(days=days)).timestamp()
    os.utime(path, (when, when))


def test_an_upload_older_than_a_day_is_deleted_and_a_fresh_one_kept(db):
    old = stored_upload_save(b"old preview", "old.xlsx")
    fresh = stored_upload_save(b"fresh preview", "fresh.xlsx")
    _age(old, days=1.1)
    _age(fresh, days=0.5)
    assert delete_stale_uploads() >= 1
    assert not _storage().exists(old)
    assert _storage().exists(fresh)


def test_an_upload_a_waiting_job_still_needs_is_kept(db):
    waiting = stored_upload_save(b"queued import", "past.xlsx")
    _age(waiting, days=2)
    BackgroundJob.objects.create(kind="import", parameters={"stored_name": waiting})
    delete_stale_uploads()
    assert _storage().exists(waiting)
