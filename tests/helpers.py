import time


def wait_for(predicate, timeout: float = 60.0, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def reauthenticate(
    client, password: str = "sangsaeng-test-pw", otp_token: str | None = None
):
    """Re-enter the password (and code) as accounts.reauth asks before
    publishing results or reopening a locked month; the signed-in user of
    ``client`` may then take that step for the next few minutes."""
    from django.urls import reverse

    data = {"password": password, "next": reverse("wagtailadmin_home")}
    if otp_token is not None:
        data["otp_token"] = otp_token
    response = client.post(reverse("accounts_reauth"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response
