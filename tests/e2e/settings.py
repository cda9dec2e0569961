"""The server the browser tests drive: the test settings, with two-factor sign-in
required as in production (config/settings/test.py turns it off for the rest of
the suite, which signs in with force_login)."""

from config.settings.test import *  # noqa: F403
from config.settings.test import TEST_VAR_DIR

SANGSAENG_TWO_FACTOR_REQUIRED_ROLES = ("city_manager", "reviewer")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"
# Mail is sent by the Celery worker, another process: written to files in this
# run's folder so a journey can read the confirmation a district received.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = TEST_VAR_DIR / "mail"
