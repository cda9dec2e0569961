from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.users.views import bulk_actions as wagtail_bulk_actions

from . import access, rules, services, twofactor
from .models import RoleGroup
from .roles import group_label

# The organisations' admin (a ScopedModelViewSet) is registered in
# common/wagtail_hooks.py: accounts imports no other app of the project.


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
        "help_text": _(
            "Your authenticator app is set up. Remove it to move to a new phone."
        )
        if enrolled
        else _("Set up an authenticator app for a code at each sign-in."),
    }


@hooks.register("register_user_listing_buttons")
def two_factor_reset_button(user, request_user):
    if access.can(request_user, "change_user", user):
        yield Button(
            _("Reset two-step sign-in"),
            reverse("accounts_2fa_reset", args=[user.pk]),
            icon_name="key",
            priority=90,
        )


# --- the user listing's bulk actions, limited like the user forms ------------
# Wagtail's "assign role" gives any group to any user (superusers included) and
# "set active state" changes anyone with one UPDATE that leaves no trail. Ours
# replace them (same action types, registered after Wagtail's): only people the
# manager may change, only roles they may give, saved one by one so each change
# is in the audit trail.


class AssignRoleBulkAction(wagtail_bulk_actions.AssignRoleBulkAction):
    def check_perm(self, obj):
        return access.can(self.request.user, "change_user", obj)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["role"].queryset = Group.objects.all()
        form.fields["role"].widget.choices = [("", "---------")] + [
            (group.pk, group_label(group))
            for group in rules.grantable_groups(self.request.user)
        ]
        return form

    def form_valid(self, form):
        role = form.cleaned_data["role"]
        if not rules.grantable_groups(self.request.user).filter(pk=role.pk).exists():
            form.add_error(
                "role",
                _("Only a superuser can give or take away: %(groups)s.")
                % {"groups": role.name},
            )
            return self.form_invalid(form)
        objects, _without_access = self.get_actionable_objects()
        code = (
            RoleGroup.objects.filter(group=role).values_list("code", flat=True).first()
        )
        for person in objects:
            held = set(
                person.groups.filter(role__isnull=False).values_list(
                    "role__code", flat=True
                )
            )
            try:
                services.user_organisation_check(
                    roles=held | ({code} if code else set()),
                    organisation=person.organisation,
                )
            except ValidationError as error:
                form.add_error(
                    "role", f"{person.get_username()}: {' '.join(error.messages)}"
                )
        if form.errors:
            return self.form_invalid(form)
        return super().form_valid(form)

    @classmethod
    def execute_action(cls, objects, role=None, **kwargs):
        if role is None:
            return 0, 0
        for person in objects:
            person.groups.add(role)
        return len(objects), 0


class SetActiveStateBulkAction(wagtail_bulk_actions.SetActiveStateBulkAction):
    def check_perm(self, obj):
        return access.can(self.request.user, "change_user", obj)

    @classmethod
    def execute_action(
        cls, objects, mark_as_active=False, model=None, user=None, **kwargs
    ):
        changed = 0
        for person in objects:
            if (
                user is not None and person.pk == user.pk
            ) or person.is_active == mark_as_active:
                continue
            person.is_active = mark_as_active
            person.save(update_fields=["is_active"])
            changed += 1
        return changed, 0


for _action in (AssignRoleBulkAction, SetActiveStateBulkAction):
    hooks.register("register_bulk_action", _action, order=100)


# --- the district profile --------------------------------------------------------


class DistrictProfileMenuItem(MenuItem):
    def is_shown(self, request):
        return access.is_city_manager(request.user) or (
            access.user_district(request.user) is not None
        )


@hooks.register("register_admin_menu_item")
def register_district_profile_menu_item():
    return DistrictProfileMenuItem(
        _("District profile"),
        reverse("accounts_district_profiles"),
        icon_name="site",
        order=850,
    )
