"""`make scaletest`: the production settings on two gunicorn nodes and a worker
node, all on 127.0.0.1 over plain HTTP (no TLS in front: no HTTPS redirect, no
Secure-only cookies). Everything that makes a node a node — its folders, the
shared storage, cache and broker — comes from the environment the driver gives
each process (bench/scaletest/cluster.py), exactly as on real nodes."""

from .production import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1"]
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Receipt and reminder e-mails are sent by the worker, into memory.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Static files are not what the scale test is about (each node carries its own
# copy, built with the code): served from the apps' folders as collected, so the
# test need not run collectstatic for each node.
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
