"""The back office carries the product's name and the city's logo, not
Wagtail's, and its help leads to our guide, not Wagtail's English editor guide."""

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


def test_help_does_not_lead_to_wagtails_english_editor_guide(
    client, bupyeong_officer
):
    html = _home(client, bupyeong_officer)
    assert "guide.wagtail.org" not in html
    assert "whats-new" not in html
    try:
        guide = reverse("guide_index")
    except NoReverseMatch:
        return  # the user guide is not installed: help keeps only the shortcuts
    assert f'"url": "{guide}"' in html
