"""The city's ranking, suggestion, decisions, publishing and score sheet."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.admin import messages

from accounts import access
from accounts.reauth import reauthentication_refusal
from common.money import money_digits

from .. import services
from ..exports import score_sheet_xlsx
from ..models import CallPage, Decision, Proposal, Review, TieRuling
from ..selectors import (
    call_ranking,
    reviews_awaiting_tie_ruling,
    selected_city_share_total,
    selection_optimal,
    selection_suggest,
)
from .review import CallScreen, report_errors

# What each decision button does, said as an action ("선정" / "미선정"), in
# the order of the decision choices.
DECISION_ACTIONS = {
    Decision.SELECTED: pgettext_lazy("selection decision", "Select"),
    Decision.NOT_SELECTED: pgettext_lazy("selection decision", "Do not select"),
}


def _funded_amount(text: str | None) -> int | None:
    """The reduced amount as typed ("1,234,000원" too); empty is the request
    in full. Anything but whole won is refused with what to type."""
    digits = money_digits(text or "")
    if not digits:
        return None
    if not digits.isdigit():
        raise ValidationError(
            {
                "funded_amount": ValidationError(
                    _(
                        "Reduced amount: type whole won with digits only, for "
                        "example 45,000,000, or leave it empty to fund the request."
                    ),
                    code="funded_amount_not_a_number",
                )
            }
        )
    return int(digits)


def _budget_percent(amount: int, budget: int) -> int | None:
    return round(100 * amount / budget) if budget else None


class RankingView(CallScreen):
    template_name = "competitions/admin/review_ranking.html"
    page_title = gettext_lazy("Ranking and selection")
    header_icon = "list-ol"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        call = self.call
        ranking = call_ranking(call=call)
        suggestion = None
        if self.request.GET.get("suggest"):
            suggestion = {
                row.line.proposal.pk: row for row in selection_suggest(call=call)
            }
        selected_total = selected_city_share_total(call=call)
        criteria = list(call.rubric_criteria.all())
        budget = call.total_budget or 0
        typed = getattr(self, "typed", None)
        context.update(
            {
                "criteria": criteria,
                "ranking": [
                    {
                        "line": line,
                        "suggestion": suggestion.get(line.proposal.pk)
                        if suggestion
                        else None,
                        "criteria": list(
                            zip(criteria, line.criterion_means_display, strict=False)
                        ),
                        "budget_percent": _budget_percent(
                            line.selected_running_total, budget
                        ),
                        "over_budget": line.selected_running_total > budget,
                        # What was typed for a refused decision, shown again.
                        "typed": typed
                        if typed and typed["proposal"] == line.proposal.pk
                        else None,
                    }
                    for line in ranking
                ],
                "suggesting": suggestion is not None,
                "selected_total": selected_total,
                "remaining": call.total_budget - selected_total,
                "over_budget": selected_total > call.total_budget,
                "publication_errors": []
                if context["published"]
                else services.publication_errors(call=call),
                "decision_choices": Decision.choices,
                "decision_actions": [
                    (value, DECISION_ACTIONS.get(value, label))
                    for value, label in Decision.choices
                ],
                "awaiting_ruling": reviews_awaiting_tie_ruling(call=call),
                "ruled": list(
                    Review.objects.filter(assignment__proposal__call=call)
                    .exclude(tie_ruling="")
                    .select_related(
                        "assignment__proposal", "assignment__reviewer", "tie_ruled_by"
                    )
                    .order_by("assignment__proposal__receipt_number")
                ),
                "ruling_choices": TieRuling.choices,
                "typed_ruling": getattr(self, "typed_ruling", None),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        call = self.call
        action = request.POST.get("action")
        try:
            if action == "decide":
                proposal = access.get_visible_or_404(
                    request.user,
                    Proposal.objects.filter(call=call),
                    pk=request.POST.get("proposal"),
                )
                decision = request.POST.get("decision", "")
                # The reduced amount belongs to a selection; "do not select"
                # pressed beside a filled-in amount is not a reduced rejection.
                selecting = decision == Decision.SELECTED
                services.selection_decide(
                    proposal=proposal,
                    decision=decision,
                    reason=request.POST.get("reason", ""),
                    actor=request.user,
                    funded_amount=_funded_amount(request.POST.get("funded_amount"))
                    if selecting
                    else None,
                    reduction_reason=request.POST.get("reduction_reason", "")
                    if selecting
                    else "",
                )
                messages.success(
                    request, _("Decision recorded: %(title)s") % {"title": proposal}
                )
            elif action == "tie_rule":
                review = access.get_visible_or_404(
                    request.user,
                    Review.objects.filter(assignment__proposal__call=call),
                    pk=request.POST.get("review"),
                )
                services.review_tie_rule(
                    review=review,
                    ruling=request.POST.get("ruling", ""),
                    reason=request.POST.get("reason", ""),
                    actor=request.user,
                )
                messages.success(request, _("Ruling recorded."))
            elif action == "apply_suggestion":
                count = services.selection_apply_suggestion(
                    call=call, actor=request.user
                )
                messages.success(
                    request,
                    _("%(count)s decisions recorded from the suggestion.")
                    % {"count": count},
                )
            elif action == "publish":
                if refusal := reauthentication_refusal(
                    request, next_url=reverse("review_ranking", args=[call.pk])
                ):
                    return refusal
                page = services.results_publish(call=call, actor=request.user)
                messages.success(
                    request, _("Results published: %(title)s") % {"title": page.title}
                )
            else:
                raise Http404
        except ValidationError as error:
            report_errors(request, error)
            if action in ("decide", "tie_rule"):
                # Shown again with what was typed, never a redirect that drops
                # the reason, the reduced amount or the ruling chosen.
                if action == "decide":
                    self.typed = {
                        "proposal": proposal.pk,
                        "reason": request.POST.get("reason", ""),
                        "funded_amount": request.POST.get("funded_amount", ""),
                        "reduction_reason": request.POST.get("reduction_reason", ""),
                    }
                else:
                    self.typed_ruling = {
                        "review": review.pk,
                        "ruling": request.POST.get("ruling", ""),
                        "reason": request.POST.get("reason", ""),
                    }
                response = self.get(request, *args, **kwargs)
                response.status_code = 400
                return response
        return redirect(reverse("review_ranking", args=[call.pk]))


def score_sheet(request, call_id: int):
    """The audit file: proposal × reviewer × criterion, totals and ranking."""
    if not access.can(request.user, "manage_review"):
        raise Http404
    call = get_object_or_404(CallPage, pk=call_id)
    response = HttpResponse(
        score_sheet_xlsx(call=call),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="score-sheet-{call.year}-{call.pk}.xlsx"'
    )
    return response


class OptimalSelectionView(CallScreen):
    """The best set within the budget beside the greedy suggestion, each
    proposal with its reason; the city may record it for the undecided."""

    template_name = "competitions/admin/selection_optimal.html"
    page_title = gettext_lazy("Best set within the budget")
    header_icon = "list-ol"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["comparison"] = selection_optimal(call=self.call)
        return context

    def post(self, request, *args, **kwargs):
        call = self.call
        if request.POST.get("action") != "apply_optimal":
            raise Http404
        try:
            count = services.selection_apply_optimal(call=call, actor=request.user)
        except ValidationError as error:
            report_errors(request, error)
            return redirect(reverse("review_optimal", args=[call.pk]))
        messages.success(
            request,
            _("%(count)s decisions recorded from the best set.") % {"count": count},
        )
        return redirect(reverse("review_ranking", args=[call.pk]))
