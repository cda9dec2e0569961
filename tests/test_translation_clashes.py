"""One English message, one Korean word — per context.

Django merges every app's catalogue into one: for a msgid (and msgctxt)
written in two apps, the app first in INSTALLED_APPS wins everywhere. Two
apps translating "Open" differently (a call's 접수 중, a finding's 미결) means
one of them shows the other's word. Where the meanings differ, the usages
take a ``pgettext`` context; where they agree, so must the translations.
"""

from collections import defaultdict
from pathlib import Path

from django.conf import settings

from tests.test_translations import PO_FILES


def _entries(po_path: Path) -> list[dict]:
    """The .po file's entries (msgctxt, msgid, msgstr), multi-line strings
    joined, obsolete ones (#~) left out."""
    entries, current, key = [], {}, None
    for line in po_path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#~"):
            continue
        if line.startswith(
            ("msgctxt ", "msgid ", "msgstr ", "msgid_plural ", "msgstr[")
        ):
            key, _, rest = line.partition(" ")
            current[key] = _unquote(rest.strip())
        elif line.startswith('"') and key:
            current[key] += _unquote(line.strip())
        elif not line.strip() and current:
            entries.append(current)
            current, key = {}, None
    return entries


def _unquote(text: str) -> str:
    return text[1:-1].replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def _app(po_path: Path) -> str:
    return str(po_path.parents[3].relative_to(settings.BASE_DIR))


def clashes() -> dict[tuple, dict[str, list[str]]]:
    """(msgctxt, msgid) → {Korean: [apps]} for every message translated in
    more than one way."""
    found: dict[tuple, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for po_path in PO_FILES:
        for entry in _entries(po_path):
            if not entry.get("msgid"):
                continue
            korean = entry.get("msgstr", entry.get("msgstr[0]", ""))
            if not korean:
                continue  # test_translations reports it
            key = (entry.get("msgctxt"), entry["msgid"])
            found[key][korean].append(_app(po_path))
    return {key: dict(words) for key, words in found.items() if len(words) > 1}


def test_the_catalogues_are_read():
    assert len(PO_FILES) > 5
    assert any(_entries(path) for path in PO_FILES)


def test_a_message_has_one_korean_translation_across_apps():
    listed = [
        f"{context + ' | ' if context else ''}{msgid!r}: "
        + "; ".join(f"{korean} ({', '.join(apps)})" for korean, apps in words.items())
        for (context, msgid), words in sorted(clashes().items(), key=str)
    ]
    assert listed == [], "\n".join(listed)


def test_a_calls_open_and_a_findings_open_are_different_words():
    from django.utils import translation

    from competitions.models.calls import CallState
    from inspections.models import FindingStatus

    with translation.override("ko"):
        assert str(CallState.OPEN.label) == "접수 중"
        assert str(CallState.CLOSED.label) == "마감"
        assert str(FindingStatus.OPEN.label) == "미결"
        assert str(FindingStatus.ANSWERED.label) == "조치 완료"
        assert str(FindingStatus.CLOSED.label) == "종결"
