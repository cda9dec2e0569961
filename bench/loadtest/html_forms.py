"""The forms of an HTML page as a browser would send them (fields with their
values, selects with their chosen or first option, buttons by name), for the
load test's and the scale test's users, who only speak HTTP. No Django and no
Locust here: Locust puts this folder on the path of its locustfile, the scale
test imports it as ``bench.loadtest.html_forms``."""

from html.parser import HTMLParser


class Forms(HTMLParser):
    """Every <form> of a page with the fields a browser would send (inputs,
    checked boxes, textareas, selected options), ignoring <template> contents."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._template_depth = 0
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self._template_depth += 1
        if self._template_depth:
            return
        if tag == "form":
            self._form = {
                "action": attrs.get("action") or "",
                "fields": [],
                "buttons": [],
            }
            self.forms.append(self._form)
            return
        if self._form is None or "name" not in attrs and tag != "option":
            return
        name = attrs.get("name")
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset"}:
                self._form["buttons"].append(name)
            elif kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self._form["fields"].append([name, attrs.get("value") or "on"])
            elif kind != "file":
                self._form["fields"].append([name, attrs.get("value") or ""])
        elif tag == "button":
            self._form["buttons"].append(name)
        elif tag == "textarea":
            self._textarea = [name, ""]
            self._form["fields"].append(self._textarea)
        elif tag == "select":
            self._select = {
                "name": name,
                "first": None,
                "chosen": [],
                "multiple": "multiple" in attrs,
            }
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["chosen"].append(value)

    def handle_endtag(self, tag):
        if tag == "template":
            self._template_depth = max(0, self._template_depth - 1)
        elif self._template_depth:
            return
        elif tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = self._select["chosen"]
            if (
                not chosen
                and not self._select["multiple"]
                and self._select["first"] is not None
            ):
                chosen = [self._select["first"]]
            for value in chosen:
                self._form["fields"].append([self._select["name"], value])
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None and not self._template_depth:
            self._textarea[1] += data


def form_with(html: str, field: str) -> dict | None:
    """The first form of the page that has a field of that name."""
    parser = Forms()
    parser.feed(html)
    for form in parser.forms:
        if any(name == field for name, _value in form["fields"]):
            return form
    return None


def replaced(fields: list, **values) -> list:
    """The form's fields with some values changed (the order kept)."""
    return [[name, values.get(name, value)] for name, value in fields]
