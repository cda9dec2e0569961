"""Edit a workbook with LibreOffice itself, as an officer would after removing
the protection: insert or delete rows and columns, type into cells, rename or
move sheets. Run by make_libreoffice_fixtures.py with the system Python, which
has LibreOffice's ``uno`` module (apt-get install python3-uno); not imported
by the suite.

    python3 libreoffice_edit.py SOURCE.xlsx TARGET.xlsx PASSWORD '[["insert_row", "실적", 17], …]'

Operations (rows and columns 1-based, as the user sees them):
``["insert_row", sheet, row]``, ``["delete_column", sheet, column]``,
``["set", sheet, "D17", value]``, ``["rename", sheet, new_name]``,
``["move", sheet, position]``.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def _property(name, value):
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def main(source, target, password, operations):
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    pipe = f"sangsaeng_fixture_{os.getpid()}"
    office = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"-env:UserInstallation=file://{profile}",
            f"--accept=pipe,name={pipe};urp;",
        ],
        start_new_session=True,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        for _attempt in range(120):
            try:
                context = resolver.resolve(
                    f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
                )
                break
            except Exception:  # noqa: BLE001 — LibreOffice is still starting
                time.sleep(0.5)
        else:
            raise SystemExit("LibreOffice did not start")
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        document = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(os.path.abspath(source)),
            "_blank",
            0,
            (_property("Hidden", True),),
        )
        document.unprotect(password)
        sheets = document.Sheets
        for name in sheets.ElementNames:
            sheets.getByName(name).unprotect(password)
        for operation in operations:
            kind, sheet_name, *rest = operation
            sheet = sheets.getByName(sheet_name)
            if kind == "insert_row":
                sheet.Rows.insertByIndex(rest[0] - 1, 1)
            elif kind == "delete_column":
                sheet.Columns.removeByIndex(rest[0] - 1, 1)
            elif kind == "set":
                cell = sheet.getCellRangeByName(rest[0])
                if isinstance(rest[1], str):
                    cell.setString(rest[1])
                else:
                    cell.setValue(rest[1])
            elif kind == "rename":
                sheet.Name = rest[0]
            elif kind == "move":
                sheets.moveByName(sheet_name, rest[0])
            else:
                raise SystemExit(f"unknown operation {kind}")
        document.storeToURL(
            uno.systemPathToFileUrl(os.path.abspath(target)),
            (_property("FilterName", "Calc MS Excel 2007 XML"),),
        )
        document.close(True)
        with contextlib.suppress(Exception):  # the bridge closes as LibreOffice exits
            desktop.terminate()
        office.wait(timeout=30)
    finally:
        if office.poll() is None:
            os.killpg(office.pid, signal.SIGTERM)  # the group this script started
            office.wait(timeout=30)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4]))
