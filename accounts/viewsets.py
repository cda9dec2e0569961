from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .forms import SangsaengUserCreationForm, SangsaengUserEditForm


class UserViewSet(WagtailUserViewSet):
    """Wagtail's user admin with each user's organisation."""

    def get_form_class(self, for_update=False):
        return SangsaengUserEditForm if for_update else SangsaengUserCreationForm
