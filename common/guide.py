"""The user guide (사용 안내): one short page per role, in Korean and English,
written as Markdown under docs/guide/<language>/<role>.md and shown inside the
admin. Its screenshots (docs/guide/img/<language>/) are taken by the browser
journeys (tests/e2e, with SANGSAENG_GUIDE_SCREENSHOTS=1), so they show the
screens as they are.

Markdown is rendered by markdown-it-py with raw HTML off: whatever a guide
holds is escaped, and links keep markdown-it's refusal of javascript: and
data: addresses. Images and links to other guides are pointed at the admin's
own URLs."""

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt

GUIDE_DIR = Path(settings.BASE_DIR) / "docs" / "guide"
LANGUAGES = ("ko", "en")
IMAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.(png|jpg)$")
_IMAGE_SRC = re.compile(r"^(?:\.\./)?img/(ko|en)/([a-z0-9][a-z0-9-]*\.(?:png|jpg))$")
_GUIDE_LINK = re.compile(r"^(?:\./)?([a-z-]+)\.md(#[\w-]*)?$")


@dataclass(frozen=True)
class Role:
    slug: str
    title: str | Promise
    summary: str | Promise


ROLES = [
    Role(
        "district-officer",
        _("District officer"),
        _("Proposals, monthly reports and change requests of your district."),
    ),
    Role(
        "approver",
        _("District approver"),
        _("Signing off what your district's officers send to the city."),
    ),
    Role(
        "reviewer",
        _("Reviewer"),
        _("Declaring conflicts and scoring the proposals assigned to you."),
    ),
    Role(
        "city-manager",
        _("City manager"),
        _("Calls, review and selection, report approval and outcomes."),
    ),
]
ROLE_SLUGS = {role.slug: role for role in ROLES}


def guide_language() -> str:
    language = (get_language() or "ko").split("-")[0]
    return language if language in LANGUAGES else "ko"


def guide_path(slug: str, language: str) -> Path:
    return GUIDE_DIR / language / f"{slug}.md"


def image_path(language: str, name: str) -> Path | None:
    """A guide screenshot's file, or None for any name that is not one."""
    if language not in LANGUAGES or not IMAGE_NAME.match(name):
        return None
    path = GUIDE_DIR / "img" / language / name
    return path if path.is_file() else None


_markdown = MarkdownIt("commonmark", {"html": False})


def render(text: str) -> str:
    """Markdown → HTML (raw HTML escaped), with guide images and links pointed
    at the admin's guide URLs, headings one level down."""
    tokens = _markdown.parse(text)
    for token in tokens:
        # The admin's header holds the page's h1: a guide's headings go one down.
        if token.type in ("heading_open", "heading_close") and token.tag < "h6":
            token.tag = f"h{int(token.tag[1]) + 1}"
        for child in token.children or []:
            if child.type == "image":
                match = _IMAGE_SRC.match(str(child.attrs.get("src", "")))
                if match:
                    child.attrs["src"] = reverse("guide_image", args=match.groups())
                child.attrs["loading"] = "lazy"
            elif child.type == "link_open":
                match = _GUIDE_LINK.match(str(child.attrs.get("href", "")))
                if match and match.group(1) in ROLE_SLUGS:
                    child.attrs["href"] = reverse(
                        "guide_page", args=[match.group(1)]
                    ) + (match.group(2) or "")
    return _markdown.renderer.render(tokens, _markdown.options, {})


def guide_html(slug: str, language: str | None = None) -> str:
    """A role's guide in the language asked (the active one by default),
    falling back to Korean when that one has not been written."""
    language = language or guide_language()
    path = guide_path(slug, language)
    if not path.is_file():
        path = guide_path(slug, "ko")
    return render(path.read_text(encoding="utf-8"))
