"""Journey 3: a district officer downloads the month's template, fills it in
(openpyxl, as Excel would), uploads a version with an error and sees the
cell-precise message, fixes it, uploads, submits; the city manager accepts;
the dashboard, the public outcomes page and the open-data API show the new
figures.

The demo's October 2019 reports are drafts, so nothing of October is in any
total before the journey: every figure afterwards is the total before plus
what the officer filled in."""

from datetime import date

import pytest
from django.urls import reverse

from reporting.evaluation.models import OutcomesPage
from reporting.models import MonthlyReport, ReportStatus
from tests.spreadsheets.conftest import fill, layout_cells

from .browser import submit

OCTOBER = date(2019, 10, 1)
FILLED = {
    "new_hires.women": 1,
    "employed.women": 28,
    "households_visited.total": 120,
    "coaching_visits.total": 330,
}
SPENDING = {"인건비 (personnel)": 15_750_000, "운영비 (operations)": 6_750_000}
TYPO = "약 120"  # "about 120": text where a number belongs


def _outcomes(page, month: int) -> dict:
    response = page.request.get(f"/api/v1/outcomes/?year=2019&month={month}")
    assert response.ok, response.text()
    return response.json()


def _project(data: dict, code: str) -> dict:
    return next(project for project in data["projects"] if project["code"] == code)


@pytest.mark.journey("3-monthly-report", screen_set=True)
def test_a_spreadsheet_report_goes_from_template_to_the_public_figures(
    journey, tmp_path
):
    report = MonthlyReport.objects.select_related("project").get(
        project__district__code="BP", period=OCTOBER
    )
    project = report.project
    assert report.status == ReportStatus.DRAFT

    public = journey.person()
    before = _outcomes(public, 10)
    before_project = _project(before, project.code)

    # --- the officer: template, a file with a typo, the fixed file, submission --------
    officer = journey.person()
    assert not journey.sign_in(officer, "bupyeong"), (
        "district officers have no second step"
    )
    report_url = reverse("reporting_report", args=[report.pk])
    officer.locator(
        f"a[href='{report_url}']"
    ).first.click()  # the dashboard's to-do list
    officer.wait_for_load_state()
    journey.shot(officer, "report-draft", guide="officer-report")
    with officer.expect_download() as download:
        officer.locator("[data-spreadsheet-links] a").first.click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.suffix == ".xlsx"
    base = template.read_bytes()

    from openpyxl import load_workbook

    households_cell = layout_cells(load_workbook(template))["households_visited.total"]
    with_typo = tmp_path / "with-typo.xlsx"
    with_typo.write_bytes(
        fill(
            project,
            OCTOBER,
            values={**FILLED, "households_visited.total": TYPO},
            spending=SPENDING,
            narrative="10월 코칭 활동",
            base=base,
        )
    )
    fixed = tmp_path / "fixed.xlsx"
    fixed.write_bytes(
        fill(
            project,
            OCTOBER,
            values=FILLED,
            spending=SPENDING,
            narrative="10월 코칭 활동",
            base=base,
        )
    )

    officer.locator("[data-spreadsheet-links] a", has_text="올리기").click()
    officer.wait_for_load_state()
    officer.get_by_label("스프레드시트").set_input_files(with_typo)
    journey.shot(officer, "upload-form", reloadable=False)
    submit(officer, "form:has(input[type=file]) button[type=submit]")
    errors = officer.locator("[data-upload-errors]")
    assert errors.get_attribute("role") == "alert"
    rows = errors.locator("tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("td").nth(0).inner_text() == "실적"
    assert rows.first.locator("td").nth(1).inner_text() == households_cell
    assert (
        households_cell in rows.first.inner_text() and TYPO in rows.first.inner_text()
    )
    assert officer.locator("[data-confirm-upload]").count() == 0
    journey.shot(officer, "upload-error", reloadable=False)
    report.refresh_from_db()
    assert (
        report.current_version.values.filter(measure="households_visited", key="total")
        .get()
        .value
        != 120
    )

    officer.get_by_role("link", name="다른 파일 올리기").click()
    officer.wait_for_load_state()
    officer.get_by_label("스프레드시트").set_input_files(fixed)
    submit(officer, "form:has(input[type=file]) button[type=submit]")
    assert officer.locator("[data-upload-errors]").count() == 0
    assert officer.locator("[data-upload-changes]").is_visible()
    journey.shot(officer, "upload-preview", reloadable=False)
    submit(officer, "[data-confirm-upload]")
    journey.shot(officer, "draft-saved")
    submit(officer, "button[data-action=submit]")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED, officer.inner_text("main")[:2000]
    journey.shot(officer, "submitted", guide="officer-report-submitted")
    # The month as submitted, on paper: the report page's print button.
    printed = officer.locator("[data-print-document=report]")
    pdf = officer.request.get(printed.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # --- the city manager accepts -------------------------------------------------------
    city = journey.person()
    assert journey.sign_in(city, "city")
    city.goto(report_url)
    journey.shot(city, "report-to-accept", guide="city-report")
    city.locator("#note-accept").fill("확인했습니다.")
    submit(city, "button[data-action=accept]")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED, city.inner_text("main")[:2000]
    journey.shot(city, "accepted")

    new_hires = FILLED["new_hires.women"]
    households = (
        before_project["outputs"]["households_visited"]["value"]
        + FILLED["households_visited.total"]
    )
    visits = (
        before_project["outputs"]["coaching_visits"]["value"]
        + FILLED["coaching_visits.total"]
    )
    jobs = before["totals"]["jobs_created"] + new_hires

    # The city's dashboard for October 2019.
    city.goto(f"{reverse('evaluation_dashboard')}?year=2019&month=10")
    assert city.locator("[data-figure=jobs_created]").inner_text() == str(jobs)
    assert (
        city.locator("[data-output='BP.households_visited']").inner_text()
        == f"{households:,}"
    )
    journey.shot(city, "dashboard", guide="city-dashboard")

    # The public outcomes page of 2019 now runs to October.
    outcomes = OutcomesPage.objects.get(year=2019)
    public.goto(outcomes.url)
    card = public.locator(f"[data-project='{project.code}']")
    assert (
        card.locator("[data-output=households_visited]")
        .inner_text()
        .startswith(f"{households:,} ")
    )
    assert (
        card.locator("[data-output=coaching_visits]")
        .inner_text()
        .startswith(f"{visits:,} ")
    )
    assert str(jobs) in public.locator("[data-figure=headline]").inner_text()
    journey.shot(public, "public-outcomes")

    # The open data.
    after = _outcomes(public, 10)
    after_project = _project(after, project.code)
    assert after["totals"]["jobs_created"] == jobs
    assert after_project["jobs_created"] == before_project["jobs_created"] + new_hires
    assert after_project["outputs"]["households_visited"]["value"] == households
    assert after_project["outputs"]["coaching_visits"]["value"] == visits
    assert after_project["spending"] == before_project["spending"] + sum(
        SPENDING.values()
    )
