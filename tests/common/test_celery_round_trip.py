"""A task goes through the real broker to a real worker process and its effect
lands in the database (CI: Redis and PostgreSQL)."""

import os

import pytest

from common.models import BackgroundJob
from common.services import job_start
from common.tasks import job_selfcheck
from tests.helpers import wait_for


@pytest.mark.django_db(transaction=True)
def test_task_runs_in_a_separate_worker_process_and_records_its_result(
    celery_worker_process,
):
    job = job_start(kind="selfcheck", owner=None, task=job_selfcheck)
    assert job.status == BackgroundJob.Status.PENDING

    def finished():
        job.refresh_from_db()
        return job.is_finished

    assert wait_for(finished), "the worker did not finish the job within 60 s"
    assert job.status == BackgroundJob.Status.SUCCEEDED
    assert job.percent == 100
    assert job.result["pid"] != os.getpid()
    assert celery_worker_process.poll() is None, "the worker should still be running"


def test_job_is_not_sent_before_its_row_is_committed(
    db, django_capture_on_commit_callbacks
):
    sent = []

    class FakeTask:
        def delay(self, job_id):
            sent.append(job_id)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_start(kind="selfcheck", owner=None, task=FakeTask())
    assert sent == []
    for callback in callbacks:
        callback()
    assert sent == [str(job.pk)]


def test_job_status_is_private_to_its_owner_and_the_city(
    client, bupyeong_officer, seogu_officer, city_manager
):
    from django.urls import reverse

    job = BackgroundJob.objects.create(kind="export", owner=bupyeong_officer)
    url = reverse("job_status", args=[job.pk])
    client.force_login(seogu_officer)
    assert client.get(url).status_code == 404
    client.force_login(bupyeong_officer)
    assert client.get(url).json()["status"] == "pending"
    client.force_login(city_manager)
    assert client.get(url).status_code == 200
