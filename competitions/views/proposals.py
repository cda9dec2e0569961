"""Admin screens for proposals. Every object is loaded through the access module;
every change goes through competitions.services."""

from django import forms
from django.contrib import messages as django_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import CreateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button

from accounts import access
from common.models import BackgroundJob
from common.spreadsheets import dataset_export
from common.storage import stored_file_response
from common.viewsets import ScopedEditView, ScopedIndexView, ScopedInspectView

from .. import services, workflow
from ..models import CallPage, Proposal, ProposalAttachment, ProposalStatus
from ..resources import ProposalResource
from ..selectors import open_calls_for, proposal_history, time_left
from ..selectors.carry import (
    continuation_calls_for,
    copy_gap_lines,
    copy_sources_for,
)
from ..selectors.pledges import call_awaiting_pledge_for
from .pledges import pledge_refusal

S = ProposalStatus


def apply_service_errors(form, error: ValidationError) -> None:
    """Put a service's field → message errors on the form's fields, on the
    matching inline (target groups, budget lines…), or at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages_ in error.message_dict.items():
        if field in form.fields:
            form.add_error(field, messages_)
        elif field in getattr(form, "formsets", {}):
            formset = form.formsets[field]
            formset.non_form_errors()  # make sure the list exists
            formset._non_form_errors.extend(messages_)
            form.add_error(None, messages_)
        else:
            form.add_error(None, messages_)


def _valid_rows(formset) -> list:
    """The rows of an inline formset that passed validation and are kept."""
    rows = []
    for row_form in formset.forms:
        cleaned = getattr(row_form, "cleaned_data", None)
        if row_form.errors or not cleaned or cleaned.get("DELETE"):
            continue
        rows.append(row_form.instance)
    return rows


def add_submission_errors(form) -> None:
    """A form that is already refused (a row or a file is wrong) also gets the
    submission rules' messages — cap, ratio, line items, required fields —
    checked on what is valid in it, so the officer sees every problem in one
    round. Nothing is written: the rows are put on the unsaved instance only.
    A field or inline that already has an error keeps just that error."""
    proposal = form.instance
    formsets = getattr(form, "formsets", {})
    for name, formset in formsets.items():
        setattr(proposal, name, _valid_rows(formset))
    taken = {name for name, field_errors in form.errors.items() if field_errors}
    taken |= {name for name, formset in formsets.items() if formset.total_error_count()}
    for name in taken & set(form.fields):
        # A value the form refused is unknown, not the one saved before.
        setattr(proposal, name, None)
    if taken & {"city_share", "district_share"}:
        # The sums and the ratio would be judged on a figure that is not there.
        taken |= {"city_share", "district_share", "budget_lines"}
    errors = services.proposal_submission_errors(proposal=proposal, now=timezone.now())
    remaining = {
        field: messages_ for field, messages_ in errors.items() if field not in taken
    }
    if remaining:
        apply_service_errors(form, ValidationError(remaining))


class ProposalFormMixin:
    """Create and edit share this: save a draft, amend, or save and submit,
    each through its service, all or nothing."""

    actions = ["save", "submit"]
    template_name = "competitions/admin/proposal_form.html"

    def get_action(self, request):
        return "submit" if request.POST.get("action-submit") else "save"

    def get_available_actions(self):
        return self.actions

    def is_valid(self, form):
        valid = super().is_valid(form)
        if not valid and self.action == "submit":
            add_submission_errors(form)
            self.produced_error_message = _(
                "The proposal was not submitted and nothing was saved: every problem is "
                "marked below. Correct them and press submit again."
            )
        return valid

    def save_instance(self):
        proposal = self.form.save(commit=False)
        user = self.request.user
        if self.action == "submit" and (
            proposal.pk is None or proposal.status == S.DRAFT
        ):
            return services.proposal_submit(proposal=proposal, actor=user)
        if proposal.status == S.SUBMITTED:
            return services.proposal_amend(proposal=proposal, actor=user)
        return services.proposal_save_draft(proposal=proposal, actor=user)

    def form_valid(self, form):
        self.form = form
        was_new = form.instance.pk is None
        try:
            with transaction.atomic():
                self.object = self.save_instance()
        except ValidationError as error:
            if was_new:
                form.instance.pk = None
                form.instance._state.adding = True
            apply_service_errors(form, error)
            self.produced_error_code = "validation_error"
            self.produced_error_message = (
                _("The proposal was not submitted: see the messages on the fields.")
                if self.action == "submit"
                else _("The proposal was not saved: see the messages on the fields.")
            )
            return self.form_invalid(form)
        if self.action == "submit":
            messages.success(self.request, self.submitted_message(self.object))
            return redirect(self.inspect_url_for(self.object))
        messages.success(self.request, _("Saved: %(title)s") % {"title": self.object})
        return redirect(reverse("proposals:edit", args=[self.object.pk]))

    def submitted_message(self, proposal):
        if proposal.status == S.AWAITING_APPROVAL:
            return _("Sent to your district's approver for sign-off.")
        return _("Submitted. Receipt number: %(number)s") % {
            "number": proposal.receipt_number
        }

    def inspect_url_for(self, proposal):
        return reverse("proposals:inspect", args=[proposal.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposal = self.form.instance
        context["call"] = proposal.call
        context["time_left"] = time_left(call=proposal.call)
        context["can_submit"] = proposal.status == S.DRAFT
        context["submit_label"] = (
            _("Save and send to approver")
            if proposal.call.requires_approver_signoff
            else _("Save and submit")
        )
        context["call_indicators"] = [
            row.indicator
            for row in proposal.call.indicators.select_related("indicator")
        ]
        context["proposal"] = proposal if proposal.pk else None
        context["copy_gaps"] = copy_gap_lines(proposal) if proposal.pk else []
        context["start_from_url"] = (
            reverse("proposals:start_from", args=[proposal.call.pk])
            if proposal.pk is None
            else None
        )
        # The status panel's submit button posts this form (what is on screen),
        # never the last saved version.
        context["editor_form_id"] = "w-editor-form"
        return context


class ProposalCreateView(ProposalFormMixin, CreateView):
    """Start a proposal to a call: ``/admin/proposals/new/?call=<id>``. Without
    a call, the officer picks one of the open calls of their district."""

    page_title = gettext_lazy("New proposal")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.call = None
        call_id = request.GET.get("call") or request.POST.get("call")
        if call_id and str(call_id).isdigit():
            self.call = CallPage.objects.live().filter(pk=call_id).first()

    def dispatch(self, request, *args, **kwargs):
        if self.call is None or not access.can(
            request.user, "start_proposal", self.call
        ):
            if request.method == "POST" or self.call is not None:
                if self.call is not None:
                    messages.error(
                        request,
                        _("This call does not take proposals from your district now."),
                    )
                return redirect(reverse("proposals:add"))
            return self.choose_call(request)
        return super().dispatch(request, *args, **kwargs)

    def choose_call(self, request):
        # PermissionCheckedMixin has not run yet: only officers may start proposals.
        if not access.is_district_officer(request.user):
            raise Http404
        calls = open_calls_for(district=access.user_district(request.user))
        return TemplateResponse(
            request,
            "competitions/admin/choose_call.html",
            {
                "calls": calls,
                "page_title": _("Start a proposal"),
                "header_icon": "doc-full",
            },
        )

    def get_initial_form_instance(self):
        # The contact starts from the district profile.
        return services.proposal_new(call=self.call, actor=self.request.user)

    def get_add_url(self):
        return f"{reverse('proposals:add')}?call={self.call.pk}"


class ProposalEditView(ProposalFormMixin, ScopedEditView):
    """Edit a draft, or amend a submitted proposal before the deadline.
    Anything else opens read-only (the inspect view)."""

    needs_change_permission = False

    def dispatch(self, request, *args, **kwargs):
        proposal = self.get_object()  # a 404 for what the user may not see
        if not access.can_change(request.user, proposal):
            return redirect(reverse("proposals:inspect", args=[proposal.pk]))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["actions"] = proposal_actions(self.request.user, self.object)
        return context


def proposal_actions(user, proposal) -> list[dict]:
    """The workflow buttons this user has on this proposal (submit lives on the form)."""
    labels = {
        "withdraw": _("Withdraw"),
        "approve": _("Approve and send to the city"),
        "return": _("Return to the officer"),
        "submit": _("Submit"),
    }
    return [
        {
            "action": action,
            "label": labels[action],
            # Withdrawing opens a page that asks for the reason and a confirmation.
            "url": reverse("proposals:withdraw", args=[proposal.pk])
            if action == "withdraw"
            else reverse("proposals:transition", args=[proposal.pk, action]),
            "is_link": action == "withdraw",
            "needs_note": action == "return",
        }
        for action in workflow.available_actions(user, proposal)
        if action in labels
    ]


class ProposalInspectView(ScopedInspectView):
    template_name = "competitions/admin/proposal_inspect.html"

    @cached_property
    def header_more_buttons(self):
        buttons = []
        if access.can_change(self.request.user, self.object):
            buttons.append(
                Button(
                    _("Edit"),
                    url=reverse("proposals:edit", args=[self.object.pk]),
                    icon_name="edit",
                    priority=10,
                )
            )
        return buttons

    def get_edit_url(self):
        if access.can_change(self.request.user, self.object):
            return reverse("proposals:edit", args=[self.object.pk])
        return None

    def get_delete_url(self):
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposal = self.object
        context.update(
            {
                "proposal": proposal,
                "call": proposal.call,
                "time_left": time_left(call=proposal.call),
                "target_rows": proposal.target_groups.select_related("target_group"),
                "outputs": proposal.outputs.select_related("indicator"),
                "budget_lines": proposal.budget_lines.all(),
                "attachments": proposal.attachments.all(),
                "history": proposal_history(proposal)
                if access.can(self.request.user, "view_proposal_history", proposal)
                else None,
                "actions": proposal_actions(self.request.user, proposal),
                "copy_gaps": copy_gap_lines(proposal)
                if access.acts_for(self.request.user, proposal.district)
                else [],
                # The contact is for the district and the city (not reviewers).
                "show_contact": access.can(
                    self.request.user, "view_proposal_history", proposal
                ),
            }
        )
        return context


class ProposalIndexView(ScopedIndexView):
    """The listing; its Excel/CSV download is the import-export resource over
    exactly the rows shown (scope and filters applied)."""

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        call_id = self.request.GET.get("call")
        if (
            access.can(self.request.user, "manage_calls")
            and call_id
            and call_id.isdigit()
        ):
            buttons.append(
                Button(
                    _("All attachments (zip)"),
                    url=reverse("proposals:attachments_zip", args=[int(call_id)]),
                    icon_name="download",
                    priority=110,
                )
            )
        return buttons

    def as_spreadsheet(self, queryset, spreadsheet_format):
        queryset = queryset.select_related("call", "district").prefetch_related(
            "target_groups__target_group", "outputs__indicator"
        )
        dataset = ProposalResource().export(queryset)
        # Through the one safe writer: typed text never becomes a formula.
        if spreadsheet_format == self.FORMAT_CSV:
            response = HttpResponse(
                dataset_export(dataset, "csv"), content_type="text/csv; charset=utf-8"
            )
            extension = "csv"
        else:
            response = HttpResponse(
                dataset_export(dataset, "xlsx"),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            extension = "xlsx"
        response["Content-Disposition"] = (
            f'attachment; filename="{self.get_filename()}.{extension}"'
        )
        return response


# --- small POST views and downloads --------------------------------------------


@require_POST
def proposal_transition(request, pk: int, action: str):
    proposal = access.get_visible_or_404(request.user, Proposal, pk=pk)
    note = request.POST.get("note", "")
    if action == "withdraw":
        # Only after the confirmation page, with its reason.
        return redirect(reverse("proposals:withdraw", args=[proposal.pk]))
    try:
        if action == "submit":
            services.proposal_submit(proposal=proposal, actor=request.user, note=note)
        elif action == "approve":
            services.proposal_approve(proposal=proposal, actor=request.user, note=note)
        elif action == "return":
            services.proposal_return(proposal=proposal, actor=request.user, note=note)
        else:
            raise Http404
    except ValidationError as error:
        for field, field_messages in error.message_dict.items():
            label = _field_label(field)
            for message in field_messages:
                django_messages.error(
                    request, f"{label}: {message}" if label else message
                )
        if access.can_change(request.user, proposal):
            return redirect(reverse("proposals:edit", args=[proposal.pk]))
        return redirect(reverse("proposals:inspect", args=[proposal.pk]))
    proposal.refresh_from_db()
    if proposal.status == S.SUBMITTED and action in ("submit", "approve"):
        messages.success(
            request,
            _("Submitted. Receipt number: %(number)s")
            % {"number": proposal.receipt_number},
        )
    else:
        messages.success(
            request, _("Status: %(status)s") % {"status": proposal.status_label}
        )
    return redirect(reverse("proposals:inspect", args=[proposal.pk]))


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Why is the proposal withdrawn?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Kept in the proposal's history for your district and the city. No names "
            "or phone numbers."
        ),
        error_messages={"required": gettext_lazy("Say why the proposal is withdrawn.")},
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Yes, withdraw it: the proposal leaves the call and is not reviewed. Its "
            "receipt number is not given again."
        ),
        error_messages={
            "required": gettext_lazy(
                "Tick the box to confirm the withdrawal, or go back to the proposal."
            )
        },
    )


def proposal_withdraw_confirm(request, pk: int):
    """Withdrawing asks first: what it means, the reason (required), a tick."""
    proposal = access.get_visible_or_404(request.user, Proposal, pk=pk)
    inspect_url = reverse("proposals:inspect", args=[proposal.pk])
    if not workflow.can(request.user, "withdraw", proposal):
        refusal = workflow.refusal("withdraw", proposal, timezone.now())
        for message in refusal.messages:
            django_messages.error(request, message)
        return redirect(inspect_url)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_withdraw(
                proposal=proposal,
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("The proposal was withdrawn. The reason is in its history.")
            )
            return redirect(inspect_url)
    return TemplateResponse(
        request,
        "competitions/admin/proposal_withdraw.html",
        {
            "page_title": _("Withdraw the proposal"),
            "page_subtitle": str(proposal),
            "header_icon": "warning",
            "proposal": proposal,
            "call": proposal.call,
            "time_left": time_left(call=proposal.call),
            "form": form,
            "inspect_url": inspect_url,
        },
    )


def _field_label(field: str) -> str:
    try:
        return str(Proposal._meta.get_field(field).verbose_name)
    except Exception:  # a relation name or __all__
        names = {
            "target_groups": _("Target groups and planned jobs"),
            "budget_lines": _("Budget line items"),
            "outputs": _("Output indicators"),
        }
        return str(names.get(field, ""))


def attachment_download(request, pk: int):
    """Stream a private attachment to someone who may see its proposal. A
    reviewer assigned to the proposal who has not signed the call's pledges is
    sent to sign them."""
    if access.is_reviewer(request.user):
        attachment = ProposalAttachment.objects.filter(pk=pk).only("proposal").first()
        call = (
            call_awaiting_pledge_for(
                reviewer=request.user, proposal_id=attachment.proposal_id
            )
            if attachment is not None
            else None
        )
        if call is not None:
            return pledge_refusal(request, call)
    attachment = access.get_visible_or_404(request.user, ProposalAttachment, pk=pk)
    return stored_file_response(attachment.file, filename=attachment.filename)


class AttachmentsZipView(WagtailAdminTemplateMixin, TemplateView):
    """City managers: build one zip of all attachments of a call (a Celery job)."""

    template_name = "competitions/admin/attachments_zip.html"
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not access.can(request.user, "manage_calls"):
            raise Http404
        self.call = get_object_or_404(CallPage, pk=kwargs["call_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("All attachments (zip)")

    def get_page_subtitle(self):
        return self.call.display_title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["call"] = self.call
        context["count"] = access.visible_to(
            self.request.user,
            ProposalAttachment.objects.filter(proposal__call=self.call).exclude(
                proposal__status=S.DRAFT
            ),
        ).count()
        return context

    def post(self, request, *args, **kwargs):
        job = services.attachments_zip_start(call=self.call, owner=request.user)
        return redirect(reverse("proposals:job", args=[job.pk]))


class JobView(WagtailAdminTemplateMixin, TemplateView):
    """The progress of a zip job, refreshing itself until done, then its download."""

    template_name = "competitions/admin/job.html"
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        self.job = access.get_visible_or_404(
            request.user, BackgroundJob, pk=kwargs["job_id"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("All attachments (zip)")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["job"] = self.job
        context["now"] = timezone.now()
        return context


# --- starting from what the district wrote before ------------------------------


def _start_refusal(request, call) -> bool:
    return call is None or not access.can(request.user, "start_proposal", call)


def _show_service_refusal(request, error: ValidationError) -> None:
    for field_messages in error.message_dict.values():
        for message in field_messages:
            django_messages.error(request, message)


def _started_message(request, proposal) -> None:
    gaps = copy_gap_lines(proposal)
    if gaps:
        messages.warning(
            request,
            _(
                "A draft was made from it. %(count)s thing(s) could not be copied: "
                "they are listed at the top of the form for you to decide."
            )
            % {"count": len(gaps)},
        )
    else:
        messages.success(
            request, _("A draft was made from it, with everything copied.")
        )


def proposal_start_from(request, call_id: int):
    """The "start from…" choice of the create flow: the district's earlier
    proposals and projects (any call), each copied into a new draft of this
    call; a project graded for continuation can also be carried forward as a
    continuation proposal. A source of another district is a 404, whatever id
    is typed."""
    if not access.is_district_officer(request.user):
        raise Http404
    call = CallPage.objects.live().filter(pk=call_id).first()
    if _start_refusal(request, call):
        messages.error(
            request, _("This call does not take proposals from your district now.")
        )
        return redirect(reverse("proposals:add"))
    if request.method == "POST":
        from projects.models import Project

        kind = request.POST.get("kind")
        source_id = request.POST.get("source", "")
        if (
            kind not in ("proposal", "project", "continuation")
            or not source_id.isdigit()
        ):
            raise Http404
        model = Proposal if kind == "proposal" else Project
        source = access.get_visible_or_404(request.user, model, pk=int(source_id))
        try:
            if kind == "continuation":
                proposal = services.proposal_carry_forward(
                    project=source, call=call, actor=request.user
                )
            else:
                proposal = services.proposal_copy(
                    source=source, call=call, actor=request.user
                )
        except ValidationError as error:
            _show_service_refusal(request, error)
            return redirect(reverse("proposals:start_from", args=[call.pk]))
        except PermissionDenied:
            raise Http404 from None
        _started_message(request, proposal)
        return redirect(reverse("proposals:edit", args=[proposal.pk]))
    return TemplateResponse(
        request,
        "competitions/admin/start_from.html",
        {
            "page_title": _("Start from an earlier proposal or project"),
            "page_subtitle": call.display_title,
            "header_icon": "copy",
            "call": call,
            "sources": copy_sources_for(user=request.user, call=call),
            "blank_url": f"{reverse('proposals:add')}?call={call.pk}",
        },
    )


def project_carry(request, project_id: int):
    """Carry a project graded for continuation into an open call as a
    continuation proposal: the calls it can go to, then a new draft. Only its
    own district's officers; another district's project is a 404."""
    from projects.models import Project

    project = access.get_visible_or_404(request.user, Project, pk=project_id)
    if not access.is_officer_of(request.user, project.district):
        raise Http404
    calls = continuation_calls_for(user=request.user, project=project)
    if request.method == "POST":
        call_id = request.POST.get("call", "")
        call = (
            CallPage.objects.live().filter(pk=call_id).first()
            if call_id.isdigit()
            else None
        )
        if _start_refusal(request, call):
            messages.error(
                request, _("This call does not take proposals from your district now.")
            )
            return redirect(reverse("proposals:carry", args=[project.pk]))
        try:
            proposal = services.proposal_carry_forward(
                project=project, call=call, actor=request.user
            )
        except ValidationError as error:
            _show_service_refusal(request, error)
            return redirect(reverse("proposals:carry", args=[project.pk]))
        _started_message(request, proposal)
        return redirect(reverse("proposals:edit", args=[proposal.pk]))
    from reporting.evaluation.selectors import continuation_eligible

    return TemplateResponse(
        request,
        "competitions/admin/project_carry.html",
        {
            "page_title": _("Carry into a new call as a continuation"),
            "page_subtitle": str(project),
            "header_icon": "rotate",
            "project": project,
            "calls": calls,
            "eligible": continuation_eligible(project),
        },
    )
