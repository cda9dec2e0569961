"""Repeated wrong passwords pause sign-in for that username from that address."""

from django.urls import reverse

LOGIN = reverse("wagtailadmin_login")


def _try(client, username, password, ip="10.0.0.1"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_fifth_wrong_password_locks_the_account_even_for_the_right_password(
    client, bupyeong_officer
):
    for _ in range(5):
        _try(client, "t-bupyeong", "wrong-password")
    response = _try(client, "t-bupyeong", "sangsaeng-test-pw")
    assert response.status_code == 429
    body = response.content.decode()
    assert "15분 뒤에 다시 시도" in body
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_then_the_right_one_signs_in(client, bupyeong_officer):
    for _ in range(4):
        assert _try(client, "t-bupyeong", "wrong-password").status_code == 200
    response = _try(client, "t-bupyeong", "sangsaeng-test-pw")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bupyeong_officer.pk)


def test_a_lockout_does_not_lock_a_colleague_at_the_same_address(
    client, bupyeong_officer, bupyeong_approver
):
    for _ in range(5):
        _try(client, "t-bupyeong", "wrong-password")
    response = _try(client, "t-bupyeong-approver", "sangsaeng-test-pw")
    assert response.status_code == 302
