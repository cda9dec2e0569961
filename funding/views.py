"""Admin screens of the money: a project's agreement and tranches, the
agreement itself (signing, PDF), the schedule, and the dashboard. Every view
loads its objects through ``accounts.access``; every change is a service's."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from accounts import access
from accounts.models import Organisation
from accounts.reauth import reauthentication_refusal
from common.documents.views import _pdf
from projects.models import Project

from . import charts, selectors, services, workflow
from .documents import agreement_pdf
from .forms import DecisionForm, PaymentForm, RequestForm, ScheduleFormSet, SignForm
from .models import Agreement, AgreementStatus, Tranche

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


def _tranche_rows(user, project, forms_by_tranche=None, *, signed: bool):
    forms_by_tranche = forms_by_tranche or {}
    rows = []
    for tranche in project.tranches.prefetch_related("transitions__actor"):
        # Before signing no step is offered (the service would refuse it).
        actions = workflow.available_tranche_actions(user, tranche) if signed else []
        rows.append(
            {
                "tranche": tranche,
                "actions": actions,
                "condition_holds": services.condition_holds(tranche),
                "request_form": forms_by_tranche.get(("request", tranche.pk))
                or RequestForm(
                    initial={"amount": tranche.amount}, prefix=f"t{tranche.pk}"
                ),
                "decision_form": forms_by_tranche.get(("decide", tranche.pk))
                or DecisionForm(prefix=f"t{tranche.pk}"),
                "payment_form": forms_by_tranche.get(("pay", tranche.pk))
                or PaymentForm(
                    initial={"amount": tranche.requested_amount},
                    prefix=f"t{tranche.pk}",
                ),
            }
        )
    return rows


def _project_page(request, project, *, forms_by_tranche=None, status=200):
    user = request.user
    in_force = services.agreement_in_force(project)
    latest = services.agreement_latest(project)
    agreements = project.agreements.select_related("change_request").order_by(
        "-version"
    )
    paid = services.paid_total(project)
    spending = selectors.spending_by_project([project.pk]).get(project.pk)
    plan = project.current_plan
    can_draft = access.can(user, "draft_agreement", project) and (
        latest is None
        or latest.status == AgreementStatus.DRAFT
        or (plan is not None and latest.plan_id != plan.pk)
    )
    return TemplateResponse(
        request,
        "funding/project_money.html",
        {
            "page_title": _("Agreement and disbursement"),
            "page_subtitle": str(project),
            "header_icon": "doc-full",
            "project": project,
            "agreements": agreements,
            "latest": latest,
            "in_force": in_force,
            "agreed": in_force.city_share if in_force else 0,
            "paid": paid,
            "due": (in_force.city_share if in_force else 0) - paid,
            "scheduled": services.scheduled_total(project),
            "tranches": _tranche_rows(
                user, project, forms_by_tranche, signed=in_force is not None
            ),
            "spending": spending,
            "money_chart": charts.project_money_chart(
                project,
                agreed=in_force.city_share if in_force else 0,
                paid=paid,
                spending=spending,
            ),
            "can_draft": can_draft,
            "can_schedule": access.can(user, "set_tranche_schedule", project)
            and latest is not None,
        },
        status=status,
    )


def project_money(request, project_id: int):
    project = access.get_visible_or_404(
        request.user, Project.objects.select_related("district", "call"), pk=project_id
    )
    return _project_page(request, project)


@require_POST
def agreement_draft(request, project_id: int):
    project = access.get_visible_or_404(request.user, Project, pk=project_id)
    if not access.can(request.user, "draft_agreement", project):
        raise PermissionDenied
    try:
        agreement = services.agreement_draft(actor=request.user, project=project)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
        return redirect("funding_project", project.pk)
    messages.success(
        request,
        _("Version %(version)s of the agreement is drafted from the plan in force.")
        % {"version": agreement.version},
    )
    return redirect("funding_agreement", agreement.pk)


def _agreement_page(request, agreement, *, form=None, status=200):
    user = request.user
    can_sign = agreement.status == AgreementStatus.DRAFT and access.is_city_manager(
        user
    )
    typed = request.session.get(_typed_key(agreement))
    if form is None and can_sign and typed:
        form = SignForm(initial=typed)
    if form is None and can_sign:
        form = SignForm(
            initial={
                "city_signatory_name": agreement.city_signatory_name,
                "city_signatory_title": agreement.city_signatory_title,
                "district_signatory_name": agreement.district_signatory_name,
                "district_signatory_title": agreement.district_signatory_title,
            }
        )
    return TemplateResponse(
        request,
        "funding/agreement_detail.html",
        {
            "page_title": _("Grant agreement"),
            "page_subtitle": str(agreement),
            "header_icon": "doc-full",
            "agreement": agreement,
            "project": agreement.project,
            "budget_lines": agreement.budget_lines.all(),
            "budget_total": sum(line.amount for line in agreement.budget_lines.all()),
            "can_sign": can_sign,
            "can_edit": agreement.status == AgreementStatus.DRAFT
            and access.can_change(user, agreement),
            "form": form,
        },
        status=status,
    )


def _typed_key(agreement) -> str:
    return f"funding_sign_{agreement.pk}"


def _visible_agreement(request, pk: int) -> Agreement:
    return access.get_visible_or_404(
        request.user,
        Agreement.objects.select_related(
            "project__district", "project__call", "city", "district", "change_request"
        ),
        pk=pk,
    )


def agreement_detail(request, pk: int):
    return _agreement_page(request, _visible_agreement(request, pk))


@require_POST
def agreement_sign(request, pk: int):
    agreement = _visible_agreement(request, pk)
    if not access.is_city_manager(request.user):
        raise PermissionDenied
    form = SignForm(request.POST)
    if refusal := reauthentication_refusal(
        request, next_url=reverse("funding_agreement", args=[agreement.pk])
    ):
        # Kept for the page the person comes back to: nothing typed is lost.
        request.session[_typed_key(agreement)] = {
            name: request.POST.get(name, "") for name in SignForm.base_fields
        }
        return refusal
    request.session.pop(_typed_key(agreement), None)
    if form.is_valid():
        try:
            services.agreement_sign(
                actor=request.user, agreement=agreement, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The agreement is signed and in force."))
            return redirect("funding_agreement", agreement.pk)
    messages.error(
        request,
        _(
            "The agreement was not signed and nothing was saved: correct what is "
            "marked (everything you typed is kept), then sign again."
        ),
    )
    agreement.refresh_from_db()
    return _agreement_page(request, agreement, form=form, status=400)


def agreement_document(request, pk: int):
    agreement = _visible_agreement(request, pk)
    return _pdf(
        agreement_pdf(agreement, reader=request.user),
        f"agreement-{agreement.project.code}-v{agreement.version}",
    )


def schedule(request, project_id: int):
    project = access.get_visible_or_404(request.user, Project, pk=project_id)
    if not access.can(request.user, "set_tranche_schedule", project):
        raise PermissionDenied
    agreement = services.agreement_latest(project)
    if agreement is None:
        messages.error(
            request,
            _("Draft the agreement first: the schedule shares out its city share."),
        )
        return redirect("funding_project", project.pk)
    kept = list(project.tranches.exclude(status="scheduled"))
    open_rows = project.tranches.filter(status="scheduled")
    months = project.months
    initial = [
        {
            "planned_on": t.planned_on,
            "amount": t.amount,
            "condition_month": t.condition_month.isoformat()
            if t.condition_month
            else "",
        }
        for t in open_rows
    ]
    if request.method == "POST":
        formset = ScheduleFormSet(request.POST, months=months, prefix="tranches")
        if formset.is_valid():
            try:
                services.tranche_schedule_set(
                    actor=request.user, project=project, rows=formset.rows()
                )
            except ValidationError as error:
                for message in _messages_of(error):
                    formset._non_form_errors = formset.error_class(
                        [*formset.non_form_errors(), message]
                    )
            else:
                messages.success(request, _("The disbursement schedule is saved."))
                return redirect("funding_project", project.pk)
        messages.error(
            request,
            _(
                "The schedule was not saved: correct what is marked (everything you "
                "typed is kept), then save again."
            ),
        )
    else:
        blank = [{}] * max(0, 3 - len(initial))
        formset = ScheduleFormSet(
            initial=initial + blank, months=months, prefix="tranches"
        )
    return TemplateResponse(
        request,
        "funding/schedule_form.html",
        {
            "page_title": _("Disbursement schedule"),
            "page_subtitle": str(project),
            "header_icon": "date",
            "project": project,
            "agreement": agreement,
            "kept": kept,
            "formset": formset,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def tranche_action(request, pk: int, action: str):
    tranche = access.get_visible_or_404(
        request.user, Tranche.objects.select_related("project__district"), pk=pk
    )
    project = tranche.project
    prefix = f"t{tranche.pk}"
    try:
        if action == "request":
            form = RequestForm(request.POST, prefix=prefix)
            key = ("request", tranche.pk)
            if form.is_valid():
                services.tranche_request(
                    actor=request.user,
                    tranche=tranche,
                    amount=form.cleaned_data["amount"],
                    note=form.cleaned_data["note"],
                )
        elif action in ("approve", "refuse"):
            form = DecisionForm(request.POST, prefix=prefix)
            key = ("decide", tranche.pk)
            if form.is_valid():
                decide = (
                    services.tranche_approve
                    if action == "approve"
                    else services.tranche_refuse
                )
                decide(
                    actor=request.user,
                    tranche=tranche,
                    note=form.cleaned_data["note"],
                )
        elif action == "pay":
            form = PaymentForm(request.POST, prefix=prefix)
            key = ("pay", tranche.pk)
            if form.is_valid():
                services.tranche_pay(
                    actor=request.user,
                    tranche=tranche,
                    paid_on=form.cleaned_data["paid_on"],
                    amount=form.cleaned_data["amount"],
                )
        else:
            raise Http404
    except ValidationError as error:
        form.add_service_errors(error)
    if form.errors:
        messages.error(
            request,
            _(
                "Nothing was saved for tranche %(number)s: %(problems)s Correct it "
                "below (what you typed is kept) and send it again."
            )
            % {
                "number": tranche.number,
                "problems": " ".join(
                    str(m) for errors in form.errors.values() for m in errors
                ),
            },
        )
        return _project_page(request, project, forms_by_tranche={key: form}, status=400)
    messages.success(
        request,
        _("Tranche %(number)s: done (%(action)s).")
        % {"number": tranche.number, "action": workflow.action_label(action)},
    )
    return redirect("funding_project", project.pk)


# --- the dashboard -----------------------------------------------------------------


def _int_or_none(value: str) -> int | None:
    return int(value) if value and value.isdigit() else None


def dashboard(request):
    """Per project and per district: agreed (city share), disbursed, still due."""
    user = request.user
    if not access.can(user, "view_funding"):
        raise PermissionDenied
    from common.columns import call_title
    from competitions.models import CallPage

    own = access.user_district(user)
    filters = {
        "call": request.GET.get("call", ""),
        "district": request.GET.get("district", "") if own is None else "",
        "status": request.GET.get("status", ""),
    }
    if filters["status"] not in {code for code, _label in selectors.STATUS_CHOICES}:
        filters["status"] = ""
    rows = selectors.funding_rows(
        user=user,
        call_id=_int_or_none(filters["call"]),
        district_id=_int_or_none(filters["district"]),
        status=filters["status"],
    )
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        from tablib import Dataset

        from common.spreadsheets import dataset_export

        headers, table = selectors.export_table(rows)
        dataset = Dataset(headers=headers)
        for line in table:
            dataset.append(line)
        response = HttpResponse(
            dataset_export(dataset, export),
            content_type="text/csv; charset=utf-8" if export == "csv" else XLSX,
        )
        response["Content-Disposition"] = (
            f'attachment; filename="disbursement.{export}"'
        )
        return response
    districts = selectors.district_totals(rows)
    calls = CallPage.objects.filter(projects__isnull=False).distinct().order_by("-year")
    return TemplateResponse(
        request,
        "funding/dashboard.html",
        {
            "page_title": _("Agreements and disbursement"),
            "header_icon": "table",
            "rows": rows,
            "districts": districts,
            "money_chart": charts.district_money_chart(districts),
            "total_agreed": sum(row.agreed for row in rows),
            "total_paid": sum(row.paid for row in rows),
            "total_due": sum(row.due for row in rows),
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
                "status": [(c, str(label)) for c, label in selectors.STATUS_CHOICES],
            },
            "filter_query": urlencode({k: v for k, v in filters.items() if v}),
        },
    )
