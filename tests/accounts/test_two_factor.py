"""Two-factor sign-in: city managers and reviewers must enrol an authenticator
app and enter its code before any admin page; districts may; a lost phone is
reset by a city manager, on the record."""

import re
from base64 import b32decode
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import TwoFactorEvent
from tests.helpers import reauthenticate


@pytest.fixture(autouse=True)
def two_factor_required(settings):
    settings.SANGSAENG_TWO_FACTOR_REQUIRED_ROLES = ("city_manager", "reviewer")


HOME = reverse("wagtailadmin_home")
SETUP = reverse("accounts_2fa_setup")
VERIFY = reverse("accounts_2fa_verify")
PASSWORD = "sangsaeng-test-pw"


def code_for(device, steps_ahead=0):
    device.refresh_from_db()
    code = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift + steps_ahead,
    )
    return f"{code:06d}"


def sign_in(client, user):
    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": user.username, "password": PASSWORD, "next": HOME},
    )
    assert response.status_code == 302
    return client.get(HOME)


def enrolled(user, **kwargs):
    return TOTPDevice.objects.create(
        user=user, name="authenticator", confirmed=True, **kwargs
    )


def test_a_city_manager_without_an_app_is_sent_to_set_one_up_and_then_reaches_the_admin(
    client, city_manager
):
    response = sign_in(client, city_manager)
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Fadmin%2F"

    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and 'aria-label="' in page  # the QR code, inline
    secret = re.search(r"<code data-secret[^>]*>([A-Z2-7 ]+)</code>", page).group(1)
    assert all(len(group) == 4 for group in secret.split()[:-1])
    assert 'name="otp_token"' in page
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    device = TOTPDevice.objects.get(user=city_manager, confirmed=False)
    # The key shown for typing by hand is the device's own key.
    assert (
        b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
        == device.bin_key
    )
    assert client.get(HOME).status_code == 302  # still not in

    response = client.post(
        SETUP + "?next=/admin/", {"otp_token": code_for(device), "next": HOME}
    )
    assert response.status_code == 302 and response["Location"] == HOME
    assert client.get(HOME).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    event = TwoFactorEvent.objects.get(user=city_manager)
    assert event.action == TwoFactorEvent.Action.ENROLLED


def test_a_wrong_code_at_enrolment_is_refused_with_a_message_read_out(
    client, city_manager
):
    sign_in(client, city_manager)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=city_manager)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"otp_token": wrong})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in page and "코드가 맞지 않거나" in page
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(HOME).status_code == 302


def test_a_reviewer_with_an_app_enters_the_code_before_any_admin_page(client, reviewer):
    device = enrolled(reviewer)
    response = sign_in(client, reviewer)
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    deep = reverse("review_my_assignments")
    response = client.get(deep)
    assert response["Location"] == f"{VERIFY}?next={deep.replace('/', '%2F')}"

    page = client.get(VERIFY).content.decode()
    assert len(re.findall(r"<input[^>]+name=\"(?!csrfmiddlewaretoken|next)", page)) == 1
    assert 'name="otp_token"' in page

    response = client.post(VERIFY, {"otp_token": code_for(device), "next": deep})
    assert response["Location"] == deep
    assert client.get(deep).status_code == 200


def test_a_used_code_cannot_sign_in_a_second_time(client, reviewer):
    device = enrolled(reviewer)
    sign_in(client, reviewer)
    code = code_for(device)
    assert client.post(VERIFY, {"otp_token": code})["Location"] == HOME
    client.post(reverse("wagtailadmin_logout"))
    sign_in(client, reviewer)
    response = client.post(VERIFY, {"otp_token": code})
    assert response.status_code == 200
    assert "이미 사용한" in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_wrong_codes_are_throttled_even_for_the_right_code(client, reviewer):
    device = enrolled(reviewer)
    sign_in(client, reviewer)
    for _ in range(3):
        client.post(
            VERIFY,
            {"otp_token": "000000" if code_for(device) != "000000" else "111111"},
        )
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1
    response = client.post(VERIFY, {"otp_token": code_for(device)})
    assert "잘못된 코드를 여러 번" in response.content.decode()
    assert client.get(HOME).status_code == 302
    # Once the wait is over, the right code works again.
    device.refresh_from_db()
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(hours=1)
    )
    assert client.post(VERIFY, {"otp_token": code_for(device)})["Location"] == HOME


def test_the_code_field_names_what_is_wrong_when_it_is_not_six_digits(client, reviewer):
    enrolled(reviewer)
    sign_in(client, reviewer)
    page = client.post(VERIFY, {"otp_token": "12ab"}).content.decode()
    assert "6자리 코드" in page
    assert TOTPDevice.objects.get(user=reviewer).throttling_failure_count == 0


def test_signing_out_and_the_scripts_of_the_step_pages_stay_open(client, reviewer):
    enrolled(reviewer)
    sign_in(client, reviewer)
    assert client.get(reverse("wagtailadmin_javascript_catalog")).status_code == 200
    page = client.get(VERIFY).content.decode()
    assert f'<form method="post" action="{reverse("wagtailadmin_logout")}"' in page
    client.post(reverse("wagtailadmin_logout"))
    assert "_auth_user_id" not in client.session


def test_a_district_officer_may_go_without_a_code(client, bupyeong_officer):
    assert sign_in(client, bupyeong_officer).status_code == 200


def test_a_district_officer_who_enrolled_is_asked_for_the_code(
    client, bupyeong_officer
):
    sign_in(client, bupyeong_officer)
    page = client.get(reverse("accounts_two_factor")).content.decode()
    assert 'data-two-factor-status="off"' in page
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=bupyeong_officer)
    client.post(SETUP, {"otp_token": code_for(device)})
    client.post(reverse("wagtailadmin_logout"))
    response = sign_in(client, bupyeong_officer)
    assert response["Location"].startswith(VERIFY)


def test_knowing_the_password_is_not_enough_to_add_a_second_app(client, reviewer):
    enrolled(reviewer)
    sign_in(client, reviewer)
    response = client.get(SETUP)
    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=reviewer).count() == 1


def _verified(client, user):
    device = enrolled(user)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return device


def test_the_account_area_offers_the_app_and_removing_it_needs_password_and_code(
    client, city_manager
):
    device = _verified(client, city_manager)
    account = client.get(reverse("wagtailadmin_account")).content.decode()
    assert reverse("accounts_two_factor") in account
    page = client.get(reverse("accounts_two_factor")).content.decode()
    assert 'data-two-factor-status="on"' in page

    response = client.post(reverse("accounts_two_factor"))
    assert response["Location"].startswith(reverse("accounts_reauth"))
    assert TOTPDevice.objects.filter(user=city_manager).exists()

    response = client.post(
        reverse("accounts_reauth"),
        {
            "password": PASSWORD,
            "otp_token": "000000" if code_for(device) != "000000" else "111111",
        },
    )
    assert response.status_code == 200  # a code is asked, and checked
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    reauthenticate(client, otp_token=code_for(device))
    response = client.post(reverse("accounts_two_factor"))
    assert response["Location"] == SETUP  # a city manager enrols the new phone at once
    assert not TOTPDevice.objects.filter(user=city_manager, confirmed=True).exists()
    assert client.get(HOME)["Location"].startswith(SETUP)
    assert (
        TwoFactorEvent.objects.get(user=city_manager).action
        == TwoFactorEvent.Action.REMOVED
    )


def test_a_city_manager_resets_a_lost_phone_with_a_reason_on_the_record(
    client, city_manager, reviewer
):
    lost = enrolled(reviewer)
    _verified(client, city_manager)
    url = reverse("accounts_2fa_reset", args=[reviewer.pk])
    users = client.get(reverse("wagtailusers_users:index")).content.decode()
    assert url in users

    assert client.get(url)["Location"].startswith(reverse("accounts_reauth"))
    reauthenticate(
        client, otp_token=code_for(TOTPDevice.objects.get(user=city_manager))
    )
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(pk=lost.pk).exists()

    client.post(url, {"reason": "휴대전화 분실, 전화로 본인 확인"})
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    event = TwoFactorEvent.objects.get(user=reviewer)
    assert (event.action, event.actor, event.reason) == (
        TwoFactorEvent.Action.RESET,
        city_manager,
        "휴대전화 분실, 전화로 본인 확인",
    )
    assert "휴대전화 분실" in client.get(url).content.decode()

    client.logout()
    assert sign_in(client, reviewer)["Location"].startswith(SETUP)


@pytest.mark.parametrize("who", ["bupyeong_officer", "reviewer"])
def test_no_one_else_can_reset_sign_in_codes(client, request, who, city_manager):
    user = request.getfixturevalue(who)
    enrolled(city_manager)
    if who == "reviewer":
        _verified(client, user)
    else:
        client.force_login(user)
    response = client.post(
        reverse("accounts_2fa_reset", args=[city_manager.pk]), {"reason": "x"}
    )
    assert response.status_code in (302, 403, 404)
    assert not response.get("Location", "").startswith(reverse("accounts_reauth"))
    assert TOTPDevice.objects.filter(user=city_manager).exists()


def test_the_steps_speak_english_to_someone_who_chose_english(client, reviewer):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(reviewer)
    profile.preferred_language = "en"
    profile.save()
    enrolled(reviewer)
    sign_in(client, reviewer)
    page = client.get(VERIFY).content.decode()
    assert "Enter your sign-in code" in page
