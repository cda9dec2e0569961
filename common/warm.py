"""A web process ready before its first request.

Django compiles each template on its first use and keeps it (the cached
loader; forms have an engine and a cache of their own), Celery binds its tasks and finds its result backend on the first task
sent, the URL patterns are resolved into a tree on the first request and each
language's translations are read on first use. Left to the requests, each
gunicorn worker pays for all of it on its first pages — on deadline day, the
first proposal form, submit and home page of every worker cost up to twice a
warm one, and a worker recycled by ``--max-requests`` starts cold again.

``warm_process()`` does it once at start. Called from ``config/wsgi.py``: with
``gunicorn --preload`` it runs once in the master and every worker (a recycled
one too) is forked ready. Nothing is connected here: no database, no broker.
"""

import logging
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
    """Prepare this process; returns how many templates and languages were
    made ready (for the log and the tests)."""
    _celery()
    urls = len(get_resolver().reverse_dict)
    languages = _translations()
    compiled = _templates() + _form_templates()
    logger.info(
        "Process ready: %d templates compiled, %d languages, %d URL names",
        compiled,
        languages,
        urls,
    )
    return {"templates": compiled, "languages": languages}


def _celery() -> None:
    """Celery binds its tasks and looks up its result backend on the first
    task a process sends (some 60 ms of CPU, paid by whoever presses "submit"
    first in each process); no connection is opened before a task is sent."""
    from config.celery import app as celery

    celery.finalize(auto=True)
    celery.backend  # noqa: B018 - the lookup is the point


def _translations() -> int:
    """Each language's catalogues, read now rather than by its first reader."""
    with translation.override(None):
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                translation.gettext("Sign in")
    return len(settings.LANGUAGES)


def _templates() -> int:
    """Every template of every template folder, compiled into the cached
    loader. None when templates are read afresh each time (DEBUG): there is
    nothing to keep."""
    compiled = 0
    for engine in engines.all():
        django_engine = getattr(engine, "engine", None)
        if django_engine is None:
            continue
        for loader in django_engine.template_loaders:
            if not isinstance(loader, CachedLoader):
                continue
            for name, folders in sorted(_template_names(loader).items()):
                compiled += _compile(django_engine, name, folders)
    return compiled


def _form_templates() -> int:
    """The form renderer's templates (widgets, form layouts, errors): Django
    draws forms with an engine of its own, which finds them in every app's
    template folder; the rest of those folders is the admin's, compiled
    above."""
    from django.forms.renderers import get_default_renderer

    backend = getattr(get_default_renderer(), "engine", None)
    engine = getattr(backend, "engine", None)
    if engine is None:
        return 0
    compiled = 0
    for loader in engine.template_loaders:
        if not isinstance(loader, CachedLoader):
            continue
        for name, folders in sorted(_template_names(loader).items()):
            if _drawn_by_forms(name):
                compiled += _compile(engine, name, folders)
    return compiled


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
