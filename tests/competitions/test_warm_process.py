"""A web process is ready before its first request (config/warm.py): the
first admin page a gunicorn worker serves compiles no template, so the first
officer it serves on deadline day waits no longer than the next."""

import pytest
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.template.base import Template
from django.urls import reverse

from config.warm import warm_process
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
