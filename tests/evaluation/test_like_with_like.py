"""Published figures add like with like: an output total is one indicator in
one unit, never 회 + 건 + 개소 (issue 18); units are translated, not replaced."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from reporting.evaluation import selectors
from reporting.evaluation.models import EvaluationScheme, OutcomesPage
from tests.evaluation.test_demo_figures import city, demo  # noqa: F401


def _project_sums(rollup) -> dict:
    """Indicator code → delivered and target, summed project by project."""
    sums: dict[str, list[int]] = {}
    for project in rollup.projects:
        for output in project.outputs.values():
            pair = sums.setdefault(output.code, [0, 0])
            pair[0] += output.value
            pair[1] += output.target
    return sums


def test_city_output_totals_are_per_indicator_in_the_demo(city):  # noqa: F811
    rollup = selectors.rollup(selectors.RollupQuery(year=2019, month=9))
    totals = rollup.totals.outputs
    assert set(totals) == set(_project_sums(rollup))
    for code, output in totals.items():
        assert [output.value, output.target] == _project_sums(rollup)[code]
    # 회, 건 and 개소 are different indicators: never one number.
    reading, daycare = totals["reading_sessions"], totals["daycare_centres"]
    assert (reading.name_ko, reading.unit_ko, reading.target) == (
        "독서 프로그램 운영",
        "회",
        480,
    )
    assert (daycare.unit_ko, daycare.target) == ("개소", 33)
    # The demo's published figures are unchanged.
    assert (
        totals["households_visited"].value,
        totals["coaching_visits"].value,
        totals["shuttle_runs"].value,
    ) == (961, 2_634, 2_136)


def test_the_api_and_its_csv_never_add_different_indicators(client, city):  # noqa: F811
    data = client.get("/api/v1/outcomes/", {"year": 2019, "month": 9}).json()
    outputs = data["totals"]["outputs"]
    assert (
        outputs["daycare_centres"]["unit"],
        outputs["reading_sessions"]["unit"],
    ) == (
        "개소",
        "회",
    )
    assert outputs["households_visited"]["value"] == 961
    rows = client.get(
        "/api/v1/outcomes/", {"year": 2019, "month": 9, "format": "csv"}
    ).content.decode()
    total_rows = [
        line.split(",") for line in rows.splitlines() if ",total,,,,," in line
    ]
    indicators = [row[7] for row in total_rows if row[8] == "total"]
    assert len(indicators) == len(set(indicators))  # one row per indicator
    assert {row[7]: row[11] for row in total_rows}["daycare_centres"] == "개소"
    listing = client.get("/api/v1/indicators/").json()["indicators"]
    daycare = next(i for i in listing if i["code"] == "daycare_centres")
    assert (daycare["unit_ko"], daycare["aggregation"]) == ("개소", "sum")


def test_the_readme_paging_example_answers(client, city):  # noqa: F811
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    base = re.search(r"http://127\.0\.0\.1:8000(/api/v1/outcomes/\?\S+)", readme).group(
        1
    )
    paging = re.search(r"`(&page=\d+&page_size=\d+)`", readme).group(1)
    response = client.get(base + paging)
    assert response.status_code == 200, response.content.decode()
    assert response.json()["projects"]  # the page it names has projects


def test_the_english_outcomes_page_translates_units_and_never_relabels_them(
    client, city
):  # noqa: F811
    page = OutcomesPage.objects.get(year=2019)
    client.cookies["django_language"] = "en"
    body = client.get(page.url).content.decode()
    cards = {
        m.group(1): m.group(0)
        for m in re.finditer(r'data-project="([^"]+)".*?</li>', body, re.S)
    }
    daycare = next(
        card for card in cards.values() if 'data-output="daycare_centres"' in card
    )
    assert re.search(r'data-output="daycare_centres">\d+ centres / 33<', daycare)
    households = next(
        card for card in cards.values() if 'data-output="households_visited"' in card
    )
    assert re.search(
        r'data-output="households_visited">961 households / 960<', households
    )


def test_a_projects_months_show_each_output_apart(client, city):  # noqa: F811
    client.force_login(city)
    bupyeong = (
        selectors.rollup(selectors.RollupQuery(year=2019, month=9, district=None))
        .district("BP")
        .projects[0]
    )
    body = client.get(
        reverse("evaluation_dashboard"),
        {"year": 2019, "month": 9, "project": bupyeong.code},
    ).content.decode()
    assert "방문 가구 (가구)" in body and "코칭 방문 (회)" in body
    households = [
        int(v.replace(",", ""))
        for v in re.findall(r'data-month-output="0">([\d,]+)<', body)
    ]
    visits = [
        int(v.replace(",", ""))
        for v in re.findall(r'data-month-output="1">([\d,]+)<', body)
    ]
    assert (sum(households), sum(visits)) == (961, 2_634)


def test_evaluation_times_are_shown_in_seoul_on_every_screen(client, city):  # noqa: F811
    client.force_login(city)
    scheme = EvaluationScheme.objects.get()
    listing = client.get(reverse("evaluation_schemes:index")).content.decode()
    inspect = client.get(
        reverse("evaluation_schemes:inspect", args=[scheme.pk])
    ).content.decode()
    # Evaluated 2019-10-25 15:00 Seoul time (06:00 UTC).
    for body in (listing, inspect):
        assert "2019년 10월 25일 3:00 오후" in body
        assert "6:00 오전" not in body
