"""A web process is ready before its first request (config/warm.py): the
first admin page a gunicorn worker serves compiles no template, so the first
officer it serves on deadline day waits no longer than the next."""

import pytest
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.template.base import Template
from django.urls import reverse

from config.warm import warm_process, warm_worker
from tests.competitions.conftest import make_draft


@pytest.fixture
def compiled(monkeypatch):
    """Names of the template files compiled from now on (a string made into a
    template in code is not one: it has no file to keep)."""
    names: list[str] = []
    compile_nodelist = Template.compile_nodelist

    def counting(self):
        if self.origin.template_name is not None:
            names.append(self.origin.template_name)
        return compile_nodelist(self)

    monkeypatch.setattr(Template, "compile_nodelist", counting)
    return names


@pytest.fixture
def fresh_process():
    """The template caches of a process that has served nothing yet: the
    admin's and the one Django draws forms with."""
    loaders = [
        engines["django"].engine.template_loaders[0],
        get_default_renderer().engine.engine.template_loaders[0],
    ]
    for loader in loaders:
        loader.reset()
    yield
    for loader in loaders:
        loader.reset()


def _first_pages(client, officer, proposal):
    client.force_login(officer)
    for path in (
        reverse("wagtailadmin_home"),
        reverse("proposals:index"),
        reverse("monthly_reports:index"),
        reverse("proposals:edit", args=[proposal.pk]),
    ):
        response = client.get(path)
        assert response.status_code == 200, path


@pytest.fixture
def draft(open_call, bupyeong_officer):
    return make_draft(open_call, bupyeong_officer)


def test_a_process_that_starts_cold_compiles_templates_on_its_first_pages(
    client, bupyeong_officer, draft, fresh_process, compiled
):
    # What warming saves: without it the first pages compile Wagtail's admin
    # and the form's widgets.
    _first_pages(client, bupyeong_officer, draft)
    assert "wagtailadmin/base.html" in compiled
    assert "django/forms/widgets/select.html" in compiled
    assert len(compiled) > 20


def test_a_warmed_process_compiles_no_template_on_its_first_pages(
    client, bupyeong_officer, draft, fresh_process, compiled
):
    ready = warm_process()
    compiled.clear()
    _first_pages(client, bupyeong_officer, draft)
    assert compiled == []
    # Every admin, site and e-mail template of the project is among those
    # kept, and every module of the project's apps is imported.
    assert ready["templates"] > 500
    assert ready["modules"] > 200


@pytest.fixture
def broker_app(monkeypatch):
    """A Celery app of its own sending for real (not eagerly), on an in-memory
    broker of its own: kombu keeps one pool of connections per broker address
    for the whole process. The environment's broker address would override
    the one given."""
    import uuid

    from celery import Celery

    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)

    def make(broker: str = "") -> Celery:
        broker = broker or f"memory:///{uuid.uuid4().hex}"
        app = Celery("warm-test", broker=broker, set_as_current=False)
        app.conf.task_always_eager = False
        return app

    return make


@pytest.fixture
def broker_work(monkeypatch):
    """Connections opened and queues declared from now on."""
    from kombu import Connection, Queue

    done: list[str] = []
    connect, declare = Connection._establish_connection, Queue.declare

    def connecting(self):
        done.append("connect")
        return connect(self)

    def declaring(self, *args, **kwargs):
        done.append(f"declare {self.name}")
        return declare(self, *args, **kwargs)

    monkeypatch.setattr(Connection, "_establish_connection", connecting)
    monkeypatch.setattr(Queue, "declare", declaring)
    return done


def test_a_warmed_worker_sends_its_first_task_over_a_connection_it_already_has(
    broker_app, broker_work
):
    # The first officer a gunicorn worker serves a "submit" to does not wait
    # for the worker to connect to the broker and declare its queue.
    app = broker_app()
    assert warm_worker(app) is True
    assert "connect" in broker_work
    assert "declare celery" in broker_work
    broker_work.clear()
    app.send_task("proposals.anything")
    assert broker_work == []


def test_a_cold_worker_connects_on_its_first_task(broker_app, broker_work):
    # What warming saves (and what the test above would see without it).
    app = broker_app()
    app.send_task("proposals.anything")
    assert "connect" in broker_work
    assert "declare celery" in broker_work


def test_a_worker_starts_even_when_the_broker_is_down(broker_app, caplog):
    # Nothing listens on port 1: the worker logs it and serves; its first
    # task will try again, as it did before warming existed.
    app = broker_app("redis://127.0.0.1:1/0")
    assert warm_worker(app) is False
    assert "broker was not reached" in caplog.text


def test_eager_tasks_need_no_broker_connection(broker_app, broker_work):
    app = broker_app()
    app.conf.task_always_eager = True
    assert warm_worker(app) is False
    assert broker_work == []


@pytest.fixture
def silent_broker():
    """An address whose host never answers a connection (as a network fault
    looks, unlike a refusal): a listening socket whose one-place queue is
    taken, so the system drops every further attempt unanswered."""
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    waiting = socket.create_connection(("127.0.0.1", port))
    yield f"redis://127.0.0.1:{port}/0"
    waiting.close()
    server.close()


def test_a_worker_starts_within_seconds_when_the_broker_host_does_not_answer(
    broker_app, silent_broker, settings, caplog
):
    # Without a bound, connecting waits for the system's two minutes and
    # gunicorn would kill the worker (and a request sending a task) first.
    import time

    app = broker_app(silent_broker)
    app.conf.broker_transport_options = settings.REDIS_BROKER_TRANSPORT_OPTIONS
    started = time.monotonic()
    assert warm_worker(app) is False
    assert time.monotonic() - started < 15
    assert "broker was not reached" in caplog.text
