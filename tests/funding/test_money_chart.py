"""The agreed / received / spent chart: on the project's money page and the
city's money dashboard, an SVG that names itself and its axes, says its
figures in words, and carries them as a table; a district sees its own."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from funding.charts import money_bars
from tests.reporting.helpers import accept_month, figures

from .conftest import signed_project
from .test_disbursement import first, pay_in_full

pytestmark = pytest.mark.django_db


def widths(svg: str) -> list[float]:
    """The bars' widths (the legend's squares have no tooltip)."""
    return [
        float(w)
        for w in re.findall(
            r'<rect x="170" y="\d+" width="([\d.]+)" height="10" fill="#\w+"><title>',
            svg,
        )
    ]


def test_the_bars_share_one_scale_and_the_figures_are_a_table():
    chart = money_bars(
        [("부평구", 100_000_000, 50_000_000, 25_000_001), ("서구", 40_000_000, 0, 0)],
        title="시비",
        label_axis="구·군",
    )
    svg = str(chart.svg)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert 'data-axis="x"' in svg and 'data-axis="y"' in svg
    # The largest amount fills the plot (400 px); the others in proportion.
    assert widths(svg) == [400.0, 200.0, 100.0, 160.0, 0.0, 0.0]
    assert "25,000,001원" in svg  # on the bar and in the description
    assert chart.headers == ("구·군", "협약 시비", "교부받은 금액", "집행한 시비")
    assert chart.rows[0] == ("부평구", "100,000,000원", "50,000,000원", "25,000,001원")
    table = str(chart.table_html())
    assert '<th scope="row">서구</th>' in table and "40,000,000원" in table


def test_nothing_agreed_still_draws_an_empty_chart():
    chart = money_bars([("P", 0, 0, 0)], title="t", label_axis="l")
    assert widths(str(chart.svg)) == [0.0, 0.0, 0.0]


def _paid_and_spent(project, city_manager, officer):
    signed_project(project, city_manager)
    pay_in_full(first(project), officer, city_manager)
    accept_month(
        project,
        officer,
        city_manager,
        date(2019, 1, 1),
        values=figures(personnel=7_000_001, operations=3_000_000),
    )


def test_the_project_page_draws_agreed_received_and_spent_with_its_table(
    client, project, city_manager, bupyeong_officer
):
    _paid_and_spent(project, city_manager, bupyeong_officer)
    client.force_login(bupyeong_officer)
    page = client.get(reverse("funding_project", args=[project.pk])).content.decode()
    chart = page[page.index('data-chart="money"') :]
    chart = chart[: chart.index("</figure>")]
    assert "<svg" in chart and "<table" in chart
    # 67,500,000 agreed, 33,750,000 received, half of 10,000,001 spent (rounded down).
    for amount in ("67,500,000원", "33,750,000원", "5,000,000원"):
        assert amount in chart


def test_the_city_dashboard_draws_a_group_per_district_and_a_district_its_own(
    client,
    project,
    seogu_money_project,
    city_manager,
    bupyeong_officer,
    seogu_officer,
):
    _paid_and_spent(project, city_manager, bupyeong_officer)
    signed_project(seogu_money_project, city_manager)
    client.force_login(city_manager)
    page = client.get(reverse("funding_dashboard")).content.decode()
    chart = page[page.index('data-chart="money"') : page.index("</figure>")]
    assert '<th scope="row">부평구</th>' in chart
    assert '<th scope="row">서구</th>' in chart
    client.force_login(seogu_officer)
    page = client.get(reverse("funding_dashboard")).content.decode()
    chart = page[page.index('data-chart="money"') : page.index("</figure>")]
    assert '<th scope="row">서구</th>' in chart and "부평구" not in chart
    assert "33,750,000원" not in chart


def test_the_chart_reads_in_english_for_an_english_reader():
    with translation.override("en"):
        chart = money_bars([("P", 1_000, 0, 0)], title="t", label_axis="Project")
        assert chart.headers == (
            "Project",
            "City share agreed",
            "Received",
            "City share spent",
        )
        assert chart.rows[0][1] == "KRW 1,000"
        assert 'data-axis="x">Amount (KRW)<' in str(chart.svg)
