"""Background jobs: create one, enqueue its task after commit, report progress."""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from .models import BackgroundJob


@transaction.atomic
def job_start(
    *, kind: str, owner, task: Callable, parameters: dict | None = None
) -> BackgroundJob:
    """Record a job and send its task once the job row is committed, so the
    worker never looks for a job that is not there yet."""
    job = BackgroundJob.objects.create(
        kind=kind, owner=owner, parameters=parameters or {}
    )
    transaction.on_commit(lambda: task.delay(str(job.pk)))
    return job


def job_mark_running(*, job: BackgroundJob, total: int = 0) -> None:
    job.status = BackgroundJob.Status.RUNNING
    job.started_at = timezone.now()
    job.progress_total = total
    job.progress_done = 0
    job.save(
        update_fields=[
            "status",
            "started_at",
            "progress_total",
            "progress_done",
            "updated_at",
        ]
    )


def job_progress(*, job: BackgroundJob, done: int, total: int | None = None) -> None:
    job.progress_done = done
    if total is not None:
        job.progress_total = total
    job.save(update_fields=["progress_done", "progress_total", "updated_at"])


def job_succeed(
    *, job: BackgroundJob, result: dict | None = None, message: str = ""
) -> None:
    job.status = BackgroundJob.Status.SUCCEEDED
    job.result = result or {}
    job.message = message
    job.progress_done = job.progress_total
    job.finished_at = timezone.now()
    job.save()


def job_fail(*, job: BackgroundJob, message: str) -> None:
    job.status = BackgroundJob.Status.FAILED
    job.message = message
    job.finished_at = timezone.now()
    job.save()
