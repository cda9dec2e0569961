"""The admin's chrome, drawn once and reused.

Wagtail draws the sidebar (menu, search, account), the keyboard-shortcuts
dialog and every icon afresh on every admin page: about a quarter of the CPU
time of a proposal form, the page every district opens before a deadline. What
they show depends on a few things only, so this library — Wagtail's own
``wagtailadmin_tags`` with those three tags wrapped — keeps each rendering
under a key made of exactly those things:

- the sidebar: the language, permissions, roles, groups, organisation and
  dismissed hints — what the menu depends on — shared by everyone with the
  same, with each person's own name and picture put in on every page (so the
  first page of each of two hundred officers on deadline day does not draw
  the menu two hundred times); kept ``SIDEBAR_SECONDS`` in the shared cache,
  so a change the key cannot see (a group given a page permission) shows in
  the menu within minutes. The menu only shows links; every page still checks
  access itself (``accounts.access``);
- the keyboard-shortcuts dialog: the language, the person's shortcut setting
  and whether their keyboard is a Mac's;
- an icon: its arguments;
- the configuration Wagtail hands the admin's scripts (``wagtail_config``:
  its API and admin URLs, the locales and some two hundred translated
  strings): by language, for ``CONFIG_SECONDS`` in this process, with the
  parts that are the request's own — the CSRF token, the content locale, the
  person's shortcut setting — filled in on every page.

``install()`` (called once, from ``CommonConfig.ready``, before any template
is compiled) puts the kept versions in Wagtail's own tag library, so every
admin template that loads ``wagtailadmin_tags`` gets them; Wagtail's functions
still draw everything.
"""

import hashlib
import json
import re
import time
from collections import OrderedDict
from threading import Lock

from django import template
from django.core.cache import caches
from django.core.exceptions import ObjectDoesNotExist
from django.middleware.csrf import get_token
from django.utils.functional import Promise
from django.utils.html import json_script
from django.utils.translation import get_language
from wagtail.admin.templatetags import wagtailadmin_tags as wagtail
from wagtail.admin.ui.sidebar import MainMenuModule

from accounts import access

SIDEBAR_SECONDS = 300
CONFIG_SECONDS = 300
CACHE_ALIAS = "admin-chrome"


class _Bounded:
    """A small in-process map for renderings that never go stale (they depend
    only on their key); the oldest goes when it is full."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = Lock()

    def get(self, key):
        return self._items.get(key)

    def set(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_icons = _Bounded(2048)
_dialogs = _Bounded(64)
_configs = _Bounded(16)


class _KeptNode(template.Node):
    """Renders Wagtail's node once per key; ``key_of(node, context)`` returns
    None when the rendering must not be kept."""

    def __init__(self, node, key_of, store):
        self.node, self.key_of, self.store = node, key_of, store

    def render(self, context):
        if getattr(self.node, "target_var", None) is not None:
            return self.node.render(
                context
            )  # `{% tag as name %}` writes to the context
        key = self.key_of(self.node, context)
        if key is None:
            return self.node.render(context)
        kept = self.store.get(key)
        if kept is None:
            kept = self.node.render(context)
            self.store.set(key, kept)
        return kept


def _keep(name: str, key_of, store, node_class=_KeptNode) -> None:
    compile_wagtail = wagtail.register.tags[name]
    if getattr(compile_wagtail, "kept", False):
        return

    def compile_kept(parser, token):
        return node_class(compile_wagtail(parser, token), key_of, store)

    compile_kept.kept = True
    wagtail.register.tags[name] = compile_kept


def _profile(user):
    try:
        return user.wagtail_userprofile
    except ObjectDoesNotExist:  # no profile yet: Wagtail treats it as the defaults
        return None


def _sidebar_key(node, context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    profile = _profile(user)
    permissions = (
        ("*",) if user.is_superuser else tuple(sorted(user.get_all_permissions()))
    )
    # Who the person is (name, picture) is not in the key: everyone with the
    # same menu shares one drawing, and _KeptSidebarNode puts the person's own
    # name and picture in it on every page.
    return "sidebar:" + _digest(
        (
            user.is_active,
            user.is_superuser,
            get_language(),
            permissions,
            tuple(sorted(access.roles_of(user))),
            tuple(sorted(user.groups.values_list("pk", flat=True))),
            user.organisation_id,
            profile and sorted((profile.dismissibles or {}).items()),
        )
    )


_SIDEBAR_PROPS = "wagtail-sidebar-props"
_SIDEBAR_SCRIPT = re.compile(
    rf'<script id="{_SIDEBAR_PROPS}" type="application/json">(?P<props>.*)</script>',
    re.S,
)


def _as_person(html: str, user) -> str | None:
    """The sidebar drawn for someone with the same menu, with ``user``'s own
    name and picture, as Wagtail's ``MainMenuModule`` gives them; None when
    the drawing is not the shape expected (Wagtail changed it)."""
    found = _SIDEBAR_SCRIPT.fullmatch(html)
    if found is None:
        return None
    props = json.loads(found["props"])
    menus = [
        module
        for module in props.get("modules", [])
        if isinstance(module, dict)
        and module.get("_type") == "wagtail.sidebar.MainMenuModule"
        and len(module.get("_args", [])) == 3
    ]
    if len(menus) != 1:
        return None
    menus[0]["_args"][2] = MainMenuModule([], [], user).js_args()[2]
    return json_script(props, element_id=_SIDEBAR_PROPS)


class _KeptSidebarNode(_KeptNode):
    """The sidebar of everyone who sees the same menu, drawn once: the
    person's own name and picture are put in on every page (a menu differs
    only by what the key holds: roles, permissions, groups, organisation,
    language)."""

    def render(self, context):
        html = super().render(context)
        request = context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return html
        own = _as_person(html, user)
        return own if own is not None else self.node.render(context)


def _digest(parts: tuple) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


class _SidebarStore:
    def get(self, key):
        return caches[CACHE_ALIAS].get(key)

    def set(self, key, value) -> None:
        caches[CACHE_ALIAS].set(key, value, SIDEBAR_SECONDS)


_MAC = re.compile(r"Mac|iPod|iPhone|iPad")


def _dialog_key(node, context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None:
        return None
    profile = _profile(user) if user.is_authenticated else None
    enabled = bool(getattr(profile, "keyboard_shortcuts", True)) if profile else True
    is_mac = bool(_MAC.search(request.headers.get("User-Agent", "")))
    return (
        get_language(),
        enabled,
        is_mac,
        wagtail.get_comments_enabled(),
        context.autoescape,
    )


def _plain(value):
    """A key part: text as the reader sees it now (a lazy translation in the
    active language), anything else as itself."""
    return str(value) if isinstance(value, (str, Promise)) else repr(value)


def _icon_key(node, context):
    args = tuple(_plain(arg.resolve(context)) for arg in node.args)
    kwargs = tuple(
        sorted(
            (name, _plain(value.resolve(context)))
            for name, value in node.kwargs.items()
        )
    )
    return (args, kwargs, context.autoescape)


# What ``wagtail_config`` holds that is the request's own.
_REQUEST_OWN = ("CSRF_TOKEN", "ACTIVE_CONTENT_LOCALE", "KEYBOARD_SHORTCUTS_ENABLED")
_wagtail_config = wagtail.wagtail_config


def _kept_wagtail_config(context):
    """Wagtail's ``wagtail_config``, its shared part kept by language (a query
    for the locales and the scripts' translated strings on every admin page
    otherwise); the token, content locale and shortcut setting are this
    request's, as Wagtail computes them."""
    language = get_language()
    kept = _configs.get(language)
    if kept is None or kept[0] < time.monotonic():
        config = _wagtail_config(context)
        shared = {
            key: value for key, value in config.items() if key not in _REQUEST_OWN
        }
        _configs.set(language, (time.monotonic() + CONFIG_SECONDS, shared))
        return config
    request = context["request"]
    config = {"CSRF_TOKEN": get_token(request), **kept[1]}
    if locale := context.get("locale"):
        config["ACTIVE_CONTENT_LOCALE"] = locale.language_code
    user = getattr(request, "user", None)
    config["KEYBOARD_SHORTCUTS_ENABLED"] = (
        user.wagtail_userprofile.keyboard_shortcuts
        if hasattr(user, "wagtail_userprofile")
        else True
    )
    return config


_kept_wagtail_config.kept = True


def install() -> None:
    _keep("sidebar_props", _sidebar_key, _SidebarStore(), _KeptSidebarNode)
    _keep("keyboard_shortcuts_dialog", _dialog_key, _dialogs)
    _keep("icon", _icon_key, _icons)
    if not getattr(wagtail.register.tags["wagtail_config"], "kept", False):
        wagtail.register.simple_tag(
            _kept_wagtail_config, takes_context=True, name="wagtail_config"
        )
        wagtail.register.tags["wagtail_config"].kept = True
