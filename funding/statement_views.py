"""Admin screens of the settlement documents: one project's statement
(정산서) as Excel or PDF, and the city's settlement summary (정산 총괄표) built
as a background job. Every view loads its objects through ``accounts.access``."""

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Organisation
from common.columns import call_title
from common.documents.views import _pdf
from common.models import BackgroundJob
from projects.models import Project

from .models import AgreementBudgetLine
from .settlement_inputs import SIGNED_STATUSES, settlement_inputs
from .settlement_rules import compute_settlement
from .settlement_summary import KIND, settlement_summary_start
from .statement import StatementHeader, statement_workbook
from .statement_pdf import statement_pdf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def statement_header(project: Project, inputs, *, language: str) -> StatementHeader:
    """What the statement prints about the project: its signed versions and
    dates, the call, the names of its budget categories."""
    agreements = list(
        project.agreements.filter(status__in=SIGNED_STATUSES).order_by("version")
    )
    names = {}
    for line in AgreementBudgetLine.objects.filter(agreement__in=agreements).order_by(
        "agreement__version"
    ):
        names[line.code] = line.name
    return StatementHeader(
        project_code=project.code,
        title=project.display_title,
        district=project.district.name,
        call=call_title(project.call) if project.call else "–",
        agreement_versions=", ".join(str(a.version) for a in agreements),
        signed_dates=", ".join(
            a.signed_on.isoformat() for a in agreements if a.signed_on
        ),
        interest_rule=inputs.interest_rule,
        language=language,
        category_names=names,
    )


def _statement(request, project_id: int):
    if not access.can(request.user, "view_funding"):
        raise Http404
    project = access.get_visible_or_404(
        request.user,
        Project.objects.select_related("district", "call"),
        pk=project_id,
    )
    inputs = settlement_inputs(project)
    if inputs is None:
        raise Http404  # nothing signed, nothing to settle
    language = get_language() or "ko"
    return project, statement_header(project, inputs, language=language), inputs


def statement_xlsx(request, project_id: int):
    project, header, inputs = _statement(request, project_id)
    data = statement_workbook(header, inputs, compute_settlement(inputs))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="settlement-{project.pk}.xlsx"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def statement_document(request, project_id: int):
    project, header, inputs = _statement(request, project_id)
    data = statement_pdf(
        header, inputs, compute_settlement(inputs), reader=request.user
    )
    return _pdf(data, f"settlement-{project.code}")


# --- the city summary ----------------------------------------------------------


class SummaryForm(forms.Form):
    call = forms.TypedChoiceField(
        label=gettext_lazy("Call"), coerce=int, required=False, empty_value=None
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year"), min_value=2000, max_value=2100, required=False
    )
    district = forms.TypedChoiceField(
        label=gettext_lazy("District"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from competitions.models import CallPage

        calls = CallPage.objects.order_by("-year", "title")
        self.fields["call"].choices = [("", "–")] + [
            (c.pk, call_title(c)) for c in calls
        ]
        if access.is_city_manager(user):
            districts = Organisation.objects.filter(
                kind__in=Organisation.LOCAL_KINDS
            ).order_by("code")
            self.fields["district"].choices = [("", _("All districts"))] + [
                (d.pk, d.name) for d in districts
            ]
        else:
            del self.fields["district"]

    def clean(self):
        data = super().clean()
        if not data.get("call") and not data.get("year"):
            self.add_error("call", _("Choose a call or enter a year to summarise."))
        return data


def _summary_scope(user):
    """A city manager, or a district user for their own district (404 for
    everyone else, as for another district's figures)."""
    if not access.can(user, "view_funding"):
        raise Http404
    return access.district_scope_for(user)


def settlement_summary(request):
    own = _summary_scope(request.user)
    form = SummaryForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        district_id = own.pk if own is not None else form.cleaned_data.get("district")
        job = settlement_summary_start(
            owner=request.user,
            call_id=form.cleaned_data["call"],
            year=form.cleaned_data["year"],
            district_id=district_id,
        )
        return redirect("funding_settlement_summary_job", job.pk)
    return TemplateResponse(
        request,
        "funding/settlement_summary.html",
        {
            "page_title": _("Settlement summary"),
            "page_subtitle": own.name if own is not None else _("All districts"),
            "header_icon": "table",
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


def settlement_summary_job(request, job_id):
    _summary_scope(request.user)
    job = access.get_visible_or_404(request.user, BackgroundJob, pk=job_id)
    if job.kind != KIND:
        raise Http404
    return TemplateResponse(
        request,
        "funding/settlement_summary_job.html",
        {
            "page_title": _("Settlement summary"),
            "header_icon": "table",
            "job": job,
            "now": timezone.now(),
            "download_url": reverse("job_download", args=[job.pk])
            if job.result_file
            else "",
        },
    )
