"""The demo seed is repeatable, and the production settings pass Django's deploy check."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from wagtail.models import Page

from accounts.access import is_city_manager, is_district_officer, is_reviewer
from accounts.models import Organisation, User


def _counts():
    return (Organisation.objects.count(), User.objects.count(), Page.objects.count())


def test_seed_demo_twice_changes_nothing_and_duplicates_nothing(db):
    call_command("seed_demo", quiet_accounts=True)
    first = _counts()
    password_hash = User.objects.get(username="city").password
    call_command("seed_demo", quiet_accounts=True)
    assert _counts() == first
    assert User.objects.get(username="city").password == password_hash


def test_demo_accounts_have_their_roles_and_password(db):
    call_command("seed_demo", quiet_accounts=True)
    city = User.objects.get(username="city")
    assert is_city_manager(city) and city.check_password("sangsaeng-demo")
    assert is_reviewer(User.objects.get(username="reviewer2"))
    bupyeong = User.objects.get(username="bupyeong")
    assert is_district_officer(bupyeong) and bupyeong.organisation.code == "BP"
    assert User.objects.get(username="seogu").organisation.name_en == "Seo-gu"


def test_check_deploy_with_production_settings_prints_no_warning():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "k" * 20 + "-Zx9!q2@w3#e4$r5%t6^y7&u8*i9(o0)p",
        "DJANGO_ALLOWED_HOSTS": "jobs.example.go.kr",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr


def test_seeding_the_demo_sends_no_mail_about_past_decisions(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", quiet_accounts=True)
    assert mailoutbox == []
