"""Admin screens for monthly reports. Every object is loaded through the access
module; every change goes through reporting.services."""

import dataclasses
from datetime import date
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from accounts import access
from accounts.reauth import reauthentication_refusal
from common.formats import month_label as readable_month
from projects.models import Project
from projects.months import (
    add_months,
    first_of_month,
    month_end,
    month_label,
    parse_month,
    seoul_today,
)

from . import services, workflow
from .checks import six_month_retention
from .forms import DecisionForm, MonthlyReportForm, parse_roster, roster_text
from .models import MonthlyReport, ReportStatus, ReportVersion
from .month_picker import month_from_query
from .queues import QueueFilters, export_rows, filter_choices, overdue_queue
from .selectors import (
    completeness,
    due_on,
    form_rows,
    indicators_of_plan,
    month_rows,
    overdue,
    report_context,
    report_version_shown,
    starting_roster,
    timeliness,
    version_differences,
    version_roster,
    version_values,
)
from .services.reports import report_save_and_submit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ACTION_LABELS = {
    "submit": gettext_lazy("Submit"),
    "sign_off": gettext_lazy("Sign off and send to the city"),
    "approver_return": gettext_lazy("Return to the officer"),
    "accept": gettext_lazy("Accept"),
    "return": gettext_lazy("Return with comment"),
    "reopen": gettext_lazy("Reopen for correction"),
}


def _month_or_404(text: str) -> date:
    try:
        return parse_month(text)
    except ValueError:
        raise Http404 from None


def _error_dict(error: ValidationError) -> dict[str, list[str]]:
    return (
        error.message_dict
        if hasattr(error, "error_dict")
        else {"__all__": error.messages}
    )


def _comment_keys(
    report: MonthlyReport | None, version: ReportVersion | None, project, period, now
) -> list[str]:
    """Comment fields to show: the version's comments and its current warnings."""
    keys = list((version.comments or {}).keys()) if version else []
    if version is not None and version.status == ReportStatus.DRAFT:
        from .checks import check_report

        context = report_context(project=project, period=period, today=seoul_today(now))
        result = check_report(
            context=context,
            values=version_values(version),
            roster=version_roster(version) if version.has_roster else None,
            texts={"narrative": version.narrative},
            comments=version.comments,
        )
        keys += [k for k in result.warnings if k not in keys]
        # Spending over the budget is answered by a comment on its figure.
        money = {code for code, p in context.indicators.items() if p.indicator.is_money}
        keys += [
            k for k in result.errors if k.partition(".")[0] in money and k not in keys
        ]
    return keys


def report_form(request, project_id: int, month: str):
    """File (or correct) a month: the figures with, beside each, the target in
    force, the total so far and last month's value."""
    project = access.get_visible_or_404(request.user, Project, pk=project_id)
    period = _month_or_404(month)
    report = MonthlyReport.objects.filter(project=project, period=period).first()
    if not workflow.may(request.user, "save", district=project.district, report=report):
        if report is not None and access.can_view(request.user, report):
            messages.error(
                request, _("This report cannot be edited in its current status.")
            )
            return redirect("reporting_report", report.pk)
        raise PermissionDenied
    now = timezone.now()
    version = report.current_version if report else None
    rows = form_rows(project=project, period=period)
    comment_keys = _comment_keys(report, version, project, period, now)

    if request.method == "POST":
        form = MonthlyReportForm(request.POST, rows=rows, comment_keys=comment_keys)
        if form.is_valid():
            submitting = "action-submit" in request.POST
            entered = {
                "project": project,
                "period": period,
                "actor": request.user,
                "values": form.figures(),
                "narrative": form.cleaned_data["narrative"],
                "comments": form.comments(),
                "roster": parse_roster(form.cleaned_data["roster"]) or None,
            }
            try:
                if submitting:
                    version = report_save_and_submit(**entered)
                    messages.success(
                        request,
                        _("The report for %(month)s was submitted.")
                        % {"month": month_label(period)},
                    )
                    return redirect("reporting_report", version.report_id)
                services.report_save_draft(**entered)
                messages.success(request, _("Draft saved."))
                return redirect(
                    "reporting_report_form", project.pk, month_label(period)
                )
            except ValidationError as error:
                errors = _error_dict(error)
                needed = [
                    k
                    for k in MonthlyReportForm(
                        request.POST, rows=rows, comment_keys=[]
                    ).apply_errors(errors)
                ]
                keys = comment_keys + [k for k in needed if k not in comment_keys]
                form = MonthlyReportForm(request.POST, rows=rows, comment_keys=keys)
                form.is_valid()
                form.apply_errors(errors)
                messages.error(
                    request,
                    _(
                        "Nothing was saved and the report was not submitted: correct or comment on "
                        "everything marked below, then press “Save and submit” again. “Save draft” "
                        "keeps your figures without submitting them."
                    )
                    if submitting
                    else _(
                        "The draft was not saved: correct what is marked below, then save again."
                    ),
                )
    else:
        initial = {}
        if version is not None:
            figures = version_values(version)
            for row in rows:
                if row.key in figures[row.measure]:
                    initial[row.field_name] = figures[row.measure][row.key]
            initial["narrative"] = version.narrative
            for key, text in (version.comments or {}).items():
                initial[f"comment__{key}"] = text
        # A draft keeps its own roster; a new month starts from last month's
        # accepted one, as the spreadsheet template does.
        initial["roster"] = roster_text(
            starting_roster(project=project, period=period, version=version)
        )
        form = MonthlyReportForm(initial=initial, rows=rows, comment_keys=comment_keys)

    return TemplateResponse(
        request,
        "reporting/report_form.html",
        {
            "page_title": _("Monthly report"),
            "page_subtitle": f"{project.code} {project.display_title} · {readable_month(period)}",
            "header_icon": "form",
            "project": project,
            "period": period,
            "month": month_label(period),
            "report": report,
            "version": version,
            "form": form,
            "due": due_on(project, period),
            "plan": project.plan_for(period),
            "returned_comment": version.decision_comment
            if version and version.status == ReportStatus.RETURNED
            else "",
        },
    )


def _figure_label(indicators, measure: str, key: str) -> str:
    """ "Indicator · member" from the catalogue and the plan (the code where
    the plan no longer has it)."""
    planned = indicators.get(measure)
    if planned is None:
        return f"{measure} · {key}"
    member = planned.members.get(key)
    if not planned.is_split:
        return planned.name
    return f"{planned.name} · {member.name if member else key}"


def report_detail(request, pk: int):
    """A month: its versions and their differences, its history, its actions."""
    report = access.get_visible_or_404(
        request.user, MonthlyReport.objects.select_related("project", "district"), pk=pk
    )
    project, period = report.project, report.period
    indicators = indicators_of_plan(project.plan_for(period))
    versions = list(
        access.visible_to(request.user, ReportVersion)
        .filter(report=report)
        .order_by("number")
    )
    version_rows, previous = [], None
    for version in versions:
        changes = (
            [
                (_figure_label(indicators, measure, key), old, new)
                for measure, key, old, new in version_differences(previous, version)
            ]
            if previous is not None
            else []
        )
        retention = None
        if version.has_roster:
            retention = six_month_retention(version_roster(version), month_end(period))
        version_rows.append(
            {"version": version, "changes": changes, "retention": retention}
        )
        previous = version
    shown = report_version_shown(user=request.user, report=report)
    figures = version_values(shown)
    in_force = version_values(report.accepted_version)
    figure_rows = [
        {
            "row": row,
            "value": figures[row.measure].get(row.key),
            "in_force": in_force[row.measure].get(row.key),
        }
        for row in form_rows(project=project, period=period)
    ]
    now = timezone.now()
    actions = [a for a in workflow.allowed_actions(request.user, report) if a != "save"]
    return TemplateResponse(
        request,
        "reporting/report_detail.html",
        {
            "page_title": _("Monthly report"),
            "page_subtitle": f"{project.code} {project.display_title} · {readable_month(period)}",
            "header_icon": "doc-full",
            "report": report,
            "project": project,
            "month": month_label(period),
            "shown": shown,
            "figure_rows": figure_rows,
            "version_rows": version_rows,
            "transitions": report.transitions.select_related("actor", "version"),
            "reopenings": [
                (
                    reopening,
                    [
                        (_figure_label(indicators, c.measure, c.key), c)
                        for c in reopening.corrections.all()
                    ],
                )
                for reopening in report.reopenings.prefetch_related("corrections")
            ],
            "actions": [
                (a, ACTION_LABELS[a], a in ("return", "approver_return", "reopen"))
                for a in actions
            ],
            "can_edit": workflow.may(
                request.user, "save", district=report.district, report=report
            ),
            "due": due_on(project, period),
            "timeliness": timeliness(
                project=project,
                period=period,
                first_submitted_at=report.first_submitted_at,
                now=now,
            ),
            "decision_form": DecisionForm(),
        },
    )


@require_POST
def report_action(request, pk: int, action: str):
    report = access.get_visible_or_404(request.user, MonthlyReport, pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    calls = {
        "submit": lambda: services.report_submit(report=report, actor=request.user),
        "sign_off": lambda: services.report_sign_off(
            report=report, actor=request.user, note=note
        ),
        "approver_return": lambda: services.report_approver_return(
            report=report, actor=request.user, comment=note
        ),
        "accept": lambda: services.report_accept(
            report=report, actor=request.user, comment=note
        ),
        "return": lambda: services.report_return(
            report=report, actor=request.user, comment=note
        ),
        "reopen": lambda: services.report_reopen(
            report=report, actor=request.user, reason=note
        ),
    }
    if action not in calls:
        raise Http404
    if action == "reopen" and (
        refusal := reauthentication_refusal(
            request, next_url=reverse("reporting_report", args=[report.pk])
        )
    ):
        return refusal
    try:
        calls[action]()
    except ValidationError as error:
        for messages_ in _error_dict(error).values():
            for message in messages_:
                messages.error(request, message)
        return redirect("reporting_report", report.pk)
    messages.success(
        request, _("Done: %(action)s.") % {"action": ACTION_LABELS[action]}
    )
    if access.can_view(request.user, report):
        return redirect("reporting_report", report.pk)
    return redirect("reporting_month")


def _picker_context(request, choice, *, keep: tuple[str, ...] = ()) -> dict:
    """The month picker's context; a month that could not be read is said once."""
    if choice.error:
        messages.error(request, choice.error)
    kept = [(name, request.GET[name]) for name in keep if request.GET.get(name)]
    return {
        "picker": choice.picker(today=seoul_today(timezone.now())),
        "picker_keep": kept,
        "picker_keep_query": urlencode(kept) + "&" if kept else "",
    }


def month_overview(request):
    """A month's reports: on time, late, missing, returned, per district and in all."""
    if not access.is_city_or_district_user(request.user):
        raise PermissionDenied
    now = timezone.now()
    default = add_months(first_of_month(seoul_today(now)), -1)
    choice = month_from_query(request.GET, default=default)
    period = choice.period
    rows = month_rows(user=request.user, period=period, now=now)
    districts, overall = completeness(rows)
    return TemplateResponse(
        request,
        "reporting/month_overview.html",
        {
            "page_title": _("Reports of the month"),
            "page_subtitle": month_label(period),
            "header_icon": "date",
            "rows": rows,
            "districts": districts,
            "overall": overall,
            "month": month_label(period),
            "is_officer": access.is_district_officer(request.user),
            **_picker_context(request, choice),
        },
    )


def _queue_export(items, fmt: str) -> HttpResponse:
    from tablib import Dataset

    from common.spreadsheets import dataset_export

    headers, rows = export_rows(items)
    dataset = Dataset(headers=headers)
    for row in rows:
        dataset.append(row)
    content = dataset_export(dataset, fmt)
    response = HttpResponse(
        content,
        content_type="text/csv; charset=utf-8" if fmt == "csv" else XLSX,
    )
    response["Content-Disposition"] = f'attachment; filename="overdue-reports.{fmt}"'
    return response


def overdue_list(request):
    """Every month past its due day without a report: the city's follow-up
    list, filtered, sorted and exported as the person asks."""
    if not access.is_city_or_district_user(request.user):
        raise PermissionDenied
    now = timezone.now()
    today = seoul_today(now)
    rows = overdue(
        user=request.user,
        now=now,
        projects=access.visible_to(request.user, Project).select_related("call"),
    )
    filters = QueueFilters.from_query(request.GET)
    if request.GET.get("year") or request.GET.get("month"):
        # The month filter takes ?month=2019-10 and ?year=2019&month=10 alike;
        # a month that cannot be read is said, and every month is listed.
        choice = month_from_query(request.GET, default=first_of_month(today))
        if choice.error:
            messages.error(request, choice.error)
        filters = dataclasses.replace(
            filters, month="" if choice.error else month_label(choice.period)
        )
    items = overdue_queue(rows, filters=filters, today=today)
    export = request.GET.get("export", "")
    if export in ("csv", "xlsx"):
        return _queue_export(items, export)
    query = request.GET.copy()
    for name in ("sort", "export", "page"):
        query.pop(name, None)
    return TemplateResponse(
        request,
        "reporting/overdue.html",
        {
            "page_title": _("Overdue reports"),
            "header_icon": "warning",
            "items": items,
            "total": len(rows),
            "filters": filters,
            "choices": filter_choices(rows),
            "filter_query": query.urlencode(),
            "sort_columns": [
                ("month", _("Month")),
                ("project", _("Project")),
                ("district", _("District")),
                ("due", _("Due")),
                ("days_late", _("Days late")),
            ],
            "is_officer": access.is_district_officer(request.user),
            "is_city": access.is_city_manager(request.user),
            "show_district_filter": not access.is_district_officer(request.user)
            and not access.is_district_approver(request.user),
        },
    )


@require_POST
def overdue_remind(request):
    """ "Send reminder now" on the overdue list (city managers)."""
    project_id = request.POST.get("project", "")
    if not project_id.isdigit():
        raise Http404
    project = access.get_visible_or_404(
        request.user, Project.objects.select_related("district"), pk=project_id
    )
    try:
        period = parse_month(request.POST.get("month", ""))
    except ValueError:
        raise Http404 from None
    try:
        services.reminder_send_now(project=project, period=period, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.warning(request, message)
    else:
        messages.success(
            request,
            _("A reminder of %(month)s of %(project)s was sent to the district.")
            % {"month": month_label(period), "project": project.code},
        )
    back = request.POST.get("next", "")
    if not back.startswith(reverse("reporting_overdue")):
        back = reverse("reporting_overdue")
    return redirect(back)
