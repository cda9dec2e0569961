from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


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

    search_fields = [
        *Page.search_fields,
        index.SearchField("title_en"),
        index.SearchField("intro"),
        index.SearchField("intro_en"),
    ]

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

    def serve(self, request, *args, **kwargs):
        """Every public page answers conditionally: a repeated visit with the
        page's ETag is a 304 until the page is published again, the public
        data or the site settings change, the language differs, or a call
        opens or closes (``reporting.evaluation.caching``)."""
        from reporting.evaluation.caching import public_page_response

        return public_page_response(
            request,
            lambda: super(BilingualPage, self).serve(request, *args, **kwargs),
            page_key=f"{self.pk}.{self.live_revision_id}",
            restricted=self.get_view_restrictions().exists(),
        )


class HomePage(BilingualPage):
    """The public site's front page."""

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    content_panels = Page.content_panels + BilingualPage.bilingual_panels

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(
            calls=selectors.home_calls(),
            latest_results=selectors.latest_results(),
            figures=selectors.headline_figures(),
        )
        return context


@register_setting(icon="site")
class PublicSiteSettings(BaseSiteSetting):
    """What the public site's government identity header and standard footer
    say: the city (and its emblem), the bureau that answers for the site, its
    address and phone, and the web accessibility quality mark (웹 접근성
    품질인증) once the city holds one. Data, so both languages are fields."""

    city_name = models.CharField(
        _("city name (Korean)"), max_length=100, default="인천광역시"
    )
    city_name_en = models.CharField(
        _("city name (English)"),
        max_length=100,
        default="Incheon Metropolitan City",
    )
    emblem = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("emblem"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The city's emblem or logo; the programme's emblem when empty."),
    )
    bureau_name = models.CharField(
        _("bureau (Korean)"), max_length=100, default="일자리경제과"
    )
    bureau_name_en = models.CharField(
        _("bureau (English)"), max_length=100, default="Jobs and Economy Division"
    )
    address = models.CharField(
        _("address (Korean)"),
        max_length=200,
        default="(21554) 인천광역시 남동구 정각로 29 인천광역시청",
    )
    address_en = models.CharField(
        _("address (English)"),
        max_length=200,
        default="29 Jeonggak-ro, Namdong-gu, Incheon 21554, Republic of Korea",
    )
    phone = models.CharField(_("phone"), max_length=40, default="032-120")
    accessibility_mark = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("web accessibility quality mark"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The web accessibility quality mark, shown in the footer once awarded."
        ),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("city_name"), FieldPanel("city_name_en"), FieldPanel("emblem")],
            heading=_("Identity header"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("bureau_name"),
                FieldPanel("bureau_name_en"),
                FieldPanel("address"),
                FieldPanel("address_en"),
                FieldPanel("phone"),
                FieldPanel("accessibility_mark"),
            ],
            heading=_("Footer"),
        ),
    ]

    class Meta:
        verbose_name = _("public site")

    def localized(self, field_name: str) -> str:
        if english_active():
            english = getattr(self, f"{field_name}_en", "")
            if english:
                return english
        return getattr(self, field_name)
