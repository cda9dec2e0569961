"""Proposal attachments are judged by their content: zip bombs, macros and
containers missing the parts of their format are refused with a message that
says what to do, in the reader's language (issue 18). The bombs here are a few
KB on disk; nothing near a limit is ever written."""

import io
import struct
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from competitions.attachments import validate_attachment
from competitions.models import Proposal

from .test_admin_flow import _formset, proposal_post_data

CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/></Types>'
)
MACRO_CONTENT_TYPES = CONTENT_TYPES.replace(
    b"</Types>",
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
)


def _zip(parts: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _docx(**extra) -> dict[str, bytes]:
    return {
        "[Content_Types].xml": CONTENT_TYPES,
        "word/document.xml": b"<w:document/>",
        **extra,
    }


def _refusal(name: str, content: bytes, language: str = "en") -> str:
    with translation.override(language), pytest.raises(ValidationError) as caught:
        validate_attachment(SimpleUploadedFile(name, content))
    return " ".join(caught.value.messages)


def test_a_docx_that_inflates_beyond_the_limit_is_refused(settings):
    settings.PROPOSAL_ATTACHMENT_MAX_UNCOMPRESSED = 1024 * 1024
    bomb = _zip(_docx(**{"word/media/zeros.bin": b"\0" * (3 * 1024 * 1024)}))
    assert len(bomb) < 20 * 1024  # a few KB on disk

    message = _refusal("plan.docx", bomb)
    assert "unpacks to more than" in message and "PDF" in message


def test_a_zip_bomb_is_refused_by_its_ratio_even_under_the_size_limit():
    # 30 MB of zeros in a ~30 KB file: far beyond any real document's ratio.
    bomb = _zip(_docx(**{"word/media/zeros.bin": b"\0" * (30 * 1024 * 1024)}))
    assert "unpacks to more than" in _refusal("plan.docx", bomb)


def test_a_zip_whose_headers_understate_its_size_is_refused():
    honest = _zip(_docx(**{"word/media/a.bin": b"\0" * 400_000}))
    # Rewrite the declared uncompressed size (local and central headers) to 10 bytes.
    lying = honest.replace(struct.pack("<I", 400_000), struct.pack("<I", 10))
    assert lying != honest
    with pytest.raises(ValidationError):
        validate_attachment(SimpleUploadedFile("plan.docx", lying))


@pytest.mark.parametrize(
    "name, parts",
    [
        ("plan.docx", _docx(**{"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})),
        ("plan.docx", {**_docx(), "[Content_Types].xml": MACRO_CONTENT_TYPES}),
        (
            "budget.xlsx",
            {
                "[Content_Types].xml": CONTENT_TYPES,
                "xl/workbook.xml": b"<workbook/>",
                "xl/vbaProject.bin": b"macro",
            },
        ),
    ],
)
def test_documents_with_macros_are_refused(name, parts):
    message = _refusal(name, _zip(parts))
    assert "macros" in message and "without macros" in message


@pytest.mark.parametrize(
    "name, parts, missing",
    [
        ("plan.docx", {"word/document.xml": b"<w/>"}, "[Content_Types].xml"),
        ("budget.xlsx", {"xl/workbook.xml": b"<w/>"}, "[Content_Types].xml"),
        ("plan.hwpx", {"mimetype": b"application/hwp+zip"}, "Contents/"),
        (
            "plan.hwpx",
            {"mimetype": b"application/zip", "Contents/content.hpf": b"<x/>"},
            "application/hwp+zip",
        ),
    ],
)
def test_containers_missing_a_part_of_their_format_are_refused(name, parts, missing):
    message = _refusal(name, _zip(parts))
    assert missing in message and "not a complete" in message


def test_any_zip_called_hwpx_is_refused():
    message = _refusal("plan.hwpx", _zip({"readme.txt": b"hello"}))
    assert "is not a HWPX document" in message


def test_a_pdf_without_its_end_is_refused():
    truncated = b"%PDF-1.7\n1 0 obj<<>>endobj\n" + b"x" * 5000
    assert "%%EOF" in _refusal("plan.pdf", truncated)


def test_an_empty_file_is_refused_with_what_to_do():
    assert "Attach the document itself" in _refusal("plan.pdf", b"")
    with translation.override("ko"), pytest.raises(ValidationError) as caught:
        validate_attachment(SimpleUploadedFile("plan.pdf", b""))
    # Korean only, and not the English sentence beside it.
    message = caught.value.messages[0]
    assert "plan.pdf" in message and "Attach" not in message


def test_refusals_are_in_the_readers_language_only():
    bomb = _zip(_docx(**{"word/vbaProject.bin": b"macro"}))
    korean = _refusal("plan.docx", bomb, "ko")
    english = _refusal("plan.docx", bomb, "en")
    assert "매크로" in korean and "macro" not in korean.lower().replace(
        ".docm", ""
    ).replace(".xlsm", "")
    assert "macros" in english and "매크로" not in english


def test_the_admin_form_says_what_to_do_about_an_empty_file(
    client, open_call, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    data = proposal_post_data(open_call)
    data.update(_formset("attachments", [{"title": "계획서"}]))
    data["attachments-0-file"] = SimpleUploadedFile("plan.pdf", b"")
    data["action-save"] = "save"

    body = client.post(
        f"{reverse('proposals:add')}?call={open_call.pk}", data
    ).content.decode()

    assert "비어 있습니다" in body  # the reader's language: Korean by default
    assert not Proposal.objects.exists()
