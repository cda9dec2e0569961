"""District isolation of proposals and their private attachments, and what an
attachment may be."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import access
from competitions import services
from competitions.attachments import validate_attachment
from competitions.models import Proposal, ProposalAttachment

from .conftest import BEFORE_DEADLINE, make_draft

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _zip_bytes(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _hwp_bytes() -> bytes:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    return (
        header + "FileHeader".encode("utf-16-le") + b"\x00" * 100 + b"HWP Document File"
    )


def attach(proposal, name="계획서.pdf", content=PDF) -> ProposalAttachment:
    attachment = ProposalAttachment(proposal=proposal, title="사업계획서")
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment


@pytest.fixture
def seogu_draft(call, seogu_officer):
    return make_draft(call, seogu_officer, title="서구 초안")


# --- who sees which proposal ---------------------------------------------------


def test_a_district_sees_its_own_proposals_including_drafts_and_nothing_of_others(
    bupyeong_officer, bupyeong_approver, bupyeong_draft, seogu_draft, seogu_submitted
):
    assert list(access.visible_to(bupyeong_officer, Proposal)) == [bupyeong_draft]
    assert list(access.visible_to(bupyeong_approver, Proposal)) == [bupyeong_draft]


def test_the_city_sees_sent_proposals_but_no_drafts(
    city_manager, bupyeong_draft, seogu_submitted
):
    assert list(access.visible_to(city_manager, Proposal)) == [seogu_submitted]


def test_reviewers_and_anonymous_see_no_proposals(
    reviewer, bupyeong_draft, seogu_submitted
):
    assert not access.visible_to(reviewer, Proposal).exists()
    assert not access.visible_to(AnonymousUser(), Proposal).exists()


@pytest.mark.parametrize("url_name", ["proposals:edit", "proposals:inspect"])
def test_admin_urls_of_another_districts_proposal_are_a_404(
    client, bupyeong_officer, seogu_draft, url_name
):
    client.force_login(bupyeong_officer)
    response = client.get(reverse(url_name, args=[seogu_draft.pk]))
    assert response.status_code == 404
    assert "서구 초안" not in response.content.decode()


def test_another_district_cannot_post_a_transition(
    client, bupyeong_officer, seogu_submitted
):
    client.force_login(bupyeong_officer)
    response = client.post(
        reverse("proposals:transition", args=[seogu_submitted.pk, "withdraw"])
    )
    assert response.status_code == 404


def test_the_listing_shows_a_district_only_its_own(
    client, bupyeong_officer, bupyeong_draft, seogu_draft
):
    client.force_login(bupyeong_officer)
    body = client.get(reverse("proposals:index")).content.decode()
    assert "찾아가는 육아코칭활동가 양성" in body
    assert "서구 초안" not in body


@pytest.mark.parametrize("url_name", ["proposals:index", "proposals:add"])
def test_anonymous_is_sent_to_the_login_page(client, url_name, orgs):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


# --- attachments -------------------------------------------------------------


def test_attachments_are_stored_outside_the_public_media_folder(bupyeong_draft):
    attachment = attach(bupyeong_draft)
    stored = Path(attachment.file.path).resolve()
    assert stored.is_relative_to(
        Path(settings.STORAGES["private"]["OPTIONS"]["location"]).resolve()
    )
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())


def test_own_district_downloads_its_attachment(
    client, bupyeong_officer, bupyeong_draft
):
    attachment = attach(bupyeong_draft)
    client.force_login(bupyeong_officer)
    response = client.get(reverse("proposals:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_another_district_gets_a_404_for_an_attachment(
    client, bupyeong_officer, seogu_submitted
):
    attachment = attach(seogu_submitted)
    client.force_login(bupyeong_officer)
    assert (
        client.get(reverse("proposals:attachment", args=[attachment.pk])).status_code
        == 404
    )


def test_anonymous_is_sent_to_login_for_an_attachment(client, seogu_submitted):
    attachment = attach(seogu_submitted)
    response = client.get(reverse("proposals:attachment", args=[attachment.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_the_city_gets_attachments_of_sent_proposals_but_not_of_drafts(
    client, city_manager, seogu_submitted, bupyeong_draft
):
    sent, draft = attach(seogu_submitted), attach(bupyeong_draft)
    client.force_login(city_manager)
    assert (
        client.get(reverse("proposals:attachment", args=[sent.pk])).status_code == 200
    )
    assert (
        client.get(reverse("proposals:attachment", args=[draft.pk])).status_code == 404
    )


@pytest.mark.parametrize(
    "name, content",
    [
        ("plan.pdf", PDF),
        (
            "plan.docx",
            _zip_bytes({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<x/>"}),
        ),
        (
            "budget.xlsx",
            _zip_bytes({"xl/workbook.xml": b"<w/>", "[Content_Types].xml": b"<x/>"}),
        ),
        (
            "plan.hwpx",
            _zip_bytes(
                {"mimetype": b"application/hwp+zip", "Contents/content.hpf": b"<x/>"}
            ),
        ),
        ("plan.hwp", _hwp_bytes()),
    ],
)
def test_accepted_attachment_kinds(name, content):
    validate_attachment(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    "name, content",
    [
        ("virus.pdf", b"MZ\x90\x00 this is an executable"),
        ("plan.docx", _zip_bytes({"xl/workbook.xml": b"<w/>"})),
        ("plan.hwp", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
        ("photo.jpg", b"\xff\xd8\xff\xe0 jpeg"),
    ],
)
def test_attachments_are_judged_by_content_not_name(name, content):
    with pytest.raises(ValidationError):
        validate_attachment(SimpleUploadedFile(name, content))


def test_attachments_above_the_size_limit_are_refused(settings):
    settings.PROPOSAL_ATTACHMENT_MAX_SIZE = 1024
    with pytest.raises(ValidationError) as caught:
        validate_attachment(SimpleUploadedFile("big.pdf", PDF + b"0" * 2048))
    assert "1.0" in caught.value.messages[0]


def test_the_city_downloads_all_attachments_of_a_call_as_one_zip(
    client,
    call,
    city_manager,
    seogu_submitted,
    bupyeong_officer,
    django_capture_on_commit_callbacks,
):
    bupyeong = make_draft(call, bupyeong_officer, title="부평 제안")
    services.proposal_submit(
        proposal=bupyeong, actor=bupyeong_officer, now=BEFORE_DEADLINE, notify=False
    )
    attach(seogu_submitted, "무빙콜.pdf")
    attach(bupyeong, "코칭.pdf")
    attach(make_draft(call, bupyeong_officer, title="초안"), "초안.pdf")
    client.force_login(city_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("proposals:attachments_zip", args=[call.pk]))
    assert response.status_code == 302
    job_page = client.get(response["Location"]).content.decode()
    assert (
        reverse(
            "job_download", args=[response["Location"].rstrip("/").rsplit("/", 1)[1]]
        )
        in job_page
    )
    download = client.get(
        reverse(
            "job_download", args=[response["Location"].rstrip("/").rsplit("/", 1)[1]]
        )
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert sorted(archive.namelist()) == [
        "2018-BP-001/코칭.pdf",
        "2018-SG-001/무빙콜.pdf",
    ]
    assert archive.read("2018-SG-001/무빙콜.pdf") == PDF


def test_district_officers_cannot_build_the_calls_zip(client, call, bupyeong_officer):
    client.force_login(bupyeong_officer)
    assert (
        client.post(reverse("proposals:attachments_zip", args=[call.pk])).status_code
        == 404
    )


def test_the_listing_reads_each_rows_district_and_call_without_a_query_per_row(
    client, call, bupyeong_officer, django_assert_max_num_queries
):
    make_draft(call, bupyeong_officer, title="첫 번째 제안")
    client.force_login(bupyeong_officer)
    with CaptureQueriesContext(connection) as one_row:
        assert "첫 번째 제안" in client.get(reverse("proposals:index")).content.decode()
    for number in range(2, 7):
        make_draft(call, bupyeong_officer, title=f"제안 {number}")
    with django_assert_max_num_queries(len(one_row)):
        body = client.get(reverse("proposals:index")).content.decode()
    assert "제안 6" in body and body.count(call.title) >= 6
