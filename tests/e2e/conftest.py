"""The browser tests: the demo served on 127.0.0.1 with a real Celery worker,
driven by Playwright through Debian's Chromium.

`make e2e` runs them (plain `make test` leaves this folder out, see
tests/conftest.py). The server and the worker use this run's test database
(created and migrated by pytest-django, then seeded with `seed_demo`) and the
settings of tests/e2e/settings.py: two-factor sign-in on, as in production.
Screenshots and the processes' logs go to var/e2e-artifacts/, kept by CI.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import _database_url_of_test_db, empty_broker

from .browser import ARTIFACTS_DIR, Journey, launch_browser

SERVER_SETTINGS = "tests.e2e.settings"
# Playwright's sync API keeps an event loop running in this thread; the test
# process's own database reads (codes, figures) are plain synchronous calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
STARTUP_TIMEOUT = 90


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Services:
    """The web server and the Celery worker, each logging to a file."""

    def __init__(self, env: dict):
        self.env = env
        self.processes: list[tuple[subprocess.Popen, object]] = []

    def start(self, name: str, *args: str) -> subprocess.Popen:
        log = open(ARTIFACTS_DIR / f"{name}.log", "w")  # noqa: SIM115 - closed in stop()
        process = subprocess.Popen(
            [sys.executable, *args],
            env=self.env,
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append((process, log))
        return process

    def stop(self) -> None:
        for process, log in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            log.close()


def _wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{url}/healthz/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    log = (ARTIFACTS_DIR / "server.log").read_text(errors="replace")
    pytest.fail(f"The e2e server did not start at {url}:\n{log[-4000:]}")


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    """This run's test database, created and migrated. (pytest-django's own
    fixture creates it only when a test asks for `db`; these tests use it from
    the server's and the worker's processes instead.)"""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        databases = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    yield
    with django_db_blocker.unblock():
        teardown_databases(databases, verbosity=0)


@pytest.fixture(scope="session")
def server_url(django_db_setup, django_db_blocker):
    """The demo on a free port of 127.0.0.1, with a Celery worker; both stop at
    the end of the session whatever happens. The test process keeps database
    access for the whole session: journeys read codes and figures from it."""
    shutil.rmtree(ARTIFACTS_DIR, ignore_errors=True)
    ARTIFACTS_DIR.mkdir(parents=True)
    django_db_blocker.unblock()
    database = Path(connection.settings_dict["NAME"]).name
    assert database.startswith("test"), f"not a test database: {database}"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": SERVER_SETTINGS,
        "DATABASE_URL": _database_url_of_test_db(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PYTHONUNBUFFERED": "1",
    }
    seed = subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "--quiet-accounts"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    (ARTIFACTS_DIR / "seed_demo.log").write_text(seed.stdout + seed.stderr)
    assert seed.returncode == 0, seed.stderr[-4000:]
    empty_broker()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    services = Services(env)
    try:
        services.start(
            "worker",
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        )
        server = services.start(
            "server",
            "manage.py",
            "runserver",
            "--noreload",
            "--insecure",
            f"127.0.0.1:{port}",
        )
        _wait_until_up(url, server)
        yield url
    finally:
        services.stop()
        django_db_blocker.restore()


@pytest.fixture(scope="session")
def browser():
    with launch_browser() as chromium:
        yield chromium


@pytest.fixture
def journey(request, browser, server_url):
    """A journey's browser contexts (one per person) and its numbered
    screenshots in var/e2e-artifacts/<name>/."""
    marker = request.node.get_closest_marker("journey")
    name = marker.args[0] if marker else request.node.name
    screen_set = bool(marker and marker.kwargs.get("screen_set"))
    with Journey(
        name, browser=browser, base_url=server_url, screen_set=screen_set
    ) as running:
        yield running


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "journey(name, screen_set=False): the artifacts folder of a browser "
        "journey; screen_set: each screenshot also in both languages and widths",
    )


def pytest_collection_modifyitems(items):
    # The first test also waits for the database to be migrated and seeded and
    # the server to start (minutes on SQLite), which pytest-timeout counts.
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.timeout(900))


@pytest.fixture(scope="session")
def mail_folder(server_url):
    """Where the server and the worker write the e-mails they send."""
    return settings.TEST_VAR_DIR / "mail"
