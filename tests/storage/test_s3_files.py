"""Every kind of stored file works on S3-compatible object storage, as on a
folder: an attachment uploaded with a proposal, a spreadsheet previewed and then
confirmed (from another node's storage object), a workbook a background job
built, and a backup restored. Downloads still go only to whoever may see the
file, and nothing is written to a local folder on the way."""

import os
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.backup import backup_create
from common.models import BackgroundJob
from competitions.models import Proposal
from reporting.models import MonthlyReport
from reporting.selectors import version_values
from tests.common.test_backup_restore import fresh_database  # noqa: F401
from tests.competitions.conftest import call_index, open_call  # noqa: F401
from tests.competitions.test_admin_flow import _formset, proposal_post_data
from tests.spreadsheets.conftest import FEB, FEB_SPENDING, FEB_VALUES, fill

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_an_attachment_uploaded_with_a_proposal_is_stored_in_the_bucket_and_served_to_its_district_only(
    s3, client, open_call, bupyeong_officer, seogu_officer
):
    client.force_login(bupyeong_officer)
    data = proposal_post_data(open_call)
    data.update(_formset("attachments", [{"title": "사업계획서"}]))
    data["attachments-0-file"] = SimpleUploadedFile("계획서.pdf", PDF)
    data["action-save"] = "save"

    response = client.post(f"{reverse('proposals:add')}?call={open_call.pk}", data)

    assert response.status_code == 302
    attachment = Proposal.objects.get().attachments.get()
    assert s3.keys("private/") == [f"private/{attachment.file.name}"]
    assert s3.read(f"private/{attachment.file.name}") == PDF
    url = reverse("proposals:attachment", args=[attachment.pk])
    download = client.get(url)
    assert download.status_code == 200 and _body(download) == PDF
    assert "attachment" in download["Content-Disposition"]
    client.force_login(seogu_officer)
    assert client.get(url).status_code == 404
    client.logout()
    refused = client.get(url)
    assert refused.status_code == 302 and "/admin/login/" in refused["Location"]


def test_a_spreadsheet_previewed_on_one_node_is_confirmed_on_another(
    s3, client, bupyeong_project, bupyeong_officer, seogu_officer
):
    client.force_login(bupyeong_officer)
    data = fill(bupyeong_project, FEB, values=FEB_VALUES, spending=FEB_SPENDING)
    upload = reverse("spreadsheets_upload", args=[bupyeong_project.pk, "2019-02"])
    confirm = reverse(
        "spreadsheets_upload_confirm", args=[bupyeong_project.pk, "2019-02"]
    )

    preview = client.post(upload, {"file": SimpleUploadedFile("feb.xlsx", data)})

    assert (
        preview.status_code == 200 and "data-upload-changes" in preview.content.decode()
    )
    [pending] = s3.keys("private/spreadsheet-uploads/")
    assert s3.read(pending) == data
    token = preview.context["token"]
    # Another node: a storage object of its own, nothing shared but the bucket.
    storages._storages.clear()
    client.force_login(seogu_officer)
    assert client.post(confirm, {"token": token}).status_code == 404
    client.force_login(bupyeong_officer)
    response = client.post(confirm, {"token": token})

    report = MonthlyReport.objects.get(project=bupyeong_project, period=FEB)
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting_report", args=[report.pk])
    stored = version_values(report.current_version)
    assert (stored["households"], stored["visits"]) == ({"total": 110}, {"total": 300})
    assert s3.keys("private/spreadsheet-uploads/") == []


@pytest.fixture
def built_workbook(s3, bupyeong_officer):
    """A workbook a worker built for the 부평구 officer and left in the bucket."""
    job = BackgroundJob.objects.create(
        kind="evaluation-report",
        owner=bupyeong_officer,
        status=BackgroundJob.Status.SUCCEEDED,
    )
    job.result_file.save("sangsaeng-2019-09-BP.xlsx", ContentFile(b"PK workbook"))
    return job


def test_a_workbook_built_by_the_worker_is_downloaded_by_its_owner_only(
    s3, client, built_workbook, bupyeong_officer, seogu_officer
):
    url = reverse("job_download", args=[built_workbook.pk])
    assert s3.keys("private/jobs/") == [f"private/{built_workbook.result_file.name}"]
    client.force_login(bupyeong_officer)

    download = client.get(url)

    assert download.status_code == 200 and _body(download) == b"PK workbook"
    assert "sangsaeng-2019-09-BP.xlsx" in download["Content-Disposition"]
    client.force_login(seogu_officer)
    assert client.get(url).status_code == 404


def test_the_signed_redirect_comes_after_the_access_check_and_lasts_a_minute(
    s3, settings, client, built_workbook, bupyeong_officer, seogu_officer
):
    settings.SANGSAENG_S3_SIGNED_REDIRECT = True
    url = reverse("job_download", args=[built_workbook.pk])
    client.force_login(seogu_officer)
    assert client.get(url).status_code == 404
    client.force_login(bupyeong_officer)

    response = client.get(url)

    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    address = response["Location"]
    query = parse_qs(urlsplit(address).query)
    assert address.startswith(s3.endpoint) and query["X-Amz-Expires"] == ["60"]
    assert "X-Amz-Signature" in query
    with urlopen(address) as fetched:  # noqa: S310 - the local test server
        assert fetched.read() == b"PK workbook"
        assert "sangsaeng-2019-09-BP.xlsx" in fetched.headers["Content-Disposition"]
    unsigned = address.split("?", 1)[0]
    with pytest.raises(OSError):
        urlopen(unsigned)  # noqa: S310 - the object itself is not public


def test_a_file_gone_from_the_bucket_is_a_404(
    s3, client, built_workbook, bupyeong_officer
):
    s3.client.delete_object(
        Bucket=s3.name, Key=f"private/{built_workbook.result_file.name}"
    )
    client.force_login(bupyeong_officer)
    assert (
        client.get(reverse("job_download", args=[built_workbook.pk])).status_code == 404
    )


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_the_bucket_restores_its_files_into_the_bucket(
    s3,
    tmp_path,
    fresh_database,
    bupyeong_officer,  # noqa: F811
):
    private = storages["private"]
    kept = private.save("attachments/2019/plan.pdf", ContentFile(PDF))
    media = storages["default"].save("documents/guide.pdf", ContentFile(PDF))
    archive = backup_create(destination_dir=tmp_path / "backups")
    # After the backup: a file lost, a file added that the backup never held.
    private.delete(kept)
    private.save("attachments/2019/later.pdf", ContentFile(b"%PDF later"))

    restore = subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive), "--yes"],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            **s3.environment,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": fresh_database,
            "SANGSAENG_VAR_DIR": str(tmp_path / "restored-var"),
        },
        capture_output=True,
        text=True,
    )

    assert restore.returncode == 0, restore.stderr
    assert s3.keys() == sorted([f"private/{kept}", f"media/{media}"])
    assert s3.read(f"private/{kept}") == PDF
    assert not (tmp_path / "restored-var" / "private").exists()
