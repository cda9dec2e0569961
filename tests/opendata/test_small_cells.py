"""Small-cell protection: the demo's Namdong-gu project employs North Korean
defectors (a vulnerable group), 3 in January, then 2, 1, 1, 1, 1, 1: every
month under 3 is published as "<3"; city-wide figures stay exact."""

import csv
import io
import json

from django.test import override_settings

from competitions.models import CallTargetGroup
from reporting.evaluation.smallcell import public_figure, public_total

from .conftest import items

NAMDONG = "2019-ND-01"


def _new_hires(rows, project, group):
    return {
        int(r["crtrMm"]): r["prfmncVl"]
        for r in rows
        if r["bizCd"] == project
        and r["indctrCd"] == "new_hires"
        and r["trprSeCd"] == group
    }


def test_public_figure_withholds_only_small_vulnerable_counts_below_the_city():
    assert public_figure(2, project_level=True, vulnerable=True) == "<3"
    assert public_figure(1, project_level=True, vulnerable=True) == "<3"
    assert public_figure(0, project_level=True, vulnerable=True) == 0
    assert public_figure(3, project_level=True, vulnerable=True) == 3
    assert public_figure(2, project_level=True, vulnerable=False) == 2
    assert public_figure(2, project_level=False, vulnerable=True) == 2
    assert public_total(2, project_level=True, contains_withheld=True) == "<3"
    # A total holding a withheld count is withheld whatever its size: less the
    # exact groups it would be that count.
    assert public_total(7, project_level=True, contains_withheld=True) == "<3"
    assert public_total(2, project_level=True, contains_withheld=False) == 2


@override_settings(OPEN_DATA_SMALL_CELL_THRESHOLD=5)
def test_the_threshold_is_a_setting():
    assert public_figure(4, project_level=True, vulnerable=True) == "<5"
    assert public_figure(5, project_level=True, vulnerable=True) == 5


def test_the_demo_marks_defectors_and_people_with_disabilities_vulnerable(seeded):
    vulnerable = set(
        CallTargetGroup.objects.filter(vulnerable=True).values_list("code", flat=True)
    )
    assert vulnerable == {"defectors", "disabled"}


def test_namdong_small_monthly_counts_are_withheld_in_the_api(seeded, client):
    response = client.get(
        "/api/v1/monthly-figures/", {"year": 2019, "district": "ND", "numOfRows": 1000}
    )
    hires = _new_hires(items(response), NAMDONG, "defectors")
    assert hires[1] == 3  # at the threshold: exact
    assert [hires[m] for m in range(2, 8)] == ["<3"] * 6
    assert hires[8] == hires[9] == 0  # nobody to identify


def test_namdong_small_counts_are_withheld_in_every_download(seeded, client):
    text = client.get(
        "/data/monthly-figures/download.csv", {"year": 2019}
    ).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    withheld = [
        r["실적값"]
        for r in rows
        if r["사업코드"] == NAMDONG
        and r["지표코드"] == "new_hires"
        and r["기준월"] in {"2", "3", "4", "5", "6", "7"}
    ]
    assert withheld == ["<3"] * 6
    as_json = json.loads(client.get("/data/monthly-figures/download.json").content)
    assert _new_hires(as_json["items"], NAMDONG, "defectors")[2] == "<3"


def test_small_counts_of_other_groups_stay_exact(seeded, client):
    """Gyeyang-gu's luggage service hires seniors one or two a month."""
    rows = items(
        client.get(
            "/api/v1/monthly-figures/",
            {"year": 2019, "district": "GY", "numOfRows": 1000},
        )
    )
    seniors = _new_hires(rows, "2019-GY-02", "seniors")
    assert sum(seniors.values()) == 4
    assert any(value in (1, 2) for value in seniors.values())


def test_city_totals_stay_exact(seeded, client):
    totals = client.get("/api/v1/outcomes/", {"year": 2019, "month": 9}).json()[
        "totals"
    ]
    assert totals["jobs_by_target_group"]["defectors"] == 10
    assert totals["jobs_created"] == 180


def test_the_legacy_api_withholds_at_project_and_district_level(seeded, client):
    """By February Namdong-gu had hired 5 defectors in all: withheld, since
    January's 3 would give February's 2 away (complementary suppression); by
    March 6, published (February and March are 1+2 or 2+1)."""
    data = client.get(
        "/api/v1/outcomes/", {"year": 2019, "month": 2, "page_size": 100}
    ).json()
    namdong = next(p for p in data["projects"] if p["code"] == NAMDONG)
    assert namdong["jobs_by_target_group"]["defectors"] == "<3"
    data = client.get(
        "/api/v1/outcomes/", {"year": 2019, "month": 3, "page_size": 100}
    ).json()
    namdong = next(p for p in data["projects"] if p["code"] == NAMDONG)
    assert namdong["jobs_by_target_group"]["defectors"] == 6
    with override_settings(OPEN_DATA_SMALL_CELL_THRESHOLD=6):
        data = client.get(
            "/api/v1/outcomes/",
            {"year": 2019, "month": 2, "page_size": 100},
            HTTP_ACCEPT_LANGUAGE="en",
        ).json()
        namdong = next(p for p in data["projects"] if p["code"] == NAMDONG)
        district = next(d for d in data["districts"] if d["code"] == "ND")
        assert namdong["jobs_by_target_group"]["defectors"] == "<6"
        assert namdong["jobs_created"] == "<6"
        assert district["jobs_by_target_group"]["defectors"] == "<6"
        assert data["totals"]["jobs_by_target_group"]["defectors"] == 5


def test_the_dataset_page_states_the_rule(seeded, client):
    page = client.get("/data/monthly-figures/").content.decode()
    assert 'data-rule="small-cell"' in page
    assert "&lt;3" in page
