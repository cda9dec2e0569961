"""Presentation reviews (발표 심사) in the admin: the city's timetable of a
call (sessions, slots, sending), each district's and reviewer's own view of
it, and the reviewer's presentation score form."""

from datetime import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from accounts import access

from .. import services
from ..models import (
    PresentationReview,
    PresentationSession,
    PresentationSlot,
    Proposal,
)
from ..selectors.pledges import pledge_signed
from ..selectors.presentations import presentation_shortlist
from ..selectors.ranking import call_ranking
from .pledges import pledge_refusal
from .review import AdminScreen, CallScreen, report_errors

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


def _seoul_input(value: str) -> datetime | None:
    """A datetime-local value read as Seoul time; None when empty or wrong."""
    try:
        naive = datetime.strptime((value or "").strip(), LOCAL_INPUT)
    except ValueError:
        return None
    return timezone.make_aware(naive, timezone.get_default_timezone())


def _minutes(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class PresentationTimetableView(CallScreen):
    """The city's timetable of a call: sessions, a slot per shortlisted
    proposal, the problems that keep it from being sent, and the sending."""

    template_name = "competitions/admin/presentation_timetable.html"
    page_title = gettext_lazy("Presentation review")
    header_icon = "date"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        call = self.call
        sessions = list(
            PresentationSession.objects.filter(call=call).prefetch_related(
                "slots__proposal__district", "slots__reviews"
            )
        )
        shortlist = presentation_shortlist(call=call)
        slotted = {
            slot.proposal_id: slot
            for session in sessions
            for slot in session.slots.all()
        }
        ranking = call_ranking(call=call) if call.presentation_review else []
        context.update(
            {
                "sessions": sessions,
                "shortlist": [
                    {"proposal": proposal, "slot": slotted.get(proposal.pk)}
                    for proposal in shortlist
                ],
                "errors": services.timetable_errors(call=call),
                "sendings": call.presentation_sendings.select_related("sent_by"),
                "ranking": ranking,
                "form_values": kwargs.get("form_values", {}),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        call = self.call
        action = request.POST.get("action")
        post = request.POST
        try:
            if action == "add_session":
                services.presentation_session_save(
                    call=call,
                    starts_at=_seoul_input(post.get("starts_at", "")),
                    room=post.get("room", ""),
                    video_link=post.get("video_link", ""),
                    actor=request.user,
                )
                messages.success(request, _("Session added."))
            elif action == "save_slot":
                session = PresentationSession.objects.filter(
                    call=call, pk=post.get("session") or 0
                ).first()
                proposal = Proposal.objects.filter(
                    call=call, pk=post.get("proposal") or 0
                ).first()
                if session is None or proposal is None:
                    raise ValidationError(
                        {
                            "slot": ValidationError(
                                _("Choose the session and the proposal."),
                                code="choice_required",
                            )
                        }
                    )
                services.presentation_slot_save(
                    session=session,
                    proposal=proposal,
                    starts_at=_seoul_input(post.get("slot_starts_at", "")),
                    length_minutes=_minutes(post.get("length_minutes")),
                    actor=request.user,
                )
                messages.success(
                    request, _("Slot saved: %(title)s") % {"title": proposal.title}
                )
            elif action == "delete_slot":
                slot = PresentationSlot.objects.filter(
                    session__call=call, pk=post.get("slot") or 0
                ).first()
                if slot is None:
                    raise Http404
                services.presentation_slot_delete(slot=slot, actor=request.user)
                messages.success(request, _("Slot removed."))
            elif action == "send":
                services.presentation_timetable_send(call=call, actor=request.user)
                messages.success(
                    request, _("Timetable sent to the districts and the panel.")
                )
            else:
                raise Http404
        except ValidationError as error:
            report_errors(request, error)
            # What was typed stays in the forms.
            return self.render_to_response(
                self.get_context_data(form_values=post.dict())
            )
        return redirect(reverse("review_presentations", args=[call.pk]))


class MyPresentationsView(AdminScreen):
    """A district's own slots, or a reviewer's slots of their panels (minus
    the districts they are tied to), once the city has sent the timetable."""

    template_name = "competitions/admin/presentations_mine.html"
    page_title = gettext_lazy("Presentations")
    header_icon = "date"

    def allowed(self, user):
        return access.can(user, "view_presentations")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        slots = (
            access.visible_to(user, PresentationSlot)
            .select_related("session__call", "proposal__district")
            .order_by("starts_at", "pk")
        )
        mine = {
            review.slot_id: review
            for review in PresentationReview.objects.filter(reviewer=user)
        }
        context["slots"] = [
            {"slot": slot, "review": mine.get(slot.pk)} for slot in slots
        ]
        context["is_reviewer"] = access.is_reviewer(user)
        return context


class PresentationScoreForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Overall comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
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
                    attrs={"step": "0.1", "min": "0", "max": str(criterion.weight)}
                ),
            )

    def score_fields(self):
        return [self[f"score_{criterion.pk}"] for criterion in self.criteria]


class PresentationScoreView(AdminScreen):
    """A reviewer's presentation scores of one slot: blind, refused to a
    reviewer tied to the district, locked once submitted."""

    template_name = "competitions/admin/presentation_score.html"
    page_title = gettext_lazy("Presentation scores")
    header_icon = "clipboard-list"

    def allowed(self, user):
        return access.is_reviewer(user)

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise Http404
        self.slot = access.get_visible_or_404(
            request.user,
            PresentationSlot.objects.select_related(
                "session__call", "proposal__district"
            ),
            pk=kwargs["pk"],
        )
        if not access.can(request.user, "score_presentation", self.slot):
            raise Http404
        call = self.slot.session.call
        if not pledge_signed(reviewer=request.user, call=call):
            return pledge_refusal(request, call)
        self.criteria = list(call.rubric_criteria.all())
        self.review = PresentationReview.objects.filter(
            slot=self.slot, reviewer=request.user
        ).first()
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        proposal = self.slot.proposal
        return f"{proposal.receipt_number} {proposal.title}"

    def _initial(self) -> dict:
        if self.review is None:
            return {}
        initial = {"comment": self.review.comment}
        for row in self.review.scores.all():
            initial[f"score_{row.criterion_id}"] = row.score
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = kwargs.get("form") or PresentationScoreForm(
            initial=self._initial(), criteria=self.criteria
        )
        context.update(
            {
                "slot": self.slot,
                "review": self.review,
                "form": form,
                "locked": self.review is not None and self.review.is_submitted,
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        form = PresentationScoreForm(request.POST, criteria=self.criteria)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        submit = request.POST.get("action") == "submit"
        try:
            services.presentation_score_save(
                slot=self.slot,
                actor=request.user,
                scores={
                    criterion.pk: form.cleaned_data.get(f"score_{criterion.pk}")
                    for criterion in self.criteria
                },
                comment=form.cleaned_data.get("comment", ""),
                submit=submit,
            )
        except ValidationError as error:
            report_errors(request, error)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            _("Presentation scores submitted.") if submit else _("Scores saved."),
        )
        return redirect(reverse("presentations_mine"))
