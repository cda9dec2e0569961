"""A notice in words, in one language: the reader's.

A notice stores its kind and plain params; the words are written here when the
inbox shows it or a mail is sent, with the recipient's language active. A
param that differs by language (a project's title, a month) is stored as
``{"ko": …, "en": …}`` — ``in_languages`` makes one — and the reader's is used.
"""

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.language import preferred_language

from . import kinds

EMPTY = "–"


def in_languages(write: Callable[[], object]) -> dict[str, str]:
    """``write()`` once with each language active: a param for every reader."""
    texts = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            texts[language] = str(write())
    return texts


class _Params(dict):
    """The params of a notice in one language; a missing one reads as "–"
    rather than breaking the mail of a notice written before it existed."""

    def __missing__(self, key):
        return EMPTY


def _pick(value, language: str):
    if isinstance(value, dict) and settings.LANGUAGE_CODE in value:
        return value.get(language, value[settings.LANGUAGE_CODE])
    return value


def params_in(params: dict, language: str) -> dict:
    return _Params({name: _pick(value, language) for name, value in params.items()})


def _language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def due_words(due: datetime | None, *, day: bool) -> str:
    """ "2019년 10월 10일" (a due day) or "2019년 10월 10일 18:00" (a moment),
    in Seoul, in the active language."""
    if due is None:
        return ""
    local = timezone.localtime(due)
    words = formats.date_format(local.date(), "DATE_FORMAT")
    return words if day else f"{words} {local:%H:%M}"


def absolute(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def open_url(notification) -> str:
    """The address that marks the notice read and goes on to its screen."""
    return absolute(reverse("notifications_open", args=[notification.pk]))


def subject_of(notification) -> str:
    """The subject in the active language."""
    kind = kinds.KINDS.get(notification.kind)
    if kind is None:
        return notification.kind
    return str(kind.subject) % params_in(notification.params, _language())


def text_of(notification) -> str:
    """What the notice says (no link, no footer), in the active language: the
    kind's words, then the ``details`` param when the caller gave one (a
    receipt, say)."""
    kind = kinds.KINDS.get(notification.kind)
    if kind is None:
        return ""
    params = params_in(notification.params, _language())
    text = str(kind.body) % params
    details = notification.params.get("details") and params["details"]
    return f"{text}\n\n{details}" if details else text


def details_of(notification) -> list[str]:
    """The deadline and the reason, as lines, in the active language."""
    lines = []
    if notification.due is not None:
        lines.append(
            _("Due by: %(due)s")
            % {"due": due_words(notification.due, day=notification.due_is_day)}
        )
    if notification.reason:
        lines.append(_("Reason: %(reason)s") % {"reason": notification.reason})
    return lines


def mail_of(notification, language: str | None = None) -> tuple[str, str]:
    """(subject, body) of the notice's own e-mail, in ``language`` (the
    recipient's by default): what, by when, why, and the link to act."""
    language = language or preferred_language(notification.recipient)
    with translation.override(language):
        lines = [text_of(notification), ""]
        details = details_of(notification)
        if details:
            lines += details + [""]
        if notification.link:
            lines += [_("Open it here:"), open_url(notification), ""]
        lines.append(footer())
        return subject_of(notification), "\n".join(lines) + "\n"


def digest_of(notifications: list, language: str) -> tuple[str, str]:
    """(subject, body) of one person's daily digest, in ``language``."""
    with translation.override(language):
        subject = _("[Sangsaeng] %(count)s notices since yesterday") % {
            "count": len(notifications)
        }
        lines = []
        for notification in notifications:
            lines.append(f"- {subject_of(notification)}")
            for detail in [text_of(notification), *details_of(notification)]:
                lines.append(f"  {detail}")
            if notification.link:
                lines.append(f"  {open_url(notification)}")
            lines.append("")
        lines.append(footer())
        return subject, "\n".join(lines) + "\n"


def footer() -> str:
    return _(
        "You receive this from Sangsaeng. Choose how you receive each kind of "
        "notice at %(url)s"
    ) % {"url": absolute(reverse("notifications_settings"))}
