import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

# Templates compiled, Celery bound, URLs and translations read: once, in the
# master when gunicorn preloads, so no worker's first requests pay for them
# (config/warm.py).
import gc  # noqa: E402

from config.warm import warm_process  # noqa: E402 - needs the app loaded

warm_process()
# What is loaded by now lives as long as the process: out of the garbage
# collector's sight, so no request pays for walking it again, and forked
# workers keep sharing its memory pages.
gc.freeze()
