"""No file, however small, may take the process that reads it down: sheets are
measured before they are materialised, refused by name when too large, and
parsed in a child whose memory and time are capped."""

import os
import time
from pathlib import Path

import pytest
from django.utils import translation

from reporting.spreadsheets import reader
from reporting.spreadsheets.bounds import NO_SAVED_VALUE, ReadBounds, xlsx_extents
from reporting.spreadsheets.bulk import read_long_file
from reporting.spreadsheets.isolation import IsolatedFailure, run_isolated
from reporting.spreadsheets.reader import UnreadableCell, read_sheets
from reporting.spreadsheets.safety import SpreadsheetRefused
from reporting.spreadsheets.upload import parse_monthly_file

from .builders import ods_number, ods_with, xlsx_with

FIXTURES = Path(__file__).parent / "fixtures"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

# One value in A1 and one in the last cell Excel has: 17 billion cells as a dense range.
FAR_CORNERS = xlsx_with(
    '<row r="1"><c r="A1"><v>1</v></c></row>'
    '<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
)


def refusal(data: bytes, kind: str, **kwargs) -> tuple[str, float]:
    started = time.monotonic()
    with translation.override("en"), pytest.raises(SpreadsheetRefused) as refused:
        read_sheets(data, kind, **kwargs)
    return refused.value.message, time.monotonic() - started


def test_a_tiny_xlsx_naming_the_last_cell_of_excel_is_refused_quickly_by_sheet_and_size():
    assert len(FAR_CORNERS) < 2_000
    message, seconds = refusal(FAR_CORNERS, "xlsx")
    assert (
        "Sheet “실적” reaches cell XFD1048576 (1,048,576 rows × 16,384 columns)"
        in message
    )
    assert "at most 5,000 rows and 100 columns" in message
    assert seconds < 2


def test_the_monthly_upload_refuses_the_far_cell_file_before_reading_it(db):
    with (
        translation.override("en"),
        pytest.raises(SpreadsheetRefused, match="reaches cell XFD1048576"),
    ):
        parse_monthly_file(FAR_CORNERS, "feb.xlsx")


def test_the_bulk_import_refuses_it_too_with_its_own_larger_bound(db):
    with translation.override("en"), pytest.raises(SpreadsheetRefused) as refused:
        read_long_file(FAR_CORNERS, "past.xlsx")
    assert "reaches cell XFD1048576" in refused.value.message
    assert "at most 1,048,576 rows and 50 columns" in refused.value.message


def test_a_refusal_is_in_the_readers_language():
    with translation.override("ko"), pytest.raises(SpreadsheetRefused) as refused:
        read_sheets(FAR_CORNERS, "xlsx")
    assert "‘실적’ 시트가 XFD1048576 셀까지 차 있습니다" in refused.value.message


def test_a_far_cell_under_a_namespace_prefix_is_refused_by_sheet_and_size():
    # <x:c> in the main namespace is a cell to calamine: 17 billion cells again.
    data = xlsx_with(
        '<row r="1"><c r="A1"><v>1</v></c>'
        f'<x:c xmlns:x="{MAIN}" r="XFD1048576"><v>2</v></x:c></row>'
    )
    message, _seconds = refusal(data, "xlsx")
    assert "reaches cell XFD1048576 (1,048,576 rows × 16,384 columns)" in message


def test_a_formula_without_its_value_under_a_namespace_prefix_is_not_read_as_blank():
    data = xlsx_with(
        '<row r="1"><c r="A1"><v>1</v></c>'
        f'<x:c xmlns:x="{MAIN}" r="B1"><x:f>A1*2</x:f></x:c></row>'
    )
    cell = read_sheets(data, "xlsx")["실적"].at("B1")
    assert cell == UnreadableCell(NO_SAVED_VALUE)


def test_a_far_cell_in_the_middle_of_the_sheet_is_found_whatever_comes_last():
    # Not the last cell written: the extent is never taken from the order of the cells.
    data = xlsx_with(
        '<row r="1"><c r="A1"><v>1</v></c><c r="XFD900000"><v>2</v></c></row>'
        '<row r="2"><c r="B2"><v>3</v></c></row>'
    )
    message, _seconds = refusal(data, "xlsx")
    assert "reaches cell XFD900000 (900,000 rows × 16,384 columns)" in message


def test_cells_written_out_of_order_are_measured_by_every_address():
    # Each later cell reaches a little further than the one found before it:
    # past a few searches, every address is read.
    cells = "".join(
        f'<c r="{column}{row}"><v>1</v></c>'
        for column, row in [
            ("A", 1),
            ("B", 7),
            ("C", 2),
            ("D", 9),
            ("E", 3),
            ("CW", 5001),
            ("A", 4),
        ]
    )
    message, _seconds = refusal(xlsx_with(f'<row r="1">{cells}</row>'), "xlsx")
    assert "reaches cell CW5001 (5,001 rows × 101 columns)" in message


def test_a_sheet_whose_last_row_is_narrower_than_the_others_keeps_its_full_width():
    data = xlsx_with(
        '<row r="1"><c r="A1"><v>1</v></c><c r="AB1"><v>2</v></c></row>'
        '<row r="2"><c r="A2"><v>3</v></c></row>'
    )
    sheet = read_sheets(data, "xlsx")["실적"]
    assert sheet.at("AB1") == 2 and sheet.at("A2") == 3
    assert extent_of(data) == (2, 28)


def extent_of(data: bytes) -> tuple[int, int]:
    [extent] = xlsx_extents(data)
    return extent.rows, extent.columns


def test_cells_without_addresses_are_measured_where_they_land():
    # No r on rows or cells: each follows the one before; 200 cells make 200 columns.
    data = xlsx_with("<row>" + "<c><v>1</v></c>" * 200 + "</row>")
    message, _seconds = refusal(data, "xlsx")
    assert "reaches cell GR1 (1 rows × 200 columns)" in message


def test_an_ods_row_repeated_a_hundred_thousand_times_over_a_thousand_columns_is_refused():
    data = ods_with(
        f'<table:table-row table:number-rows-repeated="100000">{ods_number(1, repeated=1000)}'
        "</table:table-row>"
    )
    assert len(data) < 2_000
    message, seconds = refusal(data, "ods")
    assert (
        "Sheet “실적” reaches cell ALL100000 (100,000 rows × 1,000 columns)" in message
    )
    assert seconds < 2


def test_an_ods_value_after_a_million_empty_rows_is_refused():
    data = ods_with(
        f"<table:table-row>{ods_number(1)}</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048000"><table:table-cell/></table:table-row>'
        f"<table:table-row>{ods_number(2)}</table:table-row>"
    )
    message, _seconds = refusal(data, "ods")
    assert "(1,048,002 rows × 1 columns)" in message


def test_empty_rows_and_columns_repeated_to_the_end_of_an_ods_sheet_cost_nothing():
    # What LibreOffice writes at the end of every sheet.
    data = ods_with(
        f'<table:table-row>{ods_number(7)}<table:table-cell table:number-columns-repeated="16383"/>'
        '</table:table-row><table:table-row table:number-rows-repeated="1048575">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    sheets = read_sheets(data, "ods")
    assert sheets["실적"].at("A1") == 7


def test_a_csv_with_a_million_columns_is_refused_naming_its_line():
    data = b"project code,period\n" + b"," * 1_000_000 + b"\n"
    message, seconds = refusal(data, "csv")
    assert (
        "Sheet “csv”, line 2 has 1,000,001 columns; this upload reads at most 100"
        in message
    )
    assert seconds < 3


def test_a_csv_with_an_enormous_line_is_refused_naming_it():
    data = b"project code,period\nP1," + b"x" * 1_500_000 + b"\n"
    message, _seconds = refusal(data, "csv")
    assert "Sheet “csv”, line 2 is too long to be a row of figures" in message


def _xls_with_a_cell_at_the_far_corner() -> bytes:
    """The LibreOffice fixture with its last cell record (a LABELSST) moved to
    row 65,535, column IV: calamine would ask for half a gigabyte."""
    data = bytearray((FIXTURES / "feb_saved_by_libreoffice.xls").read_bytes())
    record = bytes(data).rfind(b"\xfd\x00\x0a\x00")
    data[record + 4 : record + 8] = (65535).to_bytes(2, "little") + (255).to_bytes(
        2, "little"
    )
    return bytes(data)


def test_an_xls_with_a_cell_at_the_far_corner_is_refused_by_sheet_and_size():
    message, seconds = refusal(_xls_with_a_cell_at_the_far_corner(), "xls")
    assert "reaches cell IV65536 (65,536 rows × 256 columns)" in message
    assert seconds < 6
    assert read_sheets((FIXTURES / "feb_saved_by_libreoffice.xls").read_bytes(), "xls")[
        "실적"
    ].rows


def test_without_the_scan_the_capped_child_still_refuses_the_far_xls_and_the_process_lives_on(
    monkeypatch,
):
    # As if the BIFF scan missed it: calamine's half-gigabyte range dies in the child.
    monkeypatch.setattr(reader, "xls_extents", lambda data: [])
    message, seconds = refusal(_xls_with_a_cell_at_the_far_corner(), "xls")
    assert "The file needs more than 100 MB to read" in message
    assert seconds < 6


def test_a_normal_monthly_file_is_read_as_before():
    sheets = read_sheets(
        (FIXTURES / "feb_resaved_by_libreoffice.xlsx").read_bytes(), "xlsx"
    )
    assert "실적" in sheets and sheets["_sangsaeng"].hidden


def _allocate_two_gigabytes():
    return len(bytearray(2 * 1024**3))


def _abort():
    os.abort()


def _spin():
    while True:
        pass


def test_a_parser_that_exceeds_the_memory_limit_fails_in_its_child_only():
    with pytest.raises(IsolatedFailure) as failure:
        run_isolated(
            _allocate_two_gigabytes,
            memory_bytes=100 * 1024**2,
            cpu_seconds=2,
            wall_seconds=10,
        )
    assert failure.value.reason == "memory"


def test_a_parser_that_aborts_the_process_fails_in_its_child_only():
    with pytest.raises(IsolatedFailure) as failure:
        run_isolated(_abort, memory_bytes=100 * 1024**2, cpu_seconds=2, wall_seconds=10)
    assert failure.value.reason == "memory"  # how a refused allocation ends native code


def test_a_parser_that_never_ends_is_stopped_by_its_cpu_limit():
    started = time.monotonic()
    with pytest.raises(IsolatedFailure) as failure:
        run_isolated(_spin, memory_bytes=100 * 1024**2, cpu_seconds=1, wall_seconds=30)
    assert failure.value.reason == "time"
    assert time.monotonic() - started < 15


def test_the_child_returns_results_and_raises_the_parsers_own_refusals():
    assert (
        run_isolated(
            sum, [1, 2, 3], memory_bytes=50 * 1024**2, cpu_seconds=2, wall_seconds=10
        )
        == 6
    )
    with pytest.raises(SpreadsheetRefused, match="nope"):
        run_isolated(_refuse, memory_bytes=50 * 1024**2, cpu_seconds=2, wall_seconds=10)


def _refuse():
    raise SpreadsheetRefused("nope")


def test_a_reader_blowing_its_memory_becomes_a_clean_refusal(monkeypatch):
    monkeypatch.setattr(
        reader, "_read_and_pack", lambda data, kind, bounds: _allocate_two_gigabytes()
    )
    message, _seconds = refusal(b"a,b\n", "csv")
    assert "The file needs more than 100 MB to read" in message


def test_the_bounds_come_from_settings(settings):
    settings.SANGSAENG_SPREADSHEET_MONTHLY_BOUNDS = {"max_rows": 3}
    assert ReadBounds.monthly().max_rows == 3
    message, _seconds = refusal(b"a\nb\nc\nd\n", "csv")
    assert "at most 3 rows" in message
