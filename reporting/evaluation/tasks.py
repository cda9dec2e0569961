from celery import shared_task
from django.http import Http404

from common.models import BackgroundJob


@shared_task
def build_report_file(job_id: str) -> str:
    """Build an evaluation workbook or PDF for a background job."""
    from common.services import job_fail, job_succeed

    from .services import report_file_build

    job = BackgroundJob.objects.select_related("owner").get(pk=job_id)
    try:
        report_file = report_file_build(job=job)
    except Http404:
        job_fail(job=job, message="Not allowed.")
        return job_id
    except (
        Exception
    ) as error:  # the person waiting sees why, then it is re-raised for the logs
        job_fail(job=job, message=str(error))
        raise
    job_succeed(
        job=job, result={"report_file": report_file.pk, "name": report_file.file.name}
    )
    return job_id


@shared_task
def send_qualitative_reminders(assignment_ids: list[int]) -> int:
    """Remind assigned reviewers of the projects they have left to score."""
    from .qualitative import qualitative_reminders_send

    return qualitative_reminders_send(assignment_ids=assignment_ids)
