import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()


def _ready_to_send_tasks() -> None:
    """Celery binds its tasks and looks up its result backend on the first
    task a process sends: some 60 ms of CPU, paid by whoever presses
    "submit" first in each web process. Done here instead, once per process
    (once for all of them when gunicorn preloads the app); no connection is
    opened before a task is sent."""
    from config.celery import app as celery

    celery.finalize(auto=True)
    celery.backend  # noqa: B018 - the lookup is the point


_ready_to_send_tasks()
