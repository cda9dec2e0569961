"""Admin screens of the end of a project: the list of final reports, a
project's final report (write, submit, accept, return; its PDF), and closing
and reopening it. Every view loads its objects through ``accounts.access``;
every change is a service's."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from accounts import access
from accounts.reauth import reauthentication_refusal
from common.documents.views import _pdf
from projects.models import Project, ProjectStatus
from projects.months import seoul_today

from . import selectors, services, workflow
from .conditions import unmet_close_conditions
from .documents import final_report_pdf
from .forms import DecisionForm, NarrativeForm, ReopenForm
from .models import FinalReport, FinalReportStatus


def _projects(user):
    return access.visible_to(
        user,
        Project.objects.exclude(status=ProjectStatus.CANCELLED).select_related(
            "district"
        ),
    )


def index(request):
    """Every project the person sees, with its final report's status and
    whether it is closed; the city sees what awaits its review first."""
    user = request.user
    if not access.can(user, "view_final_reports"):
        raise PermissionDenied
    reports = {
        report.project_id: report
        for report in access.visible_to(user, FinalReport).only("project_id", "status")
    }
    today = seoul_today(timezone.now())
    rows = []
    for project in _projects(user).order_by("-period_end", "code"):
        report = reports.get(project.pk)
        rows.append(
            {
                "project": project,
                "report": report,
                "ended": services.submittable_from(project) <= today,
                "awaiting": report is not None
                and report.status == FinalReportStatus.SUBMITTED,
            }
        )
    rows.sort(key=lambda row: not row["awaiting"])
    return TemplateResponse(
        request,
        "closeout/index.html",
        {
            "page_title": _("Final reports and closing"),
            "header_icon": "doc-full",
            "rows": rows,
        },
    )


def _visible_project(request, project_id: int) -> Project:
    return access.get_visible_or_404(
        request.user,
        Project.objects.select_related("district", "call"),
        pk=project_id,
    )


def _report(project: Project) -> FinalReport | None:
    return (
        FinalReport.objects.filter(project=project)
        .prefetch_related(
            Prefetch("versions"),
            Prefetch("transitions__actor"),
        )
        .first()
    )


def _page(
    request,
    project,
    *,
    narrative=None,
    decision=None,
    reopen=None,
    close_errors=None,
    status=200,
):
    user = request.user
    report = _report(project)
    current = report.current if report is not None else None
    may_write = access.can(user, "write_final_report", project) and (
        report is None or workflow.final_report_may(user, "save", report)
    )
    may_decide = (
        report is not None
        and access.can(user, "decide_final_report", project)
        and workflow.final_report_may(user, "accept", report)
    )
    if narrative is None and may_write:
        initial = {}
        if current is not None:
            initial = {field: getattr(current, field) for field in services.TEXT_FIELDS}
        narrative = NarrativeForm(initial=initial)
    may_close = access.can(user, "close_project", project)
    closed = project.status == ProjectStatus.CLOSED
    typed_reason = request.session.get(_reopen_key(project))
    if reopen is None and may_close and closed:
        reopen = ReopenForm(initial={"reason": typed_reason} if typed_reason else None)
    today = seoul_today(timezone.now())
    return TemplateResponse(
        request,
        "closeout/final_report.html",
        {
            "page_title": _("Final report"),
            "page_subtitle": str(project),
            "header_icon": "doc-full",
            "project": project,
            "report": report,
            "current": current,
            "versions": list(report.versions.order_by("-number")) if report else [],
            "transitions": list(report.transitions.all()) if report else [],
            "outcome": selectors.localized(selectors.outcome_of(report, project)),
            "frozen": current is not None and current.snapshot is not None,
            "narrative": narrative if may_write else None,
            "decision": (decision or DecisionForm()) if may_decide else None,
            "submittable_from": services.submittable_from(project),
            "period_over": services.submittable_from(project) <= today,
            "may_close": may_close and not closed,
            "unmet": unmet_close_conditions(project)
            if may_close and not closed
            else [],
            "close_errors": close_errors or [],
            "reopen": reopen if may_close and closed else None,
            "closed": closed,
            "closures": list(
                project.closures.select_related("closed_by", "reopened_by").order_by(
                    "-closed_at", "-pk"
                )
            ),
        },
        status=status,
    )


def final_report(request, project_id: int):
    return _page(request, _visible_project(request, project_id))


@require_POST
def final_report_save(request, project_id: int):
    """Save the narrative, or save and submit it ("submit" button)."""
    project = _visible_project(request, project_id)
    if not access.can(request.user, "write_final_report", project):
        raise PermissionDenied
    form = NarrativeForm(request.POST)
    submit = "submit" in request.POST
    if form.is_valid():
        try:
            if submit:
                services.final_report_submit(
                    actor=request.user, project=project, texts=form.cleaned_data
                )
            else:
                services.final_report_save(
                    actor=request.user, project=project, texts=form.cleaned_data
                )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("The final report is submitted to the city.")
                if submit
                else _("The final report is saved as a draft."),
            )
            return redirect("closeout_final_report", project.pk)
    messages.error(
        request,
        _(
            "Nothing was saved: correct what is marked (everything you typed is "
            "kept), then send it again."
        ),
    )
    project.refresh_from_db()
    return _page(request, project, narrative=form, status=400)


@require_POST
def final_report_decide(request, project_id: int, decision: str):
    project = _visible_project(request, project_id)
    if decision not in ("accept", "return"):
        raise Http404
    if not access.can(request.user, "decide_final_report", project):
        raise PermissionDenied
    report = FinalReport.objects.filter(project=project).first()
    if report is None:
        raise Http404
    form = DecisionForm(request.POST)
    if form.is_valid():
        decide = (
            services.final_report_accept
            if decision == "accept"
            else services.final_report_return
        )
        try:
            decide(
                actor=request.user, report=report, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("The final report is accepted.")
                if decision == "accept"
                else _("The final report is returned to the district."),
            )
            return redirect("closeout_final_report", project.pk)
    messages.error(
        request,
        _("Nothing was decided: correct what is marked (what you typed is kept)."),
    )
    return _page(request, project, decision=form, status=400)


def final_report_document(request, project_id: int):
    project = _visible_project(request, project_id)
    report = _report(project)
    return _pdf(
        final_report_pdf(project, report, reader=request.user),
        f"final-report-{project.code}",
    )


@require_POST
def project_close(request, project_id: int):
    project = _visible_project(request, project_id)
    if not access.can(request.user, "close_project", project):
        raise PermissionDenied
    try:
        services.project_close(actor=request.user, project=project)
    except ValidationError as error:
        messages.error(
            request,
            _("The project was not closed: do what each point below says first."),
        )
        return _page(request, project, close_errors=error.messages, status=400)
    messages.success(request, _("The project is closed."))
    return redirect("closeout_final_report", project.pk)


def _reopen_key(project) -> str:
    return f"closeout_reopen_{project.pk}"


@require_POST
def project_reopen(request, project_id: int):
    project = _visible_project(request, project_id)
    if not access.can(request.user, "close_project", project):
        raise PermissionDenied
    form = ReopenForm(request.POST)
    if refusal := reauthentication_refusal(
        request, next_url=reverse("closeout_final_report", args=[project.pk])
    ):
        # Kept for the page the person comes back to: nothing typed is lost.
        request.session[_reopen_key(project)] = request.POST.get("reason", "")
        return refusal
    request.session.pop(_reopen_key(project), None)
    if form.is_valid():
        try:
            services.project_reopen(
                actor=request.user, project=project, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The project is reopened."))
            return redirect("closeout_final_report", project.pk)
    messages.error(
        request,
        _(
            "The project was not reopened: correct what is marked (what you typed is kept)."
        ),
    )
    project.refresh_from_db()
    return _page(request, project, reopen=form, status=400)
