"""Admin screens for projects: the project page (what was agreed when, change
requests, months) and the change request form and decision."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.widgets.button import Button

from accounts import access
from common.viewsets import ScopedInspectView

from . import services
from .forms import ChangeRequestForm
from .models import ChangeRequest, ChangeRequestStatus, Project
from .months import month_label
from .selectors import change_request_decision


class ProjectInspectView(ScopedInspectView):
    template_name = "projects/project_inspect.html"

    @cached_property
    def header_more_buttons(self):
        # 계속 사업: "carry into <call>" where the project's grade allows it.
        from competitions.selectors.carry import continuation_calls_for

        buttons = list(super().header_more_buttons)
        for call in continuation_calls_for(user=self.request.user, project=self.object):
            buttons.append(
                Button(
                    _("Carry into %(call)s") % {"call": call.display_title},
                    url=reverse("proposals:carry", args=[self.object.pk]),
                    icon_name="rotate",
                    priority=30,
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        from reporting.models import MonthlyReport
        from reporting.selectors import due_on, jobs_created_to_date, timeliness

        context = super().get_context_data(**kwargs)
        project, user, now = self.object, self.request.user, timezone.now()
        reports = {
            r.period: r
            for r in access.visible_to(user, MonthlyReport).filter(project=project)
        }
        context.update(
            project=project,
            plans=project.plans.prefetch_related(
                "target_groups", "outputs__indicator", "budget_lines"
            ).select_related("approved_by", "change_request"),
            change_requests=project.change_requests.select_related(
                "proposed_by", "decided_by"
            ),
            months=[
                {
                    "period": period,
                    "label": month_label(period),
                    "report": reports.get(period),
                    "due": due_on(project, period),
                    "timeliness": timeliness(
                        project=project,
                        period=period,
                        first_submitted_at=reports[period].first_submitted_at
                        if period in reports
                        else None,
                        now=now,
                    ),
                }
                for period in project.months
            ],
            jobs_to_date=jobs_created_to_date(
                until=project.period_end, project=project
            ),
            can_propose=access.can(user, "propose_change", project),
            can_decide=access.can(user, "decide_change", project),
            can_file=access.is_officer_of(user, project.district),
        )
        return context


def change_request_new(request, project_id: int):
    project = access.get_visible_or_404(request.user, Project, pk=project_id)
    if not access.can(request.user, "propose_change", project):
        raise PermissionDenied
    plan = project.current_plan
    form = ChangeRequestForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            change_request = services.change_request_propose(
                project=project,
                actor=request.user,
                proposed=form.proposed(),
                reason=form.cleaned_data["reason"],
                effective_from=form.cleaned_data["effective_from"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The change request was sent to the city."))
            return redirect("projects_change_request", change_request.pk)
    if request.method == "POST" and form.has_errors:
        messages.error(
            request,
            _(
                "The change request was not sent and nothing was saved: correct what is "
                "marked below (everything you typed is kept), then send it again."
            ),
        )
    return TemplateResponse(
        request,
        "projects/change_request_form.html",
        {
            "page_title": _("Propose a change"),
            "page_subtitle": str(project),
            "header_icon": "edit",
            "project": project,
            "plan": plan,
            "form": form,
        },
    )


def _change_request_page(request, change_request, *, note: str = "", errors=()):
    project = change_request.project
    return TemplateResponse(
        request,
        "projects/change_request_detail.html",
        {
            "page_title": _("Change request"),
            "page_subtitle": str(project),
            "header_icon": "edit",
            "project": project,
            "change_request": change_request,
            "decision": change_request_decision(change_request),
            "can_decide": change_request.status == ChangeRequestStatus.PROPOSED
            and access.can(request.user, "decide_change", project),
            "note": note,
            "errors": list(errors),
        },
    )


def change_request_detail(request, pk: int):
    """The request beside the values in force, row by row; the city decides here."""
    change_request = access.get_visible_or_404(
        request.user,
        ChangeRequest.objects.select_related(
            "project__district", "proposed_by", "decided_by"
        ),
        pk=pk,
    )
    return _change_request_page(request, change_request)


@require_POST
def change_request_decide(request, pk: int, decision: str):
    change_request = access.get_visible_or_404(request.user, ChangeRequest, pk=pk)
    note = request.POST.get("note", "")
    try:
        if decision == "approve":
            services.change_request_approve(
                change_request=change_request, actor=request.user, note=note
            )
            messages.success(request, _("The change was approved."))
        elif decision == "reject":
            services.change_request_reject(
                change_request=change_request, actor=request.user, note=note
            )
            messages.success(request, _("The change was rejected."))
        else:
            raise PermissionDenied
    except ValidationError as error:
        # The page again, with the comment as typed and every reason it failed.
        change_request.refresh_from_db()
        return _change_request_page(
            request, change_request, note=note, errors=error.messages
        )
    return redirect("projects_change_request", change_request.pk)
