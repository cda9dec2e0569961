"""The KRDS files served as our static files are exactly the ones of the
pinned krds-uiux tarball (scripts/vendor_krds.py wrote them and the manifest),
and every KRDS file the site's pages load is among them."""

import hashlib
import json
import re
from pathlib import Path

from django.conf import settings

KRDS = Path(settings.BASE_DIR) / "assets" / "krds"
MANIFEST = json.loads((KRDS / "MANIFEST.json").read_text())


def test_manifest_names_the_pinned_package_and_its_licence():
    from scripts import vendor_krds

    assert MANIFEST["package"] == "krds-uiux"
    assert MANIFEST["version"] == vendor_krds.VERSION == "1.1.0"
    assert MANIFEST["integrity"] == vendor_krds.INTEGRITY
    assert MANIFEST["integrity"].startswith("sha512-4cjL3cpnlTaDrkivVceDpWhHxUYgV2Ah")
    assert "ISC" in MANIFEST["licence"]


def test_every_vendored_file_matches_its_checksum():
    mismatched = [
        name
        for name, sha256 in MANIFEST["files"].items()
        if hashlib.sha256((KRDS / name).read_bytes()).hexdigest() != sha256
    ]
    assert mismatched == []


def test_nothing_is_vendored_outside_the_manifest():
    on_disk = {
        path.relative_to(KRDS).as_posix()
        for path in KRDS.rglob("*")
        if path.is_file() and path.name != "MANIFEST.json"
    }
    assert on_disk == set(MANIFEST["files"])


def test_every_file_the_stylesheets_point_at_is_vendored():
    missing = []
    for name in MANIFEST["files"]:
        if not name.endswith(".css"):
            continue
        text = (KRDS / name).read_text()
        for reference in re.findall(r"url\(([^)]+)\)|@import\s+\"([^\"]+)\"", text):
            target = (KRDS / name).parent / (reference[0] or reference[1]).strip("'\"")
            if not target.resolve().is_file():
                missing.append(f"{name} -> {target}")
    assert missing == []


def test_the_public_base_loads_krds_from_our_own_static_files():
    base = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text()
    loaded = re.findall(r"static '(krds/[^']+)'", base)
    assert loaded
    assert all(path.removeprefix("krds/") in MANIFEST["files"] for path in loaded)
    assert "://" not in "".join(re.findall(r'(?:href|src)="([^"{]+)"', base))
