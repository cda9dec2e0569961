"""The demo seed is repeatable, and the production settings pass Django's deploy check."""

import os
import subprocess
import sys

from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from accounts.access import is_city_manager, is_district_officer, is_reviewer
from accounts.demo import seed_accounts
from accounts.models import User


def _counts() -> dict[str, int]:
    """Rows in every table: a second seed must add, and change, nothing."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.label.startswith(("sessions.", "django_celery_results."))
    }


def test_seed_demo_sends_no_mail_and_a_second_run_changes_nothing(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    # One test for both, because seeding the whole demo takes seconds.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", quiet_accounts=True)
    assert mailoutbox == [], "loading past decisions must not e-mail anyone"
    first = _counts()
    password_hash = User.objects.get(username="city").password
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", quiet_accounts=True)
    assert _counts() == first
    assert User.objects.get(username="city").password == password_hash
    assert mailoutbox == []


def test_demo_accounts_have_their_roles_and_password(db):
    seed_accounts()
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
        # Production refuses to start without a shared cache (docs/deploy.md).
        "SANGSAENG_CACHE_URL": "redis://127.0.0.1:6379/2",
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
