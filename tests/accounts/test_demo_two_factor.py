"""The demo: city managers and reviewers have a demo authenticator, and
`demo_totp` prints a code that signs them in (and serves demo devices only)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_DEVICE_NAME, seed_accounts


@pytest.fixture(autouse=True)
def two_factor_required(settings):
    settings.SANGSAENG_TWO_FACTOR_REQUIRED_ROLES = ("city_manager", "reviewer")


def test_the_city_manager_signs_in_with_the_printed_code(client, db):
    seed_accounts()
    assert set(
        TOTPDevice.objects.filter(name=DEMO_DEVICE_NAME, confirmed=True).values_list(
            "user__username", flat=True
        )
    ) == {"city", "reviewer1", "reviewer2", "reviewer3", "reviewer4", "reviewer5"}
    client.post(
        reverse("wagtailadmin_login"),
        {"username": "city", "password": "sangsaeng-demo"},
    )
    assert client.get(reverse("wagtailadmin_home"))["Location"].startswith(
        reverse("accounts_2fa_verify")
    )

    out = StringIO()
    call_command("demo_totp", "city", stdout=out, stderr=StringIO())
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    client.post(reverse("accounts_2fa_verify"), {"otp_token": code})
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_a_second_seeding_keeps_a_phone_the_person_enrolled(db):
    seed_accounts()
    TOTPDevice.objects.filter(user__username="city").update(name="authenticator")
    seed_accounts()
    assert list(
        TOTPDevice.objects.filter(user__username="city").values_list("name", flat=True)
    ) == ["authenticator"]


def test_demo_totp_refuses_a_device_that_is_not_a_demo_one(db):
    seed_accounts()
    TOTPDevice.objects.filter(user__username="city").update(name="authenticator")
    with pytest.raises(CommandError):
        call_command("demo_totp", "city", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError):
        call_command("demo_totp", "bupyeong", stdout=StringIO(), stderr=StringIO())
