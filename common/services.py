"""Background jobs: create one, enqueue its task after commit, report progress,
and never leave one "running" after its worker died.

A job task writes its data in one transaction (or idempotently), so running it
again from the start is always safe. Delivery is at least once: tasks are
acknowledged late, and a worker that starts again resends the jobs its previous
life was running (``jobs_recover_orphans``). ``job_mark_running`` is the claim
that turns "at least once" into "once at a time": a delivery of a job that is
finished, or running in a live worker process, is ignored.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from celery.exceptions import Ignore
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.language import preferred_language

from .models import BackgroundJob

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

Status = BackgroundJob.Status
# A job whose worker died this many times is given up instead of sent again.
MAX_ATTEMPTS = 3


def restarted_message() -> str:
    return gettext(
        "The worker processing this job stopped; the job starts again from the beginning. "
        "Nothing of the stopped run was saved."
    )


def given_up_message(attempts: int) -> str:
    return gettext(
        "The worker processing this job stopped %(n)s times, so the job was given up; nothing "
        "was saved. Please try again, and tell the operators if it fails again."
    ) % {"n": attempts}


def unexpected_error_message() -> str:
    return gettext(
        "The job stopped on an unexpected error. Please try again, and tell the operators "
        "if it fails again."
    )


def stale_message(hours: int) -> str:
    return gettext(
        "The job made no progress for more than %(hours)s hours and was marked failed. "
        "Please try again."
    ) % {"hours": hours}


def owner_language(job: BackgroundJob) -> translation.override:
    """A job's messages are read by its owner: written in their language."""
    return translation.override(preferred_language(job.owner))


# --- which worker process is this ----------------------------------------------

_this_worker = {"node": "", "boot": ""}


def worker_started(*, nodename: str) -> None:
    """Called once when a Celery worker starts (before its pool forks), so its
    processes share the node name and a token of this start."""
    _this_worker["node"] = nodename
    _this_worker["boot"] = uuid.uuid4().hex


def _node_and_boot() -> tuple[str, str]:
    if not _this_worker["node"]:  # not a worker: eager tasks, shells, tests
        worker_started(nodename=f"local@{socket.gethostname()}")
    return _this_worker["node"], _this_worker["boot"]


def current_worker() -> str:
    node, boot = _node_and_boot()
    return f"{node}|{boot}|{os.getpid()}"


def _claim_is_dead(claim: str) -> bool:
    """Whether the worker process named by ``claim`` is known to be gone. Only
    this node can tell: another node's claim counts as alive (a node that never
    comes back is caught by ``jobs_fail_stale``)."""
    try:
        node, boot, pid_text = claim.split("|")
        pid = int(pid_text)
    except ValueError:
        return True
    my_node, my_boot = _node_and_boot()
    if node != my_node:
        return False
    if boot != my_boot:
        return True  # this node's worker started again since
    if pid == os.getpid():
        return True  # this process is free to take a task, so that run ended
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


# --- the life of a job ------------------------------------------------------


class JobTask(Protocol):
    """A Celery task that runs a job: it takes the job's id."""

    name: str

    def delay(self, job_id: str) -> object: ...


@transaction.atomic
def job_start(
    *,
    kind: str,
    owner: User | None,
    task: JobTask,
    parameters: dict[str, object] | None = None,
) -> BackgroundJob:
    """Record a job and send its task once the job row is committed, so the
    worker never looks for a job that is not there yet."""
    job = BackgroundJob.objects.create(
        kind=kind,
        owner=owner,
        parameters=parameters or {},
        task_name=getattr(task, "name", ""),
    )
    transaction.on_commit(lambda: task.delay(str(job.pk)))
    return job


class JobNotClaimed(Ignore):
    """This delivery of a job's task must not run it: the job is finished, is
    running in a live worker process, or was given up. Celery acknowledges the
    message and records the task as ignored."""


def job_mark_running(*, job: BackgroundJob, total: int = 0) -> None:
    """Claim the job for this worker process and mark it running. Raises
    ``JobNotClaimed`` for a duplicate delivery; the task then stops there."""
    refusal = ""
    with transaction.atomic():
        locked = BackgroundJob.objects.select_for_update().get(pk=job.pk)
        if locked.is_finished:
            refusal = f"job {job.pk} is already {locked.status}"
        elif locked.status == Status.RUNNING and not _claim_is_dead(locked.worker):
            refusal = f"job {job.pk} is running in {locked.worker}"
        elif locked.attempts >= MAX_ATTEMPTS:
            with owner_language(locked):
                job_fail(job=locked, message=given_up_message(locked.attempts))
            refusal = f"job {job.pk} was given up"
        else:
            locked.status = Status.RUNNING
            locked.worker = current_worker()
            locked.attempts += 1
            locked.started_at = timezone.now()
            locked.progress_total = total
            locked.progress_done = 0
            locked.save(
                update_fields=[
                    "status",
                    "worker",
                    "attempts",
                    "started_at",
                    "progress_total",
                    "progress_done",
                    "updated_at",
                ]
            )
    for name in (
        "status",
        "worker",
        "attempts",
        "started_at",
        "finished_at",
        "progress_total",
        "progress_done",
        "message",
        "updated_at",
    ):
        setattr(job, name, getattr(locked, name))
    if refusal:
        raise JobNotClaimed(refusal)


def job_progress(*, job: BackgroundJob, done: int, total: int | None = None) -> None:
    job.progress_done = done
    if total is not None:
        job.progress_total = total
    job.save(update_fields=["progress_done", "progress_total", "updated_at"])


def job_succeed(
    *, job: BackgroundJob, result: dict[str, object] | None = None, message: str = ""
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


# --- recovery -----------------------------------------------------------------


def _resend(job: BackgroundJob) -> None:
    from celery import current_app

    job_id, task_name = str(job.pk), job.task_name
    transaction.on_commit(lambda: current_app.send_task(task_name, args=[job_id]))


@transaction.atomic
def jobs_recover_orphans() -> list[BackgroundJob]:
    """Run when a worker starts: the jobs this node's previous worker was
    running died with it. Each is sent again from the start (its data was
    written in one transaction that never committed), or failed with a message
    once it has stopped its worker ``MAX_ATTEMPTS`` times."""
    node, _boot = _node_and_boot()
    recovered = []
    candidates = BackgroundJob.objects.select_for_update().filter(
        status=Status.RUNNING, worker__startswith=f"{node}|"
    )
    for job in candidates:
        if not _claim_is_dead(job.worker):
            continue
        if job.attempts >= MAX_ATTEMPTS or not job.task_name:
            with owner_language(job):
                job_fail(job=job, message=given_up_message(job.attempts))
        else:
            job.status = Status.PENDING
            job.worker = ""
            with owner_language(job):
                job.message = restarted_message()
            job.progress_done = 0
            job.save(
                update_fields=[
                    "status",
                    "worker",
                    "message",
                    "progress_done",
                    "updated_at",
                ]
            )
            _resend(job)
        logger.warning(
            "job %s (%s) lost its worker: now %s", job.pk, job.kind, job.status
        )
        recovered.append(job)
    return recovered


def jobs_fail_stale(*, now: datetime | None = None) -> int:
    """The net under everything else: a job waiting or running with no sign of
    life for ``SANGSAENG_JOB_STALE_AFTER`` (its worker's node is gone for good,
    or its message was lost) is failed with a message instead of spinning forever."""
    now = now or timezone.now()
    stale_after: timedelta = settings.SANGSAENG_JOB_STALE_AFTER
    hours = int(stale_after.total_seconds() // 3600)
    stale = BackgroundJob.objects.filter(
        status__in=[Status.PENDING, Status.RUNNING], updated_at__lt=now - stale_after
    )
    failed = 0
    # One update per language of the owners (each reads the message in theirs).
    owners = stale.values_list("owner_id", flat=True).distinct()
    by_language: dict[str, list[object]] = {}
    for owner in get_user_model().objects.filter(pk__in=owners):
        by_language.setdefault(preferred_language(owner), []).append(owner.pk)
    for language, owner_ids in by_language.items():
        with translation.override(language):
            failed += stale.filter(owner_id__in=owner_ids).update(
                status=Status.FAILED, message=stale_message(hours), finished_at=now
            )
    with translation.override(preferred_language(None)):
        failed += stale.filter(owner__isnull=True).update(
            status=Status.FAILED, message=stale_message(hours), finished_at=now
        )
    return failed


def job_fail_after_error(*, job_id: object) -> None:
    """A job task raised: the person watching the progress bar is told, instead
    of the job staying "running" forever. Called for every failed task; tasks
    whose first argument is not a job's id are none of its business."""
    try:
        pk = uuid.UUID(str(job_id))
    except ValueError:
        return
    try:
        job = BackgroundJob.objects.filter(
            pk=pk, status__in=[Status.PENDING, Status.RUNNING]
        ).first()
        if job is not None:
            with owner_language(job):
                job_fail(job=job, message=unexpected_error_message())
    except DatabaseError:
        logger.exception("could not mark job %s failed", pk)
