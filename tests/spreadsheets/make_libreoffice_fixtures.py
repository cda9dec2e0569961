"""Rebuild the LibreOffice fixtures in ``fixtures/`` after the template changes.

Not collected by the suite (the name does not start with ``test_``); run it
explicitly where LibreOffice is installed
(``apt-get install -y --no-install-recommends libreoffice-calc-nogui``):

    SANGSAENG_MAKE_FIXTURES=1 .venv/bin/pytest tests/spreadsheets/make_libreoffice_fixtures.py

It fills February's template of the Bupyeong project as an officer would (text
"110" for households, the formula =150*2 for coaching visits) and lets
LibreOffice itself save it as .xlsx, .ods and .xls, and save the figures
sheet as CSV (what "Save as… CSV" of the template gives). Then, through
LibreOffice's own API (libreoffice_edit.py, system Python with python3-uno),
it removes the protection and moves rows, columns and sheets as an officer
would.
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from .conftest import FEB, FEB_SPENDING, FEB_VALUES, fill

ROSTER = [
    ("P-001", "women", "2019-02-04", None),
    ("P-002", "women", "2019-02-11", None),
]
NO_COUNTS = {k: v for k, v in FEB_VALUES.items() if k.endswith(".total")}

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.skipif(
    not os.environ.get("SANGSAENG_MAKE_FIXTURES") or not shutil.which("soffice"),
    reason="set SANGSAENG_MAKE_FIXTURES=1 and install LibreOffice to rebuild the fixtures",
)


def _convert(source: Path, target: str, out_dir: Path) -> Path:
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{out_dir}/profile",
            "--convert-to",
            target,
            "--outdir",
            str(out_dir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out_dir / f"{source.stem}.{target.split(':')[0]}"


def test_rebuild_libreoffice_fixtures(bupyeong_project):
    data = fill(
        bupyeong_project,
        FEB,
        values={**FEB_VALUES, "households.total": "110", "visits.total": "=150*2"},
        spending=FEB_SPENDING,
        narrative="LibreOffice로 다시 저장한 파일",
    )
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        source = work / "feb.xlsx"
        source.write_bytes(data)
        for extension, name in (
            ("ods", "feb_saved_by_libreoffice.ods"),
            ("xls", "feb_saved_by_libreoffice.xls"),
        ):
            shutil.copy(_convert(source, extension, work), FIXTURES / name)
        ods = work / "feb_resaved.ods"
        shutil.copy(work / "feb.ods", ods)
        resaved_dir = work / "resaved"
        resaved_dir.mkdir()
        shutil.copy(
            _convert(ods, "xlsx", resaved_dir),
            FIXTURES / "feb_resaved_by_libreoffice.xlsx",
        )
        # 44,34,76: comma, double quote, UTF-8 — the first (figures) sheet only.
        csv = _convert(source, "csv:Text - txt - csv (StarCalc):44,34,76", work)
        shutil.copy(csv, FIXTURES / "feb_template_saved_as_csv_by_libreoffice.csv")


def _edit(source: Path, target: Path, operations: list) -> None:
    subprocess.run(
        [
            "/usr/bin/python3",
            str(Path(__file__).parent / "libreoffice_edit.py"),
            str(source),
            str(target),
            settings.SPREADSHEET_TEMPLATE_PASSWORD,
            json.dumps(operations),
        ],
        check=True,
        timeout=300,
    )


def test_rebuild_fixtures_edited_by_libreoffice(bupyeong_project):
    data = fill(
        bupyeong_project,
        FEB,
        values=NO_COUNTS,
        spending=FEB_SPENDING,
        roster=ROSTER,
        narrative="LibreOffice로 행과 열을 옮긴 파일",
    )
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "feb.xlsx"
        source.write_bytes(data)
        # Template rows: employed.women 17, output.households 19, narrative 29.
        _edit(
            source,
            FIXTURES / "feb_rows_columns_and_sheets_moved_by_libreoffice.xlsx",
            [
                ["insert_row", "실적", 29],
                ["insert_row", "실적", 17],
                ["delete_column", "실적", 3],
                ["rename", "명단", "참여자"],
                ["move", "참여자", 0],
            ],
        )
        _edit(
            source,
            FIXTURES / "feb_row_with_a_figure_inserted_by_libreoffice.xlsx",
            [
                ["insert_row", "실적", 19],
                ["set", "실적", "B19", "추가 항목"],
                ["set", "실적", "D19", 40],
            ],
        )
