"""Django's form renderer, with the plain ``<input>`` drawn without a template.

A proposal form has some fifty inputs (each inline row's id, order and delete
markers, every text, number and date field): Django draws each through three
templates (the widget's, ``input.html`` and ``attrs.html``), about a tenth of
the page's CPU time. Those templates are one line each and never change
between releases of the same Django, so ``FormRenderer`` writes the same HTML
with Python's string operations — escaping and formatting exactly as the
templates do (``tests/test_form_renderer.py`` compares the two byte for byte
over every kind of value and attribute).

It checks, once, that the templates are the ones it copies; with any other
(a new Django that changed them, or a project's own version) and for any value
it does not copy exactly (something callable), it lets the templates draw.
Every other widget (selects, checkboxes, Wagtail's own) is drawn as before.
"""

from functools import cached_property

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

_INPUT = "django/forms/widgets/input.html"
_ATTRS = "django/forms/widgets/attrs.html"
# The templates as Django 5.2 ships them: what the Python below writes.
_COPIED = {
    _INPUT: (
        '<input type="{{ widget.type }}" name="{{ widget.name }}"'
        "{% if widget.value != None %} value=\"{{ widget.value|stringformat:'s' }}\""
        '{% endif %}{% include "django/forms/widgets/attrs.html" %}>'
    ),
    _ATTRS: (
        "{% for name, value in widget.attrs.items %}{% if value is not False %} "
        "{{ name }}{% if value is not True %}=\"{{ value|stringformat:'s' }}\""
        "{% endif %}{% endif %}{% endfor %}"
    ),
}
# Widgets whose template is the input and nothing else.
_PLAIN_INPUTS = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in (
        "input",
        "text",
        "hidden",
        "number",
        "date",
        "datetime",
        "time",
        "email",
        "url",
        "password",
        "search",
        "tel",
        "color",
    )
)
_INCLUDES_INPUT = '{% include "django/forms/widgets/input.html" %}'


class FormRenderer(DjangoTemplates):
    """``settings.FORM_RENDERER``: Django's own, with plain inputs written in
    Python when the templates are the ones copied."""

    def render(self, template_name, context, request=None):
        if template_name in self._copied_inputs:
            html = _input_html(context.get("widget"))
            if html is not None:
                return html
        return super().render(template_name, context, request=request)

    @cached_property
    def _copied_inputs(self) -> frozenset[str]:
        """The plain-input templates this renderer finds as copied here."""
        for name, source in _COPIED.items():
            if _source(self, name) != source:
                return frozenset()
        return frozenset(
            name
            for name in _PLAIN_INPUTS
            if name == _INPUT or _source(self, name) == _INCLUDES_INPUT
        )


def _source(renderer, name: str) -> str | None:
    try:
        template = renderer.get_template(name)
    except Exception:  # noqa: BLE001 - not there: the templates draw it
        return None
    return template.template.source.strip()


def _formatted(value) -> SafeString | None:
    """``{{ value|stringformat:'s' }}`` with autoescape: None when the template
    would do something this does not (call it)."""
    if callable(value):
        return None
    if isinstance(value, str):
        text = value  # "%s" of text is the text; a safe one stays safe
    else:
        try:
            text = "%s" % (value,)  # noqa: UP031 - as stringformat does
        except (ValueError, TypeError):  # as stringformat: nothing
            text = ""
    return conditional_escape(text)


def _shown(text: str) -> SafeString:
    """``{{ text }}`` with autoescape (a name or a type: text, which the
    template neither localises nor converts)."""
    return conditional_escape(text)


def _input_html(widget) -> SafeString | None:
    if not isinstance(widget, dict):
        return None
    kind, name, value = widget.get("type"), widget.get("name"), widget.get("value")
    attrs = widget.get("attrs") or {}
    if (
        not isinstance(kind, str)
        or not isinstance(name, str)
        or not isinstance(attrs, dict)
        or "items" in attrs  # the template's `attrs.items` would read that key
    ):
        return None
    parts = [f'<input type="{_shown(kind)}" name="{_shown(name)}"']
    if value != None:  # noqa: E711 - the template's comparison, exactly
        formatted = _formatted(value)
        if formatted is None:
            return None
        parts.append(f' value="{formatted}"')
    for attr, attr_value in attrs.items():
        if not isinstance(attr, str) or callable(attr_value):
            return None
        if attr_value is False:
            continue
        parts.append(f" {_shown(attr)}")
        if attr_value is not True:
            formatted = _formatted(attr_value)
            if formatted is None:
                return None
            parts.append(f'="{formatted}"')
    parts.append(">")
    return mark_safe("".join(parts))
