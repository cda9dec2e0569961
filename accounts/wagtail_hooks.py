from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from common.viewsets import ScopedModelViewSet

from . import access, twofactor
from .models import Organisation


class OrganisationViewSet(ScopedModelViewSet):
    model = Organisation
    icon = "site"
    menu_label = _("Organisations")
    menu_order = 900
    add_to_admin_menu = True
    list_display = ["code", "name_ko", "name_en", "kind", "parent"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name_ko", "name_en"]
    form_fields = ["code", "name_ko", "name_en", "kind", "parent", "is_active"]
    inspect_view_enabled = True


@hooks.register("register_admin_viewset")
def register_organisation_viewset():
    return OrganisationViewSet("organisations")


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    from .urls import urlpatterns

    return urlpatterns


@hooks.register("register_account_menu_item")
def two_factor_account_menu_item(request):
    """Account → More actions: one's own authenticator (see, remove, enrol)."""
    enrolled = twofactor.confirmed_device(request.user) is not None
    return {
        "url": reverse("accounts_two_factor"),
        "label": _("Two-step sign-in"),
        "help_text": _("Your authenticator app is set up. Remove it to move to a new phone.")
        if enrolled
        else _("Set up an authenticator app for a code at each sign-in."),
    }


@hooks.register("register_user_listing_buttons")
def two_factor_reset_button(user, request_user):
    if access.can_manage_users(request_user):
        yield Button(
            _("Reset two-step sign-in"),
            reverse("accounts_2fa_reset", args=[user.pk]),
            icon_name="key",
            priority=90,
        )
