"""Personal data outside the cell values: notes, headers and footers, defined
names, document properties, numeric cells, name columns, ODS annotations and
meta.xml. Each is refused with its place, masked, in the reader's language,
and nothing is saved."""

import io
import zipfile
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName

from reporting.models import MonthlyReport, ReportValue
from reporting.spreadsheets.safety import SpreadsheetRefused
from reporting.spreadsheets.services import UploadRejected

from .conftest import FEB, FEB_SPENDING, FEB_VALUES, fill
from .test_bulk import long_xlsx, month_rows, run
from .test_upload import confirm, messages, preview

FIXTURES = Path(__file__).parent / "fixtures"


def filled(project, edit):
    return fill(project, FEB, values=FEB_VALUES, spending=FEB_SPENDING, edit=edit)


def refused(data, project, officer, *, filename="feb.xlsx") -> list[str]:
    with translation.override("en"):
        found = messages(preview(data, project, officer, filename=filename))
    with pytest.raises(UploadRejected):
        confirm(data, project, officer, filename=filename)
    assert not ReportValue.objects.exists() and not MonthlyReport.objects.exists()
    return found


def test_a_name_in_a_cell_note_is_refused_with_the_note_named(
    bupyeong_project, bupyeong_officer
):
    def edit(workbook, cells):
        workbook["실적"]["H15"].comment = Comment(
            "참여자 김철수(45세) 씨 3월 퇴사", "담당"
        )

    found = refused(filled(bupyeong_project, edit), bupyeong_project, bupyeong_officer)
    assert found == [
        "Sheet 실적, note on cell H15: this looks like personal data (personal name 김**); reports carry "
        "counts only. Delete the note, or the personal data in it, and upload the file again."
    ]
    assert "김철수" not in found[0]


def test_the_refusal_is_korean_by_default(bupyeong_project, bupyeong_officer):
    def edit(workbook, cells):
        workbook["실적"]["H15"].comment = Comment("연락처 +82 10-1234-5678", "담당")

    data = filled(bupyeong_project, edit)
    with translation.override("ko"):
        [message] = messages(preview(data, bupyeong_project, bupyeong_officer))
    assert message.startswith(
        "실적 시트 H15 셀의 메모: 개인정보(휴대전화 번호 +82 10-****-****)"
    )
    assert " / " not in message and "personal data" not in message  # one language


def test_a_phone_number_in_the_page_footer_is_refused(
    bupyeong_project, bupyeong_officer
):
    def edit(workbook, cells):
        workbook["실적"].oddFooter.center.text = "작성 032-440-1234"

    [message] = refused(
        filled(bupyeong_project, edit), bupyeong_project, bupyeong_officer
    )
    assert message.startswith(
        "Sheet 실적, page header or footer: this looks like personal data (phone number 032-***-****)"
    )


def test_personal_data_in_a_defined_name_or_a_document_property_is_refused(
    bupyeong_project, bupyeong_officer
):
    def edit(workbook, cells):
        workbook.defined_names["contact"] = DefinedName(
            "contact", attr_text='"kim.cs@example.com"'
        )
        workbook.properties.subject = "참여자 850315-1234566"

    found = refused(filled(bupyeong_project, edit), bupyeong_project, bupyeong_officer)
    assert any(
        m.startswith(
            "Defined name contact: this looks like personal data (e-mail address k***@example.com)"
        )
        for m in found
    )
    assert any(
        m.startswith(
            "Document property subject: this looks like personal data "
            "(resident registration number 850315-*******)"
        )
        for m in found
    )


def test_an_rrn_typed_as_a_number_and_a_column_of_names_are_refused(
    bupyeong_project, bupyeong_officer
):
    def edit(workbook, cells):
        roster = workbook["명단"]
        roster["F2"] = "성명"
        roster["F3"] = "홍길동"
        roster["G3"] = 8503151234566  # typed without the hyphen: Excel keeps a number

    found = refused(filled(bupyeong_project, edit), bupyeong_project, bupyeong_officer)
    assert any(
        m.startswith(
            "Sheet 명단, cell G3: this looks like personal data (resident registration number "
            "850315*******)"
        )
        for m in found
    )
    assert any(
        m.startswith(
            "Sheet 명단, cell F3: this looks like personal data (personal name 홍**)"
        )
        for m in found
    )


def test_the_authors_name_in_the_properties_is_not_refused(
    bupyeong_project, bupyeong_officer
):
    def edit(workbook, cells):
        workbook.properties.creator = "김담당"
        workbook.properties.lastModifiedBy = "박주무관"

    data = filled(bupyeong_project, edit)
    assert messages(preview(data, bupyeong_project, bupyeong_officer)) == []


def _rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(
                info, replace.get(info.filename, source.read(info.filename))
            )
    return output.getvalue()


def test_an_ods_annotation_and_meta_are_refused_with_their_place(
    bupyeong_project, bupyeong_officer
):
    name = "feb_saved_by_libreoffice.ods"
    data = (FIXTURES / name).read_bytes()
    source = zipfile.ZipFile(io.BytesIO(data))
    content = source.read("content.xml").decode()
    title = "<text:p>월별 실적 보고</text:p>"
    assert title in content  # A1 of the first sheet
    content = content.replace(
        title,
        title
        + "<office:annotation><dc:creator>담당</dc:creator><text:p>이영자 어르신(81세) 채용</text:p>"
        "</office:annotation>",
        1,
    )
    meta = (
        source.read("meta.xml")
        .decode()
        .replace(
            "<office:meta>", "<office:meta><dc:title>연락처 010-9876-5432</dc:title>", 1
        )
    )
    edited = _rezip(data, {"content.xml": content.encode(), "meta.xml": meta.encode()})
    found = refused(edited, bupyeong_project, bupyeong_officer, filename=name)
    assert any(
        m.startswith(
            "Sheet 실적, note on cell A1: this looks like personal data (personal name 이**)"
        )
        for m in found
    )
    assert any(
        m.startswith(
            "Document property title: this looks like personal data (mobile phone number 010-****-****)"
        )
        for m in found
    )


def test_the_bulk_import_refuses_a_note_with_personal_data(
    bupyeong_project, city_manager
):
    from openpyxl import load_workbook

    workbook = load_workbook(
        io.BytesIO(long_xlsx(month_rows(bupyeong_project.code, "2019-01")))
    )
    workbook.active["E2"].comment = Comment("확인: 010-1234-5678", "city")
    output = io.BytesIO()
    workbook.save(output)
    with (
        translation.override("en"),
        pytest.raises(SpreadsheetRefused, match="note on cell E2"),
    ):
        run(output.getvalue(), city_manager)


def test_a_name_in_context_in_any_cell_is_refused_with_its_cell(
    bupyeong_project, bupyeong_officer
):
    def edit(workbook, cells):
        workbook["실적"]["K40"] = "참여자 김철수(45세) 씨 3월 퇴사"

    found = refused(filled(bupyeong_project, edit), bupyeong_project, bupyeong_officer)
    assert found == [
        "Sheet 실적, cell K40: this looks like personal data (personal name 김**); reports carry counts only. "
        "Replace it with a count or a pseudonymous participant code and upload the file again."
    ]
