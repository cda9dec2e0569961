"""The dashboard says what it covers, and every chart can be read without
seeing it: a title, a description, both axes labelled, the figures as a table."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation

from reporting.evaluation import charts, selectors
from reporting.evaluation.coverage import month_coverage
from reporting.evaluation.models import OutcomesPage
from reporting.services import report_accept

SVG = "{http://www.w3.org/2000/svg}"


def _dashboard(client, **params) -> str:
    response = client.get(reverse("evaluation_dashboard"), params)
    assert response.status_code == 200
    return response.content.decode()


def _coverage(page: str) -> str:
    match = re.search(r"<p data-coverage[^>]*>(.*?)</p>", page, re.S)
    assert match, "the dashboard says what it covers"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def test_a_complete_month_says_every_report_is_accepted(
    client, city_manager, two_districts
):
    client.force_login(city_manager)
    page = _dashboard(client, year=2019, month=1)
    assert _coverage(page) == "2개 중 2개 보고 승인 (2019년 1월)"
    with translation.override("en"):
        coverage = month_coverage(year=2019, month=1)
        assert coverage.sentence == "2 of 2 reports accepted for January 2019"
        assert coverage.missing_sentence == ""


def test_an_incomplete_month_names_the_districts_still_missing(
    client, city_manager, two_districts
):
    client.force_login(city_manager)
    page = _dashboard(client, year=2019, month=2)
    assert _coverage(page) == (
        "2개 중 1개 보고 승인 (2019년 2월) 아직 승인되지 않은 구·군: 서구 (1개 중 0개)."
    )
    with translation.override("en"):
        coverage = month_coverage(year=2019, month=2)
        assert coverage.sentence == "1 of 2 reports accepted for February 2019"
        assert coverage.missing_sentence == "Not yet accepted from: Seo-gu (0 of 1)."

    report_accept(report=two_districts["waiting"], actor=city_manager)
    assert _coverage(_dashboard(client, year=2019, month=2)) == (
        "2개 중 2개 보고 승인 (2019년 2월)"
    )


def test_a_district_reads_the_coverage_of_its_own_reports_only(
    client, bupyeong_officer, two_districts
):
    client.force_login(bupyeong_officer)
    page = _dashboard(client, year=2019, month=2)
    assert _coverage(page) == "1개 중 1개 보고 승인 (2019년 2월)"
    assert "서구" not in _coverage(page)


def _rollup():
    return selectors.rollup(selectors.RollupQuery(year=2019, month=2))


def _every_chart(rollup):
    return [
        charts.new_jobs_by_district(rollup),
        charts.cumulative_jobs(rollup),
        charts.project_achievement(rollup),
        charts.district_achievement(rollup),
        charts.reporting_heat_map(rollup),
        charts.year_over_year(rollup),
        charts.project_sparkline(rollup, rollup.projects[0]),
    ]


def assert_readable_svg(svg: str) -> None:
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert (title.get("id"), desc.get("id")) == (title_id, desc_id)
    assert title.text.strip() and desc.text.strip()
    axes = {
        text.get("data-axis"): (text.text or "").strip()
        for text in root.iter(f"{SVG}text")
        if text.get("data-axis")
    }
    assert set(axes) == {"x", "y"} and all(axes.values()), axes


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_chart_has_a_title_a_description_axis_labels_and_a_table(
    two_districts, language
):
    with translation.override(language):
        for chart in _every_chart(_rollup()):
            assert_readable_svg(chart.svg)
            assert chart.rows and all(
                len(row) == len(chart.headers) for row in chart.rows
            ), chart.title
            html = str(chart)
            assert f"<figcaption>{chart.title}</figcaption>" in html.replace(
                "&#x27;", "'"
            )
            assert '<table class="listing chart-data">' in html
            assert html.count('<th scope="col">') == len(chart.headers)


def test_the_charts_figures_are_the_charts_numbers(two_districts):
    rollup = _rollup()
    stacked = charts.new_jobs_by_district(rollup)
    # Bupyeong-gu 3 + Seo-gu 4 new jobs in January, 2 in February (accepted only).
    assert [row[-1] for row in stacked.rows] == ["7", "2"]
    cumulative = charts.cumulative_jobs(rollup)
    assert [row[1] for row in cumulative.rows] == ["7", "9"]
    heat = charts.reporting_heat_map(rollup)
    assert heat.headers[1:] == ("1", "2")


def _assert_every_chart_readable(page: str, at_least: int) -> None:
    # The charts' SVG (the admin's icons are SVG too).
    svgs = re.findall(r'<svg\b[^>]*class="chart".*?</svg>', page, re.S)
    assert len(svgs) >= at_least
    for svg in svgs:
        assert_readable_svg(svg)
    assert page.count('<table class="listing chart-data">') == len(svgs)
    assert page.count("<figcaption>") == len(svgs)


def test_every_chart_on_the_dashboard_and_the_outcomes_page_is_readable(
    client, city_manager, two_districts, home_page
):
    client.force_login(city_manager)
    _assert_every_chart_readable(_dashboard(client, year=2019, month=2), 5)
    outcomes = home_page.add_child(
        instance=OutcomesPage(title="2019 성과", slug="outcomes-2019", year=2019)
    )
    outcomes.save_revision().publish()
    client.logout()
    response = client.get(outcomes.url)
    assert response.status_code == 200
    # The cumulative line, a sparkline per project, year over year.
    _assert_every_chart_readable(response.content.decode(), 4)
