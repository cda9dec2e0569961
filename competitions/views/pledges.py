"""The reviewer's pledges (보안 서약, 이해충돌 서약) for a call: the page that
shows the call's texts and takes the signature, and the refusal every door to
the call's proposals gives until it is signed (with a link to this page)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts import access
from accounts.client_address import client_address

from .. import services
from ..models import CallPage
from ..selectors.pledges import pledge_of


def pledge_refusal(request, call: CallPage):
    """The answer of a door to a proposal of ``call`` while the reviewer has
    not signed its pledges: a message, and the pledge page."""
    url = reverse("review_pledge", args=[call.pk])
    messages.error(
        request,
        _(
            "Sign the confidentiality and conflict-of-interest pledges of "
            "“%(call)s” before you open any of its proposals."
        )
        % {"call": call.localized("title")},
        buttons=[messages.button(url, _("Sign the pledges"))],
    )
    return redirect(url)


class PledgeView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "competitions/admin/pledge.html"
    page_title = gettext_lazy("Reviewer pledges")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        self.call = get_object_or_404(CallPage, pk=kwargs["call_id"])
        if not access.can(request.user, "sign_pledge", self.call):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.call.localized("title")

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("review_my_assignments"), "label": _("My assignments")},
            {"url": "", "label": _("Reviewer pledges")},
        ]

    def get_context_data(self, errors=None, ticked=(), **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "call": self.call,
                "pledge": pledge_of(reviewer=self.request.user, call=self.call),
                "confidentiality_text": self.call.pledge_text("confidentiality"),
                "conflict_text": self.call.pledge_text("conflict"),
                "errors": errors or {},
                "ticked": set(ticked),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        ticked = [
            name for name in ("confidentiality", "conflict") if request.POST.get(name)
        ]
        try:
            services.pledge_sign(
                call=self.call,
                actor=request.user,
                confidentiality="confidentiality" in ticked,
                conflict="conflict" in ticked,
                ip_address=client_address(request),
            )
        except ValidationError as error:
            messages.error(request, _("The pledges were not signed: see below."))
            return self.render_to_response(
                self.get_context_data(errors=error.message_dict, ticked=ticked)
            )
        messages.success(
            request,
            _("Pledges signed. The proposals assigned to you in this call are open."),
        )
        return redirect(reverse("review_my_assignments"))
