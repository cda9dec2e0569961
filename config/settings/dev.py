"""The one-command demo: SQLite, filesystem broker, console e-mail."""

from .base import *  # noqa: F403
from .base import STORAGES

DEBUG = True
SECRET_KEY = SECRET_KEY or "demo-only-not-secret-sangsaeng-0123456789-abcdefghijklmnop"  # noqa: F405
STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# WhiteNoise serves collected files in production; here runserver and the test
# client use the finders directly.
MIDDLEWARE = [
    m
    for m in MIDDLEWARE  # noqa: F405
    if m != "whitenoise.middleware.WhiteNoiseMiddleware"
]
