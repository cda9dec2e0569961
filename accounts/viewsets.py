"""Wagtail's user admin with each user's organisation, limited by the access
module: what a city manager may not do is neither offered nor accepted."""

from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.users.views import users as wagtail_users
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from . import access, services
from .forms import SangsaengUserCreationForm, SangsaengUserEditForm


class CreateView(wagtail_users.CreateView):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}

    def save_instance(self):
        user = super().save_instance()
        if not user.has_usable_password():
            # Created without a password (a city manager may not type one):
            # the person chooses their own from a link.
            services.user_password_link_send(user=user, request=self.request)
        return user

    def get_success_message(self, instance):
        message = super().get_success_message(instance)
        if instance is not None and not instance.has_usable_password():
            message = _(
                "%(message)s A link to choose a password was sent to %(email)s."
            ) % {
                "message": message,
                "email": instance.email,
            }
        return message


class EditView(wagtail_users.EditView):
    def dispatch(self, request, *args, **kwargs):
        # People who may not manage users at all get Wagtail's own refusal.
        if access.can(request.user, "manage_users") and not access.can(
            request.user, "change_user", self.object
        ):
            if self.object.is_superuser:
                reason = _("Only a superuser can change a superuser's account.")
            else:
                reason = _(
                    "%(user)s holds a role only a superuser can give, so only a "
                    "superuser can change their account."
                ) % {"user": self.object.get_username()}
            messages.error(request, reason)
            return redirect(self.index_url_name)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}


class UserViewSet(WagtailUserViewSet):
    """Wagtail's user admin with each user's organisation."""

    add_view_class = CreateView
    edit_view_class = EditView
    # Wagtail's "copy" fills the add form with another person's account (their
    # superuser status and roles included): people are added, not copied.
    copy_view_enabled = False
    # Wagtail's templates leave out the organisation field (and its errors).
    create_template_name = "accounts/users/create.html"
    edit_template_name = "accounts/users/edit.html"

    def get_form_class(self, for_update=False):
        return SangsaengUserEditForm if for_update else SangsaengUserCreationForm
