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


# The questions districts ask most about the open call (자주 묻는 질문): data of
# the call, written in both languages.
CALL_FAQS = [
    (
        "비영리법인이나 사회적기업도 수행기관이 될 수 있나요?",
        "Can a non-profit or a social enterprise deliver a project?",
        "네. 구·군이 제안하고 수행기관은 비영리법인, 사회적기업, 협동조합 등 "
        "사업을 수행할 역량이 있는 기관이면 됩니다.",
        "Yes. The district proposes the project; any body able to deliver it "
        "(a non-profit, a social enterprise, a cooperative) may run it.",
    ),
    (
        "시비와 구·군비는 어떻게 나누나요?",
        "How are the costs shared between the city and the district?",
        "공고의 분담 비율(시 50 : 구·군 50)에 따릅니다. 시비는 사업당 한도를 넘을 수 없습니다.",
        "By the ratio of the call (city 50 : district 50). The city's share "
        "cannot exceed the cap per project.",
    ),
    (
        "마감 후에 제안서를 고칠 수 있나요?",
        "Can a proposal be changed after the deadline?",
        "아니요. 마감 시각(한국 시간) 이후에는 제출과 수정이 모두 닫힙니다. "
        "심사 중 시가 보완을 요청하면 그 범위에서만 고칠 수 있습니다.",
        "No. Sending and changing close at the deadline (Korean time). During "
        "the review a district may amend only what the city asks it to.",
    ),
]


@transaction.atomic
def seed_call_faqs() -> None:
    """The FAQ of the demo's open call (2027), once."""
    from competitions.models import CallFaq, CallPage

    call = CallPage.objects.filter(year=2027).first()
    if call is None or call.faqs.exists():
        return
    for order, (question, question_en, answer, answer_en) in enumerate(CALL_FAQS):
        CallFaq.objects.create(
            page=call,
            sort_order=order,
            question=question,
            question_en=question_en,
            answer=answer,
            answer_en=answer_en,
        )
