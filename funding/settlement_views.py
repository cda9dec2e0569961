"""Admin screens of the settlement (정산): the district's form, the city's
check (the rule's numbers step by step), the return paid, the city's list
with its export, and the evidence download. Objects are loaded through
``accounts.access``; every change is a service's (``settlement_services``);
a refused POST shows the same form with what was typed and why."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.admin import messages

from accounts import access
from accounts.models import Organisation
from common.columns import call_title
from common.storage import stored_file_response
from projects.models import Project

from . import settlement_services as services
from . import workflow
from .forms import SettlementDecisionForm, SettlementForm, SettlementReturnForm
from .models import Settlement, SettlementEvidence, SettlementStatus
from .settlement import settlement_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request, project, *, form=None, decision=None, paid=None, status=200):
    user = request.user
    settlement = settlement_of(project)
    result = services.settlement_result(settlement) if settlement else None
    editable = (
        settlement is not None
        and settlement.status in workflow.SETTLEMENT_EDITABLE
        and access.can(user, "file_settlement", project)
    )
    actions = (
        workflow.available_settlement_actions(user, settlement) if settlement else []
    )
    return TemplateResponse(
        request,
        "funding/settlement.html",
        {
            "page_title": _("Settlement"),
            "page_subtitle": str(project),
            "header_icon": "doc-full",
            "project": project,
            "settlement": settlement,
            "result": result,
            "due_on": services.settlement_due_on(project),
            "can_start": settlement is None
            and access.can(user, "file_settlement", project),
            "editable": editable,
            "actions": actions,
            "form": form
            or (SettlementForm(settlement=settlement) if editable else None),
            "decision_form": decision or SettlementDecisionForm(),
            "return_form": paid
            or SettlementReturnForm(
                initial={"amount": settlement.returned if settlement else None}
            ),
            "lines": settlement.lines.all() if settlement else [],
            "evidence": settlement.evidence.all() if settlement else [],
            "history": settlement.transitions.select_related("actor")
            if settlement
            else [],
        },
        status=status,
    )


def settlement(request, project_id: int):
    project = access.get_visible_or_404(
        request.user, Project.objects.select_related("district", "call"), pk=project_id
    )
    if request.method == "POST":
        return _post(request, project)
    return _page(request, project)


def _refused(request, project, error, **forms):
    for form in forms.values():
        form.add_service_errors(error)
    return _page(request, project, status=400, **forms)


def _post(request, project):
    action = request.POST.get("action", "")
    user = request.user
    if action == "start":
        try:
            services.settlement_start(actor=user, project=project)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("funding_settlement", project.pk)
    current = settlement_of(project)
    if current is None:
        raise Http404
    if action in ("save", "submit"):
        return _file(request, project, current, submit=action == "submit")
    if action in ("return", "accept"):
        decision = SettlementDecisionForm(request.POST)
        decision.is_valid()
        comment = decision.cleaned_data.get("comment", "")
        try:
            if action == "return":
                services.settlement_return(
                    actor=user, settlement=current, comment=comment
                )
                messages.success(
                    request, _("The settlement is returned to the district.")
                )
            else:
                done = services.settlement_accept(
                    actor=user, settlement=current, comment=comment
                )
                messages.success(
                    request,
                    _("The settlement is accepted.")
                    if done.status == SettlementStatus.ACCEPTED
                    else _(
                        "The settlement is accepted and settled: nothing to return."
                    ),
                )
        except ValidationError as error:
            return _refused(request, project, error, decision=decision)
        return redirect("funding_settlement", project.pk)
    if action == "settle":
        paid = SettlementReturnForm(request.POST)
        if not paid.is_valid():
            return _page(request, project, paid=paid, status=400)
        try:
            services.settlement_record_return(
                actor=user, settlement=current, **paid.cleaned_data
            )
        except ValidationError as error:
            return _refused(request, project, error, paid=paid)
        messages.success(
            request, _("The return is recorded: the settlement is settled.")
        )
        return redirect("funding_settlement", project.pk)
    raise Http404


def _file(request, project, current, *, submit: bool):
    if not access.can(request.user, "file_settlement", project):
        raise PermissionDenied
    form = SettlementForm(request.POST, request.FILES, settlement=current)
    if not form.is_valid():
        return _page(request, project, form=form, status=400)
    try:
        services.settlement_save(
            actor=request.user,
            settlement=current,
            lines=form.line_values(),
            interest=form.cleaned_data["interest"],
            note=form.cleaned_data["note"],
        )
        if form.cleaned_data.get("file"):
            services.settlement_evidence_add(
                actor=request.user,
                settlement=current,
                file=form.cleaned_data["file"],
                title=form.cleaned_data["evidence_title"],
            )
        if submit:
            services.settlement_submit(actor=request.user, settlement=current)
    except ValidationError as error:
        form.add_service_errors(error)
        return _page(request, project, form=form, status=400)
    messages.success(
        request,
        _("The settlement is submitted to the city.")
        if submit
        else _("The settlement is saved."),
    )
    return redirect("funding_settlement", project.pk)


def evidence_download(request, pk: int):
    """A settlement's evidence, to whoever may see its project."""
    evidence = access.get_visible_or_404(request.user, SettlementEvidence, pk=pk)
    return stored_file_response(evidence.file, filename=evidence.filename)


def _int_or_none(value: str) -> int | None:
    return int(value) if value and value.isdigit() else None


def _export(settlements, export: str) -> HttpResponse:
    from tablib import Dataset

    from common.spreadsheets import dataset_export

    dataset = Dataset(
        headers=[
            _("Project code"),
            _("Project"),
            _("District"),
            _("Call"),
            _("Status"),
            _("Spent (KRW)"),
            _("City share of spending (KRW)"),
            _("City money received (KRW)"),
            _("Interest returned (KRW)"),
            _("To return (KRW)"),
            _("Returned (KRW)"),
        ]
    )
    for s in settlements:
        paid = getattr(s, "return_paid", None)
        dataset.append(
            [
                s.project.code,
                s.project.display_title,
                s.project.district.name,
                call_title(s.project.call) if s.project.call else "",
                s.get_status_display(),
                s.spent,
                s.city_spent,
                s.city_received,
                s.interest_returned,
                s.returned,
                paid.amount if paid else None,
            ]
        )
    response = HttpResponse(
        dataset_export(dataset, export),
        content_type="text/csv; charset=utf-8" if export == "csv" else XLSX,
    )
    response["Content-Disposition"] = f'attachment; filename="settlements.{export}"'
    return response


def settlement_list(request):
    """The city's list of settlements, by call, district and status."""
    user = request.user
    if not access.can(user, "view_funding"):
        raise PermissionDenied
    from competitions.models import CallPage

    own = access.user_district(user)
    filters = {
        "call": request.GET.get("call", ""),
        "district": request.GET.get("district", "") if own is None else "",
        "status": request.GET.get("status", ""),
    }
    settlements = (
        access.visible_to(user, Settlement)
        .select_related("project__district", "project__call", "return_paid")
        .order_by("project__district__code", "project__code")
    )
    if call_id := _int_or_none(filters["call"]):
        settlements = settlements.filter(project__call_id=call_id)
    if district_id := _int_or_none(filters["district"]):
        settlements = settlements.filter(project__district_id=district_id)
    if filters["status"] in SettlementStatus.values:
        settlements = settlements.filter(status=filters["status"])
    else:
        filters["status"] = ""
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return _export(settlements, export)
    calls = CallPage.objects.filter(projects__isnull=False).distinct().order_by("-year")
    return TemplateResponse(
        request,
        "funding/settlement_list.html",
        {
            "page_title": _("Settlements"),
            "header_icon": "table",
            "settlements": settlements,
            "filters": filters,
            "show_district_filter": own is None,
            "choices": {
                "call": [(str(c.pk), call_title(c)) for c in calls],
                "district": [
                    (str(d.pk), d.name)
                    for d in Organisation.objects.filter(
                        kind__in=Organisation.LOCAL_KINDS
                    )
                ],
                "status": [(c, str(label)) for c, label in SettlementStatus.choices],
            },
            "filter_query": urlencode({k: v for k, v in filters.items() if v}),
        },
    )
