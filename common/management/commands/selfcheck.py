import time

from django.core.management.base import BaseCommand, CommandError

from common.models import BackgroundJob
from common.services import job_start
from common.tasks import job_selfcheck


class Command(BaseCommand):
    help = "Send a task through the broker to a worker and wait until it has written to the database."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=30.0)

    def handle(self, *args, timeout=30.0, **options):
        job = job_start(kind="selfcheck", owner=None, task=job_selfcheck)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status == BackgroundJob.Status.SUCCEEDED:
                self.stdout.write(
                    self.style.SUCCESS(f"Worker {job.result.get('worker')} answered.")
                )
                return
            time.sleep(0.2)
        raise CommandError(
            f"No worker finished job {job.pk} within {timeout:.0f} s. Is the worker running?"
        )
