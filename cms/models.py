from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


def english_active() -> bool:
    return (get_language() or "ko").startswith("en")


class BilingualPage(Page):
    """A page with Korean fields and their English twins.

    Korean is the page's own content; each ``<field>_en`` holds the English.
    Templates ask ``page.localized("intro")`` and get the English when English is
    active and written, the Korean otherwise — never an empty block.
    """

    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    intro = RichTextField(_("introduction"), blank=True)
    intro_en = RichTextField(_("introduction (English)"), blank=True)

    bilingual_panels = [
        MultiFieldPanel(
            [FieldPanel("title_en"), FieldPanel("intro"), FieldPanel("intro_en")],
            heading=_("Text"),
        )
    ]

    class Meta:
        abstract = True

    def localized(self, field_name: str):
        if english_active():
            english = getattr(self, f"{field_name}_en", "")
            if english:
                return english
        return getattr(self, field_name)

    @property
    def display_title(self) -> str:
        return self.localized("title")


class HomePage(BilingualPage):
    """The public site's front page."""

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    content_panels = Page.content_panels + BilingualPage.bilingual_panels

    class Meta:
        verbose_name = _("home page")
