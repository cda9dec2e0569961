from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.views.decorators.http import require_GET

from accounts import access

from .models import BackgroundJob


@require_GET
def healthz(request):
    """For the load balancer: the process answers and the database does too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
def job_status(request, job_id):
    """What a progress bar polls."""
    job = access.get_visible_or_404(request.user, BackgroundJob, pk=job_id)
    return JsonResponse(
        {
            "id": str(job.pk),
            "status": job.status,
            "status_display": str(job.get_status_display()),
            "percent": job.percent,
            "done": job.progress_done,
            "total": job.progress_total,
            "message": job.message,
            "finished": job.is_finished,
            "has_file": bool(job.result_file),
        }
    )


@require_GET
def job_download(request, job_id):
    job = access.get_visible_or_404(request.user, BackgroundJob, pk=job_id)
    if not job.result_file:
        raise Http404
    return FileResponse(job.result_file.open("rb"), as_attachment=True)
