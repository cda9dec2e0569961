"""The public site's skeleton for the demo: a bilingual home page as the site root."""

from django.db import transaction
from wagtail.models import Page, Site

from .models import HomePage

HOME_INTRO = (
    "<p>인천광역시와 10개 구·군이 함께 만드는 상생협력 특화일자리사업입니다. "
    "공모, 심사 결과, 사업별 성과를 이곳에서 확인하세요.</p>"
)
HOME_INTRO_EN = (
    "<p>Win-win specialised job projects run by Incheon Metropolitan City with its ten "
    "districts and counties. Calls for proposals, selection results and the outcomes "
    "of every project are published here.</p>"
)


@transaction.atomic
def seed_home_page() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(
                title="상생협력 특화일자리",
                title_en="Win-win specialised job projects",
                slug="sangsaeng",
                intro=HOME_INTRO,
                intro_en=HOME_INTRO_EN,
            )
        )
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="상생",
        )
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "상생"
        site.save()
        # Wagtail's placeholder "Welcome" page has no place on the real site.
        if old_root.specific_class is Page and old_root.depth == 2:
            old_root.delete()
    return home
