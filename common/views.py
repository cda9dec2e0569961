from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults
from django.views.decorators.http import require_GET
from wagtail.admin.auth import permission_denied, require_admin_access
from wagtail.admin.views.reports.audit_logging import LogEntriesView

from accounts import access
from common.storage import stored_file_response

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
    return stored_file_response(job.result_file)


_site_history = LogEntriesView.as_view()
_site_history_results = LogEntriesView.as_view(results_only=True)


@require_admin_access
def site_history(request, results_only=False):
    """Wagtail's site history lists every logged edit of a model type the user may
    touch at all, without asking the access module: another district's proposal
    titles, a district's drafts. The audit trail (common.audit) is the history
    people use; Wagtail's own stays for superusers."""
    if not access.sees_wagtail_site_history(request.user):
        return permission_denied(request)
    view = _site_history_results if results_only else _site_history
    return view(request)


def bad_request(request, exception=None):
    """Django's own refusal of a request too large to read (text fields beyond
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``, more files or fields than allowed) happens
    before any view or form runs; say what happened and what to do instead of a
    bare "Bad Request"."""
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return HttpResponse(
            render_to_string(
                "common/request_too_large.html",
                {
                    "too_many_files": isinstance(exception, TooManyFilesSent),
                    "max_files": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
                },
                request=request,
            ),
            status=413,
        )
    return defaults.bad_request(request, exception)
