"""The Content-Security-Policy is enforced (not report-only): strict on the
public site and on the sign-in steps, and on the rest of the admin only what
Wagtail needs (measured in Chromium, see config/settings/base.py)."""

import re

from django.urls import reverse

from tests.competitions.conftest import call_index, open_call  # noqa: F401


def _policy(response) -> dict[str, list[str]]:
    assert "Content-Security-Policy-Report-Only" not in response
    header = response["Content-Security-Policy"]
    return {
        directive.split()[0]: directive.split()[1:]
        for directive in (part.strip() for part in header.split(";"))
        if directive
    }


def test_the_public_site_runs_only_its_own_scripts_and_a_nonced_inline_one(
    client, home_page
):
    response = client.get(home_page.url)
    policy = _policy(response)
    assert policy["default-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"] + policy["style-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert not any(
        source.startswith(("http", "*"))
        for sources in policy.values()
        for source in sources
    )


def test_the_open_calls_countdown_script_carries_the_nonce_of_its_header(
    client, open_call
):  # noqa: F811
    response = client.get(open_call.url)
    nonce = re.search(r'<script nonce="([^"]+)">', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in _policy(response)["script-src"]
    assert nonce != re.search(
        r'<script nonce="([^"]+)">', client.get(open_call.url).content.decode()
    ).group(1)  # a new one each time


def test_the_sign_in_steps_keep_the_strict_policy(client, bupyeong_officer):
    assert (
        "'unsafe-inline'"
        not in _policy(client.get(reverse("wagtailadmin_login")))["script-src"]
    )
    client.force_login(bupyeong_officer)
    for name in ("accounts_2fa_setup", "accounts_reauth"):
        policy = _policy(client.get(reverse(name)))
        assert "'unsafe-inline'" not in policy["script-src"], name


def test_the_admin_allows_inline_code_but_nothing_from_elsewhere(client, city_manager):
    client.force_login(city_manager)
    policy = _policy(client.get(reverse("wagtailadmin_home")))
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"] and policy["object-src"] == [
        "'none'"
    ]
    assert not any(
        source.startswith(("http", "*"))
        for sources in policy.values()
        for source in sources
    )
