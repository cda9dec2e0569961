"""The standard datasets through the 공공데이터포털-style API: both parameter
styles, JSON and XML, the portal's result codes, public data only."""

import re
from datetime import datetime
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from projects.months import SEOUL
from reporting.evaluation.models import EvaluationScheme
from reporting.models import MonthlyReport
from reporting.services.reports import report_submit

from .conftest import header, items

HANGUL = re.compile(r"[가-힣]")


def district_officer(project) -> User:
    return (
        User.objects.filter(
            organisation=project.district, groups__role__code=Role.DISTRICT_OFFICER
        )
        .order_by("pk")
        .first()
    )


def test_pageNo_and_numOfRows_page_the_selected_projects(seeded, client):
    response = client.get(
        "/api/v1/projects/", {"year": 2019, "pageNo": 2, "numOfRows": 4}
    )
    assert response.status_code == 200
    body = response.json()["response"]["body"]
    assert header(response) == {"resultCode": "00", "resultMsg": "NORMAL SERVICE."}
    assert (body["pageNo"], body["numOfRows"], body["totalCount"]) == (2, 4, 9)
    assert len(body["items"]["item"]) == 4
    # The older names read the same page.
    old_style = client.get(
        "/api/v1/projects/", {"year": 2019, "page": 2, "page_size": 4}
    )
    assert items(old_style) == body["items"]["item"]
    first_page = items(client.get("/api/v1/projects/", {"year": 2019, "numOfRows": 4}))
    assert not {p["bizCd"] for p in first_page} & {p["bizCd"] for p in items(old_style)}


def test_selected_projects_carry_amounts_in_won(seeded, client):
    projects = {
        p["bizCd"]: p
        for p in items(client.get("/api/v1/projects/", {"numOfRows": 100}))
    }
    bupyeong = projects["2019-BP-01"]
    assert bupyeong["signguNm"] == "부평구"
    assert bupyeong["totBizAmt"] == bupyeong["ctyAmt"] + bupyeong["signguAmt"] > 0
    assert isinstance(bupyeong["ctyAmt"], int)
    assert sum(p["goalJobCnt"] for p in projects.values() if p["crtrYr"] == 2019) == 180


@pytest.mark.parametrize("name", ["type", "_type"])
def test_xml_by_type_or__type(seeded, client, name):
    response = client.get("/api/v1/grades/", {name: "xml", "numOfRows": 3})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "response"
    assert root.findtext("header/resultCode") == "00"
    assert root.findtext("header/resultMsg") == "NORMAL SERVICE."
    graded = root.findall("body/items/item")
    assert len(graded) == 3
    assert int(root.findtext("body/totalCount")) == 9
    assert root.findtext("body/numOfRows") == "3"
    assert graded[0].findtext("evlRnk") == "1"
    assert graded[0].findtext("grdNm") == "대상"


def test_json_is_the_default_and_the_same_data_as_xml(seeded, client):
    as_json = items(client.get("/api/v1/calls/"))
    root = ElementTree.fromstring(client.get("/api/v1/calls/", {"type": "xml"}).content)
    assert [c.findtext("pblancNm") for c in root.findall("body/items/item")] == [
        c["pblancNm"] for c in as_json
    ]


def test_too_many_rows_is_refused_with_the_portal_code(seeded, client):
    response = client.get("/api/v1/projects/", {"numOfRows": 1001})
    assert response.status_code == 400
    refused = header(response)
    assert refused["resultCode"] == "10"
    assert refused["resultMsg"] == "INVALID REQUEST PARAMETER ERROR."
    assert "1000" in refused["resultDetail"] and "numOfRows" in refused["resultDetail"]
    # The alias is named as the client wrote it.
    assert (
        "page_size"
        in header(client.get("/api/v1/projects/", {"page_size": 0}))["resultDetail"]
    )


def test_a_missing_mandatory_parameter_is_code_11(seeded, client):
    response = client.get("/api/v1/monthly-figures/")
    assert response.status_code == 400
    assert header(response)["resultCode"] == "11"
    assert header(response)["resultMsg"] == "NO MANDATORY REQUEST PARAMETERS ERROR."
    assert "year" in header(response)["resultDetail"]


def test_an_unknown_dataset_is_code_12(seeded, client):
    response = client.get("/api/v1/people/")
    assert response.status_code == 404
    assert header(response)["resultCode"] == "12"
    assert header(response)["resultMsg"] == "NO OPENAPI SERVICE ERROR."


def test_errors_come_in_the_asked_format_and_language(seeded, client):
    response = client.get(
        "/api/v1/projects/",
        {"type": "xml", "district": "XX"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    root = ElementTree.fromstring(response.content)
    assert root.findtext("header/resultCode") == "10"
    assert root.findtext("header/resultDetail") == "Unknown district code 'XX'."
    korean = client.get("/api/v1/projects/", {"district": "XX"})
    assert HANGUL.search(header(korean)["resultDetail"])
    bad_type = client.get("/api/v1/projects/", {"type": "yaml"})
    assert header(bad_type)["resultCode"] == "10"


def test_the_legacy_outcomes_endpoint_keeps_its_shape(seeded, client):
    data = client.get("/api/v1/outcomes/", {"year": 2019, "month": 9}).json()
    assert data["totals"]["jobs_created"] == 180
    assert len(data["projects"]) == 9


def test_openapi_describes_every_dataset_in_korean(seeded, client):
    schema = client.get("/api/v1/openapi.json").json()
    for slug in ("calls", "projects", "monthly-figures", "grades"):
        operation = schema["paths"][f"/api/v1/{slug}/"]["get"]
        names = [p["name"] for p in operation["parameters"]]
        assert names[:3] == ["pageNo", "numOfRows", "type"]
        assert all(HANGUL.search(p["description"]) for p in operation["parameters"])
        item = operation["responses"]["200"]["content"]["application/json"]["schema"][
            "properties"
        ]["response"]["properties"]["body"]["properties"]["items"]["properties"][
            "item"
        ]["items"]
        assert item["properties"]
        assert all(HANGUL.search(f["title"]) for f in item["properties"].values())
    assert (
        "10"
        in schema["components"]["schemas"]["ResultHeader"]["properties"]["resultCode"][
            "description"
        ]
    )


def test_a_submitted_month_is_not_published_until_accepted(seeded, client):
    """Bupyeong-gu's October draft, sent to the city: still not open data."""
    october = MonthlyReport.objects.get(project__code="2019-BP-01", period__month=10)
    report_submit(
        report=october,
        actor=district_officer(october.project),
        now=datetime(2019, 11, 5, 10, 0, tzinfo=SEOUL),
        notify=False,
    )
    figures = client.get(
        "/api/v1/monthly-figures/", {"year": 2019, "month": 10, "district": "BP"}
    )
    assert figures.json()["response"]["body"]["totalCount"] == 0
    september = client.get(
        "/api/v1/monthly-figures/", {"year": 2019, "month": 9, "district": "BP"}
    )
    assert september.json()["response"]["body"]["totalCount"] > 0


def test_unpublished_grades_are_not_open_data(seeded, client):
    EvaluationScheme.objects.update(published_at=None)
    assert items(client.get("/api/v1/grades/")) == []
    EvaluationScheme.objects.update(published_at=timezone.now())
    assert len(items(client.get("/api/v1/grades/", {"numOfRows": 50}))) == 9
