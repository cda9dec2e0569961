"""A city manager manages people within the access module: no superusers, only
the roles and organisations the role model allows, nobody else's password, and
every change of a person, role, group or password lands in the audit trail.
Each door is tried with forged requests, and each refusal says why."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from accounts.models import RoleGroup, User
from accounts.roles import Role
from tests.factories import UserFactory

ADD = reverse("wagtailusers_users:add")
PASSWORD = "Correct-Horse-Battery-9"


def _group(role):
    return RoleGroup.objects.get(code=role).group


def _new_person(orgs, **overrides):
    data = {
        "username": "new-person",
        "email": "new.person@example.org",
        "first_name": "새",
        "last_name": "사람",
        "organisation": orgs["BP"].pk,
        "groups": [_group(Role.DISTRICT_OFFICER).pk],
        "is_active": "on",
    }
    data.update(overrides)
    return data


def _edit_data(person, **overrides):
    data = {
        "username": person.username,
        "email": person.email or "someone@example.org",
        "first_name": person.first_name or "이름",
        "last_name": person.last_name or "성",
        "organisation": person.organisation_id,
        "groups": list(person.groups.values_list("pk", flat=True)),
        "is_active": "on",
    }
    data.update(overrides)
    return data


def _entry_changing(obj, field: str) -> LogEntry:
    """The latest change entry of ``obj`` that lists ``field``."""
    entries = [
        entry
        for entry in LogEntry.objects.get_for_object(obj).filter(
            action=LogEntry.Action.UPDATE
        )
        if field in (entry.changes or {})
    ]
    assert entries
    return entries[0]


def _group_box(group) -> str:
    return f'name="groups" value="{group.pk}"'


def _page(response) -> str:
    return response.content.decode()


@pytest.fixture
def manager_client(client, city_manager):
    client.force_login(city_manager)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def superuser(orgs):
    return UserFactory(
        username="t-root", organisation=orgs["ICN"], is_superuser=True, is_staff=True
    )


# --- creating people ----------------------------------------------------------


def test_the_add_form_offers_a_city_manager_neither_superuser_nor_password(
    manager_client,
):
    page = _page(manager_client.get(ADD))
    assert 'name="is_superuser"' not in page
    assert 'name="password1"' not in page
    assert _group_box(_group(Role.DISTRICT_OFFICER)) in page
    assert _group_box(_group(Role.CITY_MANAGER)) not in page


def test_a_forged_is_superuser_on_creation_is_refused_with_the_reason(
    manager_client, orgs
):
    response = manager_client.post(ADD, _new_person(orgs, is_superuser="on"))
    assert response.status_code == 200
    assert "Only a superuser can make someone a superuser." in _page(response)
    assert not User.objects.filter(username="new-person").exists()


def test_a_forged_password_on_creation_is_refused_with_the_reason(manager_client, orgs):
    response = manager_client.post(
        ADD, _new_person(orgs, password1=PASSWORD, password2=PASSWORD)
    )
    assert "You cannot set someone else&#x27;s password" in _page(response)
    assert not User.objects.filter(username="new-person").exists()


def test_a_role_the_manager_may_not_give_is_refused_on_creation(manager_client, orgs):
    editors = Group.objects.create(name="Editors with page rights")
    for group in (_group(Role.CITY_MANAGER), editors):
        response = manager_client.post(
            ADD, _new_person(orgs, organisation=orgs["ICN"].pk, groups=[group.pk])
        )
        assert f"Only a superuser can give or take away: {group.name}" in _page(
            response
        ).replace("&#x27;", "'")
    assert not User.objects.filter(username="new-person").exists()


def test_an_organisation_outside_the_roles_kinds_is_refused_on_creation(
    manager_client, orgs
):
    response = manager_client.post(ADD, _new_person(orgs, organisation=orgs["EXP"].pk))
    page = _page(response)
    assert "District officer" in page and "is not one of them" in page
    assert not User.objects.filter(username="new-person").exists()


def test_an_inactive_organisation_is_refused(manager_client, orgs):
    orgs["BP"].is_active = False
    orgs["BP"].save()
    response = manager_client.post(ADD, _new_person(orgs))
    assert "Bupyeong-gu is no longer active; choose an active organisation." in _page(
        response
    )
    assert not User.objects.filter(username="new-person").exists()
    assert f'<option value="{orgs["BP"].pk}"' not in _page(manager_client.get(ADD))


def test_a_korean_reader_is_told_why_in_korean(manager_client, orgs):
    manager_client.cookies["django_language"] = "ko"
    response = manager_client.post(ADD, _new_person(orgs, is_superuser="on"))
    page = _page(response)
    assert "최고 관리자만 다른 사람을 최고 관리자로 지정할 수 있습니다." in page
    assert "Only a superuser can make someone a superuser." not in page


def test_a_person_the_manager_creates_gets_a_link_to_choose_their_own_password(
    manager_client, orgs
):
    response = manager_client.post(ADD, _new_person(orgs))
    assert response.status_code == 302
    person = User.objects.get(username="new-person")
    assert not person.has_usable_password()
    assert not person.is_superuser
    assert list(person.groups.all()) == [_group(Role.DISTRICT_OFFICER)]
    assert [message.to for message in mail.outbox] == [["new.person@example.org"]]
    assert "/admin/password_reset/confirm/" in mail.outbox[0].body


def test_a_superuser_still_creates_a_superuser_with_a_password(client, superuser, orgs):
    client.force_login(superuser)
    response = client.post(
        ADD,
        _new_person(orgs, is_superuser="on", password1=PASSWORD, password2=PASSWORD),
    )
    assert response.status_code == 302
    person = User.objects.get(username="new-person")
    assert person.is_superuser and person.check_password(PASSWORD)


# --- editing people -----------------------------------------------------------


def test_a_city_manager_cannot_open_or_post_a_superusers_edit_form(
    manager_client, superuser
):
    url = reverse("wagtailusers_users:edit", args=[superuser.pk])
    for response in (
        manager_client.get(url, follow=True),
        manager_client.post(
            url, _edit_data(superuser, email="taken@example.org"), follow=True
        ),
    ):
        assert "Only a superuser can change a superuser&#x27;s account." in _page(
            response
        )
    superuser.refresh_from_db()
    assert superuser.email != "taken@example.org"


def test_a_city_manager_cannot_edit_another_city_manager(manager_client, orgs):
    other = UserFactory(
        username="t-city-2", organisation=orgs["ICN"], role=Role.CITY_MANAGER
    )
    url = reverse("wagtailusers_users:edit", args=[other.pk])
    response = manager_client.post(
        url, _edit_data(other, email="taken@example.org"), follow=True
    )
    assert "only a superuser can change their account" in _page(response)
    other.refresh_from_db()
    assert other.email != "taken@example.org"


def test_forged_superuser_password_and_role_on_an_edit_are_refused(
    manager_client, bupyeong_officer
):
    url = reverse("wagtailusers_users:edit", args=[bupyeong_officer.pk])
    old_hash = bupyeong_officer.password
    attempts = [
        ({"is_superuser": "on"}, "Only a superuser can make someone a superuser."),
        ({"password1": PASSWORD, "password2": PASSWORD}, "You cannot set someone else"),
        (
            {"groups": [_group(Role.CITY_MANAGER).pk]},
            "Only a superuser can give or take away",
        ),
    ]
    for forged, reason in attempts:
        response = manager_client.post(url, _edit_data(bupyeong_officer, **forged))
        assert response.status_code == 200
        assert reason in _page(response).replace("&#x27;", "'")
    bupyeong_officer.refresh_from_db()
    assert not bupyeong_officer.is_superuser
    assert bupyeong_officer.password == old_hash
    assert list(bupyeong_officer.groups.all()) == [_group(Role.DISTRICT_OFFICER)]


def test_a_city_manager_changes_what_they_may(manager_client, bupyeong_officer, orgs):
    url = reverse("wagtailusers_users:edit", args=[bupyeong_officer.pk])
    groups = [_group(Role.DISTRICT_OFFICER).pk, _group(Role.DISTRICT_APPROVER).pk]
    response = manager_client.post(
        url, _edit_data(bupyeong_officer, organisation=orgs["SG"].pk, groups=groups)
    )
    assert response.status_code == 302
    bupyeong_officer.refresh_from_db()
    assert bupyeong_officer.organisation == orgs["SG"]
    assert set(bupyeong_officer.groups.values_list("pk", flat=True)) == set(groups)


# --- bulk actions and group screens ---------------------------------------------


def _bulk_url(action, *people):
    ids = "&".join(f"id={person.pk}" for person in people)
    return reverse("wagtail_bulk_action", args=["accounts", "user", action]) + f"?{ids}"


def test_the_bulk_assign_role_refuses_a_role_the_manager_may_not_give(
    manager_client, bupyeong_officer
):
    city = _group(Role.CITY_MANAGER)
    response = manager_client.post(
        _bulk_url("assign_role", bupyeong_officer), {"role": city.pk}
    )
    assert "Only a superuser can give or take away" in _page(response)
    assert not bupyeong_officer.groups.filter(pk=city.pk).exists()


def test_the_bulk_actions_leave_superusers_alone(
    manager_client, superuser, bupyeong_officer
):
    manager_client.post(
        _bulk_url("set_active_state", superuser, bupyeong_officer),
        {"mark_as_active": "False"},
    )
    superuser.refresh_from_db()
    bupyeong_officer.refresh_from_db()
    assert superuser.is_active
    assert not bupyeong_officer.is_active
    # ... and the deactivation is in the trail.
    assert _entry_changing(bupyeong_officer, "is_active").changes["is_active"] == [
        True,
        False,
    ]


def test_the_group_screens_are_closed_to_a_city_manager(manager_client):
    group = _group(Role.DISTRICT_OFFICER)
    edit = reverse("wagtailusers_groups:edit", args=[group.pk])
    assert manager_client.get(edit).status_code in (302, 403)
    manager_client.post(edit, {"name": "hijacked"})
    group.refresh_from_db()
    assert group.name != "hijacked"
    manager_client.post(reverse("wagtailusers_groups:add"), {"name": "my own admins"})
    assert not Group.objects.filter(name="my own admins").exists()


# --- the audit trail ------------------------------------------------------------


def test_role_and_password_changes_are_in_the_trail_without_the_hash(
    superuser, bupyeong_officer, client
):
    client.force_login(superuser)
    url = reverse("wagtailusers_users:edit", args=[bupyeong_officer.pk])
    approver = _group(Role.DISTRICT_APPROVER)
    data = _edit_data(bupyeong_officer, password1=PASSWORD, password2=PASSWORD)
    data["groups"] = data["groups"] + [approver.pk]
    assert client.post(url, data).status_code == 302

    password_entry = _entry_changing(bupyeong_officer, "password")
    assert password_entry.actor == superuser
    bupyeong_officer.refresh_from_db()
    assert bupyeong_officer.password not in str(password_entry.changes)
    groups_entry = _entry_changing(bupyeong_officer, "groups")
    assert approver.name in str(groups_entry.changes)


def test_a_group_change_and_a_two_factor_reset_are_in_the_trail(
    superuser, bupyeong_officer
):
    from accounts.services import totp_device_remove

    group = _group(Role.REVIEWER)
    group.name = "심사위원 (외부)"
    group.save()
    totp_device_remove(user=bupyeong_officer, actor=superuser, reason="phone lost")

    group_type = ContentType.objects.get_for_model(Group)
    assert LogEntry.objects.filter(
        content_type=group_type, object_pk=str(group.pk)
    ).exists()
    assert LogEntry.objects.filter(
        content_type__model="twofactorevent", changes__icontains="phone lost"
    ).exists()


def test_the_trail_records_the_client_behind_the_proxy_not_a_forged_address(
    settings, client, superuser, bupyeong_officer
):
    settings.SANGSAENG_TRUSTED_PROXY_COUNT = 1
    client.force_login(superuser)
    url = reverse("wagtailusers_users:edit", args=[bupyeong_officer.pk])
    client.post(
        url,
        _edit_data(bupyeong_officer, first_name="바뀐"),
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="192.0.2.66, 203.0.113.5",
    )
    entry = _entry_changing(bupyeong_officer, "first_name")
    assert entry.remote_addr == "203.0.113.5"


def test_a_city_manager_cannot_reset_a_superusers_sign_in_codes(
    manager_client, superuser
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    url = reverse("accounts_2fa_reset", args=[superuser.pk])
    response = manager_client.post(url, {"reason": "phone lost"}, follow=True)
    assert "Only a superuser can reset the sign-in codes of this account." in _page(
        response
    )
    assert TOTPDevice.objects.filter(user=superuser).exists()


def test_people_cannot_be_copied_from_another_account(db):
    # Wagtail's copy view would fill the add form from any account, a superuser's included.
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse("wagtailusers_users:copy", args=[1])
