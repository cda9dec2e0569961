"""gunicorn's settings for every web node: ``gunicorn config.wsgi -c
python:config.gunicorn --preload …`` (docs/deploy.md).

The master loads the application once and readies it (config/warm.py, called
from config/wsgi.py); each worker it forks then connects to the broker before
its first request (``warm_worker``), which cannot be done before the fork.
"""


def post_worker_init(worker):
    """In the worker, once the application is loaded (forked ready with
    ``--preload``, or loaded here without it)."""
    from config.warm import warm_worker

    warm_worker()
