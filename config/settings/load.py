"""`make loadtest`: the production settings, served by gunicorn on plain HTTP at
127.0.0.1 (no TLS in front of it, so no HTTPS redirect and no Secure-only
cookies); everything else — DEBUG off, WhiteNoise, password hashing, two-factor
sign-in, PostgreSQL, Redis — as in production. See bench/loadtest/."""

import os
from pathlib import Path

from .production import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1"]
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Receipt e-mails are still sent by the worker, into memory.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# CPU time and queries of each request of the rush, by step (common/cpu_middleware.py);
# bench/loadtest/__main__.py reads the file after the run. First, so it counts
# every other middleware too.
LOAD_REQUEST_LOG = Path(
    os.environ.get("SANGSAENG_LOAD_REQUEST_LOG", VAR_DIR / "requests.jsonl")  # noqa: F405
)
MIDDLEWARE = ["common.cpu_middleware.RequestCostMiddleware", *MIDDLEWARE]  # noqa: F405
