"""Reading the home page as a person does: its items, their links and words."""

from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

from django.urls import reverse


@dataclass
class HomeItem:
    kind: str
    section: str
    url: str = ""
    words: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.words).split())


class _HomeParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.items: list[HomeItem] = []
        self.lines: dict[str, list[str]] = {}
        self.section = ""
        self.current: HomeItem | None = None
        self.row_depth = 0
        self.in_line = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-home-section" in attrs:
            self.section = attrs["data-home-section"]
            self.lines.setdefault(self.section, [])
        if tag == "tr" and "data-home-item" in attrs:
            self.current = HomeItem(attrs["data-home-item"], self.section)
            self.row_depth = 1
        elif tag == "tr" and self.current is not None:
            self.row_depth += 1
        if tag == "a" and self.current is not None and not self.current.url:
            self.current.url = unescape(attrs.get("href", ""))
        if tag == "p" and "data-home-line" in attrs:
            self.in_line = True
            self.lines[self.section].append("")

    def handle_endtag(self, tag):
        if tag == "tr" and self.current is not None:
            self.row_depth -= 1
            if not self.row_depth:
                self.items.append(self.current)
                self.current = None
        if tag == "p":
            self.in_line = False

    def handle_data(self, data):
        if self.current is not None:
            self.current.words.append(data)
        if self.in_line:
            self.lines[self.section][-1] += data


def home(client) -> tuple[list[HomeItem], dict[str, list[str]], str]:
    """The home page's items, the sentences of each section, and its HTML."""
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    page = response.content.decode()
    parser = _HomeParser()
    parser.feed(page)
    lines = {
        k: [" ".join(v.split()) for v in values] for k, values in parser.lines.items()
    }
    return parser.items, lines, page


def of_kind(items: list[HomeItem], kind: str) -> list[HomeItem]:
    return [item for item in items if item.kind == kind]
