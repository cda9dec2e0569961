"""The four roles, their groups and their model permissions.

Roles are Django groups tied to a stable code through RoleGroup. The permissions
below are the whole truth: `sync_role_groups` runs after every migrate and sets
each group's permissions to exactly this list, so a role's powers are reviewed
here, in one place, and not clicked together in an admin screen.
"""

from django.apps import apps as global_apps
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_MANAGER = "city_manager", _("City manager")
    REVIEWER = "reviewer", _("Reviewer")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    DISTRICT_APPROVER = "district_approver", _("District approver")


# Group names as stored (data, in Korean, the product's language; a city may
# rename them). Screens show a role group by its role's label, in the reader's
# language: ``group_label``.
ROLE_GROUP_NAMES = {
    Role.CITY_MANAGER: "시 일자리 담당",
    Role.REVIEWER: "심사위원",
    Role.DISTRICT_OFFICER: "구·군 담당자",
    Role.DISTRICT_APPROVER: "구·군 결재권자",
}


def group_label(group) -> str:
    """A group as a person reads it: a role's label in their language, or
    the group's own name for a group that is no role."""
    role_group = getattr(group, "role", None)
    try:
        return str(Role(role_group.code).label) if role_group else group.name
    except ValueError:
        return group.name


_ADMIN = ["wagtailadmin.access_admin"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CITY_MANAGER: _ADMIN
    + [
        "accounts.view_organisation",
        "accounts.add_organisation",
        "accounts.change_organisation",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
    ],
    Role.REVIEWER: _ADMIN,
    Role.DISTRICT_OFFICER: _ADMIN,
    Role.DISTRICT_APPROVER: _ADMIN,
}

# Who may give a role to someone. Superusers give any role (and superuser
# status, which nobody else gives); city managers give the roles of the people
# they work with. A city manager's own role carries the power to manage users,
# so only a superuser makes someone a city manager: a city manager account that
# falls into the wrong hands cannot mint more of itself.
ROLES_GRANTED_BY_CITY_MANAGERS = (
    Role.REVIEWER,
    Role.DISTRICT_OFFICER,
    Role.DISTRICT_APPROVER,
)

# The kinds of organisation a holder of each role belongs to: the city's staff
# to the city, districts' staff to a district or county, reviewers to the city
# or an outside body (a university, an institute).
ROLE_ORGANISATION_KINDS: dict[str, tuple[str, ...]] = {
    Role.CITY_MANAGER: ("province", "metropolitan_city", "city"),
    Role.REVIEWER: ("province", "metropolitan_city", "city", "external"),
    Role.DISTRICT_OFFICER: ("district", "county"),
    Role.DISTRICT_APPROVER: ("district", "county"),
}

# Permissions that later apps add to a role. Each app extends this dict in its
# own AppConfig.ready(), so the list of a role's powers grows with the app
# that needs them while this module stays the one place that applies them.
EXTRA_ROLE_PERMISSIONS: dict[str, list[str]] = {role: [] for role in Role}

# Page-tree and collection permissions given to city managers on the root.
CITY_MANAGER_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "delete_page",
]
CITY_MANAGER_COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
]


def permissions_for(role: str) -> list[str]:
    return ROLE_PERMISSIONS[role] + EXTRA_ROLE_PERMISSIONS.get(role, [])


def sync_role_groups(sender=None, apps=global_apps, verbosity=1, **kwargs):
    """Create the role groups and set their permissions to the declared lists.

    Connected to post_migrate; acts once, after the last app has migrated, when
    every permission exists.
    """
    # post_migrate is sent once per app that has models; act on the last one.
    with_models = [
        config for config in global_apps.get_app_configs() if config.models_module
    ]
    if sender is not None and sender.label != with_models[-1].label:
        return
    from django.contrib.auth.models import Group, Permission

    from .models import RoleGroup

    for role in Role:
        role_group = (
            RoleGroup.objects.filter(code=role.value).select_related("group").first()
        )
        if role_group is None:
            group, _created = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[role])
            role_group = RoleGroup.objects.create(group=group, code=role.value)
        wanted = []
        for dotted in permissions_for(role):
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                raise LookupError(
                    f"Role {role.value}: permission {dotted} does not exist"
                )
            wanted.append(permission)
        role_group.group.permissions.set(wanted)
    _grant_city_manager_tree_permissions()


def _grant_city_manager_tree_permissions():
    from django.contrib.auth.models import Permission
    from wagtail.models import (
        Collection,
        GroupCollectionPermission,
        GroupPagePermission,
        Page,
    )

    from .models import RoleGroup

    group = RoleGroup.objects.get(code=Role.CITY_MANAGER).group
    root_page = Page.get_first_root_node()
    if root_page is not None:
        for codename in CITY_MANAGER_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root_page,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for app_label, codename in CITY_MANAGER_COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )
