"""The public district and project pages and the one-page outcomes PDF: what a
citizen reads there is the accepted figures of published projects, the same
numbers in the charts' text and tables as on the page, in Korean and English."""

import io
import re
from datetime import date

import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader

from common.personal_data import find_personal_data
from competitions.models import ResultsPublication
from projects.models import Project
from reporting.evaluation.models import OutcomesPage
from reporting.evaluation.public.selectors import public_figure, public_page_urls
from tests.competitions.conftest import call_index, make_call  # noqa: F401
from tests.projects.fixtures import make_project, plan_data
from tests.reporting.helpers import accept_month, figures

JAN = date(2019, 1, 1)


@pytest.fixture
def outcomes_page(home_page):
    page = home_page.add_child(
        instance=OutcomesPage(
            title="2019 성과", title_en="Outcomes 2019", slug="outcomes-2019", year=2019
        )
    )
    page.save_revision().publish()
    return page


@pytest.fixture
def codes(two_districts):
    return {p.district.code: p.code for p in Project.objects.select_related("district")}


def _in(client, language: str):
    """The client with the language the switcher would set."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _main(response) -> str:
    assert response.status_code == 200
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def _row(html: str, attribute: str) -> str:
    match = re.search(rf"<tr {attribute}>(.*?)</tr>", html, re.S)
    assert match, attribute
    return match.group(1)


def _cells(row_html: str) -> dict[str, str]:
    return dict(re.findall(r'data-figure="(\w+)">([^<]*)<', row_html))


def _chart_tables(html: str) -> list[list[list[str]]]:
    """The rows (cells as text) of each chart's data table."""
    tables = re.findall(r'<table class="listing chart-data">(.*?)</table>', html, re.S)
    return [
        [
            re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row)
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
        ]
        for table in tables
    ]


def test_the_district_page_lists_its_projects_with_accepted_figures(client, codes):
    body = _main(client.get("/districts/BP/"))
    assert "<h1>부평구</h1>" in body
    assert f'href="/projects/{codes["BP"]}/"' in body
    assert _cells(_row(body, f'data-project="{codes["BP"]}"')) == {
        "jobs": "5",
        "target": "32",
    }
    assert _cells(_row(body, 'data-total="2019"')) == {"jobs": "5", "target": "32"}
    assert codes["SG"] not in body  # another district's project


def test_the_district_page_reads_in_english(client, codes):
    body = _main(_in(client, "en").get("/districts/BP/"))
    assert "<h1>Bupyeong-gu</h1>" in body
    assert "Jobs created per year" in body and "January to 2/2019" in body
    text = re.sub(r"<[^>]+>", "", body).replace("찾아가는 육아코칭활동가 양성", "")
    assert not re.search(
        r"[가-힣]", text
    )  # only the title, kept in Korean by the district


def test_submitted_figures_stay_off_the_public_pages_until_accepted(
    client, codes, seogu_officer
):
    # Seo-gu's February (5 jobs, 149 households) waits for the city.
    client.force_login(seogu_officer)  # even its own officer sees the public figures
    district = _main(client.get("/districts/SG/"))
    assert _cells(_row(district, 'data-total="2019"'))["jobs"] == "4"
    project = _main(client.get(f"/projects/{codes['SG']}/"))
    assert _cells(_row(project, 'data-indicator="new_hires"'))["value"] == "4"
    assert _cells(_row(project, 'data-indicator="households"')) == {
        "value": "50",
        "target": "960",
    }
    assert "149" not in project


def test_unknown_districts_and_projects_are_not_found(client, codes, orgs):
    assert client.get("/districts/XX/").status_code == 404
    assert client.get("/districts/ICN/").status_code == 404  # the city is no district
    assert client.get("/projects/2019-XX-99/").status_code == 404
    assert client.get("/outcomes/2019/one-page.pdf").status_code == 404  # no page yet


def test_a_project_of_a_call_without_published_results_is_not_public(
    client, codes, orgs, call_index, bupyeong_officer, city_manager
):
    call = make_call(call_index, slug="call-2018")
    hidden = make_project(orgs["BP"], title="미발표 공모 사업", call=call)
    accept_month(hidden, bupyeong_officer, city_manager, JAN, values=figures(women=7))
    assert client.get(f"/projects/{hidden.code}/").status_code == 404
    district = _main(client.get("/districts/BP/"))
    assert hidden.code not in district and "미발표" not in district
    assert _cells(_row(district, 'data-total="2019"'))["jobs"] == "5"

    ResultsPublication.objects.create(call=call, published_at=timezone.now())
    assert client.get(f"/projects/{hidden.code}/").status_code == 200
    district = _main(client.get("/districts/BP/"))
    assert _cells(_row(district, 'data-total="2019"'))["jobs"] == "12"


def test_the_project_page_sets_every_target_against_its_result(client, codes):
    body = _main(client.get(f"/projects/{codes['BP']}/"))
    assert 'href="/districts/BP/"' in body
    assert _cells(_row(body, 'data-indicator="new_hires"')) == {
        "value": "5",
        "target": "32",
    }
    assert _cells(_row(body, 'data-indicator="households"')) == {
        "value": "220",
        "target": "960",
    }
    assert _cells(_row(body, 'data-indicator="visits"')) == {
        "value": "560",
        "target": "2,600",
    }
    assert _cells(_row(body, 'data-group="women"')) == {"jobs": "5", "target": "27"}
    assert 'data-amount="city">67,500,000원' in body
    assert 'data-amount="total">135,000,000원' in body


def test_the_project_page_reads_in_english(client, codes):
    body = _main(_in(client, "en").get(f"/projects/{codes['BP']}/"))
    assert "Results in 2019" in body and "Career-interrupted women" in body
    assert "KRW 67,500,000" in body


def test_every_chart_has_a_text_alternative_and_its_figures_as_a_table(client, codes):
    for url, expected in [
        ("/districts/BP/", [["2019", "5"]]),
        (f"/projects/{codes['BP']}/", [["1", "3", "32"], ["2", "5", "32"]]),
    ]:
        body = _main(client.get(url))
        svgs = re.findall(r"<svg[^>]*>", body)
        assert svgs
        for svg in svgs:
            assert 'role="img"' in svg
            ids = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
            for element_id in ids:
                assert re.search(rf'id="{element_id}">[^<]+<', body)
        [table] = _chart_tables(body)
        assert table[1:] == expected  # the header row, then the figures
        assert "<details>" in body


def test_the_outcomes_page_links_to_districts_projects_and_the_pdf(
    client, codes, outcomes_page
):
    body = _main(client.get(outcomes_page.url))
    assert 'href="/districts/BP/"' in body and 'href="/districts/SG/"' in body
    assert f'href="/projects/{codes["BP"]}/"' in body
    assert 'href="/outcomes/2019/one-page.pdf"' in body
    for chart in re.findall(r"<svg[^>]*>", body):
        assert 'role="img"' in chart and "aria-labelledby" in chart
    assert body.count('class="listing chart-data"') == len(re.findall("<svg", body))


def _pdf(client, language: str) -> PdfReader:
    response = _in(client, language).get("/outcomes/2019/one-page.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def _pdf_text(reader: PdfReader) -> str:
    return re.sub(
        r"[\s\x00]+", "", "".join(page.extract_text() for page in reader.pages)
    )


def test_the_one_page_pdf_is_one_page_in_both_languages(client, codes, outcomes_page):
    korean = _pdf(client, "ko")
    assert len(korean.pages) == 1
    text = _pdf_text(korean)
    assert "부평구" in text and "서구" in text and "일자리9개" in text
    english = _pdf(client, "en")
    assert len(english.pages) == 1
    text = _pdf_text(english)
    assert "Bupyeong-gu" in text and "created9jobs" in text


def test_the_one_page_pdf_of_a_year_with_sixty_projects_is_one_page(
    client, orgs, outcomes_page, bupyeong_officer, city_manager
):
    districts = [org for org in orgs.values() if org.is_local]
    plan = plan_data()
    projects = [
        make_project(districts[n % len(districts)], title=f"사업 {n}", plan=plan)
        for n in range(60)
    ]
    in_bupyeong = next(p for p in projects if p.district == orgs["BP"])
    accept_month(in_bupyeong, bupyeong_officer, city_manager, JAN)
    for language in ("ko", "en"):
        reader = _pdf(client, language)
        assert len(reader.pages) == 1
        assert "60" in _pdf_text(reader)


def test_the_one_page_pdf_is_built_once_per_data_stamp(
    client, codes, outcomes_page, bupyeong_officer, city_manager
):
    first = client.get("/outcomes/2019/one-page.pdf").content
    assert client.get("/outcomes/2019/one-page.pdf").content == first
    accept_month(
        Project.objects.get(code=codes["BP"]),
        bupyeong_officer,
        city_manager,
        date(2019, 3, 1),
        values=figures(women=6),
    )
    changed = _pdf_text(
        PdfReader(io.BytesIO(client.get("/outcomes/2019/one-page.pdf").content))
    )
    assert "일자리15개" in changed


def test_the_public_pages_hold_no_personal_data(client, codes, outcomes_page):
    for url in public_page_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        if response["Content-Type"].startswith("text/html"):
            text = re.sub(r"<[^>]+>", " ", _main(response))
            assert find_personal_data(text) == [], url
    assert len(public_page_urls()) == 3


def test_a_project_pages_small_count_of_a_vulnerable_group_is_withheld():
    assert public_figure(2, project_level=True, vulnerable=True) == "<3"
    assert public_figure(3, project_level=True, vulnerable=True) == 3
    assert public_figure(2, project_level=True, vulnerable=False) == 2
    assert public_figure(2, project_level=False, vulnerable=True) == 2
    assert public_figure(0, project_level=True, vulnerable=True) == 0


@pytest.mark.parametrize("district_count", [25, 70])
def test_the_one_page_pdf_stays_one_page_however_many_districts(district_count):
    """A province-sized city: the district table's rows shrink, the chart
    gives way, the page never breaks."""
    from types import SimpleNamespace

    from reporting.evaluation import selectors
    from reporting.evaluation.exports.pdf import build_outcomes_one_page

    districts = [
        selectors.DistrictFigures(
            code=f"D{n}",
            name_ko=f"구{n}",
            name_en=f"District {n}",
            months=12,
            project_count=3,
        )
        for n in range(district_count)
    ]
    totals = selectors.Figures(
        code="", name_ko="", name_en="", months=12, project_count=3 * district_count
    )
    rollup = SimpleNamespace(
        year=2019,
        month=12,
        totals=totals,
        districts=districts,
        district_count=district_count,
    )
    content = build_outcomes_one_page(rollup, title="2019")
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    heights = {}

    def where(text, _cm, tm, _font, _size):
        if text.strip():
            heights[re.sub(r"[\s\x00]+", "", text)] = tm[5]

    reader.pages[0].extract_text(visitor_text=where)
    last = f"구{district_count - 1}"
    assert last in heights
    assert (
        30 < heights[last] < 842
    )  # on the page, above the footer (points from the bottom)


def test_the_outcomes_page_leads_to_the_other_years_and_its_chart_tables_match(
    client, codes, outcomes_page, home_page
):
    earlier = home_page.add_child(
        instance=OutcomesPage(title="2018 성과", slug="outcomes-2018", year=2018)
    )
    earlier.save_revision().publish()
    body = _main(client.get(outcomes_page.url))
    years = re.search(r'<nav class="outcome-years"(.*?)</nav>', body, re.S).group(1)
    assert f'href="{earlier.url}">2018</a>' in years
    assert '<span aria-current="page">2019</span>' in years
    cumulative = _chart_tables(body)[0]
    assert cumulative[1:] == [["1", "7", "64"], ["2", "9", "64"]]  # 3+4, then +2
    assert 'data-district="BP"' in body
    assert "created 9 jobs" in body or "일자리 9개" in body
