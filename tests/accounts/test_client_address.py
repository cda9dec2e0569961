"""Behind the reverse proxy, sign-in pauses key on the client's address as the
proxy reports it; a client that talks to us directly cannot pick its address."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.client_address import client_address

LOGIN = reverse("wagtailadmin_login")
PROXY = "10.0.0.254"
RIGHT = "sangsaeng-test-pw"


def _sign_in(client, password, *, remote_addr, forwarded_for=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(LOGIN, {"username": "t-bupyeong", "password": password}, **extra)


@pytest.fixture
def one_proxy(settings):
    settings.SANGSAENG_TRUSTED_PROXY_COUNT = 1


def test_behind_the_proxy_another_client_is_not_locked_out(
    client, bupyeong_officer, one_proxy
):
    for _ in range(5):
        _sign_in(
            client, "wrong-password", remote_addr=PROXY, forwarded_for="203.0.113.5"
        )
    assert (
        _sign_in(
            client, RIGHT, remote_addr=PROXY, forwarded_for="203.0.113.5"
        ).status_code
        == 429
    )

    response = _sign_in(client, RIGHT, remote_addr=PROXY, forwarded_for="198.51.100.7")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bupyeong_officer.pk)


def test_behind_the_proxy_a_forged_first_address_does_not_escape_the_lock(
    client, bupyeong_officer, one_proxy
):
    # The proxy appends the real address; whatever the client wrote stays to its left.
    for forged in range(5):
        _sign_in(
            client,
            "wrong-password",
            remote_addr=PROXY,
            forwarded_for=f"192.0.2.{forged}, 203.0.113.5",
        )
    response = _sign_in(
        client, RIGHT, remote_addr=PROXY, forwarded_for="192.0.2.99, 203.0.113.5"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_direct_client_with_a_spoofed_forwarded_for_does_not_escape_the_lock(
    client, bupyeong_officer
):
    # No proxy configured: the header is never believed.
    for forged in range(5):
        _sign_in(
            client,
            "wrong-password",
            remote_addr="203.0.113.5",
            forwarded_for=f"192.0.2.{forged}",
        )
    response = _sign_in(
        client, RIGHT, remote_addr="203.0.113.5", forwarded_for="192.0.2.99"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "192.0.2.1", "10.0.0.254"),
        (1, "192.0.2.1, 203.0.113.5", "203.0.113.5"),
        (2, "192.0.2.1, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        (1, "203.0.113.5:51234", "203.0.113.5"),
        (1, "[2001:db8::5]:443", "2001:db8::5"),
        (
            2,
            "203.0.113.5",
            "10.0.0.254",
        ),  # fewer hops than proxies: not via the proxies
        (1, "not-an-address", "10.0.0.254"),
        (1, None, "10.0.0.254"),
    ],
)
def test_the_client_address_is_the_one_the_trusted_proxies_saw(
    settings, proxies, forwarded_for, expected
):
    settings.SANGSAENG_TRUSTED_PROXY_COUNT = proxies
    extra = {"REMOTE_ADDR": "10.0.0.254"}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    assert client_address(RequestFactory().get("/", **extra)) == expected
