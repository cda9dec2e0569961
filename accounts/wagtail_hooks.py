from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from common.viewsets import ScopedModelViewSet

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
