"""The Celery app. Tasks live in each app's tasks.py; beat entries in settings."""

import os

from celery import Celery
from celery.signals import celeryd_init, task_failure, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("sangsaeng")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Beat on every node, sending from one: the one holding the beat lock
# (common/beat_lock.py); the others stand by and take over when it dies.
app.conf.beat_scheduler = "common.beat_lock:LockedScheduler"


@app.on_after_configure.connect
def _make_broker_folders(sender, **kwargs):
    """The filesystem transport needs its folders to exist before the first message."""
    from django.conf import settings

    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    for key in (
        "data_folder_in",
        "data_folder_out",
        "processed_folder",
        "control_folder",
    ):
        if key in options:
            os.makedirs(options[key], exist_ok=True)


@celeryd_init.connect
def _name_this_worker(sender, **kwargs):
    """Before the pool forks: every process of this worker shares one start token."""
    from common.services import worker_started

    worker_started(nodename=sender)


@worker_ready.connect
def _recover_jobs_of_a_dead_worker(sender, **kwargs):
    """A job "running" in this node's previous life died with it (SIGKILL, out of
    memory, power): send it again, or fail it with a message."""
    from common.services import jobs_recover_orphans

    jobs_recover_orphans()


@task_failure.connect
def _tell_the_job_its_task_failed(sender=None, args=None, **kwargs):
    from common.services import job_fail_after_error

    if args:
        job_fail_after_error(job_id=args[0])
