"""The city's draw of a call's panel from the reviewer pool (평가위원 추첨): the
form, every recorded draw of the call (seed, eligible list, exclusions with
their reasons, the order, who was drawn, who declined and who replaced them)
and whether each record recomputes from its seed."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from accounts.models import User

from .. import services
from ..models import ExpertiseField, ReviewerDraw, ReviewerPoolMember
from ..services.draw import competing_districts, exclusion_label
from .review import CallScreen, report_errors


class DrawForm(forms.Form):
    requested = forms.IntegerField(
        label=gettext_lazy("Members to draw"), min_value=1, max_value=99
    )
    expertise = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Required fields of expertise"),
        queryset=ExpertiseField.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("A drawn member has every field ticked here."),
    )


def _draw_rows(draw: ReviewerDraw, users: dict[int, User]) -> dict:
    declines = list(draw.declines.all())
    declined = {decline.reviewer_id: decline for decline in declines}
    replacements = {
        decline.replacement_id for decline in declines if decline.replacement_id
    }
    serving = services.draw_members(draw)
    order = []
    for position, reviewer_id in enumerate(draw.order, start=1):
        if reviewer_id in declined:
            status = _("Declined")
        elif reviewer_id in replacements:
            status = _("Replacement")
        elif reviewer_id in draw.drawn:
            status = _("Drawn")
        else:
            status = _("Reserve")
        order.append(
            {
                "position": position,
                "reviewer": users.get(reviewer_id),
                "reviewer_id": reviewer_id,
                "status": status,
                "serving": reviewer_id in serving,
            }
        )
    return {
        "draw": draw,
        "order": order,
        "excluded": [
            {"username": entry.get("username", ""), "reason": exclusion_label(entry)}
            for entry in draw.excluded
        ],
        "declines": [
            {
                "decline": decline,
                "skipped": [
                    {
                        "reviewer": users.get(entry.get("reviewer")),
                        "reason": exclusion_label(entry),
                    }
                    for entry in decline.skipped
                ],
            }
            for decline in declines
        ],
        "serving": [users.get(reviewer_id) for reviewer_id in serving],
        "verifies": services.draw_verifies(draw),
        "expertise": list(
            ExpertiseField.objects.filter(code__in=draw.required_expertise)
        ),
    }


class DrawView(CallScreen):
    template_name = "competitions/admin/review_draw.html"
    page_title = gettext_lazy("Reviewer draw")
    header_icon = "group"

    def get_context_data(self, form=None, decline=None, **kwargs):
        from django.utils import timezone

        context = super().get_context_data(**kwargs)
        call = self.call
        draws = list(
            ReviewerDraw.objects.filter(call=call)
            .select_related("drawn_by")
            .prefetch_related("declines__reviewer", "declines__replacement")
            .order_by("-drawn_at", "-pk")
        )
        ids: set[int] = set()
        for draw in draws:
            ids |= set(draw.order)
            for declined in draw.declines.all():
                ids |= {entry.get("reviewer") for entry in declined.skipped}
        users = User.objects.in_bulk([pk for pk in ids if pk is not None])
        context.update(
            {
                "form": form
                or DrawForm(initial={"requested": call.reviewers_per_proposal}),
                "draws": [_draw_rows(draw, users) for draw in draws],
                "pool_size": ReviewerPoolMember.objects.count(),
                "competing": competing_districts(call=call, now=timezone.now()),
                "before_deadline": timezone.now() < call.deadline,
                "decline": decline or {},
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "draw":
            return self._draw(request)
        if action == "decline":
            return self._decline(request)
        raise Http404

    def _draw(self, request):
        form = DrawForm(request.POST)
        if form.is_valid():
            try:
                draw = services.panel_draw(
                    call=self.call,
                    requested=form.cleaned_data["requested"],
                    required_expertise=list(form.cleaned_data["expertise"]),
                    actor=request.user,
                )
            except ValidationError as error:
                for field, field_messages in error.message_dict.items():
                    form.add_error(
                        field if field in form.fields else None, field_messages
                    )
            else:
                names = User.objects.in_bulk(draw.drawn)
                messages.success(
                    request,
                    _("Drawn and added to the panel: %(names)s")
                    % {
                        "names": ", ".join(
                            names[pk].username for pk in draw.drawn if pk in names
                        )
                    },
                )
                return redirect(reverse("review_draw", args=[self.call.pk]))
        messages.error(request, _("Nothing was drawn: see the messages on the form."))
        return self.render_to_response(self.get_context_data(form=form))

    def _decline(self, request):
        draw = get_object_or_404(
            ReviewerDraw, pk=request.POST.get("draw") or 0, call=self.call
        )
        reviewer = get_object_or_404(User, pk=request.POST.get("reviewer") or 0)
        reason = request.POST.get("reason", "")
        try:
            decline = services.draw_decline(
                draw=draw, reviewer=reviewer, reason=reason, actor=request.user
            )
        except ValidationError as error:
            report_errors(request, error)
            # What was typed stays on the form.
            return self.render_to_response(
                self.get_context_data(
                    decline={
                        "draw": draw.pk,
                        "reviewer": reviewer.pk,
                        "reason": reason,
                    }
                )
            )
        if decline.replacement is not None:
            messages.success(
                request,
                _(
                    "%(declined)s declined. %(replacement)s, the next in the draw's "
                    "order, is on the panel instead."
                )
                % {
                    "declined": reviewer.username,
                    "replacement": decline.replacement.username,
                },
            )
        else:
            messages.warning(
                request,
                _(
                    "%(declined)s declined. No reserve of this draw can serve: draw "
                    "again for the missing member."
                )
                % {"declined": reviewer.username},
            )
        return redirect(reverse("review_draw", args=[self.call.pk]))
