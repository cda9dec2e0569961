from celery import shared_task

from common.models import BackgroundJob

from .safety import SpreadsheetRefused

MAX_ERRORS_KEPT = 500


@shared_task
def import_historical_figures(job_id: str) -> str:
    """The bulk import of a stored long-format file, as the job's owner. The
    owner's rights are checked again here: a job carries ids, not trust."""
    from django.core.exceptions import PermissionDenied

    from common.services import job_fail, job_mark_running, job_progress, job_succeed

    from .bulk import bulk_import_file
    from .storage import stored_upload_delete, stored_upload_read

    job = BackgroundJob.objects.select_related("owner").get(pk=job_id)
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
        job_fail(job=job, message="권한이 없습니다. / Not allowed.")
        return job_id
    except SpreadsheetRefused as error:
        job_fail(job=job, message=error.message)
        return job_id
    except FileNotFoundError:
        job_fail(job=job, message="올린 파일이 없습니다. / The uploaded file is gone.")
        return job_id
    # The file was read whole; the outcome below is what is kept.
    stored_upload_delete(parameters["stored_name"])
    errors = [
        {"line": e.line, "column": e.column, "message": e.message}
        for e in outcome.plan.errors
    ]
    result = {
        "summary": outcome.plan.summary,
        "applied": outcome.applied,
        "errors": errors[:MAX_ERRORS_KEPT],
        "error_count": len(errors),
    }
    if not outcome.applied:
        job_fail(
            job=job,
            message="거부된 행이 있어 아무것도 저장하지 않았습니다. / Some rows were rejected; nothing was saved.",
        )
        job.result = result
        job.save(update_fields=["result"])
        return job_id
    job_succeed(job=job, result=result, message="가져오기 완료 / Import done")
    return job_id


@shared_task
def delete_stale_uploads() -> int:
    """Hourly: uploads previewed but never confirmed go after a day."""
    from django.utils import timezone

    from .storage import stale_uploads_delete

    return len(stale_uploads_delete(now=timezone.now()))
