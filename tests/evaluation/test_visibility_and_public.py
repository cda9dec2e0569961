"""Who sees which figures, and that nothing unaccepted ever reaches the public."""

import re

import pytest
from django.http import Http404
from django.urls import reverse

from accounts import access
from reporting.evaluation import selectors
from reporting.evaluation.models import OutcomesPage
from reporting.services import report_accept

DASHBOARD = reverse("evaluation_dashboard")


@pytest.fixture
def outcomes_page(home_page):
    page = home_page.add_child(
        instance=OutcomesPage(title="2019 성과", slug="outcomes-2019", year=2019)
    )
    page.save_revision().publish()
    return page


def _api(client, **params):
    return client.get("/api/v1/outcomes/", {"year": 2019, "month": 2, **params}).json()


def test_city_figures_count_only_accepted_reports(two_districts):
    rollup = selectors.rollup(selectors.RollupQuery(year=2019, month=2))
    assert rollup.totals.jobs_created == 3 + 2 + 4
    assert rollup.district("SG").outputs["households"].value == 50
    assert rollup.district("SG").pending_jobs == 0


def test_the_city_manager_sees_the_city_and_any_district(
    client, city_manager, two_districts
):
    client.force_login(city_manager)
    city = client.get(DASHBOARD, {"year": 2019, "month": 2})
    assert city.status_code == 200
    assert 'data-figure="jobs_created">9<' in city.content.decode()
    seogu = client.get(DASHBOARD, {"year": 2019, "month": 2, "district": "SG"})
    assert 'data-figure="jobs_created">4<' in seogu.content.decode()
    # The city never sees the district's pending figures on the dashboard.
    assert 'data-output="SG.households">50<' in seogu.content.decode()
    assert "+149" not in seogu.content.decode()


def test_a_district_officer_sees_only_their_own_district(
    client, bupyeong_officer, two_districts
):
    client.force_login(bupyeong_officer)
    own = client.get(DASHBOARD, {"year": 2019, "month": 2})
    assert own.status_code == 200
    body = own.content.decode()
    assert 'data-figure="jobs_created">5<' in body
    assert "2019-SG" not in body
    assert (
        client.get(DASHBOARD, {"year": 2019, "month": 2, "district": "SG"}).status_code
        == 404
    )
    seogu_project_code = two_districts["waiting"].project.code
    assert (
        client.get(
            DASHBOARD, {"year": 2019, "month": 2, "project": seogu_project_code}
        ).status_code
        == 404
    )


def test_a_district_sees_its_submitted_figures_marked_and_kept_out_of_the_totals(
    client, seogu_officer, two_districts
):
    client.force_login(seogu_officer)
    body = client.get(DASHBOARD, {"year": 2019, "month": 2}).content.decode()
    assert 'data-figure="jobs_created">4<' in body
    assert "+149" in body and "+5" in body
    rollup = selectors.rollup(
        selectors.RollupQuery(
            year=2019,
            month=2,
            district=seogu_officer.organisation,
            include_pending=True,
        )
    )
    assert (
        rollup.totals.jobs_created,
        rollup.totals.pending_jobs,
        rollup.totals.pending_reports,
    ) == (4, 5, 1)


def test_the_dashboard_opens_on_the_last_month_with_figures_the_person_may_see(
    client, city_manager, seogu_officer, two_districts
):
    client.force_login(city_manager)
    assert client.get(DASHBOARD).context["page_subtitle"] == "2019-02"
    # Seo-gu's February is submitted, not accepted: its officer opens on January.
    client.force_login(seogu_officer)
    assert client.get(DASHBOARD).context["page_subtitle"] == "2019-01"


def test_reviewers_and_anonymous_people_get_no_dashboard(
    client, reviewer, two_districts
):
    anonymous = client.get(DASHBOARD)
    assert anonymous.status_code == 302
    client.force_login(reviewer)
    refused = client.get(DASHBOARD)
    # Wagtail answers a PermissionDenied in its admin with a redirect home and a message.
    assert (refused.status_code, refused.url) == (302, reverse("wagtailadmin_home"))
    with pytest.raises(Http404):
        access.district_scope_for(reviewer)


def test_rollup_scope_for_district_users_is_their_own_district(
    bupyeong_officer, orgs, city_manager
):
    assert access.district_scope_for(bupyeong_officer) == orgs["BP"]
    assert access.district_scope_for(bupyeong_officer, orgs["BP"]) == orgs["BP"]
    with pytest.raises(Http404):
        access.district_scope_for(bupyeong_officer, orgs["SG"])
    assert access.district_scope_for(city_manager) is None
    assert access.district_scope_for(city_manager, orgs["SG"]) == orgs["SG"]


def test_a_submitted_report_changes_nothing_public_until_accepted(
    client, city_manager, two_districts, outcomes_page
):
    before_api = _api(client)
    before_page = client.get(outcomes_page.url).content.decode()
    assert before_api["totals"]["jobs_created"] == 9
    seogu = next(d for d in before_api["districts"] if d["code"] == "SG")
    assert seogu["outputs"]["households"]["value"] == 50
    assert "149" not in before_page.split("<main")[1].split("<svg")[0]
    assert "9 projects" not in before_page  # the headline counts projects, not jobs
    assert "일자리 9개" in before_page or "created 9 jobs" in before_page

    report_accept(report=two_districts["waiting"], actor=city_manager)

    after_api = _api(client)
    assert after_api["totals"]["jobs_created"] == 14
    seogu = next(d for d in after_api["districts"] if d["code"] == "SG")
    assert seogu["outputs"]["households"]["value"] == 50 + 149
    after_page = client.get(outcomes_page.url).content.decode()
    assert "일자리 14개" in after_page or "created 14 jobs" in after_page
    csv_text = client.get(
        "/api/v1/outcomes/", {"year": 2019, "month": 2, "format": "csv"}
    ).content.decode()
    # The figure names its catalogue indicator (code, names, unit).
    assert (
        "2019,2,total,,,,,new_hires,total,신규 채용,Jobs created (new hires),명,people,14,"
        in csv_text
    )


def test_the_api_by_district_shows_that_district_only(client, two_districts):
    data = _api(client, district="BP")
    assert data["scope"] == {"district": "BP"}
    assert [d["code"] for d in data["districts"]] == ["BP"]
    assert data["totals"]["jobs_created"] == 5
    assert [p["district"] for p in data["projects"]] == ["BP"]
    project = data["projects"][0]
    assert project["outputs"]["households"] == {
        "indicator": "households",
        "aggregation": "sum",
        "name_ko": "방문 가구",
        "name_en": "Households visited",
        "unit": "가구",
        "unit_en": "households",
        "value": 220,
        "target": 960,
    }
    assert project["targets"]["jobs"] == 32


def test_the_api_pages_its_projects_and_keeps_the_totals_whole(
    client, two_districts, bupyeong_project, seogu_project
):
    bp, sg = bupyeong_project.code, seogu_project.code
    whole = _api(client)
    assert [p["code"] for p in whole["projects"]] == [bp, sg]
    assert whole["pagination"] == {
        "page": 1,
        "page_size": 100,
        "pages": 1,
        "projects": 2,
        "next": None,
        "previous": None,
    }
    first = _api(client, page_size=1)
    assert [p["code"] for p in first["projects"]] == [bp]
    assert first["pagination"]["pages"] == 2
    assert first["pagination"]["next"].endswith("page_size=1&page=2")
    second = client.get(first["pagination"]["next"]).json()
    assert [p["code"] for p in second["projects"]] == [sg]
    assert second["pagination"]["next"] is None
    assert second["projects"] == whole["projects"][1:]
    for page in (first, second):
        assert (page["totals"], page["districts"]) == (
            whole["totals"],
            whole["districts"],
        )
    # The CSV is one file with every project, whatever the page.
    csv_text = client.get(
        "/api/v1/outcomes/", {"year": 2019, "month": 2, "format": "csv", "page_size": 1}
    ).content.decode()
    assert f",project,{bp}," in csv_text and f",project,{sg}," in csv_text


def test_the_api_never_names_a_person(client, two_districts):
    text = client.get("/api/v1/outcomes/", {"year": 2019, "month": 2}).content.decode()
    for word in ("participant", "roster", "username", "email", "t-bupyeong"):
        assert word not in text


@pytest.mark.parametrize(
    "params, message",
    [
        ({}, "'year' is required."),
        ({"year": "abc", "month": 1}, "'year' must be a whole number"),
        ({"year": 2019}, "'month' is required."),
        ({"year": 2019, "month": 13}, "'month' must be between 1 and 12."),
        ({"year": 2019, "month": 0}, "'month' must be between 1 and 12."),
        ({"year": 1800, "month": 1}, "'year' must be between"),
        ({"year": 2019, "month": "9.5"}, "'month' must be a whole number"),
        ({"year": 2019, "month": 9, "district": "XX"}, "Unknown district code"),
        ({"year": 2019, "month": 9, "district": "ICN"}, "Unknown district code"),
        ({"year": 2019, "month": 9, "format": "xml"}, "'format' must be"),
        ({"year": 2019, "month": 9, "page": 0}, "'page' must be between 1 and"),
        ({"year": 2019, "month": 9, "page": "two"}, "'page' must be a whole number"),
        (
            {"year": 2019, "month": 9, "page_size": 1001},
            "'page_size' must be between 1 and 1000.",
        ),
        ({"year": 2019, "month": 9, "page": 2}, "'page' must be between 1 and 1:"),
    ],
)
def test_bad_api_parameters_get_a_400_with_a_message_in_the_readers_language(
    client, orgs, params, message
):
    english = client.get("/api/v1/outcomes/", params, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400
    assert message in english.json()["error"]
    assert not re.search("[가-힣]", english.json()["error"])
    korean = client.get(
        "/api/v1/outcomes/", params
    )  # no language asked: Korean, and only Korean
    assert korean.status_code == 400
    assert re.search("[가-힣]", korean.json()["error"])
    assert " / " not in korean.json()["error"] and message not in korean.json()["error"]


def test_the_api_is_read_only(client, orgs):
    assert client.post("/api/v1/outcomes/?year=2019&month=1").status_code == 405


def test_the_openapi_schema_is_served_and_describes_the_outcomes(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    operation = schema["paths"]["/api/v1/outcomes/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {
        "year",
        "month",
        "district",
        "format",
        "indicator",
        "page",
        "page_size",
    }
    assert set(operation["responses"]) == {"200", "400"}
    outcomes = schema["components"]["schemas"]["Outcomes"]
    assert outcomes["required"] == ["period", "totals", "districts", "projects"]
    project = outcomes["properties"]["projects"]["items"]["properties"]
    assert {"code", "name_ko", "name_en", "jobs_created", "targets", "outputs"} <= set(
        project
    )
