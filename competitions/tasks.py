"""Thin tasks: ids in; each loads its objects and calls a service, imported
inside the task so that the services can import these tasks at module level
(``from competitions.tasks import x as x_task``) without an import circle."""

from celery import shared_task

from common.models import BackgroundJob

from .models import ConflictDeclaration, ReviewerTie


@shared_task
def build_attachments_zip(job_id: str) -> str:
    from .services import attachments_zip_build

    job = BackgroundJob.objects.select_related("owner").get(pk=job_id)
    attachments_zip_build(job=job)
    return job_id


@shared_task
def send_conflict_notice(declaration_id: int) -> int:
    from .services import conflict_notice_send

    declaration = ConflictDeclaration.objects.select_related(
        "proposal__district", "reviewer"
    ).get(pk=declaration_id)
    return conflict_notice_send(declaration=declaration)


@shared_task
def send_tie_notice(
    tie_id: int, ended_assignment_ids: list[int], flagged_review_ids: list[int]
) -> int:
    from .services import tie_notice_send

    tie = ReviewerTie.objects.select_related("reviewer", "organisation").get(pk=tie_id)
    return tie_notice_send(
        tie=tie,
        ended_assignment_ids=ended_assignment_ids,
        flagged_review_ids=flagged_review_ids,
    )
