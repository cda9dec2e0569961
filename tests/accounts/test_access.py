"""Who sees which organisation and person, through the access module and the admin."""

import pytest
from django.http import Http404
from django.urls import reverse

from accounts import access
from accounts.models import Organisation, User


def test_district_officer_sees_only_their_own_district(bupyeong_officer, orgs):
    visible = access.visible_to(bupyeong_officer, Organisation)
    assert list(visible) == [orgs["BP"]]


def test_city_manager_sees_every_organisation(city_manager, orgs):
    assert access.visible_to(city_manager, Organisation).count() == len(orgs)


def test_anonymous_sees_nothing(orgs):
    from django.contrib.auth.models import AnonymousUser

    assert not access.visible_to(AnonymousUser(), Organisation).exists()


def test_inactive_user_sees_nothing(bupyeong_officer):
    bupyeong_officer.is_active = False
    assert not access.visible_to(bupyeong_officer, Organisation).exists()


def test_bupyeong_officer_loading_seogu_is_a_404(bupyeong_officer, orgs):
    with pytest.raises(Http404):
        access.get_visible_or_404(bupyeong_officer, Organisation, pk=orgs["SG"].pk)


def test_district_officer_sees_colleagues_but_not_other_districts_people(
    bupyeong_officer, bupyeong_approver, seogu_officer
):
    visible = set(access.visible_to(bupyeong_officer, User))
    assert bupyeong_approver in visible
    assert seogu_officer not in visible


def test_reviewer_sees_only_themself_among_users(reviewer, bupyeong_officer):
    assert list(access.visible_to(reviewer, User)) == [reviewer]


def test_only_city_managers_change_organisations(city_manager, bupyeong_officer, orgs):
    assert access.can_change(city_manager, orgs["BP"])
    assert not access.can_change(bupyeong_officer, orgs["BP"])


def test_model_without_a_rule_is_refused_to_everyone_but_superusers(city_manager):
    from django.contrib.sessions.models import Session

    assert not access.has_scope_rule(Session)
    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date="2030-01-01T00:00Z"
    )
    assert not access.visible_to(city_manager, Session).exists()


@pytest.mark.parametrize("url_name", ["organisations:edit", "organisations:inspect"])
def test_admin_refuses_bupyeong_officer_on_seogu_organisation(
    client, bupyeong_officer, orgs, url_name
):
    client.force_login(bupyeong_officer)
    response = client.get(reverse(url_name, args=[orgs["SG"].pk]))
    # Wagtail answers a refused permission with a redirect to the dashboard
    # and a "no permission" message; an object out of scope is a 404.
    refused = response.status_code in (403, 404) or (
        response.status_code == 302
        and response["Location"] == reverse("wagtailadmin_home")
    )
    assert refused
    assert "서구" not in response.content.decode()


def test_city_manager_edits_an_organisation_in_the_admin(client, city_manager, orgs):
    client.force_login(city_manager)
    response = client.get(reverse("organisations:edit", args=[orgs["SG"].pk]))
    assert response.status_code == 200
    assert "서구" in response.content.decode()


def test_anonymous_is_sent_to_the_login_page(client, orgs):
    response = client.get(reverse("organisations:index"))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]
