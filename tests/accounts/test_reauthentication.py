"""Publishing results, reopening a locked month and publishing grades ask for
the password again (and the code, for people with an authenticator) unless it
was entered in the last five minutes; without it nothing happens."""

import time
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.reauth import SESSION_KEY
from competitions.models import ResultsPublication
from reporting.evaluation.models import EvaluationScheme
from reporting.models import ReportStatus
from tests.competitions.conftest import call_index, make_call  # noqa: F401
from tests.helpers import reauthenticate
from tests.projects.fixtures import bupyeong_project  # noqa: F401
from tests.reporting.helpers import accept_month

JAN = date(2019, 1, 1)
REAUTH = reverse("accounts_reauth")


@pytest.fixture
def locked_month(bupyeong_project, bupyeong_officer, city_manager):  # noqa: F811
    return accept_month(bupyeong_project, bupyeong_officer, city_manager, JAN)


def _reopen(client, report):
    return client.post(
        reverse("reporting_report_action", args=[report.pk, "reopen"]),
        {"note": "집계 오류"},
    )


def test_reopening_without_re_entering_the_password_is_refused_and_changes_nothing(
    client, city_manager, locked_month
):
    client.force_login(city_manager)
    response = _reopen(client, locked_month)
    report_page = reverse("reporting_report", args=[locked_month.pk])
    assert response.status_code == 302
    assert response["Location"] == f"{REAUTH}?next={report_page.replace('/', '%2F')}"
    locked_month.refresh_from_db()
    assert locked_month.status == ReportStatus.ACCEPTED and locked_month.is_locked
    assert not locked_month.reopenings.exists()


def test_after_re_entering_the_password_the_person_returns_and_reopens(
    client, city_manager, locked_month
):
    client.force_login(city_manager)
    back = _reopen(client, locked_month)["Location"]
    page = client.get(back).content.decode()
    assert 'name="password"' in page and 'autocomplete="current-password"' in page
    assert 'name="otp_token"' not in page  # no authenticator, no code asked

    report_page = reverse("reporting_report", args=[locked_month.pk])
    response = client.post(back, {"password": "sangsaeng-test-pw", "next": report_page})
    assert response["Location"] == report_page
    _reopen(client, locked_month)
    locked_month.refresh_from_db()
    assert not locked_month.is_locked
    assert locked_month.reopenings.get().reason == "집계 오류"


def test_a_wrong_password_is_refused_with_a_message(client, city_manager, locked_month):
    client.force_login(city_manager)
    response = client.post(REAUTH, {"password": "not-my-password"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page and "비밀번호가 맞지 않습니다" in page
    _reopen(client, locked_month)
    locked_month.refresh_from_db()
    assert locked_month.is_locked


def test_the_confirmation_expires_after_five_minutes(
    client, city_manager, locked_month, settings
):
    client.force_login(city_manager)
    reauthenticate(client)
    session = client.session
    session[SESSION_KEY] = time.time() - settings.SANGSAENG_REAUTH_MAX_AGE - 1
    session.save()
    assert _reopen(client, locked_month)["Location"].startswith(REAUTH)
    locked_month.refresh_from_db()
    assert locked_month.is_locked


def test_someone_with_an_authenticator_also_enters_a_code(
    client, city_manager, locked_month, settings
):
    settings.SANGSAENG_TWO_FACTOR_REQUIRED_ROLES = ("city_manager", "reviewer")
    device = TOTPDevice.objects.create(
        user=city_manager, name="authenticator", confirmed=True
    )
    client.force_login(city_manager)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    response = client.post(REAUTH, {"password": "sangsaeng-test-pw"})
    assert response.status_code == 200
    assert "인증 앱에 표시된 코드를 입력하세요" in response.content.decode()
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    reauthenticate(client, otp_token=code)
    _reopen(client, locked_month)
    locked_month.refresh_from_db()
    assert not locked_month.is_locked


def test_the_way_back_never_leaves_the_site(client, city_manager):
    client.force_login(city_manager)
    response = client.post(
        REAUTH, {"password": "sangsaeng-test-pw", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("wagtailadmin_home")


def test_publishing_results_needs_the_password_again(
    client, city_manager, call_index, orgs
):  # noqa: F811
    call = make_call(call_index, slug="reauth")
    client.force_login(city_manager)
    response = client.post(
        reverse("review_ranking", args=[call.pk]), {"action": "publish"}
    )
    assert response["Location"].startswith(REAUTH)
    assert not ResultsPublication.objects.filter(call=call).exists()


def test_publishing_grades_needs_the_password_again(
    client, city_manager, call_index, orgs
):  # noqa: F811
    scheme = EvaluationScheme.objects.create(
        call=make_call(call_index, slug="grades"),
        year=2019,
        evaluated_at=timezone.now(),
    )
    client.force_login(city_manager)
    url = reverse("evaluation_action", args=[scheme.pk, "publish"])
    assert client.post(url)["Location"].startswith(REAUTH)
    scheme.refresh_from_db()
    assert scheme.published_at is None
    reauthenticate(client)
    client.post(url)
    scheme.refresh_from_db()
    assert scheme.published_at is not None
