"""Admin screens of site visits: planning, the checklist result, findings and
their answers, the work queues. Every view loads its objects through
``accounts.access``; every change is a service's, and a refused form is shown
again with what was typed and the service's reasons on its fields."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from accounts import access
from common.storage import stored_file_response
from projects.models import Project
from projects.months import seoul_today

from . import selectors, services, workflow
from .forms import (
    AnswerForm,
    CancelForm,
    ChecklistForm,
    DecisionForm,
    FindingForm,
    VisitPlanForm,
)
from .models import Finding, FindingAttachment, SiteVisit, VisitStatus


def _require_view(user) -> None:
    if not access.can(user, "view_site_visits"):
        raise PermissionDenied


def _require_city(user) -> None:
    if not access.can(user, "plan_site_visit"):
        raise PermissionDenied


def _visit_or_404(user, pk: int) -> SiteVisit:
    return access.get_visible_or_404(
        user,
        SiteVisit.objects.select_related("project__district", "project__call"),
        pk=pk,
    )


def _finding_or_404(user, pk: int) -> Finding:
    return access.get_visible_or_404(
        user,
        Finding.objects.select_related(
            "visit__project__district", "visit__project__call"
        ),
        pk=pk,
    )


def _page(request, template: str, title: str, subtitle: str = "", **context):
    status = context.pop("status", 200)
    return TemplateResponse(
        request,
        template,
        {
            "page_title": title,
            "page_subtitle": subtitle,
            "header_icon": "clipboard-list",
            **context,
        },
        status=status,
    )


# --- visits ----------------------------------------------------------------------


def visit_new(request):
    """The city plans a visit (optionally for the project in ``?project=``)."""
    _require_city(request.user)
    initial = {"project": request.GET.get("project")}
    form = VisitPlanForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_plan(
                actor=request.user,
                project=form.cleaned_data["project"],
                planned_on=form.cleaned_data["planned_on"],
                inspectors=form.cleaned_data["inspectors"],
                purpose=form.cleaned_data["purpose"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The visit is planned."))
            return redirect("inspections_visit", visit.pk)
    return _page(
        request,
        "inspections/visit_form.html",
        _("Plan a site visit"),
        form=form,
        status=400 if form.errors else 200,
    )


def _not_planned(request, visit):
    """A done or cancelled visit is not changed or recorded again: back to
    its page, saying why."""
    if visit.status == VisitStatus.PLANNED:
        return None
    messages.error(
        request,
        _("This visit is %(status)s: its plan and result are kept as they are.")
        % {"status": visit.get_status_display()},
    )
    return redirect("inspections_visit", visit.pk)


def visit_edit(request, pk: int):
    visit = _visit_or_404(request.user, pk)
    _require_city(request.user)
    if (refusal := _not_planned(request, visit)) is not None:
        return refusal
    initial = {
        "planned_on": visit.planned_on,
        "inspectors": list(visit.inspectors.all()),
        "purpose": visit.purpose,
    }
    form = VisitPlanForm(
        request.POST or None,
        user=request.user,
        fixed_project=visit.project,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_update(
                actor=request.user,
                visit=visit,
                planned_on=form.cleaned_data["planned_on"],
                inspectors=form.cleaned_data["inspectors"],
                purpose=form.cleaned_data["purpose"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The visit is changed."))
            return redirect("inspections_visit", visit.pk)
    return _page(
        request,
        "inspections/visit_form.html",
        _("Change the planned visit"),
        str(visit.project),
        form=form,
        visit=visit,
        status=400 if form.errors else 200,
    )


def _visit_page(request, visit, *, finding_form=None, cancel_form=None, status=200):
    user = request.user
    city = access.can(user, "plan_site_visit", visit.project)
    findings = visit.findings.order_by("number")
    return _page(
        request,
        "inspections/visit_detail.html",
        _("Site visit"),
        str(visit.project),
        visit=visit,
        project=visit.project,
        inspectors=visit.inspectors.order_by("pk"),
        answers=visit.answers.all(),
        findings=findings,
        today=seoul_today(timezone.now()),
        can_record=city and visit.status == VisitStatus.PLANNED,
        can_add_finding=city and visit.status == VisitStatus.DONE,
        finding_form=finding_form
        or (FindingForm() if city and visit.status == VisitStatus.DONE else None),
        cancel_form=cancel_form
        or (CancelForm() if city and visit.status == VisitStatus.PLANNED else None),
        status=status,
    )


def visit_detail(request, pk: int):
    visit = _visit_or_404(request.user, pk)
    return _visit_page(request, visit)


def visit_record(request, pk: int):
    """The city records the checklist of a planned visit."""
    visit = _visit_or_404(request.user, pk)
    _require_city(request.user)
    if (refusal := _not_planned(request, visit)) is not None:
        return refusal
    lines = services.checklist_for(visit.project.call)
    form = ChecklistForm(
        request.POST or None,
        lines=lines,
        initial={"visited_on": visit.planned_on},
    )
    if request.method == "POST" and form.is_valid():
        answers = [
            services.AnswerRow(
                answer=form.cleaned_data[f"answer_{line.order}"],
                note=form.cleaned_data[f"note_{line.order}"],
            )
            for line in lines
        ]
        try:
            services.visit_record(
                actor=request.user,
                visit=visit,
                visited_on=form.cleaned_data["visited_on"],
                answers=answers,
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("The visit's result is recorded. Record its findings below."),
            )
            return redirect("inspections_visit", visit.pk)
    return _page(
        request,
        "inspections/record_form.html",
        _("Record the visit's result"),
        str(visit.project),
        visit=visit,
        form=form,
        status=400 if form.errors else 200,
    )


@require_POST
def visit_cancel(request, pk: int):
    visit = _visit_or_404(request.user, pk)
    _require_city(request.user)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.visit_cancel(
                actor=request.user, visit=visit, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The visit is cancelled."))
            return redirect("inspections_visit", visit.pk)
    return _visit_page(request, visit, cancel_form=form, status=400)


@require_POST
def finding_new(request, pk: int):
    """The city records a finding of a done visit (the form is on its page)."""
    visit = _visit_or_404(request.user, pk)
    _require_city(request.user)
    form = FindingForm(request.POST)
    if form.is_valid():
        try:
            finding = services.finding_record(
                actor=request.user, visit=visit, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("Finding %(number)s is recorded; the district is told.")
                % {"number": finding.number},
            )
            return redirect("inspections_visit", visit.pk)
    return _visit_page(request, visit, finding_form=form, status=400)


# --- findings --------------------------------------------------------------------


def _finding_page(
    request, finding, *, answer_form=None, decision_form=None, status=200
):
    user = request.user
    actions = workflow.available_finding_actions(user, finding)
    return _page(
        request,
        "inspections/finding_detail.html",
        _("Finding %(number)s") % {"number": finding.number},
        str(finding.visit.project),
        finding=finding,
        visit=finding.visit,
        project=finding.visit.project,
        overdue=services.is_overdue(finding, seoul_today(timezone.now())),
        attachments=finding.attachments.all(),
        transitions=finding.transitions.select_related("actor"),
        actions=actions,
        answer_form=answer_form or (AnswerForm() if "answer" in actions else None),
        decision_form=decision_form or (DecisionForm() if "close" in actions else None),
        status=status,
    )


def finding_detail(request, pk: int):
    """A finding; the district's officer answers it here (with evidence)."""
    finding = _finding_or_404(request.user, pk)
    if request.method != "POST":
        return _finding_page(request, finding)
    if not access.can(request.user, "answer_finding", finding):
        raise PermissionDenied
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.finding_answer(
                actor=request.user,
                finding=finding,
                answer=form.cleaned_data["answer"],
                files=request.FILES.getlist("files"),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Your answer is sent to the city."))
            return redirect("inspections_finding", finding.pk)
    return _finding_page(request, finding, answer_form=form, status=400)


@require_POST
def finding_action(request, pk: int, action: str):
    """The city closes a finding or returns it with a comment."""
    finding = _finding_or_404(request.user, pk)
    moves = {"close": services.finding_close, "return": services.finding_return}
    if action not in moves:
        raise Http404
    _require_city(request.user)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            moves[action](
                actor=request.user, finding=finding, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("The finding is closed.")
                if action == "close"
                else _("The finding is returned to the district."),
            )
            return redirect("inspections_finding", finding.pk)
    return _finding_page(request, finding, decision_form=form, status=400)


def evidence_download(request, pk: int):
    """Stream a finding's evidence to someone who may see the finding."""
    attachment = access.get_visible_or_404(request.user, FindingAttachment, pk=pk)
    return stored_file_response(attachment.file, filename=attachment.filename)


def findings(request):
    """The work queues: the city's open, overdue and answered findings; a
    district's findings to answer."""
    _require_view(request.user)
    city = access.is_city_manager(request.user)
    default = "answered" if city else "open"
    queue = request.GET.get("queue") or default
    if queue not in selectors.QUEUES:
        queue = default
    today = seoul_today(timezone.now())
    rows = selectors.findings_queue(request.user, queue, today)[:500]
    return _page(
        request,
        "inspections/findings.html",
        _("Findings of site visits"),
        queue=queue,
        queues=[
            # The findings' own words (미결, 종결), not a call's (접수 중, 마감).
            ("open", pgettext("finding status", "Open")),
            ("overdue", _("Overdue")),
            ("answered", _("Answered, waiting for the city")),
            ("closed", pgettext("finding status", "Closed")),
            ("all", _("All")),
        ],
        counts=selectors.finding_counts(request.user, today),
        findings=rows,
        today=today,
        is_city=city,
    )


def project_visits(request, project_id: int):
    """A project's visits and findings (linked from the project's page)."""
    project = access.get_visible_or_404(
        request.user, Project.objects.select_related("district", "call"), pk=project_id
    )
    _require_view(request.user)
    return _page(
        request,
        "inspections/project.html",
        _("Site visits"),
        str(project),
        project=project,
        visits=project.site_visits.order_by("-planned_on"),
        findings=Finding.objects.filter(visit__project=project)
        .select_related("visit")
        .order_by("visit__planned_on", "number"),
        summary=selectors.project_findings_summary(project),
        today=seoul_today(timezone.now()),
        can_plan=access.can(request.user, "plan_site_visit", project),
    )
