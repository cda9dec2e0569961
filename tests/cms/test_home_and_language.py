"""The public home page in Korean by default, English on request; the admin in
each user's own language."""

from django.urls import reverse


def test_home_page_is_korean_by_default(client, home_page):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ko">' in body
    assert "상생협력 특화일자리" in body
    assert "로그인" in body


def test_switching_to_english_shows_the_english_page(client, home_page):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/"}, follow=True
    )
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Win-win specialised job projects" in body
    assert "Sign in" in body
    assert "상생협력 특화일자리" not in body


def test_switching_back_to_korean(client, home_page):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("set_language"), {"language": "ko", "next": "/"})
    assert "상생협력 특화일자리" in client.get("/").content.decode()


def test_english_falls_back_to_korean_where_no_english_was_written(client, home_page):
    home_page.intro_en = ""
    home_page.save_revision().publish()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "인천광역시와 10개 구·군" in client.get("/").content.decode()


def test_admin_follows_the_users_language_preference(client, bupyeong_officer):
    from wagtail.users.models import UserProfile

    client.force_login(bupyeong_officer)
    assert "대시보드" in client.get(reverse("wagtailadmin_home")).content.decode()
    profile = UserProfile.get_for_user(bupyeong_officer)
    profile.preferred_language = "en"
    profile.save()
    assert "Dashboard" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_time_zone_and_language_settings(settings):
    assert settings.LANGUAGE_CODE == "ko"
    assert settings.TIME_ZONE == "Asia/Seoul"
    assert settings.USE_TZ is True


def test_an_english_browser_still_gets_korean_until_english_is_chosen(
    client, home_page
):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="ko">' in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ko-KR")
    assert '<html lang="en">' in response.content.decode()
