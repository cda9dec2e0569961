"""Accessibility: axe-core (WCAG 2.1 A/AA, which KWCAG 2.2 follows) over the
public pages in Korean and English and the main admin forms, with no serious
or critical violation; pages declare their language, fields have labels and
errors are read out.

This module runs before the journeys (file order) and changes nothing they
rely on: it uses the demo as seeded (reviewer1's draft review of the 2020
call, Seo-gu's October 2019 draft)."""

from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from competitions.models import (
    AssignmentStatus,
    CallIndexPage,
    CallPage,
    CallResultsPage,
    ReviewAssignment,
)
from reporting.evaluation.models import EvaluationScheme, OutcomesPage
from reporting.models import MonthlyReport
from tests.spreadsheets.conftest import layout_cells

from .browser import (
    announced,
    axe_violations,
    describe,
    fill_two_factor,
    is_at,
    new_context,
    path_of,
    sign_in,
    submit,
    unlabelled_fields,
)

PUBLIC_PAGES = {
    "home": lambda: "/",
    "call-index": lambda: CallIndexPage.objects.get().url,
    "call": lambda: CallPage.objects.get(year=2027).url,
    "results": lambda: (
        CallResultsPage.objects.child_of(CallPage.objects.get(year=2018)).get().url
    ),
    "outcomes": lambda: OutcomesPage.objects.get(year=2019).url,
}


def assert_accessible(page, *, language: str = "ko") -> None:
    assert page.locator("html").get_attribute("lang") == language, path_of(page)
    violations = axe_violations(page)
    assert not violations, f"{path_of(page)}:\n{describe(violations)}"
    assert not unlabelled_fields(page), f"{path_of(page)}: {unlabelled_fields(page)}"


@pytest.fixture(scope="module")
def open_page(browser, server_url):
    """A page in a browser of its own (bypassing the CSP so that axe can be
    injected), signed in as the given user, once per user."""
    pages = {}
    contexts = []

    def open_as(username: str | None = None, *, locale: str = "ko-KR"):
        key = (username, locale)
        if key not in pages:
            context = new_context(
                browser, base_url=server_url, locale=locale, bypass_csp=True
            )
            contexts.append(context)
            page = context.new_page()
            if username:
                sign_in(page, username)
            pages[key] = page
        return pages[key]

    yield open_as
    for context in contexts:
        context.close()


# --- the public site ------------------------------------------------------------------


@pytest.mark.parametrize("name", PUBLIC_PAGES)
@pytest.mark.parametrize("language", ["ko", "en"])
def test_public_page_is_accessible(open_page, language, name):
    page = open_page(locale=f"{language}-KR")
    page.goto(PUBLIC_PAGES[name]())
    if page.locator("html").get_attribute("lang") != language:
        # The language switcher of the site's header (the default is Korean).
        page.get_by_label("언어" if language == "en" else "Language").select_option(
            language
        )
        submit(page, ".language-switcher button[type=submit]")
    assert_accessible(page, language=language)


# --- the admin ------------------------------------------------------------------------


def test_sign_in_page_is_accessible_and_reads_out_a_wrong_password(open_page):
    page = open_page()
    page.goto("/admin/login/")
    assert_accessible(page)
    page.locator("input[name=username]").fill("seogu")
    page.locator("input[name=password]").fill("not-the-password")
    submit(page, "form:has(input[name=password]) button[type=submit]")
    assert is_at(page, "wagtailadmin_login")
    error = page.locator(".messages li").first.inner_text()
    assert error and announced(page, error)
    assert_accessible(page)


def test_two_factor_page_is_accessible_and_reads_out_a_wrong_code(
    open_page, browser, server_url
):
    context = new_context(browser, base_url=server_url, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto("/admin/login/")
        page.locator("input[name=username]").fill("reviewer3")
        page.locator("input[name=password]").fill("sangsaeng-demo")
        submit(page, "form:has(input[name=password]) button[type=submit]")
        assert is_at(page, "accounts_2fa_verify")
        assert_accessible(page)
        page.locator("input[name=otp_token]").fill("000000")
        submit(page, "form:has(input[name=otp_token]) button[type=submit]")
        assert is_at(page, "accounts_2fa_verify")
        assert page.locator("[role=alert]").inner_text().strip()
        assert page.locator("input[name=otp_token]").get_attribute(
            "aria-invalid"
        ) == "true" or (
            page.locator("input[name=otp_token]").get_attribute("aria-describedby")
        )
        assert_accessible(page)
        page.wait_for_timeout(2_000)  # django-otp waits a second after a wrong code
        fill_two_factor(page, "reviewer3")
    finally:
        context.close()


@pytest.mark.parametrize("username", ["city", "bupyeong"])
def test_dashboard_is_accessible(open_page, username):
    page = open_page(username)
    page.goto("/admin/")
    assert_accessible(page)


def test_proposal_form_and_its_errors_are_accessible(open_page):
    page = open_page("bupyeong")
    page.goto(f"{reverse('proposals:add')}?call={CallPage.objects.get(year=2027).pk}")
    assert_accessible(page)
    submit(
        page, "button[name=action-submit]"
    )  # nothing filled in: refused, nothing saved
    assert path_of(page) == reverse("proposals:add")
    message = page.locator(".messages li").first.inner_text().strip().splitlines()[0]
    assert message and announced(page, message)
    assert_accessible(page)


def test_score_form_is_accessible(open_page):
    assignment = ReviewAssignment.objects.get(
        reviewer__username="reviewer1",
        proposal__call__year=2020,
        status=AssignmentStatus.NO_CONFLICT,
    )
    page = open_page("reviewer1")
    page.goto(reverse("review_assignment", args=[assignment.pk]))
    assert page.locator("[data-score-form]").is_visible()
    assert_accessible(page)


def test_report_page_upload_and_upload_errors_are_accessible(open_page, tmp_path):
    report = MonthlyReport.objects.get(
        project__district__code="SG", period=date(2019, 10, 1)
    )
    page = open_page("seogu")
    page.goto(reverse("reporting_report", args=[report.pk]))
    assert_accessible(page)
    with page.expect_download() as download:
        page.locator("[data-spreadsheet-links] a").first.click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    workbook = load_workbook(template)
    cell = next(
        address
        for key, address in layout_cells(workbook).items()
        if key.endswith(".total") and not key.startswith("comment:")
    )
    workbook["실적"][cell] = "열두"
    broken = tmp_path / "broken.xlsx"
    workbook.save(broken)

    page.goto(
        reverse("reporting_report_form", args=[report.project_id, "2019-10"])
    )  # the web form
    assert_accessible(page)

    page.goto(reverse("spreadsheets_upload", args=[report.project_id, "2019-10"]))
    assert_accessible(page)
    submit(page, "form:has(input[type=file]) button[type=submit]")  # no file chosen
    assert page.locator("main [role=alert]").inner_text().strip()
    assert_accessible(page)
    page.get_by_label("스프레드시트").set_input_files(broken)
    submit(page, "form:has(input[type=file]) button[type=submit]")
    assert cell in page.locator("[data-upload-errors][role=alert]").inner_text()
    assert_accessible(page)


def test_outcomes_dashboard_evaluation_and_overdue_list_are_accessible(open_page):
    page = open_page("city")
    page.goto(reverse("evaluation_dashboard"))
    assert page.locator("[data-figure=jobs_created]").is_visible()
    assert_accessible(page)
    page.goto(
        reverse(
            "evaluation_detail", args=[EvaluationScheme.objects.get(call__year=2018).pk]
        )
    )
    assert_accessible(page)
    page.goto(reverse("reporting_overdue"))
    assert_accessible(page)


def test_user_guide_is_accessible(open_page):
    page = open_page("bupyeong")
    page.goto(reverse("guide_page", args=["district-officer"]))
    assert page.locator("article[data-guide] img").count() >= 1
    assert_accessible(page)
