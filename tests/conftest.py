import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from accounts.demo import seed_organisations
from accounts.roles import Role
from config.celery import app as celery_app

from .factories import UserFactory

# The browser tests need Chromium, axe-core and a running server: `make e2e`
# runs them (it sets SANGSAENG_E2E), plain `make test` leaves them out.
collect_ignore = [] if os.environ.get("SANGSAENG_E2E") else ["e2e"]


def pytest_sessionfinish(session, exitstatus):
    """Remove this process's folder (database file, broker, uploads) when it ends,
    and the run's folder once its last worker has gone."""
    shutil.rmtree(settings.TEST_VAR_DIR, ignore_errors=True)
    # Fails while another worker of the run still uses its folder.
    with contextlib.suppress(OSError):
        settings.TEST_VAR_DIR.parent.rmdir()


@pytest.fixture(autouse=True)
def _korean_first():
    """Each test starts in Korean, the default: a request in English leaves its
    language active in the process (Django's test client does not reset it),
    and under pytest-xdist the next test on that worker would read English."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a rolled-back SQLite database hands
    out the same ids again, and a cache keyed by ids (the roll-up's planned
    targets) must not carry one test's rows into the next. Emptied after the
    test too: a module's fixture set up before the next test's own start (a
    demo built once for a file) would otherwise read this test's entries."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()
    yield
    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture
def orgs(db):
    """Incheon, its ten districts and counties, and the outside-reviewers body, by code."""
    return seed_organisations()


@pytest.fixture
def city_manager(orgs):
    return UserFactory(
        username="t-city", organisation=orgs["ICN"], role=Role.CITY_MANAGER
    )


@pytest.fixture
def reviewer(orgs):
    return UserFactory(
        username="t-reviewer", organisation=orgs["EXP"], role=Role.REVIEWER
    )


@pytest.fixture
def bupyeong_officer(orgs):
    return UserFactory(
        username="t-bupyeong", organisation=orgs["BP"], role=Role.DISTRICT_OFFICER
    )


@pytest.fixture
def bupyeong_approver(orgs):
    return UserFactory(
        username="t-bupyeong-approver",
        organisation=orgs["BP"],
        role=Role.DISTRICT_APPROVER,
    )


@pytest.fixture
def seogu_officer(orgs):
    return UserFactory(
        username="t-seogu", organisation=orgs["SG"], role=Role.DISTRICT_OFFICER
    )


@pytest.fixture
def home_page(db):
    from django.conf import settings
    from wagtail.models import Locale, Page

    from cms.demo import seed_home_page

    if Page.get_first_root_node() is None:
        # A transactional test before this one flushed the tables, Wagtail's
        # root page and default locale (made by its migrations) with them.
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        Page.add_root(instance=Page(title="Root", slug="root"))
    return seed_home_page()


def _database_url_of_test_db() -> str:
    """The URL of the database this test run really uses (the test database)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or ""
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    auth = f"{user}{password}@" if user else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}{db['HOST'] or 'localhost'}{port}/{db['NAME']}"


def start_celery_worker(*extra_args: str, **extra_env: str) -> subprocess.Popen:
    """A real `celery worker` process (solo pool) on the real broker and this
    run's test database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url_of_test_db(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        **extra_env,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
            *extra_args,
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop_celery_worker(worker: subprocess.Popen) -> str:
    """Stop the worker (warm shutdown, then kill) and return what it printed."""
    if worker.poll() is None:
        worker.terminate()
    try:
        output, _ = worker.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        output, _ = worker.communicate()
    return output or ""


def empty_broker() -> None:
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        shutil.rmtree(settings.CELERY_BROKER_FOLDER, ignore_errors=True)
        for folder in ("queue", "processed"):
            Path(settings.CELERY_BROKER_FOLDER, folder).mkdir(
                parents=True, exist_ok=True
            )
    else:
        celery_app.control.purge()


@pytest.fixture
def celery_worker_process(transactional_db):
    """A real `celery worker` process on the real broker and the test database.

    Tasks sent while this fixture is active go through the broker, not eager mode.
    """
    empty_broker()
    worker = start_celery_worker()
    celery_app.conf.task_always_eager = False
    try:
        yield worker
    finally:
        celery_app.conf.task_always_eager = True
        print(stop_celery_worker(worker))
