from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from .viewsets import IndicatorViewSet, ValidationRuleViewSet


class CatalogueGroup(ViewSetGroup):
    """지표 목록: shown to whoever may read the catalogue (Wagtail asks each
    viewset's permission policy); only city managers get its edit buttons."""

    menu_label = _("Indicator catalogue")
    menu_icon = "list-ul"
    menu_order = 250
    items = (
        IndicatorViewSet("indicators"),
        ValidationRuleViewSet("validation_rules"),
    )


@hooks.register("register_admin_viewset")
def register_catalogue_viewsets():
    return CatalogueGroup()
