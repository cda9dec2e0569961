"""Admin screens: template download, upload with preview and confirm, and the
city's bulk historical import. Objects are loaded through the access module;
changes go through this app's services (which go through reporting's)."""

from datetime import date

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from accounts import access
from common.formats import month_label as readable_month
from common.models import BackgroundJob
from common.services import job_start
from projects.models import Project
from projects.months import month_label, parse_month

from .forms import BulkImportForm, MonthlyUploadForm
from .resources import HistoricalFigureResource, sheet_as_dataset
from .safety import SpreadsheetRefused
from .services import UploadRejected, template_for, upload_confirm, upload_preview
from .storage import (
    read_upload_token,
    stored_upload_delete,
    stored_upload_read,
    stored_upload_save,
    upload_token,
)
from .tasks import import_historical_figures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BULK_JOB_KIND = "spreadsheets.bulk_import"


def _month_or_404(text: str) -> date:
    try:
        return parse_month(text)
    except ValueError:
        raise Http404 from None


def _project_month(request, project_id: int, month: str) -> tuple[Project, date]:
    project = access.get_visible_or_404(
        request.user, Project.objects.select_related("district"), pk=project_id
    )
    return project, _month_or_404(month)


def _outside_period(request, project: Project, period: date):
    """A month outside the project's period: said on the project's page (the
    person may see the project, so nothing is leaked), not a bare 404."""
    if project.covers(period):
        return None
    messages.error(
        request,
        _(
            "%(month)s is outside the project period (%(start)s to %(end)s); choose a month within it."
        )
        % {
            "month": month_label(period),
            "start": month_label(project.period_start),
            "end": month_label(project.period_end),
        },
    )
    return redirect("projects:inspect", project.pk)


def template_download(request, project_id: int, month: str):
    project, period = _project_month(request, project_id, month)
    if refusal := _outside_period(request, project, period):
        return refusal
    content = template_for(actor=request.user, project=project, period=period)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="sangsaeng-{project.code}-{month_label(period)}.xlsx"'
    )
    return response


def _upload_context(project, period, **extra) -> dict:
    return {
        "page_title": _("Upload spreadsheet"),
        "page_subtitle": f"{project.code} {project.display_title} · {readable_month(period)}",
        "header_icon": "upload",
        "project": project,
        "month": month_label(period),
        "template_url": reverse(
            "spreadsheets_template", args=[project.pk, month_label(period)]
        ),
        **extra,
    }


def upload(request, project_id: int, month: str):
    """Upload a filled template: read, check and show what would change."""
    project, period = _project_month(request, project_id, month)
    if not access.can(request.user, "upload_report_spreadsheet", project):
        raise PermissionDenied
    if refusal := _outside_period(request, project, period):
        return refusal
    form = MonthlyUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        data = upload_file.read()
        try:
            preview = upload_preview(
                data=data,
                filename=upload_file.name,
                actor=request.user,
                project=project,
                period=period,
            )
        except SpreadsheetRefused as refusal:
            form.add_error("file", refusal.message)
        else:
            token = ""
            if preview.is_valid and not preview.unchanged:
                stored = stored_upload_save(data, upload_file.name)
                token = upload_token(
                    user_id=request.user.pk,
                    stored_name=stored,
                    filename=upload_file.name,
                    p=project.pk,
                    m=month_label(period),
                )
            return TemplateResponse(
                request,
                "spreadsheets/upload_preview.html",
                _upload_context(project, period, preview=preview, token=token),
            )
    return TemplateResponse(
        request, "spreadsheets/upload.html", _upload_context(project, period, form=form)
    )


@require_POST
def upload_confirm_view(request, project_id: int, month: str):
    """Save the previewed file, whole, or nothing."""
    project, period = _project_month(request, project_id, month)
    if not access.can(request.user, "upload_report_spreadsheet", project):
        raise PermissionDenied
    if refusal := _outside_period(request, project, period):
        return refusal
    try:
        payload = read_upload_token(
            request.POST.get("token", ""), user_id=request.user.pk
        )
    except signing.BadSignature:
        messages.error(
            request, _("The upload has expired; please upload the file again.")
        )
        return redirect("spreadsheets_upload", project.pk, month_label(period))
    if payload.get("p") != project.pk or payload.get("m") != month_label(period):
        raise Http404
    try:
        data = stored_upload_read(payload["s"])
    except FileNotFoundError:
        messages.error(
            request, _("The upload has expired; please upload the file again.")
        )
        return redirect("spreadsheets_upload", project.pk, month_label(period))
    extra_comments = {
        name.removeprefix("comment__"): value
        for name, value in request.POST.items()
        if name.startswith("comment__")
    }
    try:
        outcome = upload_confirm(
            data=data,
            filename=payload["f"],
            actor=request.user,
            project=project,
            period=period,
            extra_comments=extra_comments,
        )
    except (UploadRejected, SpreadsheetRefused) as error:
        preview = getattr(error, "preview", None)
        if preview is None:
            messages.error(request, error.message)
            return redirect("spreadsheets_upload", project.pk, month_label(period))
        return TemplateResponse(
            request,
            "spreadsheets/upload_preview.html",
            _upload_context(project, period, preview=preview, token=""),
        )
    stored_upload_delete(payload["s"])
    if outcome.changed:
        messages.success(
            request,
            _("The spreadsheet was saved as the draft of %(month)s.")
            % {"month": month_label(period)},
        )
    else:
        messages.success(
            request, _("Nothing changed: the file equals the current version.")
        )
    return redirect("reporting_report", outcome.version.report_id)


# --- bulk historical import (city managers) -------------------------------


def _require_bulk(request) -> None:
    if not access.can(request.user, "bulk_import_figures"):
        raise PermissionDenied


def bulk_import(request):
    """Step 1: upload; step 2: the dry run's summary and row-linked errors."""
    _require_bulk(request)
    form = BulkImportForm(request.POST or None, request.FILES or None)
    context = {
        "page_title": _("Import past figures"),
        "header_icon": "upload",
        "form": form,
    }
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        data = upload_file.read()
        try:
            from .bulk import LongFormatError, read_long_sheet

            dataset, first_line = sheet_as_dataset(
                read_long_sheet(data, upload_file.name)
            )
            resource = HistoricalFigureResource(
                actor=request.user, first_line=first_line
            )
            try:
                result = resource.import_data(dataset, dry_run=True)
            except LongFormatError as error:
                raise SpreadsheetRefused(error.message) from None
        except SpreadsheetRefused as refusal:
            form.add_error("file", refusal.message)
        else:
            plan = resource.plan
            token = upload_token(
                user_id=request.user.pk,
                stored_name=stored_upload_save(data, upload_file.name),
                filename=upload_file.name,
                skip=form.cleaned_data["skip_rejected"],
            )
            can_import = any(
                v for k, v in plan.summary.items() if k in ("new", "updated")
            ) and (not plan.has_rejections or form.cleaned_data["skip_rejected"])
            context |= {
                "result": result,
                "summary": plan.summary,
                "errors": plan.errors[:1000],
                "error_count": len(plan.errors),
                "token": token,
                "can_import": can_import,
                "skip_rejected": form.cleaned_data["skip_rejected"],
                "filename": upload_file.name,
            }
            return TemplateResponse(request, "spreadsheets/bulk_preview.html", context)
    return TemplateResponse(request, "spreadsheets/bulk_import.html", context)


@require_POST
def bulk_import_start(request):
    """Step 3: the whole import, in Celery; the browser follows its progress."""
    _require_bulk(request)
    try:
        payload = read_upload_token(
            request.POST.get("token", ""), user_id=request.user.pk
        )
    except signing.BadSignature:
        messages.error(
            request, _("The upload has expired; please upload the file again.")
        )
        return redirect("spreadsheets_bulk_import")
    job = job_start(
        kind=BULK_JOB_KIND,
        owner=request.user,
        task=import_historical_figures,
        parameters={
            "stored_name": payload["s"],
            "filename": payload["f"],
            "skip_rejected": bool(payload.get("skip")),
        },
    )
    return redirect("spreadsheets_bulk_job", job.pk)


def bulk_job(request, job_id):
    _require_bulk(request)
    job = access.get_visible_or_404(
        request.user, BackgroundJob.objects.filter(kind=BULK_JOB_KIND), pk=job_id
    )
    return TemplateResponse(
        request,
        "spreadsheets/bulk_job.html",
        {
            "page_title": _("Import past figures"),
            "header_icon": "upload",
            "job": job,
            "status_url": reverse("job_status", args=[job.pk]),
            "summary": (job.result or {}).get("summary"),
            "errors": (job.result or {}).get("errors", []),
        },
    )
