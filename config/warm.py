"""A web process ready before its first request.

Django compiles each template on its first use and keeps it (the cached
loader; forms have an engine and a cache of their own), modules are imported
by the function that first needs them, Celery binds its tasks and finds its
result backend on the first task sent, the URL patterns are resolved into a
tree on the first request and each language's translations are read on first
use. Left to the requests, each
gunicorn worker pays for all of it on its first pages — on deadline day, the
first proposal form, submit and home page of every worker cost up to twice a
warm one, and a worker recycled by ``--max-requests`` starts cold again.

``warm_process()`` does it once at start. Called from ``config/wsgi.py``: with
``gunicorn --preload`` it runs once in the master and every worker (a recycled
one too) is forked ready. Nothing is connected there: no database, no broker
(a connection made before the fork would be shared by every worker).
``warm_worker()`` then connects each forked worker to the broker
(config/gunicorn.py).
"""

import logging
import sys
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.template import Engine, TemplateDoesNotExist, TemplateSyntaxError, engines
from django.template.loaders.cached import Loader as CachedLoader
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)

# What the template folders hold that Django renders (Wagtail's icons are SVG
# templates); anything else there (a stray image) is not a template.
TEMPLATE_SUFFIXES = frozenset({".html", ".txt", ".xml", ".svg", ".js", ".json"})


def warm_process() -> dict[str, int]:
    """Prepare this process; returns how many modules, templates and
    languages were made ready (for the log and the tests)."""
    _celery()
    modules = _modules()
    urls = len(get_resolver().reverse_dict)
    languages = _translations()
    compiled = sum(
        _compile_all(engine.engine)
        for engine in engines.all()
        if hasattr(engine, "engine")
    ) + _compile_all(_form_engine(), wanted=_drawn_by_forms)
    logger.info(
        "Process ready: %d modules, %d templates compiled, %d languages, %d URL names",
        modules,
        compiled,
        languages,
        urls,
    )
    return {"templates": compiled, "languages": languages, "modules": modules}


def _celery() -> None:
    """Celery binds its tasks, looks up its result backend and imports its
    message machinery and the broker's transport on the first task a process
    sends (paid by whoever presses "submit" first in each process). Done here;
    no connection is opened (a connection made before gunicorn forks would be
    shared by every worker): the first task sent still connects."""
    from config.celery import app as celery

    celery.finalize(auto=True)
    celery.backend  # noqa: B018 - the lookup is the point
    celery.amqp  # noqa: B018 - builds Celery's messaging, importing it
    connection = celery.connection_for_write()
    try:
        connection.transport  # noqa: B018 - imports the transport; connects nothing
    finally:
        connection.release()


def warm_worker(celery=None) -> bool:
    """Connect this (forked) process to the broker and declare the queues
    it sends to, as its first task would. Called by each gunicorn worker as
    it starts (config/gunicorn.py), after the fork: a connection is never
    shared between processes. Without it the first officer whose "submit"
    a worker serves pays for the connection and the declarations (~6 ms of
    CPU, a tenth of the request). Returns whether the broker was reached; a
    broker that is down (or eager tasks, with no broker) leaves the first
    task to connect, as before, and the worker starts anyway."""
    if celery is None:
        from config.celery import app as celery
    if celery.conf.task_always_eager:
        return False
    try:
        with celery.producer_or_acquire() as producer:
            producer.connection.ensure_connection(max_retries=0)
            for queue in celery.amqp.queues.values():
                producer.maybe_declare(queue)
        celery.amqp.send_task_message  # noqa: B018 - builds the sender once
    except Exception:  # noqa: BLE001 - the broker is down: the worker serves anyway
        logger.warning(
            "The broker was not reached as the worker started; the first task "
            "sent connects",
            exc_info=True,
        )
        return False
    return True


# What an app holds that a web request never imports.
_NOT_SERVED = frozenset({"migrations", "tests", "management", "demo"})


def _modules() -> int:
    """Every module of the project's own apps (some are imported inside the
    function that needs them: a home page's selectors, a workbook's writer),
    and what Python, Django and Celery import on first use (date parsing,
    each language's formats, Celery's events). Not WeasyPrint: the PDF
    modules import it when a PDF is made, in the worker."""
    import importlib
    import pkgutil

    from django.apps import apps
    from django.utils import formats

    imported = 0
    for app in apps.get_app_configs():
        folder = Path(app.path)
        own = folder.is_relative_to(settings.BASE_DIR) and not (
            folder.is_relative_to(sys.prefix)  # a virtualenv inside the project
        )
        if not own or not hasattr(app.module, "__path__"):
            continue
        for module in pkgutil.walk_packages(app.module.__path__, f"{app.name}."):
            if _NOT_SERVED.intersection(module.name.split(".")):
                continue
            try:
                importlib.import_module(module.name)
            except Exception:  # noqa: BLE001 - ready or not, the server starts
                logger.warning("Not imported ahead: %s", module.name, exc_info=True)
                continue
            imported += 1
    for name in ("_strptime", "celery.events.dispatcher", "kombu.mixins"):
        importlib.import_module(name)
    for code, _name in settings.LANGUAGES:
        formats.get_format("DATE_FORMAT", lang=code)
    return imported


def _translations() -> int:
    """Each language's catalogues, read now rather than by its first reader."""
    with translation.override(None):
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                translation.gettext("Sign in")
    return len(settings.LANGUAGES)


def _compile_all(engine: Engine | None, wanted=lambda name: True) -> int:
    """Every (wanted) template of the engine's folders, compiled into its
    cached loader; nothing when its loaders are not cached (a project that
    lists loaders of its own)."""
    compiled = 0
    for loader in engine.template_loaders if engine is not None else ():
        if not isinstance(loader, CachedLoader):
            continue
        for name, folders in sorted(_template_names(loader).items()):
            if wanted(name):
                compiled += _compile(engine, name, folders)
    return compiled


def _form_engine() -> Engine | None:
    """The engine Django draws forms with: its own, which finds widget
    templates in every app's template folder (the rest of those folders is
    the admin's, compiled in the main engine)."""
    from django.forms.renderers import get_default_renderer

    backend = getattr(get_default_renderer(), "engine", None)
    return getattr(backend, "engine", None)


def _drawn_by_forms(name: str) -> bool:
    return name.startswith("django/forms/") or "/widgets/" in name


def _compile(engine: Engine, name: str, folders: int) -> int:
    """Compile ``name`` as a page asks for it; a name found in several folders
    (the project's version of a Wagtail template, which extends Wagtail's) also
    as ``{% extends %}`` asks for the next one down: by name, skipping those
    already found, which the cached loader keeps under a key of its own."""
    skip: list = []
    compiled = 0
    for _depth in range(folders):
        try:
            _template, origin = engine.find_template(name, skip=skip or None)
        except TemplateDoesNotExist:
            break
        except TemplateSyntaxError as error:
            # A library's template for a part not installed here
            # (import-export's and auditlog's pages for Django's own admin,
            # which this project does not use): never rendered.
            logger.debug("Not compiled ahead: %s (%s)", name, error)
            break
        skip.append(origin)
        compiled += 1
    return compiled


def _template_names(loader: CachedLoader) -> Counter:
    """Each template name, with how many folders hold it."""
    names: Counter = Counter()
    for listed in loader.get_dirs():  # type: ignore[attr-defined]  # not in the stubs
        folder = Path(listed)
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            if path.suffix in TEMPLATE_SUFFIXES and path.is_file():
                names[path.relative_to(folder).as_posix()] += 1
    return names
