from celery import shared_task

from common.models import BackgroundJob

from .safety import SpreadsheetRefused

MAX_ERRORS_KEPT = 500


@shared_task
def import_historical_figures(job_id: str) -> str:
    """The bulk import of a stored long-format file, as the job's owner. The
    owner's rights are checked again here: a job carries ids, not trust. The
    job's messages and row errors are kept in the owner's language."""
    from django.utils import translation

    from accounts.language import preferred_language

    job = BackgroundJob.objects.select_related("owner").get(pk=job_id)
    with translation.override(preferred_language(job.owner)):
        return _import_historical_figures(job, job_id)


def _import_historical_figures(job: BackgroundJob, job_id: str) -> str:
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    from common.services import job_fail, job_mark_running, job_progress, job_succeed

    from .bulk import bulk_import_file, rejected_message
    from .storage import stored_upload_delete, stored_upload_read

    job_mark_running(job=job, total=100)
    parameters = job.parameters
    try:
        data = stored_upload_read(parameters["stored_name"])
        outcome = bulk_import_file(
            data,
            parameters["filename"],
            actor=job.owner,
            dry_run=False,
            skip_rejected=parameters.get("skip_rejected", False),
            progress=lambda done, total: job_progress(job=job, done=done, total=total),
            job=job,
        )
    except PermissionDenied:
        job_fail(job=job, message=_("You may not import figures."))
        return job_id
    except SpreadsheetRefused as error:
        job_fail(job=job, message=error.message)
        return job_id
    except FileNotFoundError:
        job_fail(job=job, message=_("The uploaded file is gone; upload it again."))
        return job_id
    # The file was read whole; the outcome below is what is kept.
    stored_upload_delete(parameters["stored_name"])
    errors = [
        {"line": e.line, "column": e.column, "message": e.message, "code": e.code}
        for e in outcome.plan.errors
    ]
    result = {
        "summary": outcome.plan.summary,
        "applied": outcome.applied,
        "errors": errors[:MAX_ERRORS_KEPT],
        "error_count": len(errors),
    }
    if not outcome.applied:
        job_fail(job=job, message=rejected_message())
        job.result = result
        job.save(update_fields=["result"])
        return job_id
    job_succeed(job=job, result=result, message=_("Import done"))
    return job_id


@shared_task
def delete_stale_uploads() -> int:
    """Hourly: uploads previewed but never confirmed go after a day."""
    from django.utils import timezone

    from .storage import stale_uploads_delete

    return len(stale_uploads_delete(now=timezone.now()))
