"""Production: every secret and address comes from the environment.
See docs/deploy.md for the variables; `manage.py check --deploy` is clean with them."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    CELERY_BROKER_URL,
    SANGSAENG_CACHE_URL,
    SECRET_KEY,
    env_bool,
)

if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to at least 50 random characters."
    )
DEBUG = False

# More than one process serves requests (gunicorn's workers, a second node behind
# the load balancer): a value cached by one must be seen, and cleared, by all.
SANGSAENG_SINGLE_NODE = env_bool("SANGSAENG_SINGLE_NODE", False)
if not SANGSAENG_CACHE_URL and not SANGSAENG_SINGLE_NODE:
    raise ImproperlyConfigured(
        "Set SANGSAENG_CACHE_URL to a Redis database shared by every node (e.g. "
        "redis://127.0.0.1:6379/2), or SANGSAENG_SINGLE_NODE=1 for an installation "
        "on one machine only."
    )
if SANGSAENG_CACHE_URL and SANGSAENG_CACHE_URL == CELERY_BROKER_URL:
    raise ImproperlyConfigured(
        "SANGSAENG_CACHE_URL must name another Redis database than "
        "CELERY_BROKER_URL: a restore clears the whole cache database."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_AGE = 8 * 60 * 60
X_FRAME_OPTIONS = "DENY"
