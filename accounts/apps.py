from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("Organisations and accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from .roles import sync_role_groups

        # Each app's access rules live in its own rules.py and register
        # themselves with accounts.access on import, as wagtail_hooks.py do.
        autodiscover_modules("rules")

        # Roles follow the code: every migrate brings groups and their
        # permissions in line with accounts.roles.ROLE_PERMISSIONS.
        post_migrate.connect(sync_role_groups, dispatch_uid="accounts.sync_role_groups")


class SangsaengUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with the organisation on the user forms."""

    user_viewset = "accounts.viewsets.UserViewSet"
