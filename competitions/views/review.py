"""Admin screens of the review: the reviewer's "My assignments" (declaration and
score form) and the city's panel and assignment screen. Objects come through
the access module; changes go through competitions.services."""

from decimal import Decimal

from django import forms
from django.contrib import messages as django_messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts import access
from accounts.models import Organisation, User
from accounts.roles import Role

from .. import services
from ..models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    AssignmentStatus,
    CallPage,
    Proposal,
    Review,
    ReviewAssignment,
    ReviewerPanelMember,
    ReviewerPledge,
    ReviewerTie,
    ReviewStatus,
)
from ..selectors import (
    assignments_ended_by_tie,
    conflict_with,
    conflicts_to_reassign,
    proposals_in_review,
)
from ..selectors.pledges import calls_awaiting_pledge, pledge_signed
from .pledges import pledge_refusal


def report_errors(request, error: ValidationError) -> None:
    """A service's bilingual messages as admin messages."""
    if hasattr(error, "message_dict"):
        for field_messages in error.message_dict.values():
            for message in field_messages:
                django_messages.error(request, message)
    else:
        for message in error.messages:
            django_messages.error(request, message)


class AdminScreen(WagtailAdminTemplateMixin, TemplateView):
    """A custom admin screen: a 404 for whoever it is not for."""

    def allowed(self, user) -> bool:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


# --- the reviewer ----------------------------------------------------------------


class MyAssignmentsView(AdminScreen):
    template_name = "competitions/admin/my_assignments.html"
    page_title = gettext_lazy("My assignments")
    header_icon = "clipboard-list"

    def allowed(self, user):
        return access.can(user, "score")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assignments = (
            access.visible_to(self.request.user, ReviewAssignment)
            .filter(reviewer=self.request.user)
            .select_related("proposal__call", "proposal__district", "review")
            .order_by("-proposal__call__deadline", "proposal__receipt_number")
        )
        # A call's proposals are listed only once its pledges are signed.
        awaiting = list(calls_awaiting_pledge(reviewer=self.request.user))
        context["assignments"] = assignments.filter(
            proposal__call__in=ReviewerPledge.objects.filter(
                reviewer=self.request.user
            ).values("call_id")
        )
        context["awaiting_pledge"] = [
            {
                "call": call,
                "count": assignments.filter(
                    proposal__call=call, status__in=ACTIVE_ASSIGNMENT_STATUSES
                ).count(),
            }
            for call in awaiting
        ]
        return context


class ScoreForm(forms.Form):
    """A score and a comment per criterion, and an overall comment."""

    overall_comment = forms.CharField(
        label=gettext_lazy("Overall comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name} ({criterion.weight})",
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(criterion.weight),
                decimal_places=1,
                max_digits=4,
                widget=forms.NumberInput(
                    attrs={
                        "step": "0.1",
                        "min": "0",
                        "max": str(criterion.weight),
                        "data-score-input": "",
                        "data-weight": str(criterion.weight),
                    }
                ),
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=pgettext("sangsaeng", "Comment"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        return [
            (criterion, self[f"score_{criterion.pk}"], self[f"comment_{criterion.pk}"])
            for criterion in self.criteria
        ]

    def scores(self) -> dict:
        return {
            criterion.pk: (
                self.cleaned_data.get(f"score_{criterion.pk}"),
                self.cleaned_data.get(f"comment_{criterion.pk}", ""),
            )
            for criterion in self.criteria
        }


def _initial(review: Review | None) -> dict:
    if review is None:
        return {}
    initial = {"overall_comment": review.overall_comment}
    for row in review.scores.all():
        initial[f"score_{row.criterion_id}"] = row.score
        initial[f"comment_{row.criterion_id}"] = row.comment
    return initial


class AssignmentView(AdminScreen):
    """One assigned proposal: its content and attachments, the conflict
    declaration, then the score form; after submitting, the locked review (and
    the other reviews if the call shows them)."""

    template_name = "competitions/admin/assignment.html"
    header_icon = "clipboard-list"

    def allowed(self, user):
        return access.can(user, "score")

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise Http404
        self.assignment = access.get_visible_or_404(
            request.user,
            ReviewAssignment.objects.filter(reviewer=request.user).select_related(
                "proposal__call", "proposal__district"
            ),
            pk=kwargs["pk"],
        )
        if self.assignment.status == AssignmentStatus.ENDED_BY_TIE:
            messages.error(
                request,
                _(
                    "This assignment was ended because a tie between you and the proposing "
                    "district was recorded. The city will assign another reviewer."
                ),
            )
            return redirect(reverse("review_my_assignments"))
        if not self.assignment.is_active:
            raise Http404
        if not pledge_signed(reviewer=request.user, call=self.assignment.proposal.call):
            return pledge_refusal(request, self.assignment.proposal.call)
        # Ties are checked again whenever the proposal is opened: a tie recorded
        # after the assignment closes the proposal to this reviewer.
        reason = conflict_with(reviewer=request.user, proposal=self.assignment.proposal)
        if reason:
            messages.error(
                request,
                _("%(reason)s You may not open this proposal.") % {"reason": reason},
            )
            return redirect(reverse("review_my_assignments"))
        self.proposal = access.get_visible_or_404(
            request.user, Proposal, pk=self.assignment.proposal_id
        )
        self.criteria = list(self.proposal.call.rubric_criteria.all())
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(self.proposal)

    def get_page_subtitle(self):
        return self.proposal.call.display_title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("review_my_assignments"), "label": _("My assignments")},
            {"url": "", "label": str(self.proposal)},
        ]

    def review(self) -> Review | None:
        return (
            access.visible_to(self.request.user, Review)
            .filter(assignment=self.assignment)
            .first()
        )

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        review = self.review()
        proposal = self.proposal
        others = []
        if self.assignment.status == AssignmentStatus.SUBMITTED:
            others = list(
                access.visible_to(self.request.user, Review)
                .filter(assignment__proposal=proposal, status=ReviewStatus.SUBMITTED)
                .exclude(assignment=self.assignment)
                .prefetch_related("scores__criterion")
            )
        from reporting.evaluation.selectors import previous_grade_for

        context.update(
            {
                "assignment": self.assignment,
                "proposal": proposal,
                "call": proposal.call,
                "previous_grade": previous_grade_for(proposal),
                "review": review,
                "criteria": self.criteria,
                "form": form
                or (
                    ScoreForm(criteria=self.criteria, initial=_initial(review))
                    if self.assignment.status == AssignmentStatus.NO_CONFLICT
                    else None
                ),
                "others": others,
                "target_rows": proposal.target_groups.select_related("target_group"),
                "outputs": proposal.outputs.select_related("indicator"),
                "budget_lines": proposal.budget_lines.all(),
                "attachments": proposal.attachments.all(),
                "declare_url": reverse("review_declare", args=[self.assignment.pk]),
                "S": {status.name: status.value for status in AssignmentStatus},
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ScoreForm(request.POST, criteria=self.criteria)
        if not form.is_valid():
            messages.error(
                request, _("The scores were not saved: see the messages on the fields.")
            )
            return self.render_to_response(self.get_context_data(form=form))
        submit = "action-submit" in request.POST
        service = services.review_submit if submit else services.review_save_draft
        try:
            service(
                assignment=self.assignment,
                actor=request.user,
                scores=form.scores(),
                overall_comment=form.cleaned_data["overall_comment"],
            )
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_messages)
            messages.error(
                request,
                _("The review was not submitted: see the messages on the fields."),
            )
            return self.render_to_response(self.get_context_data(form=form))
        if submit:
            messages.success(
                request, _("Review submitted. It can no longer be changed.")
            )
        else:
            messages.success(request, _("Draft saved."))
        return redirect(reverse("review_assignment", args=[self.assignment.pk]))


def declare_conflict(request, pk: int):
    """POST: the reviewer's conflict-of-interest declaration for one assignment."""
    if request.method != "POST" or not access.can(request.user, "score"):
        raise Http404
    assignment = access.get_visible_or_404(
        request.user,
        ReviewAssignment.objects.filter(reviewer=request.user).select_related(
            "proposal__call"
        ),
        pk=pk,
    )
    if not pledge_signed(reviewer=request.user, call=assignment.proposal.call):
        return pledge_refusal(request, assignment.proposal.call)
    has_conflict = request.POST.get("has_conflict") == "yes"
    try:
        services.conflict_declare(
            assignment=assignment,
            actor=request.user,
            has_conflict=has_conflict,
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        report_errors(request, error)
        return redirect(reverse("review_assignment", args=[pk]))
    if has_conflict:
        messages.success(
            request, _("Conflict recorded. The city will assign another reviewer.")
        )
        return redirect(reverse("review_my_assignments"))
    messages.success(
        request, _("No conflict declared. You may score this proposal now.")
    )
    return redirect(reverse("review_assignment", args=[pk]))


# --- the city: calls in review, panel and assignments ---------------------------------


class ReviewCallsView(AdminScreen):
    template_name = "competitions/admin/review_calls.html"
    page_title = gettext_lazy("Review and selection")
    header_icon = "tasks"

    def allowed(self, user):
        return access.can(user, "manage_review")

    def get_context_data(self, **kwargs):
        from ..selectors import calls_in_review

        context = super().get_context_data(**kwargs)
        context["calls"] = calls_in_review()
        context["conflicts"] = conflicts_to_reassign()
        context["ended_by_tie"] = assignments_ended_by_tie()
        return context


class CallScreen(AdminScreen):
    def allowed(self, user):
        return access.can(user, "manage_review")

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise Http404
        self.call = get_object_or_404(CallPage, pk=kwargs["call_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.call.display_title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("review_calls"), "label": _("Review and selection")},
            {"url": "", "label": self.call.display_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["call"] = self.call
        context["published"] = self.call.is_results_published
        context["tabs"] = [
            (reverse("review_panel", args=[self.call.pk]), _("Panel and assignments")),
            (reverse("review_draw", args=[self.call.pk]), _("Reviewer draw")),
            (
                reverse("review_ranking", args=[self.call.pk]),
                _("Ranking and selection"),
            ),
            (
                reverse("review_optimal", args=[self.call.pk]),
                _("Best set within the budget"),
            ),
            (
                reverse("review_score_sheet", args=[self.call.pk]),
                _("Score sheet (xlsx)"),
            ),
        ]
        if self.call.presentation_review:
            context["tabs"].insert(
                3,
                (
                    reverse("review_presentations", args=[self.call.pk]),
                    _("Presentation review"),
                ),
            )
        return context


class PanelView(CallScreen):
    template_name = "competitions/admin/review_panel.html"
    page_title = gettext_lazy("Panel and assignments")
    header_icon = "group"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        call = self.call
        members = list(
            ReviewerPanelMember.objects.filter(call=call).select_related(
                "reviewer__organisation"
            )
        )
        member_ids = {member.reviewer_id for member in members}
        reviewers = (
            User.objects.filter(is_active=True, groups__role__code=Role.REVIEWER)
            .select_related("organisation")
            .distinct()
            .order_by("username")
        )
        ties: dict[int, list] = {}
        for tie in ReviewerTie.objects.filter(
            reviewer_id__in=member_ids
        ).select_related("organisation"):
            ties.setdefault(tie.reviewer_id, []).append(tie)
        proposals = list(
            proposals_in_review(call=call)
            .select_related("district")
            .prefetch_related(
                "review_assignments__reviewer", "review_assignments__review"
            )
            .order_by("receipt_number")
        )
        load = {member.reviewer_id: 0 for member in members}
        rows = []
        for proposal in proposals:
            assignments = list(proposal.review_assignments.all())
            active = [a for a in assignments if a.status in ACTIVE_ASSIGNMENT_STATUSES]
            for assignment in active:
                if assignment.reviewer_id in load:
                    load[assignment.reviewer_id] += 1
            taken = {a.reviewer_id for a in assignments}
            rows.append(
                {
                    "proposal": proposal,
                    "assignments": assignments,
                    "active_count": len(active),
                    "short": len(active) < call.reviewers_per_proposal,
                    "choices": [
                        m.reviewer
                        for m in members
                        if m.reviewer_id not in taken
                        and not conflict_with(reviewer=m.reviewer, proposal=proposal)
                    ],
                }
            )
        context.update(
            {
                "members": [
                    {
                        "member": m,
                        "ties": ties.get(m.reviewer_id, []),
                        "load": load.get(m.reviewer_id, 0),
                    }
                    for m in members
                ],
                "addable": [r for r in reviewers if r.pk not in member_ids],
                "rows": rows,
                "organisations": Organisation.objects.filter(
                    kind__in=Organisation.LOCAL_KINDS
                ),
                "conflicts": conflicts_to_reassign(call=call),
                "ended_by_tie": assignments_ended_by_tie(call=call),
                "auto_result": self.request.session.pop("review_auto_result", None),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        call = self.call
        action = request.POST.get("action")
        user = request.user
        try:
            if action == "add_member":
                reviewer = get_object_or_404(User, pk=request.POST.get("reviewer"))
                services.panel_add(call=call, reviewer=reviewer, actor=user)
                messages.success(
                    request,
                    _("Added to the panel: %(name)s") % {"name": reviewer.username},
                )
            elif action == "remove_member":
                reviewer = get_object_or_404(User, pk=request.POST.get("reviewer"))
                services.panel_remove(call=call, reviewer=reviewer, actor=user)
                messages.success(
                    request,
                    _("Removed from the panel: %(name)s") % {"name": reviewer.username},
                )
            elif action == "add_tie":
                reviewer = get_object_or_404(User, pk=request.POST.get("reviewer"))
                organisation = get_object_or_404(
                    Organisation, pk=request.POST.get("organisation")
                )
                effects = services.tie_declare(
                    reviewer=reviewer,
                    organisation=organisation,
                    actor=user,
                    note=request.POST.get("note", ""),
                )
                messages.success(request, _("Tie recorded."))
                if effects.ended or effects.flagged:
                    messages.warning(
                        request,
                        _(
                            "The tie ended %(ended)s open assignments and flagged %(flagged)s "
                            "submitted reviews, which no longer count until you keep or discard "
                            "them on the ranking screen."
                        )
                        % {
                            "ended": len(effects.ended),
                            "flagged": len(effects.flagged),
                        },
                    )
            elif action == "assign":
                proposal = access.get_visible_or_404(
                    user,
                    Proposal.objects.filter(call=call),
                    pk=request.POST.get("proposal"),
                )
                reviewer = get_object_or_404(User, pk=request.POST.get("reviewer"))
                services.assignment_create(
                    proposal=proposal, reviewer=reviewer, actor=user
                )
                messages.success(request, _("Assigned."))
            elif action == "unassign":
                assignment = access.get_visible_or_404(
                    user,
                    ReviewAssignment.objects.filter(proposal__call=call),
                    pk=request.POST.get("assignment"),
                )
                services.assignment_remove(assignment=assignment, actor=user)
                messages.success(request, _("Assignment removed."))
            elif action == "auto":
                result = services.assignments_auto(call=call, actor=user)
                messages.success(
                    request,
                    _("Auto-assign: %(count)s new assignments.")
                    % {"count": len(result.created)},
                )
                request.session["review_auto_result"] = result.shortfalls
            else:
                raise Http404
        except ValidationError as error:
            report_errors(request, error)
        return redirect(reverse("review_panel", args=[call.pk]))
