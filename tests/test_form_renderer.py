"""The plain inputs written in Python (common/form_renderer.py) are byte for
byte what Django's templates write, for every kind of value and attribute an
officer's form can hold; anything the copy does not cover is drawn by the
templates."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from common import form_renderer
from common.form_renderer import FormRenderer

TEMPLATES = DjangoTemplates()


class Unprintable:
    """A value whose text cannot be made: stringformat writes nothing."""

    def __str__(self):
        raise TypeError("no text")


WIDGETS = [
    forms.TextInput(),
    forms.HiddenInput(),
    forms.NumberInput(attrs={"min": 0, "step": Decimal("0.5")}),
    forms.DateInput(),
    forms.DateTimeInput(),
    forms.TimeInput(),
    forms.EmailInput(),
    forms.URLInput(),
    forms.PasswordInput(render_value=True),
    forms.PasswordInput(),
    forms.SearchInput(),
    forms.TelInput(),
    forms.ColorInput(),
]
VALUES = [
    None,
    "",
    0,
    1234567,
    -1.5,
    Decimal("1.10"),
    "평범한 값",
    "<script>alert('x')</script> & \"quoted\"",
    mark_safe("<b>safe</b> &amp;"),
    date(2019, 9, 30),
    datetime(2019, 9, 30, 23, 59),
    time(9, 5),
    (1, 2),
    [1, "a"],
    {"a": 1},
    True,
    False,
    gettext_lazy("Save"),
]
ATTRS = [
    {},
    {"required": True, "disabled": False, "readonly": None},
    {"class": 'w-field "x"', "data-controller": "w-count<>", "maxlength": 200},
    {"aria-describedby": mark_safe("a&b"), "placeholder": gettext_lazy("Title")},
    {"data-list": [1, 2], "data-pair": (3, 4), "data-amount": Decimal("0.10")},
    {"data-odd": Unprintable()},
]


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("widget", WIDGETS, ids=lambda w: type(w).__name__)
def test_every_plain_input_is_written_as_the_templates_write_it(widget, language):
    with override(language):
        for value in VALUES:
            for attrs in ATTRS:
                expected = widget.render("field-0-name", value, attrs, TEMPLATES)
                written = widget.render("field-0-name", value, attrs, FormRenderer())
                assert written == expected, (value, attrs)


def test_the_inputs_are_written_without_templates(monkeypatch):
    renderer = FormRenderer()

    def no_template(name):
        raise AssertionError(f"{name} drawn by a template")

    monkeypatch.setattr(renderer, "get_template", no_template)
    renderer.__dict__["_copied_inputs"] = FormRenderer()._copied_inputs
    html = forms.TextInput().render("title", "x", {"required": True}, renderer)
    assert html == '<input type="text" name="title" value="x" required>'


def test_what_the_copy_does_not_cover_is_drawn_by_the_templates():
    renderer = FormRenderer()
    # A callable value or attribute (a widget of its own making): the template
    # calls it; the copy does not guess.
    context = {
        "widget": {
            "type": "text",
            "name": "n",
            "value": lambda: "called",
            "attrs": {"data-x": lambda: "also called"},
        }
    }
    html = renderer.render("django/forms/widgets/text.html", context)
    assert html == TEMPLATES.render("django/forms/widgets/text.html", context)
    assert html == '<input type="text" name="n" value="called" data-x="also called">'
    widget = forms.TextInput()
    # An attribute named "items": the template reads that key, not the
    # method, and fails; so does the copy, as the template.
    for drawing in (TEMPLATES, renderer):
        with pytest.raises(ValueError, match="Need 2 values to unpack"):
            widget.render("n", "v", {"items": "x"}, drawing)
    # Other widgets are the templates' own.
    select = forms.Select(choices=[("a", "<A>"), ("b", "B")])
    assert select.render("s", "a", {}, renderer) == select.render(
        "s", "a", {}, TEMPLATES
    )


def test_templates_other_than_those_copied_draw_every_input(monkeypatch):
    """A Django whose input template changed (or a project's own version):
    nothing is written by the copy."""
    monkeypatch.setitem(
        form_renderer._COPIED, "django/forms/widgets/input.html", "<input {{ x }}>"
    )
    renderer = FormRenderer()
    assert renderer._copied_inputs == frozenset()
    drawn = []
    original = renderer.get_template
    monkeypatch.setattr(
        renderer, "get_template", lambda name: drawn.append(name) or original(name)
    )
    forms.TextInput().render("t", "x", {}, renderer)
    assert drawn == ["django/forms/widgets/text.html"]


def test_the_project_renders_its_forms_with_it():
    assert settings.FORM_RENDERER == "common.form_renderer.FormRenderer"
    assert isinstance(get_default_renderer(), FormRenderer)
    assert "django/forms/widgets/hidden.html" in get_default_renderer()._copied_inputs
