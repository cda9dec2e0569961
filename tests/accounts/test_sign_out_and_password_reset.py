"""Signing out ends the session on the server, whichever way it is asked for;
password-reset mails are limited per address and per client without telling
whether an address has an account."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

LOGOUT = reverse("wagtailadmin_logout")
RESET = reverse("wagtailadmin_password_reset")
HOME = reverse("wagtailadmin_home")


def _signed_in_client(user) -> tuple[Client, str]:
    client = Client()
    client.force_login(user)
    return client, client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.mark.parametrize("method", ["get", "post"])
def test_signing_out_ends_the_session_so_its_old_key_no_longer_signs_in(
    city_manager, method
):
    client, old_key = _signed_in_client(city_manager)
    assert client.get(HOME).status_code == 200

    response = getattr(client, method)(LOGOUT)

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_login")
    assert not Session.objects.filter(session_key=old_key).exists()
    # Someone who kept the cookie's value gets the sign-in page, not the admin.
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = old_key
    assert thief.get(HOME).status_code == 302
    assert thief.get(HOME).url.startswith(reverse("wagtailadmin_login"))


def test_signing_out_while_a_code_is_still_owed_ends_the_session(
    settings, city_manager
):
    settings.SANGSAENG_TWO_FACTOR_REQUIRED_ROLES = ("city_manager",)
    client, old_key = _signed_in_client(city_manager)
    assert client.get(HOME).status_code == 302  # sent to set up the authenticator

    client.get(LOGOUT)

    assert not Session.objects.filter(session_key=old_key).exists()


def _ask_reset(client, email, ip="203.0.113.5", language="en"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip)


def test_a_fourth_reset_mail_for_one_address_within_the_hour_is_refused(
    client, city_manager
):
    city_manager.email = "city@example.org"
    city_manager.save()
    for _ in range(3):
        assert _ask_reset(client, "city@example.org").status_code == 302
    assert len(mail.outbox) == 3

    response = _ask_reset(client, "City@Example.org", ip="198.51.100.7")

    assert response.status_code == 429
    assert len(mail.outbox) == 3
    assert "Too many password reset requests" in response.content.decode()


def test_the_refusal_is_the_same_for_an_address_without_an_account(
    client, city_manager
):
    city_manager.email = "city@example.org"
    city_manager.save()
    for _ in range(3):
        _ask_reset(client, "city@example.org")
        _ask_reset(client, "nobody@example.org", ip="198.51.100.7")

    known = _ask_reset(client, "city@example.org", ip="192.0.2.1")
    unknown = _ask_reset(client, "nobody@example.org", ip="192.0.2.2")

    assert known.status_code == unknown.status_code == 429
    assert (
        known.context["form"].non_field_errors()
        == unknown.context["form"].non_field_errors()
    )


def test_one_client_asking_for_many_addresses_is_stopped(client, settings, db):
    settings.SANGSAENG_PASSWORD_RESET_LIMITS = {
        **settings.SANGSAENG_PASSWORD_RESET_LIMITS,
        "per_client": 10,
    }
    for number in range(10):
        assert _ask_reset(client, f"someone{number}@example.org").status_code == 302

    assert _ask_reset(client, "someone-else@example.org").status_code == 429
    # Another client is not held back by it.
    assert (
        _ask_reset(client, "someone-else@example.org", ip="198.51.100.7").status_code
        == 302
    )


def test_the_refusal_is_in_the_readers_language(client, db):
    for _ in range(3):
        _ask_reset(client, "nobody@example.org", language="ko")
    response = _ask_reset(client, "nobody@example.org", language="ko")
    body = response.content.decode()
    assert response.status_code == 429
    assert "비밀번호 재설정 요청이 너무 많습니다" in body
    assert "Too many password reset requests" not in body
