"""The city's work screens fit the screen they are read on (issue 21, "Screens
that fit the decision"): at 1366×768 the ranking's whole decision — rank,
title, district, score, amount, running total, decision, reason — is on screen
with no sideways scroll, in the page or inside the table; at 390 px it reflows
instead of overflowing. Screenshots go to var/e2e-artifacts/screens-fit/.

Runs before the journeys (file order) and only reads: the 2020 call is still
in review, so its decision controls are on screen."""

import pytest
from django.urls import reverse

from competitions.models import CallPage

from .browser import ARTIFACTS_DIR, sign_in

WIDE = {"width": 1366, "height": 768}
NARROW = {"width": 390, "height": 844}

OVERFLOW = """() => {
    const page = document.documentElement;
    const table = document.querySelector('[data-ranking]');
    const wider = [...document.querySelectorAll('main *')]
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
        .map(el => el.tagName + '.' + el.className).slice(0, 5);
    return {
        pageScroll: page.scrollWidth, innerWidth: window.innerWidth,
        tableScroll: table ? table.scrollWidth : 0,
        tableClient: table ? table.clientWidth : 0,
        wider: wider,
    };
}"""


def _person(browser, server_url, viewport, locale="ko-KR"):
    context = browser.new_context(
        base_url=server_url, locale=locale, timezone_id="Asia/Seoul", viewport=viewport
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    sign_in(page, "city")
    return context, page


@pytest.mark.journey("screens-fit")
def test_the_ranking_fits_1366_pixels_and_reflows_at_390(browser, server_url):
    folder = ARTIFACTS_DIR / "screens-fit"
    folder.mkdir(parents=True, exist_ok=True)
    in_review = CallPage.objects.get(year=2020)
    decided = CallPage.objects.get(year=2018)
    context, page = _person(browser, server_url, WIDE)
    try:
        for call, name in ((in_review, "in-review"), (decided, "published")):
            page.goto(reverse("review_ranking", args=[call.pk]))
            sizes = page.evaluate(OVERFLOW)
            assert sizes["pageScroll"] <= sizes["innerWidth"], sizes
            assert sizes["tableScroll"] <= sizes["tableClient"], sizes
            assert not sizes["wider"], sizes
            page.screenshot(path=folder / f"ranking-{name}-1366.png", full_page=True)
        # The 2020 call is open for decisions: the buttons say what they do,
        # and each row's decision, reason and running total are in view
        # without scrolling sideways.
        page.goto(reverse("review_ranking", args=[in_review.pk]))
        first = page.locator("tr[data-proposal]").first
        labels = first.locator("[data-decide]").all_inner_texts()
        assert [label.strip() for label in labels] == ["선정", "미선정"]
        for selector in (
            "[data-decide]",
            "textarea[name=reason]",
            "[data-running-total]",
        ):
            box = first.locator(selector).first.bounding_box()
            assert box is not None and box["x"] + box["width"] <= WIDE["width"], (
                selector
            )
        # Criterion scores on demand.
        details = first.locator("details[data-criteria]")
        assert not details.get_attribute("open")
        details.locator("summary").click()
        assert details.locator("dd").count() >= 2
        page.screenshot(path=folder / "ranking-details-1366.png", full_page=True)
        for url, name in (
            (reverse("reporting_month"), "month"),
            (reverse("reporting_overdue"), "overdue"),
        ):
            page.goto(url)
            sizes = page.evaluate(OVERFLOW)
            assert sizes["pageScroll"] <= sizes["innerWidth"], (name, sizes)
            page.screenshot(path=folder / f"{name}-1366.png", full_page=True)
    finally:
        context.close()

    context, page = _person(browser, server_url, NARROW)
    try:
        page.goto(reverse("review_ranking", args=[in_review.pk]))
        sizes = page.evaluate(OVERFLOW)
        assert sizes["tableScroll"] <= sizes["tableClient"], sizes
        page.screenshot(path=folder / "ranking-in-review-390.png", full_page=True)
    finally:
        context.close()
