"""Korean is the default and English complete: every message has its Korean
translation, and the compiled catalogues match the sources."""

import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

PO_FILES = sorted(
    path
    for path in Path(settings.BASE_DIR).glob("**/locale/ko/LC_MESSAGES/django.po")
    if ".venv" not in path.parts
)


def _entries(po_path: Path):
    """(msgid, msgstr) pairs of a .po file, multi-line strings joined."""
    entries, current, key = [], {}, None
    for line in po_path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith(("msgid ", "msgstr ", "msgid_plural ", "msgstr[")):
            key, _, rest = line.partition(" ")
            current[key] = rest.strip()[1:-1]
        elif line.startswith('"') and key:
            current[key] += line.strip()[1:-1]
        elif not line.strip() and current:
            entries.append(current)
            current, key = {}, None
    return [
        (e.get("msgid", ""), e.get("msgstr", e.get("msgstr[0]", ""))) for e in entries
    ]


def test_there_are_korean_catalogues():
    assert PO_FILES


@pytest.mark.parametrize(
    "po_path", PO_FILES, ids=lambda p: str(p.relative_to(settings.BASE_DIR))
)
def test_every_message_has_a_korean_translation(po_path):
    untranslated = [
        msgid for msgid, msgstr in _entries(po_path) if msgid and not msgstr
    ]
    assert untranslated == []


@pytest.mark.parametrize(
    "po_path", PO_FILES, ids=lambda p: str(p.relative_to(settings.BASE_DIR))
)
def test_compiled_catalogue_is_not_older_than_its_source(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run make messages"
    if subprocess.run(["which", "msgfmt"], capture_output=True).returncode == 0:
        fresh = subprocess.run(
            ["msgfmt", "-o", "-", str(po_path)], capture_output=True, check=True
        ).stdout
        assert fresh == mo_path.read_bytes(), f"{mo_path} is stale: run make messages"


def test_own_strings_are_korean_by_default_and_english_on_request():
    from django.utils.translation import gettext

    with translation.override("ko"):
        assert gettext("Skip to content") == "본문 바로가기"
        assert gettext("District officer") == "구·군 담당자"
    with translation.override("en"):
        assert gettext("District officer") == "District officer"
