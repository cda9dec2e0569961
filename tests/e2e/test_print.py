"""Paper (issue 21): an admin detail page printed from the browser shows the
page's content and title, without the sidebar or the header's furniture, and
nothing is cut at the page's edge."""

from datetime import date

import pytest
from django.urls import reverse

from reporting.models import MonthlyReport

# An A4 page less the stylesheet's margins, in CSS pixels (96 per inch).
PRINTABLE_WIDTH = round((210 - 24) / 25.4 * 96)


@pytest.mark.journey("print")
def test_a_report_page_prints_its_content_without_the_sidebar(journey):
    report = MonthlyReport.objects.select_related("project").get(
        project__district__code="BP", period=date(2019, 9, 1)
    )
    officer = journey.person()
    journey.sign_in(officer, "bupyeong")
    officer.goto(reverse("reporting_report", args=[report.pk]))
    officer.wait_for_load_state()
    sidebar = officer.locator("#wagtail-sidebar .sidebar__inner")
    assert sidebar.is_visible(), "the sidebar is on screen"
    assert officer.locator("link[data-print-stylesheet]").count() == 1

    officer.set_viewport_size({"width": PRINTABLE_WIDTH, "height": 1000})
    officer.emulate_media(media="print")
    assert not sidebar.is_visible()
    assert not officer.locator(".skiplink").is_visible()
    assert officer.locator("form:has(textarea) button").count() == 0 or not (
        officer.locator("form:has(textarea) button").first.is_visible()
    )
    # The title and the figures are on paper, whole: no table runs off the page.
    assert officer.locator("h1").first.is_visible()
    assert officer.get_by_text(report.project.code).first.is_visible()
    tables = officer.locator("main table")
    assert tables.count() >= 2
    for index in range(tables.count()):
        assert tables.nth(index).is_visible()
    overflow = officer.evaluate(
        "() => Math.max(...[...document.querySelectorAll('main table')]"
        ".map(t => t.getBoundingClientRect().right))"
    )
    assert overflow <= PRINTABLE_WIDTH + 1, overflow
    assert officer.evaluate("document.documentElement.scrollWidth") <= (
        PRINTABLE_WIDTH + 1
    )

    pdf = officer.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF")
    (journey.folder / "report-page.pdf").write_bytes(pdf)
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(
        "".join(page.extract_text().replace("\x00", "").split())
        for page in PdfReader(BytesIO(pdf)).pages
    )
    assert report.project.code in text
    # The sidebar's menu is not printed (its entries are only in the sidebar).
    assert "사업과실적보고" not in text
