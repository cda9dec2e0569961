"""Passwords are stored with Argon2id in production; older PBKDF2 hashes keep
working and are replaced at the next sign-in."""

from django.contrib.auth.hashers import make_password
from django.test import override_settings
from django.urls import reverse

from config.settings import base as base_settings

PRODUCTION_HASHERS = override_settings(PASSWORD_HASHERS=base_settings.PASSWORD_HASHERS)


@PRODUCTION_HASHERS
def test_a_new_password_is_stored_with_argon2id(bupyeong_officer):
    bupyeong_officer.set_password("a-new-long-password-2027")
    bupyeong_officer.save()
    bupyeong_officer.refresh_from_db()
    assert bupyeong_officer.password.startswith("argon2$argon2id$")
    assert bupyeong_officer.check_password("a-new-long-password-2027")
    assert not bupyeong_officer.check_password("a-new-long-password-2028")


@PRODUCTION_HASHERS
def test_a_pbkdf2_password_still_signs_in_and_is_rehashed_with_argon2(
    client, bupyeong_officer
):
    bupyeong_officer.password = make_password(
        "sangsaeng-test-pw", hasher="pbkdf2_sha256"
    )
    bupyeong_officer.save(update_fields=["password"])

    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": "t-bupyeong", "password": "sangsaeng-test-pw"},
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bupyeong_officer.pk)
    bupyeong_officer.refresh_from_db()
    assert bupyeong_officer.password.startswith("argon2$")
