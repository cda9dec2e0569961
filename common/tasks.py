import os
import socket

from celery import shared_task

from .models import BackgroundJob


@shared_task
def job_selfcheck(job_id: str) -> str:
    """Proves the whole path works: broker → worker → database. Operators run it
    with `manage.py selfcheck`; CI runs it through a real worker process."""
    from .services import job_mark_running, job_progress, job_succeed

    job = BackgroundJob.objects.get(pk=job_id)
    job_mark_running(job=job, total=2)
    job_progress(job=job, done=1)
    job_succeed(
        job=job,
        result={"worker": socket.gethostname(), "pid": os.getpid()},
        message="ok",
    )
    return job_id


@shared_task
def fail_stale_jobs() -> int:
    """Beat, hourly: jobs with no sign of life for too long are failed with a message."""
    from .services import jobs_fail_stale

    return jobs_fail_stale()
