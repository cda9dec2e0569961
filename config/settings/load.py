"""`make loadtest`: the production settings, served by gunicorn on plain HTTP at
127.0.0.1 (no TLS in front of it, so no HTTPS redirect and no Secure-only
cookies); everything else — DEBUG off, WhiteNoise, password hashing, two-factor
sign-in, PostgreSQL, Redis — as in production. See bench/loadtest/."""

from .production import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1"]
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Receipt e-mails are still sent by the worker, into memory.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
