"""The test suite. Uses DATABASE_URL / CELERY_BROKER_URL when set (CI: PostgreSQL
and Redis), SQLite and the filesystem broker otherwise."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES, VAR_DIR

SECRET_KEY = "test-only-not-secret-sangsaeng-0123456789-abcdefghijklmnopqrstu"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Each test run (and the worker processes it starts, which inherit the variable)
# gets its own folder, so parallel runs never share a database file or broker.
# Under pytest-xdist each worker process gets a folder of its own inside the run's.
TEST_RUN_ID = os.environ.setdefault("SANGSAENG_TEST_RUN", str(os.getpid()))
TEST_VAR_DIR = (
    VAR_DIR / "test" / TEST_RUN_ID / os.environ.get("PYTEST_XDIST_WORKER", "main")
)
TEST_VAR_DIR.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = TEST_VAR_DIR / "media"
if SANGSAENG_STORAGE == "filesystem":  # noqa: F405
    # With SANGSAENG_STORAGE=s3 (make scaletest, the S3 restore test) the
    # bucket named by the environment is used as in production.
    STORAGES["private"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(TEST_VAR_DIR / "private"), "base_url": None},
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so a real Celery worker process can share it.
    DATABASES["default"]["TEST"] = {"NAME": str(TEST_VAR_DIR / "test.sqlite3")}
# Most tests run tasks in-process; the round-trip tests switch this off and use
# a real worker process.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "1") == "1"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_FOLDER = TEST_VAR_DIR / "broker"
# A shared broker (Redis in CI) gets a queue per pytest-xdist worker: a real
# worker started by one test process never takes a task another one sent.
if os.environ.get("PYTEST_XDIST_WORKER"):
    CELERY_TASK_DEFAULT_QUEUE = f"celery-{os.environ['PYTEST_XDIST_WORKER']}"
if CELERY_BROKER_URL.startswith("filesystem://"):  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
WAGTAILADMIN_BASE_URL = "http://testserver"
# The suite signs in with client.force_login; the two-factor tests, the
# permission matrix and the browser tests switch this on themselves.
SANGSAENG_TWO_FACTOR_REQUIRED_ROLES = ()

# WhiteNoise serves collected files in production; here runserver and the test
# client use the finders directly.
MIDDLEWARE = [
    m
    for m in MIDDLEWARE  # noqa: F405
    if m != "whitenoise.middleware.WhiteNoiseMiddleware"
]
