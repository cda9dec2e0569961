"""Thin tasks: ids in; each loads its objects and calls the module that does
the work, imported inside the task so that it can import these tasks at
module level (``from funding.tasks import x as x_task``) without a circle."""

from celery import shared_task

from common.models import BackgroundJob


@shared_task
def build_settlement_summary(job_id: str) -> str:
    """The city's settlement summary workbook (정산 총괄표) for a job."""
    from django.http import Http404

    from common.services import job_fail

    from .settlement_summary import settlement_summary_build

    job = BackgroundJob.objects.select_related("owner").get(pk=job_id)
    try:
        settlement_summary_build(job=job)
    except Http404:
        job_fail(job=job, message="Not allowed.")
    return job_id


@shared_task
def send_settlement_reminders(today: str | None = None) -> int:
    """Daily: remind districts of settlements due soon and overdue.
    ``today`` (ISO date, Asia/Seoul) is for tests and catching up; idempotent."""
    from datetime import date

    from django.utils import timezone

    from projects.months import seoul_today

    from .settlement_reminders import settlement_reminders_send

    day = date.fromisoformat(today) if today else seoul_today(timezone.now())
    return len(settlement_reminders_send(today=day))
