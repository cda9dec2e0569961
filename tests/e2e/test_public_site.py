"""The public site as a citizen meets it, on KRDS: every public page in Korean
and English is axe-clean, reflows at 320 px and at 200 % zoom of a 1366 px
screen (a 683 px viewport) without horizontal scrolling, and is screenshotted
at 1366 and 390 px (var/e2e-artifacts/public-site/<lang>-<width>/). The
keyboard alone reaches the skip link first, lands in the main content through
it, and works the language switch, high-contrast and text-size controls, with
the focus always visible and the choices remembered.

Pages other parts of the site add (a district's page, a project's page, the
dataset pages) are included when their URLs resolve and answer; until then
they are skipped by name."""

import pytest
from django.urls import NoReverseMatch, reverse

from accounts.models import Organisation
from cms.templatetags.public_site import OPEN_DATA_URL_NAMES
from competitions.models import CallIndexPage, CallPage, CallResultsPage
from projects.models import Project
from reporting.evaluation.models import OutcomesPage

from .browser import ARTIFACTS_DIR, axe_violations, describe, new_context, path_of

SCREENSHOT_WIDTHS = (1366, 390)
REFLOW_WIDTHS = (320, 683)  # 320 px reflow; 200 % zoom of a 1366 px screen
SHOTS_DIR = ARTIFACTS_DIR / "public-site"


def _reversed(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def _district_url() -> str | None:
    district = Organisation.objects.get(code="BP")
    for code in (district.code, district.code.lower()):
        url = _reversed("public_district", code=code)
        if url:
            return url
    return None


def _project_url() -> str | None:
    project = Project.objects.filter(district__code="BP").order_by("code").first()
    return _reversed("public_project", code=project.code) if project else None


def _dataset_url() -> str | None:
    for name in OPEN_DATA_URL_NAMES:
        if name != "open_data:openapi":
            url = _reversed(name)
            if url:
                return url
    return None


PUBLIC_PAGES = {
    "home": lambda: "/",
    "call-index": lambda: CallIndexPage.objects.get().url,
    "call": lambda: CallPage.objects.get(year=2027).url,
    "results": lambda: (
        CallResultsPage.objects.child_of(CallPage.objects.get(year=2018)).get().url
    ),
    "results-index": lambda: reverse("public:results"),
    "outcomes": lambda: OutcomesPage.objects.get(year=2019).url,
    "district": _district_url,
    "project": _project_url,
    "datasets": _dataset_url,
    "dataset": lambda: reverse("datasets:detail", args=["monthly-figures"]),
    "privacy": lambda: reverse("public:privacy"),
    "copyright": lambda: reverse("public:copyright"),
    "search": lambda: reverse("public:search") + "?q=2019",
}

NO_HORIZONTAL_SCROLL_JS = "() => document.documentElement.scrollWidth"
FOCUS_RING_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName, text: (el.textContent || el.value || '').trim().slice(0, 40),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== 'none',
  };
}"""


@pytest.fixture(scope="module")
def pages_in(browser, server_url):
    """One browser per language (CSP bypassed for axe), the English one switched
    by the header's language form."""
    contexts, pages = [], {}

    def page_in(language: str):
        if language not in pages:
            context = new_context(browser, base_url=server_url, bypass_csp=True)
            contexts.append(context)
            page = context.new_page()
            if language == "en":
                page.goto("/")
                page.select_option("#language-select", "en")
                page.click(".language-switcher button[type=submit]")
                page.wait_for_load_state()
            pages[language] = page
        return pages[language]

    yield page_in
    for context in contexts:
        context.close()


@pytest.mark.parametrize("name", PUBLIC_PAGES)
@pytest.mark.parametrize("language", ["ko", "en"])
def test_public_page_is_accessible_reflows_and_is_screenshotted(
    pages_in, language, name
):
    url = PUBLIC_PAGES[name]()
    assert url, f"{name}: the page has no address"
    page = pages_in(language)
    page.set_viewport_size({"width": 1366, "height": 900})
    response = page.goto(url)
    assert response.status == 200, url
    assert page.locator("html").get_attribute("lang") == language
    if name == "call":  # the demo's call answers its questions, opened by keyboard
        assert page.locator("[data-faq] details").count() == 3
        page.locator("[data-faq] summary").first.focus()
        page.keyboard.press("Enter")
        assert page.locator("[data-faq] details").first.get_attribute("open") == ""
    violations = axe_violations(page)
    assert not violations, f"{path_of(page)}:\n{describe(violations)}"
    number = list(PUBLIC_PAGES).index(name) + 1
    for width in SCREENSHOT_WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        folder = SHOTS_DIR / f"{language}-{width}"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=folder / f"{number:02d}-{name}.png", full_page=True)
    for width in REFLOW_WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        scroll_width = page.evaluate(NO_HORIZONTAL_SCROLL_JS)
        assert scroll_width <= width, f"{url} at {width} px scrolls to {scroll_width}"


@pytest.fixture
def keyboard_page(browser, server_url):
    """A fresh browser that keeps the site's CSP, as a person's would."""
    context = new_context(browser, base_url=server_url)
    page = context.new_page()
    yield page
    context.close()


def _focused(page) -> dict:
    return page.evaluate(FOCUS_RING_JS)


def _tab_to(page, selector: str, limit: int = 30) -> list[dict]:
    """Tab until the selector has the focus; the focus of every stop on the way."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(_focused(page))
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return stops
    raise AssertionError(f"{selector} was not reached by Tab: {stops}")


def test_tab_reaches_the_skip_link_first_and_it_moves_focus_to_main(keyboard_page):
    page = keyboard_page
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.matches('.skip-link')")
    ring = _focused(page)
    assert ring["outline"] or ring["shadow"], ring
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # The next Tab goes on from the main content, not back to the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('main')")


def test_every_tab_stop_of_the_header_shows_its_focus(keyboard_page):
    page = keyboard_page
    page.goto("/")
    stops = _tab_to(page, ".gnb-menu a[data-nav=results]")
    hidden = [stop for stop in stops if not (stop["outline"] or stop["shadow"])]
    assert hidden == []
    texts = [stop["text"] for stop in stops]
    assert "고대비" in texts and "화면 크기" in texts and "검색" in texts


def test_high_contrast_by_keyboard_is_remembered(keyboard_page):
    page = keyboard_page
    page.goto("/")
    _tab_to(page, "[data-contrast-toggle]")
    normal_background = page.evaluate(
        "() => getComputedStyle(document.body).backgroundColor"
    )
    page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("data-krds-mode") == "high-contrast"
    assert (
        page.locator("[data-contrast-toggle]").get_attribute("aria-pressed") == "true"
    )
    dark = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert dark != normal_background
    page.goto(CallIndexPage.objects.get().url)
    assert page.locator("html").get_attribute("data-krds-mode") == "high-contrast"
    _tab_to(page, "[data-contrast-toggle]")
    page.keyboard.press("Space")
    assert page.locator("html").get_attribute("data-krds-mode") is None


def test_text_size_by_keyboard_is_remembered(keyboard_page):
    page = keyboard_page
    page.goto("/")
    root_size = "() => parseFloat(getComputedStyle(document.documentElement).fontSize)"
    normal = page.evaluate(root_size)
    _tab_to(page, "#text-size-button")
    page.keyboard.press("Enter")
    assert page.locator("#text-size-button").get_attribute("aria-expanded") == "true"
    assert page.locator("#text-size-menu").is_visible()
    # The focus starts on the size in use (보통); the next one is 조금 크게.
    assert page.evaluate("() => document.activeElement.dataset.adjustScale") == "md"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # 크게 (1.3)
    page.keyboard.press("Enter")
    larger = page.evaluate(root_size)
    assert larger == pytest.approx(normal * 1.3, rel=0.02)
    page.keyboard.press("Escape")
    assert page.locator("#text-size-button").get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.id") == "text-size-button"
    page.reload()
    assert page.evaluate(root_size) == pytest.approx(larger)
    # Larger text still reflows on a phone.
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate(NO_HORIZONTAL_SCROLL_JS) <= 320


def test_language_switch_by_keyboard(keyboard_page):
    page = keyboard_page
    page.goto("/")
    _tab_to(page, "#language-select")
    page.keyboard.press("ArrowDown")  # 한국어 → English
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".skip-link").inner_text() == "Skip to content"


def _tab_until(page, selector: str, limit: int = 400) -> None:
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            ring = _focused(page)
            assert ring["outline"] or ring["shadow"], f"{selector}: focus not shown"
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} was not reached by Tab")


def test_officer_saves_a_draft_proposal_with_the_keyboard_only(keyboard_page):
    """From the public call page to a saved draft: Tab, typing and Enter only."""
    from accounts.demo import DEMO_PASSWORD
    from competitions.models import Proposal, ProposalStatus

    title = "키보드로 쓴 제안서 (e2e)"
    page = keyboard_page
    call = CallPage.objects.get(year=2027)
    page.goto("/admin/login/")
    _tab_until(page, "input[name=username]")
    page.keyboard.type("bupyeong")
    _tab_until(page, "input[name=password]")
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert not page.url.rstrip("/").endswith("/admin/login"), "not signed in"
    page.goto(call.url)
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Enter")
    _tab_until(page, "[data-start-proposal]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _tab_until(page, "#id_title")
    page.keyboard.type(title)
    _tab_until(page, "#id_summary")
    page.keyboard.type("키보드만으로 작성한 사업 개요입니다.")
    _tab_until(page, "button[name=action-save]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    proposal = Proposal.objects.get(title=title)
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.summary == "키보드만으로 작성한 사업 개요입니다."


def test_high_contrast_pages_are_axe_clean(browser, server_url):
    context = new_context(browser, base_url=server_url, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto("/")
        page.click("[data-contrast-toggle]")
        for name in ("home", "call", "results", "outcomes"):
            page.goto(PUBLIC_PAGES[name]())
            assert page.locator("html").get_attribute("data-krds-mode") == (
                "high-contrast"
            )
            violations = axe_violations(page)
            assert not violations, f"{path_of(page)}:\n{describe(violations)}"
    finally:
        context.close()
