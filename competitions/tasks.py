from celery import shared_task

from common.models import BackgroundJob

from .models import Proposal
from .services import attachments_zip_build, proposal_send_receipt_email


@shared_task
def send_receipt_email(proposal_id: int) -> int:
    proposal = Proposal.objects.select_related(
        "call", "district", "submitted_by", "created_by"
    ).get(pk=proposal_id)
    return proposal_send_receipt_email(proposal=proposal)


@shared_task
def build_attachments_zip(job_id: str) -> str:
    job = BackgroundJob.objects.select_related("owner").get(pk=job_id)
    attachments_zip_build(job=job)
    return job_id
