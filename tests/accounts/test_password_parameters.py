"""Sign-in cost: Argon2id at OWASP's minimum (19 MiB, two passes, one lane),
and passwords stored with Django's heavier default parameters are re-hashed
with these at their owner's next sign-in (docs/security.md)."""

from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import override_settings
from django.urls import reverse

from config.settings import base as base_settings

PRODUCTION_HASHERS = override_settings(PASSWORD_HASHERS=base_settings.PASSWORD_HASHERS)
OWASP_PARAMETERS = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


@PRODUCTION_HASHERS
def test_a_new_password_is_stored_with_the_owasp_parameters(bupyeong_officer):
    bupyeong_officer.set_password("a-new-long-password-2027")
    bupyeong_officer.save()
    bupyeong_officer.refresh_from_db()

    assert bupyeong_officer.password.startswith(OWASP_PARAMETERS)
    assert bupyeong_officer.check_password("a-new-long-password-2027")
    assert not bupyeong_officer.check_password("a-new-long-password-2028")


@PRODUCTION_HASHERS
def test_a_hash_with_djangos_default_parameters_is_upgraded_at_sign_in(
    client, bupyeong_officer
):
    bupyeong_officer.password = Argon2PasswordHasher().encode(
        "sangsaeng-test-pw", Argon2PasswordHasher().salt()
    )
    bupyeong_officer.save(update_fields=["password"])
    assert "m=102400,t=2,p=8" in bupyeong_officer.password

    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": "t-bupyeong", "password": "sangsaeng-test-pw"},
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bupyeong_officer.pk)
    bupyeong_officer.refresh_from_db()
    assert bupyeong_officer.password.startswith(OWASP_PARAMETERS)
    assert bupyeong_officer.check_password("sangsaeng-test-pw")


@PRODUCTION_HASHERS
def test_a_wrong_password_leaves_the_old_hash_alone(client, bupyeong_officer):
    old = Argon2PasswordHasher().encode(
        "sangsaeng-test-pw", Argon2PasswordHasher().salt()
    )
    bupyeong_officer.password = old
    bupyeong_officer.save(update_fields=["password"])

    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": "t-bupyeong", "password": "not-the-password-1"},
    )

    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    bupyeong_officer.refresh_from_db()
    assert bupyeong_officer.password == old
