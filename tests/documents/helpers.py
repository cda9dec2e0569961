"""Reading the documents back: the text of a PDF, page by page."""

from io import BytesIO

from pypdf import PdfReader


class PdfText(str):
    """A PDF's text; ``in`` ignores spacing (the extractor spaces out the
    glyphs of an embedded subset font, with NULs between them)."""

    def __contains__(self, needle: object) -> bool:
        def squeezed(text: str) -> str:
            return "".join(text.replace("\x00", "").split())

        return squeezed(str(needle)) in squeezed(str(self))


def pdf_text(response) -> PdfText:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    reader = PdfReader(BytesIO(response.content))
    return PdfText("\n".join(page.extract_text() for page in reader.pages))


def prefer_english(user) -> None:
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()


def is_refused(response) -> bool:
    """Wagtail answers a PermissionDenied under /admin/ by sending the person to
    the dashboard with a message; the access module's refusals are 404s."""
    from django.urls import reverse

    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and response["Location"] == reverse(
        "wagtailadmin_home"
    )
