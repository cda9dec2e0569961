"""The user guide inside the admin (issue 21): one page per role, in the
reader's language, rendered from docs/guide/ with its raw HTML escaped, its
screenshots served from docs/guide/img/; the Help menu leads to it instead of
Wagtail's English editor guide."""

import json
import re

import pytest
from django.urls import reverse

from common import guide

pytestmark = pytest.mark.django_db


def _prefer_english(user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()


def test_every_role_has_a_guide_in_korean_and_in_english():
    for role in guide.ROLES:
        for language in guide.LANGUAGES:
            assert guide.guide_path(role.slug, language).is_file(), (
                role.slug,
                language,
            )


def test_every_screenshot_a_guide_shows_exists_in_its_language():
    for role in guide.ROLES:
        for language in guide.LANGUAGES:
            text = guide.guide_path(role.slug, language).read_text(encoding="utf-8")
            for source in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text):
                assert source.startswith(f"../img/{language}/"), source
                name = source.rsplit("/", 1)[-1]
                assert guide.image_path(language, name), source


def test_the_index_lists_every_guide_in_korean(client, bupyeong_officer):
    client.force_login(bupyeong_officer)
    page = client.get(reverse("guide_index")).content.decode()
    assert "사용 안내" in page
    for role in guide.ROLES:
        assert reverse("guide_page", args=[role.slug]) in page
    assert "(내 역할)" in page  # the officer's own guide is marked


def test_a_guide_is_shown_in_the_readers_language(client, reviewer):
    url = reverse("guide_page", args=["reviewer"])
    client.force_login(reviewer)
    korean = client.get(url).content.decode()
    assert "심사위원 안내" in korean and "Guide for reviewers" not in korean
    _prefer_english(reviewer)
    english = client.get(url).content.decode()
    assert "Guide for reviewers" in english and "심사위원 안내" not in english
    # Its screenshots come from the guide's own image URL, in English.
    assert reverse("guide_image", args=["en", "reviewer-assignments.png"]) in english
    # A guide's own title is an h2: the admin's header holds the page's h1.
    assert "<h2>Guide for reviewers</h2>" in english


def test_links_between_guides_stay_inside_the_admin(client, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("guide_page", args=["reviewer"])).content.decode()
    assert f'href="{reverse("guide_page", args=["city-manager"])}"' in page
    assert "city-manager.md" not in page


def test_markdown_cannot_carry_html_or_script_links():
    html = guide.render(
        "# Title\n\n<script>alert(1)</script>\n\n"
        '<img src=x onerror="alert(1)">\n\n'
        "[click](javascript:alert(1)) [ok](https://example.org)\n"
    )
    assert "<script" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
    assert '<a href="https://example.org">ok</a>' in html


def test_an_unknown_role_or_image_is_not_found(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("guide_page", args=["hacker"])).status_code == 404
    for language, name in (
        ("ko", "missing.png"),
        ("de", "city-ranking.png"),
        ("ko", "..%2Fko%2Fcity.md"),
    ):
        response = client.get(reverse("guide_image", args=[language, name]))
        assert response.status_code == 404, (language, name)


def test_a_screenshot_is_served_to_a_signed_in_user_only(client, reviewer):
    url = reverse("guide_image", args=["ko", "reviewer-assignments.png"])
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(reviewer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_the_help_menu_leads_to_the_guide_not_to_wagtails_editor_guide(
    client, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    # The sidebar's menu travels as JSON in a script element.
    sidebar = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        page,
        re.S,
    )
    assert sidebar, "no sidebar on the dashboard"
    menu = json.dumps(json.loads(sidebar.group(1)), ensure_ascii=False)
    assert reverse("guide_index") in menu and "사용 안내" in menu
    assert "guide.wagtail.org" not in menu
