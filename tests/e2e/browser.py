"""What the journeys do in the browser: launch Debian's Chromium, sign in (with
the two-factor step and the re-authentication step the server asks for), take
numbered screenshots, and run axe-core over a page."""

import os
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from accounts.demo import DEMO_PASSWORD

ARTIFACTS_DIR = Path(
    os.environ.get(
        "SANGSAENG_E2E_ARTIFACTS", settings.BASE_DIR / "var" / "e2e-artifacts"
    )
)
CHROMIUM = os.environ.get("SANGSAENG_CHROMIUM", "/usr/bin/chromium")
# Headless, no sandbox (CI runs as root in a container), and nothing that talks
# to Google: no background networking, component updates, sync or QUIC.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = os.environ.get("SANGSAENG_AXE_JS", "")
# WCAG 2.1 A and AA: what KWCAG 2.2, the Korean public-sector standard, follows.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")


@contextmanager
def launch_browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def new_context(
    browser: Browser, *, base_url: str, locale: str = "ko-KR", bypass_csp: bool = False
) -> BrowserContext:
    """Journeys keep the site's Content-Security-Policy (what blocks a script
    blocks it for the person too); the accessibility checks bypass it, as
    axe-core is injected as an inline script."""
    context = browser.new_context(
        base_url=base_url,
        locale=locale,
        timezone_id="Asia/Seoul",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
        bypass_csp=bypass_csp,
    )
    context.set_default_timeout(20_000)
    return context


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def is_at(page: Page, url_name: str) -> bool:
    return path_of(page) == reverse(url_name)


def submit(page: Page, selector: str) -> None:
    """Press a button that sends a form and wait for the next page."""
    page.locator(selector).click()
    page.wait_for_load_state()


# --- signing in ---------------------------------------------------------------------


def totp_code(username: str) -> str:
    """A code of the user's confirmed device computed from the database, as the
    authenticator app would show it. django-otp refuses a code of a time step
    the device has already used, so wait for the next step if need be."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    while True:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        now = time.time()
        step = int((now - device.t0) // device.step)
        if device.last_t < step:
            code = totp(
                device.bin_key,
                step=device.step,
                t0=device.t0,
                digits=device.digits,
                drift=device.drift,
            )
            return f"{code:06d}"
        time.sleep(device.step - (now - device.t0) % device.step + 0.2)


def sign_in(
    page: Page, username: str, *, next_url: str = "/admin/", on_two_factor=None
) -> bool:
    """Sign in through the admin's sign-in page, and the two-factor page when
    the server asks for it (``on_two_factor(page)`` is called there first).
    Returns whether it asked."""
    page.goto(f"/admin/login/?next={next_url}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    submit(page, "form:has(input[name=password]) button[type=submit]")
    asked = is_at(page, "accounts_2fa_verify")
    if asked:
        if on_two_factor:
            on_two_factor(page)
        fill_two_factor(page, username)
    assert not is_at(page, "accounts_2fa_setup"), f"{username} has no confirmed device"
    assert not is_at(page, "wagtailadmin_login"), f"{username} could not sign in"
    return asked


def fill_two_factor(page: Page, username: str) -> None:
    page.locator("input[name=otp_token]").fill(totp_code(username))
    submit(page, "form:has(input[name=otp_token]) button[type=submit]")
    assert not is_at(page, "accounts_2fa_verify"), page.inner_text("body")[:2000]


def reauthenticate_if_asked(page: Page, username: str) -> bool:
    """On the re-authentication page: the password again (and a code for a user
    with a device); the server then sends the person back to the page with
    the button. Returns whether it asked."""
    if not is_at(page, "accounts_reauth"):
        return False
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    code = page.locator("input[name=otp_token]")
    if code.count():
        code.fill(totp_code(username))
    submit(page, "form:has(input[name=password]) button[type=submit]")
    assert not is_at(page, "accounts_reauth"), page.inner_text("body")[:2000]
    return True


# --- a journey ----------------------------------------------------------------------


# The screenshot set kept by CI (issue 21): each key screen in Korean and in
# English, on a laptop (1366×768) and a phone (390 px wide), in
# var/e2e-artifacts/<journey>/<language>-<width>/NN-what.png. The journey runs
# once; at each screenshot the page is resized in place for Korean, and opened
# again in a second browser context holding the same session and the language
# cookie for English (a user with no language preference of their own reads
# the admin in the cookie's language).
SCREEN_SIZES = ((1366, 768), (390, 844))
# With SANGSAENG_GUIDE_SCREENSHOTS=1, screens named for the user guide are also
# saved (1366×768, the visible part) to docs/guide/img/<language>/<name>.png.
GUIDE_SCREENSHOTS = os.environ.get("SANGSAENG_GUIDE_SCREENSHOTS") == "1"
GUIDE_IMG_DIR = Path(settings.BASE_DIR) / "docs" / "guide" / "img"


class Journey:
    """The people of one journey (a browser context each) and its screenshots,
    numbered in the order taken: var/e2e-artifacts/<name>/NN-what.png, and the
    screenshot set of each in <language>-<width>/ beside it."""

    def __init__(
        self, name: str, *, browser: Browser, base_url: str, screen_set: bool = False
    ):
        self.name = name
        self.screen_set = screen_set
        self.browser = browser
        self.base_url = base_url
        self.folder = ARTIFACTS_DIR / name
        self.count = 0
        self.contexts: list[BrowserContext] = []
        self.english_pages: dict[int, Page] = {}

    def __enter__(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc_info):
        for context in self.contexts:
            context.close()

    def person(self, locale: str = "ko-KR") -> Page:
        """A new browser (context) for one person; it says yes to confirm() boxes."""
        context = new_context(self.browser, base_url=self.base_url, locale=locale)
        self.contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    def sign_in(self, page: Page, username: str, **options) -> bool:
        """sign_in(), with a screenshot of the two-factor page if it comes."""
        return sign_in(
            page,
            username,
            on_two_factor=lambda p: self.shot(
                p, f"{username}-two-factor", reloadable=False
            ),
            **options,
        )

    def shot(
        self, page: Page, what: str, *, reloadable: bool = True, guide: str = ""
    ) -> Path:
        """The numbered screenshot, then the screenshot set of the same screen.
        ``reloadable=False`` for a screen that only a POST shows (a form sent
        back with its errors): its English twin cannot be opened again, so the
        set holds it in Korean only. ``guide`` names it for the user guide."""
        self.count += 1
        name = f"{self.count:02d}-{what}.png"
        path = self.folder / name
        page.screenshot(path=path, full_page=True)
        if not self.screen_set:
            return path
        self._screen_set(page, "ko", name, guide)
        if reloadable:
            english = self._english(page)
            english.goto(page.url)
            english.wait_for_load_state()
            self._screen_set(english, "en", name, guide)
        return path

    def _screen_set(self, page: Page, language: str, name: str, guide: str) -> None:
        before = page.viewport_size
        try:
            for width, height in SCREEN_SIZES:
                page.set_viewport_size({"width": width, "height": height})
                folder = self.folder / f"{language}-{width}"
                folder.mkdir(exist_ok=True)
                page.screenshot(path=folder / name, full_page=True)
                if guide and GUIDE_SCREENSHOTS and width == SCREEN_SIZES[0][0]:
                    target = GUIDE_IMG_DIR / language / f"{guide}.png"
                    target.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=target)
        finally:
            if before:
                page.set_viewport_size(before)

    def _english(self, page: Page) -> Page:
        """The English twin of a person's browser: same cookies (the session),
        plus the language cookie, refreshed before each screenshot."""
        english = self.english_pages.get(id(page.context))
        if english is None:
            context = new_context(self.browser, base_url=self.base_url, locale="en-US")
            self.contexts.append(context)
            english = context.new_page()
            english.on("dialog", lambda dialog: dialog.dismiss())
            self.english_pages[id(page.context)] = english
        context = english.context
        context.clear_cookies()
        cookies = [
            c
            for c in page.context.cookies()
            if c["name"] != settings.LANGUAGE_COOKIE_NAME
        ]
        context.add_cookies(
            [
                *cookies,
                {
                    "name": settings.LANGUAGE_COOKIE_NAME,
                    "value": "en",
                    "url": self.base_url,
                },
            ]
        )
        return english


# --- accessibility ------------------------------------------------------------------


def axe_violations(page: Page) -> list[dict]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page."""
    assert AXE_JS and Path(AXE_JS).is_file(), (
        "axe-core is fetched by `make e2e` (SANGSAENG_AXE_JS names axe.min.js)"
    )
    # Wagtail fades its messages in: judged mid-way, an error's colours fail
    # the contrast check that they pass once shown. Let short animations end.
    page.evaluate(FINITE_ANIMATIONS_FINISHED_JS)
    page.add_script_tag(path=AXE_JS)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]


# Waits for the animations and transitions that end within two seconds (a
# message fading in), never for long or endless ones (spinners, pulses).
FINITE_ANIMATIONS_FINISHED_JS = """() => Promise.race([
  Promise.all(document.getAnimations()
    .filter(a => a.effect && a.effect.getComputedTiming().endTime <= 2000)
    .map(a => a.finished.catch(() => null))),
  new Promise(resolve => setTimeout(resolve, 2000)),
])"""


UNLABELLED_FIELDS_JS = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
  .filter(el => el.getClientRects().length > 0)
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby') && !el.title)
  .map(el => el.outerHTML.slice(0, 200))"""


def unlabelled_fields(page: Page) -> list[str]:
    """Visible form fields with no label, aria-label(ledby) or title."""
    return page.evaluate(UNLABELLED_FIELDS_JS)


def announced(page: Page, text: str) -> bool:
    """Is the text inside a live region, so that a screen reader reads it out?"""
    regions = page.locator(
        "[role=alert], [role=status], [aria-live]:not([aria-live=off])"
    )
    return regions.filter(has_text=text).count() > 0


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['html'][:160]}")
            lines.append(f"      {node.get('failureSummary', '')[:300]}")
    return "\n".join(lines)
