"""Objections (이의 신청) in the admin: a district officer objects to a
published decision on one of their district's proposals; the city answers
and may change the decision (after re-entering the password). Objects come
through the access module; changes go through competitions.services."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.admin import messages

from accounts import access
from accounts.reauth import reauthentication_refusal
from common.storage import stored_file_response

from .. import objection_workflow, services
from ..models import (
    Decision,
    Objection,
    ObjectionAttachment,
    ObjectionOutcome,
    Proposal,
    ProposalStatus,
)
from ..selectors.objections import objection_window_closes_at
from .review import AdminScreen, report_errors

# How many files an objection may carry (one form, no script needed).
ATTACHMENT_FIELDS = 3


def _error_dict(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {"__all__": error.messages}


class ObjectionIndexView(AdminScreen):
    """A district's objections (and the proposals it may still object to), or
    every objection for the city."""

    template_name = "competitions/admin/objections.html"
    page_title = gettext_lazy("Objections")
    header_icon = "warning"

    def allowed(self, user):
        return access.can(user, "view_objections")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["objections"] = (
            access.visible_to(user, Objection)
            .select_related("proposal__call", "district")
            .order_by("-submitted_at", "-pk")
        )
        open_to_object = []
        if access.is_district_officer(user):
            decided = (
                access.visible_to(user, Proposal)
                .filter(
                    status__in=(ProposalStatus.SELECTED, ProposalStatus.NOT_SELECTED)
                )
                .select_related("call", "district")
                .order_by("-call__deadline", "receipt_number")
            )
            closes_by_call: dict[int, object] = {}
            for proposal in decided:
                if proposal.call_id not in closes_by_call:
                    closes_by_call[proposal.call_id] = objection_window_closes_at(
                        call=proposal.call
                    )
                closes = closes_by_call[proposal.call_id]
                if services.objection_refusal(proposal=proposal, actor=user) is None:
                    open_to_object.append({"proposal": proposal, "closes_at": closes})
        context["open_to_object"] = open_to_object
        return context


class ObjectionCreateView(AdminScreen):
    """The objection form: the reason and up to three documents."""

    template_name = "competitions/admin/objection_form.html"
    page_title = gettext_lazy("Object to a decision")
    header_icon = "warning"

    def allowed(self, user):
        return access.is_district_officer(user)

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise Http404
        self.proposal = access.get_visible_or_404(
            request.user,
            Proposal.objects.select_related("call", "district"),
            pk=kwargs["proposal_id"],
        )
        if not access.can(request.user, "object", self.proposal):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.proposal.receipt_number} {self.proposal.title}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        refusal = services.objection_refusal(
            proposal=self.proposal, actor=self.request.user
        )
        decision = getattr(self.proposal, "selection_decision", None)
        context.update(
            {
                "proposal": self.proposal,
                "decision": decision,
                "closes_at": objection_window_closes_at(call=self.proposal.call),
                "refusal": refusal.messages if refusal else [],
                "attachment_fields": [
                    {
                        "title_name": f"title_{n}",
                        "file_name": f"file_{n}",
                        "title": kwargs.get("titles", {}).get(f"title_{n}", ""),
                    }
                    for n in range(ATTACHMENT_FIELDS)
                ],
                "reason": kwargs.get("reason", ""),
                "errors": kwargs.get("errors", {}),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        reason = request.POST.get("reason", "")
        titles = {
            f"title_{n}": request.POST.get(f"title_{n}", "")
            for n in range(ATTACHMENT_FIELDS)
        }
        attachments = [
            (titles[f"title_{n}"], request.FILES[f"file_{n}"])
            for n in range(ATTACHMENT_FIELDS)
            if request.FILES.get(f"file_{n}")
        ]
        try:
            objection = services.objection_submit(
                proposal=self.proposal,
                reason=reason,
                attachments=attachments,
                actor=request.user,
            )
        except ValidationError as error:
            # What was typed stays on the form; files must be chosen again
            # (a browser never re-sends them).
            errors = _error_dict(error)
            if attachments:
                errors.setdefault("attachments", []).append(
                    _("Choose the files again: a browser does not keep them.")
                )
            return self.render_to_response(
                self.get_context_data(reason=reason, titles=titles, errors=errors)
            )
        messages.success(
            request,
            _("Objection sent to the city: %(title)s") % {"title": self.proposal.title},
        )
        return redirect(reverse("objections_detail", args=[objection.pk]))


# What each outcome button says, as an action.
OUTCOME_ACTIONS = {
    ObjectionOutcome.UPHELD: pgettext_lazy("objection", "Uphold"),
    ObjectionOutcome.REJECTED: pgettext_lazy("objection", "Reject"),
}


class ObjectionDetailView(AdminScreen):
    """One objection: the reason, the files, the history and the answer; the
    district may withdraw it before the answer, the city answers it and may
    change the decision."""

    template_name = "competitions/admin/objection_detail.html"
    header_icon = "warning"

    def allowed(self, user):
        return access.can(user, "view_objections")

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise Http404
        self.objection = access.get_visible_or_404(
            request.user,
            Objection.objects.select_related(
                "proposal__call", "district", "submitted_by", "answered_by"
            ),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Objection")

    def get_page_subtitle(self):
        proposal = self.objection.proposal
        return f"{proposal.receipt_number} {proposal.title}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        objection = self.objection
        actions = objection_workflow.available_actions(user, objection)
        decision = getattr(objection.proposal, "selection_decision", None)
        may_change = (
            access.can(user, "answer_objection")
            and objection.outcome == ObjectionOutcome.UPHELD
            and not objection.decision_changed
            and decision is not None
        )
        context.update(
            {
                "objection": objection,
                "decision": decision,
                "attachments": objection.attachments.all(),
                "transitions": objection.transitions.select_related("actor"),
                "can_withdraw": "withdraw" in actions,
                "can_answer": "answer" in actions,
                "outcome_actions": list(OUTCOME_ACTIONS.items()),
                "can_change_decision": may_change,
                "new_decision": (
                    Decision.NOT_SELECTED
                    if decision is not None and decision.decision == Decision.SELECTED
                    else Decision.SELECTED
                ),
                "new_decision_label": (
                    _("Change to not selected")
                    if decision is not None and decision.decision == Decision.SELECTED
                    else _("Change to selected")
                ),
                "answer": kwargs.get("answer", ""),
                "change_reason": kwargs.get("change_reason", ""),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        objection = self.objection
        action = request.POST.get("action")
        here = reverse("objections_detail", args=[objection.pk])
        try:
            if action == "withdraw":
                services.objection_withdraw(objection=objection, actor=request.user)
                messages.success(request, _("Objection withdrawn."))
            elif action == "answer":
                if not access.can(request.user, "answer_objection"):
                    raise Http404
                services.objection_answer(
                    objection=objection,
                    outcome=request.POST.get("outcome", ""),
                    answer=request.POST.get("answer", ""),
                    actor=request.user,
                )
                messages.success(
                    request, _("Answer recorded; the district is e-mailed.")
                )
            elif action == "change_decision":
                if not access.can(request.user, "answer_objection"):
                    raise Http404
                if refusal := reauthentication_refusal(request, next_url=here):
                    return refusal
                services.objection_decision_change(
                    objection=objection,
                    decision=request.POST.get("decision", ""),
                    reason=request.POST.get("reason", ""),
                    actor=request.user,
                )
                messages.success(
                    request,
                    _("Decision changed; the public results page is updated."),
                )
            else:
                raise Http404
        except ValidationError as error:
            report_errors(request, error)
            return self.render_to_response(
                self.get_context_data(
                    answer=request.POST.get("answer", ""),
                    change_reason=request.POST.get("reason", ""),
                )
            )
        return redirect(here)


def objection_attachment_download(request, pk: int):
    """A file of an objection, to the district that sent it and the city."""
    attachment = access.get_visible_or_404(request.user, ObjectionAttachment, pk=pk)
    return stored_file_response(attachment.file, filename=attachment.filename)
