"""A request too large for Django to read is refused before any form runs: the
person is told what happened and what to do, in their language, not "Bad Request"."""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1_000)
def test_a_form_with_too_much_text_is_refused_with_what_to_do_in_korean(client, db):
    response = client.post(
        "/admin/login/", {"username": "officer", "narrative": "가" * 5_000}
    )
    page = response.content.decode()
    assert response.status_code == 413
    assert "아무것도 저장하지 않았습니다" in page
    assert "가장 긴 글을 줄이거나" in page
    assert "Bad Request" not in page


@override_settings(DATA_UPLOAD_MAX_NUMBER_FILES=2)
def test_too_many_files_at_once_are_refused_naming_the_limit_in_english(db):
    # As a browser does: the CSRF check reads the form before any view.
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    files = {
        f"file{n}": SimpleUploadedFile(f"plan{n}.pdf", b"%PDF-1.4 %%EOF")
        for n in range(3)
    }
    response = client.post("/", files)
    page = response.content.decode()
    assert response.status_code == 413
    assert "send at most 2 files at a time" in page
    assert "저장" not in page
