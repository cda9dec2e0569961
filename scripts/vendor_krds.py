"""Copy the parts of KRDS (범정부 UI/UX 디자인 시스템, npm ``krds-uiux``) the public
site uses into ``assets/krds/``, with a manifest a test checks them against.

Vendored rather than fetched at install time, so ``make run`` and CI work
offline and on a machine with Python only. To update: ``npm pack
krds-uiux@<version>`` somewhere, set VERSION and INTEGRITY below to the new
version and the ``integrity`` npm printed, and run
``python scripts/vendor_krds.py path/to/krds-uiux-<version>.tgz``.
"""

import base64
import hashlib
import json
import re
import sys
import tarfile
from pathlib import Path

VERSION = "1.1.0"
INTEGRITY = "sha512-4cjL3cpnlTaDrkivVceDpWhHxUYgV2AhiRRbO74I8ZKlnM17BcutEjPOlMOz9RQGAmdEubTsSYoyKFhvD1/g+A=="
TARGET = Path(__file__).resolve().parent.parent / "assets" / "krds"
# The tokens (colours, type scale, spacing, zoom levels, high-contrast palette)
# and the common layer (reset, focus ring, icons, drop menus) the site's own
# stylesheet builds on. component.css (540 kB, every component, with icon
# paths that do not resolve in the package) and the web fonts (260 kB a
# weight) are left out: the site styles its few components on the tokens and
# uses the system's Korean font (Noto Sans KR on Debian/CI).
STYLESHEETS = [
    "package/resources/css/token/krds_tokens.css",
    "package/resources/css/common/common.css",
]
LICENCE = (
    "package.json declares the ISC licence; the README says use follows the KRDS "
    "terms of use (https://www.krds.go.kr/html/site/utility/utility_06.html), "
    "which publish KRDS for free use and modification by public and private "
    "services. Kept unchanged, with this manifest naming the source."
)


def _referenced_files(css_path: str, css_text: str) -> list[str]:
    """Files a stylesheet points at (url(...) and @import), as archive paths."""
    base = Path(css_path).parent
    found = re.findall(r"url\(([^)]+)\)|@import\s+\"([^\"]+)\"", css_text)
    paths = []
    for url, imported in found:
        reference = (url or imported).strip("'\" ")
        if reference.startswith("data:"):
            continue
        resolved = (base / reference).as_posix()
        parts: list[str] = []
        for part in resolved.split("/"):
            if part == "..":
                parts.pop()
            elif part != ".":
                parts.append(part)
        paths.append("/".join(parts))
    return paths


def vendor(tarball: Path) -> dict:
    data = tarball.read_bytes()
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if integrity != INTEGRITY:
        sys.exit(f"{tarball}: integrity {integrity} is not the pinned {INTEGRITY}")
    with tarfile.open(tarball) as archive:
        wanted = list(STYLESHEETS)
        for css in STYLESHEETS:
            text = archive.extractfile(css).read().decode()
            wanted += _referenced_files(css, text)
        files = {}
        for member in sorted(set(wanted)):
            content = archive.extractfile(member).read()
            relative = member.removeprefix("package/")
            destination = TARGET / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(content)
            files[relative] = hashlib.sha256(content).hexdigest()
    manifest = {
        "package": "krds-uiux",
        "version": VERSION,
        "tarball": f"https://registry.npmjs.org/krds-uiux/-/krds-uiux-{VERSION}.tgz",
        "integrity": INTEGRITY,
        "licence": LICENCE,
        "files": files,
    }
    (TARGET / "MANIFEST.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    )
    return manifest


if __name__ == "__main__":
    result = vendor(Path(sys.argv[1]))
    print(f"{len(result['files'])} files of krds-uiux {VERSION} in {TARGET}")
