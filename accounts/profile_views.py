"""The district profile: department, person in charge, phone and address,
kept once per district and used to prefill its proposals. A district's users
open their own; city managers open any district's from the list."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from . import access, services
from .forms import DistrictProfileForm
from .models import DistrictProfile, Organisation

FIELDS = ("department", "person_in_charge", "phone", "address")


@require_http_methods(["GET"])
def district_profiles(request):
    """A district user's own profile; for city managers, every district's."""
    own = access.user_district(request.user)
    if own is not None:
        return redirect("accounts_district_profile", own.pk)
    if not access.is_city_manager(request.user):
        raise Http404
    profiles = {
        profile.organisation_id: profile
        for profile in access.visible_to(request.user, DistrictProfile)
    }
    districts = Organisation.objects.filter(
        kind__in=Organisation.LOCAL_KINDS, is_active=True
    ).order_by("code")
    return TemplateResponse(
        request,
        "accounts/profile/list.html",
        {
            "page_title": _("District profiles"),
            "header_icon": "site",
            "rows": [(district, profiles.get(district.pk)) for district in districts],
        },
    )


@require_http_methods(["GET", "POST"])
def district_profile(request, organisation_id: int):
    """One district's profile: editable by its officers and city managers,
    read-only for its approvers, a 404 to everyone else."""
    organisation = access.get_visible_or_404(
        request.user,
        Organisation.objects.filter(kind__in=Organisation.LOCAL_KINDS),
        pk=organisation_id,
    )
    if not (
        access.is_city_manager(request.user)
        or access.acts_for(request.user, organisation)
    ):
        raise Http404
    editable = access.can(request.user, "edit_district_profile", organisation)
    profile = services.district_profile_of(organisation)
    initial = {name: getattr(profile, name, "") for name in FIELDS}
    form = DistrictProfileForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.district_profile_save(
                    organisation=organisation,
                    actor=request.user,
                    **{name: form.cleaned_data[name] for name in FIELDS},
                )
            except ValidationError as error:
                for field, field_messages in error.message_dict.items():
                    form.add_error(
                        field if field in form.fields else None, field_messages
                    )
            else:
                messages.success(
                    request,
                    _("Saved. New proposals of %(district)s start with these details.")
                    % {"district": organisation.name},
                )
                return redirect("accounts_district_profile", organisation.pk)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    return TemplateResponse(
        request,
        "accounts/profile/edit.html",
        {
            "page_title": _("District profile"),
            "page_subtitle": organisation.name,
            "header_icon": "site",
            "form": form,
            "editable": editable,
            "organisation": organisation,
            "profile": profile,
        },
    )
