"""The "print / PDF" doors of the detail screens. Each loads its object through
``accounts.access`` (what the reader may not see is a 404, what they see but may
not print a 403) and answers the PDF inline, for the browser's viewer to show,
print or save."""

import re

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from accounts import access

from .changes import change_decision_pdf
from .proposals import proposal_receipt_pdf, selection_result_pdf
from .reports import report_as_submitted_pdf


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "document"
    response["Content-Disposition"] = f'inline; filename="{safe}.pdf"'
    # A document may hold a district's figures: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


def proposal_receipt(request, pk: int):
    from competitions.models import Proposal

    proposal = access.get_visible_or_404(
        request.user,
        Proposal.objects.select_related("call", "district", "submitted_by"),
        pk=pk,
    )
    if not access.can(request.user, "print_proposal_receipt", proposal):
        raise PermissionDenied
    if not proposal.receipt_number:
        raise Http404
    return _pdf(
        proposal_receipt_pdf(proposal, reader=request.user),
        f"receipt-{proposal.receipt_number}",
    )


def selection_result(request, call_id: int):
    from competitions.models import CallPage

    if not access.can(request.user, "print_selection_result"):
        raise PermissionDenied
    call = get_object_or_404(CallPage, pk=call_id)
    return _pdf(
        selection_result_pdf(call, reader=request.user),
        f"selection-{call.year}-{call.pk}",
    )


def report_as_submitted(request, pk: int):
    """The version asked for (``?version=``), else the last one submitted that
    the reader may see; a draft never sent is not a filed document."""
    from reporting.models import MonthlyReport, ReportVersion

    report = access.get_visible_or_404(
        request.user,
        MonthlyReport.objects.select_related("project", "district"),
        pk=pk,
    )
    versions = (
        access.visible_to(request.user, ReportVersion)
        .filter(report=report, submitted_at__isnull=False)
        .select_related("submitted_by", "decided_by")
        .order_by("-number")
    )
    number = request.GET.get("version", "")
    if number:
        if not number.isdigit():
            raise Http404
        versions = versions.filter(number=int(number))
    version = versions.first()
    if version is None:
        raise Http404
    return _pdf(
        report_as_submitted_pdf(report, version, reader=request.user),
        f"report-{report.project.code}-{report.period:%Y-%m}-v{version.number}",
    )


def change_decision(request, pk: int):
    from projects.models import ChangeRequest

    change_request = access.get_visible_or_404(
        request.user,
        ChangeRequest.objects.select_related(
            "project__district", "proposed_by", "decided_by"
        ),
        pk=pk,
    )
    return _pdf(
        change_decision_pdf(change_request, reader=request.user),
        f"change-request-{change_request.project.code}-{change_request.pk}",
    )
