"""The back office carries the product's name and the city's logo, not
Wagtail's, and its dashboard leads to our guide, not Wagtail's English editor
guide (the help menu's own entry is the guide's: common/wagtail_hooks.py)."""

import contextlib
import re

from django.urls import NoReverseMatch, reverse
from wagtail.users.models import UserProfile


def _home(client, user, language="ko") -> str:
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_tab_sidebar_and_dashboard_name_the_product_in_the_readers_language(
    client, bupyeong_officer
):
    html = _home(client, bupyeong_officer)
    assert re.search(r"<title>[^<]* - 상생</title>", html)
    assert "sangsaeng-emblem.svg" in html
    assert 'alt="상생"' in html  # the sidebar's logo, named for screen readers
    assert "Wagtail" not in re.search(r"<title>.*?</title>", html, re.S).group(0)

    html = _home(client, bupyeong_officer, "en")
    assert re.search(r"<title>[^<]* - Sangsaeng</title>", html)
    assert 'alt="Sangsaeng"' in html


def test_a_city_puts_its_own_logo_in_the_slot(client, bupyeong_officer, settings):
    settings.SANGSAENG_BRAND_LOGO = "/media/branding/incheon.png"
    html = _home(client, bupyeong_officer)
    assert 'src="/media/branding/incheon.png"' in html
    assert "sangsaeng-emblem.svg" not in html


def test_the_dashboard_does_not_send_people_to_wagtails_english_guides(
    client, bupyeong_officer
):
    html = _home(client, bupyeong_officer)
    # The account summary beside the dashboard's heading: our guide, if any.
    summary = re.search(r'<h2 class="w-label-1.*?</ul>', html, re.S).group(0)
    assert "guide.wagtail.org" not in summary
    with contextlib.suppress(NoReverseMatch):  # unless the guide is not installed
        assert reverse("guide_index") in summary
    # Nor the "what's new in Wagtail" banner with its English release notes.
    assert "whats_new_in_wagtail_version" not in html
