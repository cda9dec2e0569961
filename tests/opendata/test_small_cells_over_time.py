"""Small cells over time: the demo's Namdong-gu project hires North Korean
defectors 3, 2, 1, 1, 1, 1, 1 (January to July). Every month under 3 reads
"<3"; these tests play the person who tries to get a withheld month back from
everything public — the cumulative API month after month, its totals, its
CSV, the monthly dataset and the district page — and fail if any can."""

import csv
import io

from reporting.evaluation.smallcell import published_cumulative_months

from .conftest import items

NAMDONG = "2019-ND-01"
GROUP = "defectors"
MONTHS = range(1, 10)


def _monthly(client) -> dict[int, object]:
    rows = items(
        client.get(
            "/api/v1/monthly-figures/",
            {"year": 2019, "district": "ND", "numOfRows": 1000},
        )
    )
    return {
        int(r["crtrMm"]): r["prfmncVl"]
        for r in rows
        if r["bizCd"] == NAMDONG
        and r["indctrCd"] == "new_hires"
        and r["trprSeCd"] == GROUP
    }


def _known_from_one_level(entry) -> object:
    """The group's cumulative as one level of the API gives it: directly, or
    as the total less every other (published) group."""
    groups = entry["jobs_by_target_group"]
    if isinstance(groups.get(GROUP), int):
        return groups[GROUP]
    others = [value for code, value in groups.items() if code != GROUP]
    total = entry["jobs_created"]
    if isinstance(total, int) and all(isinstance(v, int) for v in others):
        return total - sum(others)
    if isinstance(entry["indicators"].get("new_hires", {}).get("value"), int):
        value = entry["indicators"]["new_hires"]["value"]
        if all(isinstance(v, int) for v in others):
            return value - sum(others)
    return None


def _cumulatives_from_the_api(client) -> dict[int, int]:
    """Every cumulative of the group an attacker can read or work out, month
    by month, at the project's and the district's level (JSON and CSV)."""
    known = {0: 0}
    for month in MONTHS:
        data = client.get(
            "/api/v1/outcomes/", {"year": 2019, "month": month, "page_size": 100}
        ).json()
        project = next(p for p in data["projects"] if p["code"] == NAMDONG)
        district = next(d for d in data["districts"] if d["code"] == "ND")
        for entry in (project, district):
            value = _known_from_one_level(entry)
            if value is not None:
                known[month] = value
        text = client.get(
            "/api/v1/outcomes/", {"year": 2019, "month": month, "format": "csv"}
        ).content.decode("utf-8-sig")
        for row in csv.DictReader(io.StringIO(text)):
            if (
                row["code"] in (NAMDONG, "ND")
                and row["member"] == GROUP
                and row["value"].isdigit()
            ):
                known[month] = int(row["value"])
    return known


def _derivable(monthly: dict[int, object], known: dict[int, int]) -> dict:
    """Withheld months that two known cumulatives and the published months
    between them pin down exactly (the withheld month the only unknown)."""
    found = {}
    points = sorted(known)
    for a in points:
        for b in points:
            if b <= a:
                continue
            unknown = [
                m for m in range(a + 1, b + 1) if not isinstance(monthly[m], int)
            ]
            if len(unknown) == 1:
                published = sum(
                    monthly[m] for m in range(a + 1, b + 1) if m not in unknown
                )
                found[unknown[0]] = known[b] - known[a] - published
    return found


def test_the_rule_publishes_a_cumulative_only_when_it_pins_no_month():
    assert published_cumulative_months([3, 2, 1, 1, 1, 1, 1, 0, 0]) == {1, 3}
    assert published_cumulative_months([5, 5, 5]) == {1, 2, 3}
    # 1 and 2 then 1 and 1: the first pair sums to 3 (1+2 or 2+1), the
    # second to 2 (only 1+1): the fourth month stays withheld.
    assert published_cumulative_months([1, 2, 1, 1]) == {2}


def test_no_withheld_month_can_be_derived_from_the_cumulative_api(seeded, client):
    monthly = _monthly(client)
    assert [monthly[m] for m in range(2, 8)] == ["<3"] * 6
    known = _cumulatives_from_the_api(client)
    assert known[1] == 3  # January is published, and exact
    assert 2 not in known  # 3 by January, 5 by February would give February away
    assert _derivable(monthly, known) == {}


def test_a_months_total_holding_a_withheld_count_is_withheld(seeded, client):
    rows = items(
        client.get(
            "/api/v1/monthly-figures/",
            {"year": 2019, "district": "ND", "numOfRows": 1000},
        )
    )
    for month in range(2, 8):
        row = {
            r["trprSeCd"]: r["prfmncVl"]
            for r in rows
            if r["bizCd"] == NAMDONG
            and r["indctrCd"] == "new_hires"
            and int(r["crtrMm"]) == month
        }
        assert row[GROUP] == "<3"
        others = [v for code, v in row.items() if code not in (GROUP, "total")]
        if "total" in row and all(isinstance(v, int) for v in others):
            assert row["total"] == "<3", month


def test_the_district_page_shows_no_total_that_reveals(seeded, client):
    body = client.get("/districts/ND/").content.decode()
    start = body.index(f'data-project="{NAMDONG}"')
    jobs = body[start:].split('data-figure="jobs">', 1)[1].split("<", 1)[0]
    assert jobs.strip() in ("&lt;3", "<3")


def test_the_city_totals_stay_exact(seeded, client):
    totals = client.get("/api/v1/outcomes/", {"year": 2019, "month": 9}).json()[
        "totals"
    ]
    assert totals["jobs_created"] == 180
    assert totals["jobs_by_target_group"][GROUP] == 10
