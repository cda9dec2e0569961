"""The admin's sidebar, shortcuts dialog and icons are drawn once and reused
(common/admin_chrome.py): what each person sees must still be theirs, in their
language, with their permissions, from the very next page."""

import json
import re

from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.admin.templatetags import wagtailadmin_tags as wagtail
from wagtail.users.models import UserProfile

from accounts.models import RoleGroup
from accounts.roles import Role

SIDEBAR = re.compile(
    r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', re.S
)


def sidebar(client) -> str:
    """The sidebar's menu as the page hands it to the browser (JSON, decoded)."""
    page = client.get(reverse("wagtailadmin_home"))
    assert page.status_code == 200
    return json.dumps(
        json.loads(SIDEBAR.search(page.content.decode()).group(1)), ensure_ascii=False
    )


def test_a_new_role_shows_in_the_menu_on_the_next_page_and_goes_with_the_role(
    client, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    review = reverse("review_calls")
    assert review not in sidebar(client)

    city = RoleGroup.objects.get(code=Role.CITY_MANAGER).group
    bupyeong_officer.groups.add(city)
    assert review in sidebar(client)

    bupyeong_officer.groups.remove(city)
    assert review not in sidebar(client)


def test_two_people_with_the_same_role_each_see_their_own_name(
    client, bupyeong_officer, seogu_officer
):
    client.force_login(bupyeong_officer)
    first = sidebar(client)
    client.force_login(seogu_officer)
    second = sidebar(client)
    assert '"name": "t-bupyeong"' in first and "t-seogu" not in first
    assert '"name": "t-seogu"' in second and "t-bupyeong" not in second


def test_two_officers_of_one_district_share_the_menu_not_the_name(
    client, orgs, bupyeong_officer, monkeypatch
):
    """The menu is drawn once for everyone who sees the same; the name and
    picture on it are each person's own, never the one it was drawn for."""
    from tests.factories import UserFactory

    colleague = UserFactory(
        username="t-bupyeong-2",
        first_name="둘째 담당자",
        organisation=orgs["BP"],
        role=Role.DISTRICT_OFFICER,
    )
    drawn = []
    render_component = wagtail.admin_menu.render_component
    monkeypatch.setattr(
        wagtail.admin_menu,
        "render_component",
        lambda request: drawn.append(request.user) or render_component(request),
    )
    client.force_login(bupyeong_officer)
    first = sidebar(client)
    client.force_login(colleague)
    second = sidebar(client)
    assert drawn == [bupyeong_officer]
    assert '"name": "t-bupyeong"' in first and "둘째 담당자" not in first
    assert '"name": "둘째 담당자"' in second and '"name": "t-bupyeong"' not in second
    assert (
        json.loads(first)["modules"][1]["_args"][0]
        == (json.loads(second)["modules"][1]["_args"][0])
    )


def test_the_menu_follows_the_persons_language_and_dismissed_hints(
    client, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    korean = sidebar(client)
    assert "제안서" in korean and '"dismissed' not in korean

    profile = UserProfile.get_for_user(bupyeong_officer)
    profile.preferred_language = "en"
    profile.dismissibles = {"help": True}
    profile.save()
    english = sidebar(client)
    assert "Proposals" in english and "제안서" not in english
    assert '"data-w-dismissible-dismissed-value": "true"' in english


def test_the_shortcuts_dialog_names_the_keys_of_the_persons_keyboard(
    client, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    home = reverse("wagtailadmin_home")
    mac = client.get(
        home, HTTP_USER_AGENT="Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)"
    ).content.decode()
    windows = client.get(
        home, HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
    ).content.decode()
    assert "<kbd>⌘ + s</kbd>" in mac and "<kbd>Ctrl + s</kbd>" not in mac
    assert "<kbd>Ctrl + s</kbd>" in windows and "<kbd>⌘ + s</kbd>" not in windows


def test_an_icon_is_wagtails_markup_for_its_own_arguments_escaped(db):
    icon = Template(
        '{% load wagtailadmin_tags %}{% icon name="warning" classname="w-x" title=title %}'
    )
    for title in ("<b>기한 경과</b>", "제출됨 & 확인"):
        ours = icon.render(Context({"title": title}))
        theirs = render_to_string(
            "wagtailadmin/shared/icon.html",
            wagtail.icon(name="warning", classname="w-x", title=title),
        )
        assert ours == theirs
        assert title not in ours  # escaped, as Wagtail escapes it
    assert icon.render(Context({"title": "가"})) != icon.render(
        Context({"title": "나"})
    )


CONFIG = re.compile(
    r'<script id="wagtail-config" type="application/json">(.*?)</script>', re.S
)


def config(client) -> dict:
    page = client.get(reverse("wagtailadmin_home"))
    assert page.status_code == 200
    return json.loads(CONFIG.search(page.content.decode()).group(1))


def test_the_scripts_configuration_is_the_persons_own_in_their_language(
    client, bupyeong_officer
):
    profile = UserProfile.get_for_user(bupyeong_officer)
    profile.preferred_language = "en"
    profile.keyboard_shortcuts = True
    profile.save()
    client.force_login(bupyeong_officer)
    english, again = config(client), config(client)
    profile.preferred_language = "ko"
    profile.keyboard_shortcuts = False
    profile.save()

    korean = config(client)

    # A token of this page's own (Django masks it afresh on every page).
    assert english["CSRF_TOKEN"] and english["CSRF_TOKEN"] != again["CSRF_TOKEN"]
    assert english["STRINGS"] == again["STRINGS"]
    assert english["STRINGS"] != korean["STRINGS"]  # the scripts speak Korean now
    assert english["KEYBOARD_SHORTCUTS_ENABLED"] is True
    assert korean["KEYBOARD_SHORTCUTS_ENABLED"] is False  # the setting, at once
    assert english["LOCALES"] == korean["LOCALES"]
