"""Rebuild the LibreOffice fixtures in ``fixtures/`` after the template changes.

Not collected by the suite (the name does not start with ``test_``); run it
explicitly where LibreOffice is installed
(``apt-get install -y --no-install-recommends libreoffice-calc-nogui``):

    SANGSAENG_MAKE_FIXTURES=1 .venv/bin/pytest tests/spreadsheets/make_libreoffice_fixtures.py

It fills February's template of the Bupyeong project as an officer would (text
"110" for households, the formula =150*2 for coaching visits) and lets
LibreOffice itself save it as .xlsx, .ods and .xls, and save the figures
sheet as CSV (what "Save as… CSV" of the template gives).
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from .conftest import FEB, FEB_SPENDING, FEB_VALUES, fill

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.skipif(
    not os.environ.get("SANGSAENG_MAKE_FIXTURES") or not shutil.which("soffice"),
    reason="set SANGSAENG_MAKE_FIXTURES=1 and install LibreOffice to rebuild the fixtures",
)


def _convert(source: Path, target: str, out_dir: Path) -> Path:
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{out_dir}/profile",
         "--convert-to", target, "--outdir", str(out_dir), str(source)],
        check=True, capture_output=True, timeout=120,
    )
    return out_dir / f"{source.stem}.{target.split(':')[0]}"


def test_rebuild_libreoffice_fixtures(bupyeong_project):
    data = fill(
        bupyeong_project, FEB,
        values={**FEB_VALUES, "output.households": "110", "output.visits": "=150*2"},
        spending=FEB_SPENDING, narrative="LibreOffice로 다시 저장한 파일",
    )
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        source = work / "feb.xlsx"
        source.write_bytes(data)
        for extension, name in (("ods", "feb_saved_by_libreoffice.ods"), ("xls", "feb_saved_by_libreoffice.xls")):
            shutil.copy(_convert(source, extension, work), FIXTURES / name)
        ods = work / "feb_resaved.ods"
        shutil.copy(work / "feb.ods", ods)
        resaved_dir = work / "resaved"
        resaved_dir.mkdir()
        shutil.copy(_convert(ods, "xlsx", resaved_dir), FIXTURES / "feb_resaved_by_libreoffice.xlsx")
        # 44,34,76: comma, double quote, UTF-8 — the first (figures) sheet only.
        csv = _convert(source, "csv:Text - txt - csv (StarCalc):44,34,76", work)
        shutil.copy(csv, FIXTURES / "feb_template_saved_as_csv_by_libreoffice.csv")
