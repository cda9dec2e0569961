"""Each role gets its own permissions and sees only its own admin menu items."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import RoleGroup
from accounts.roles import ROLE_GROUP_NAMES, Role, permissions_for


def test_every_role_has_its_group_with_exactly_the_declared_permissions(db):
    for role in Role:
        group = RoleGroup.objects.get(code=role).group
        assert group.name == ROLE_GROUP_NAMES[role]
        have = {
            f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
        }
        assert have == set(permissions_for(role))


def test_a_role_group_is_shown_in_the_readers_language_only(db):
    from django.contrib.auth.models import Group
    from django.utils import translation

    from accounts.roles import group_label

    group = RoleGroup.objects.get(code=Role.DISTRICT_OFFICER).group
    with translation.override("ko"):
        assert group_label(group) == "구·군 담당자"
    with translation.override("en"):
        assert group_label(group) == "District officer"
    assert " / " not in group.name
    other = Group.objects.create(name="점검반")
    assert group_label(other) == "점검반"  # a group that is no role: its own name


def test_a_permission_added_by_hand_is_taken_away_by_the_next_sync(db):
    from accounts.roles import sync_role_groups

    group = RoleGroup.objects.get(code=Role.DISTRICT_OFFICER).group
    group.permissions.add(Permission.objects.get(codename="change_organisation"))
    sync_role_groups()
    assert not group.permissions.filter(codename="change_organisation").exists()


def _menu_urls(client, user):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def test_city_manager_menu_offers_organisations_and_users(client, city_manager):
    page = _menu_urls(client, city_manager)
    assert reverse("organisations:index") in page
    assert reverse("wagtailusers_users:index") in page


@pytest.mark.parametrize(
    "user_fixture", ["bupyeong_officer", "reviewer", "bupyeong_approver"]
)
def test_other_roles_reach_the_admin_without_city_menus(client, request, user_fixture):
    page = _menu_urls(client, request.getfixturevalue(user_fixture))
    assert reverse("organisations:index") not in page
    assert reverse("wagtailusers_users:index") not in page


def test_district_officer_is_refused_the_user_admin(client, bupyeong_officer):
    client.force_login(bupyeong_officer)
    response = client.get(reverse("wagtailusers_users:index"))
    assert response.status_code in (302, 403)
    assert "t-seogu" not in response.content.decode()


def test_user_without_a_role_cannot_enter_the_admin(client, orgs):
    from tests.factories import UserFactory

    client.force_login(UserFactory(organisation=orgs["BP"]))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
