"""Every total adds figures of one indicator only, by the catalogue's rule
(issue 20): the same indicator in two calls is one total, two indicators
counted in the same unit word are never one number, year over year works for
any indicator, and a head count (employed) is its last month, not a sum.

The figures are written straight into the roll-up's yearly summary
(``FigureYear``) in their catalogue shape (indicator code, member), as the
reporting services keep it; the roll-up reads nothing else."""

from decimal import Decimal

from django.urls import reverse

from indicators.builtins import EMPLOYED, NEW_HIRES
from indicators.models import Disaggregation, Indicator
from reporting.evaluation import selectors
from reporting.models import FigureYear
from tests.competitions.conftest import call_index, make_call  # noqa: F401
from tests.projects.fixtures import make_project, plan_data


def _months(project, code: str, months: list[int], *, key="total", year=2019):
    first = next(i for i, v in enumerate(months, start=1) if v is not None)
    FigureYear.objects.create(
        project=project,
        district=project.district,
        year=year,
        measure=code,
        key=key,
        first_month=first,
        **{
            f"month_{number}": value or 0
            for number, value in enumerate(months, start=1)
        },
    )


def _rollup(month: int, **fields):
    return selectors.rollup(selectors.RollupQuery(year=2019, month=month, **fields))


def _outputs(figures) -> dict:
    return {code: (o.value, o.target) for code, o in figures.outputs.items()}


def _indicator(code: str, unit_ko: str, aggregation="sum", **fields) -> Indicator:
    return Indicator.objects.create(
        code=code,
        name_ko=fields.pop("name_ko", code),
        name_en=fields.pop("name_en", code),
        unit_ko=unit_ko,
        unit_en=fields.pop("unit_en", unit_ko),
        aggregation=aggregation,
        disaggregation=Disaggregation.NONE,
        **fields,
    )


def test_two_projects_of_two_calls_with_the_same_indicator_add_up(
    orgs,
    call_index,  # noqa: F811
):
    first = make_call(call_index, slug="call-2018")
    second = make_call(call_index, slug="call-2019", year=2019)
    coaching = make_project(orgs["BP"], call=first)
    visiting = make_project(orgs["SG"], title="방문 돌봄", call=second)
    _months(coaching, "households", [100, 120])
    _months(visiting, "households", [40, 10])
    for projects in (True, False):  # one by one, or summed by the database
        rollup = _rollup(2, projects=projects)
        assert rollup.totals.outputs["households"].value == 270
        assert rollup.totals.outputs["households"].target == 2 * 960
        assert rollup.district("BP").outputs["households"].value == 220
    # The name and unit are the catalogue's, whichever call chose it.
    total = _rollup(2).totals.outputs["households"]
    assert (total.name_ko, total.unit_ko) == ("방문 가구", "가구")


def test_two_indicators_counted_in_the_same_unit_word_never_add(orgs, client):
    _indicator("sessions", "회", name_ko="교육 회차")
    plan = plan_data(
        outputs=[
            {"code": "visits", "target": 2_600},
            {"code": "sessions", "target": 40},
        ]
    )
    project = make_project(orgs["BP"], plan=plan)
    _months(project, "visits", [280, 300])
    _months(project, "sessions", [3, 4])
    for projects in (True, False):
        rollup = _rollup(2, projects=projects)
        assert _outputs(rollup.totals) == {"visits": (580, 2_600), "sessions": (7, 40)}
        assert _outputs(rollup.district("BP")) == _outputs(rollup.totals)
    data = client.get("/api/v1/outcomes/", {"year": 2019, "month": 2}).json()
    outputs = data["totals"]["outputs"]
    assert {code: (o["value"], o["unit"]) for code, o in outputs.items()} == {
        "visits": (580, "회"),
        "sessions": (7, "회"),
    }
    assert all(
        figure["indicator"] == code
        for code, figure in data["totals"]["indicators"].items()
    )


def test_year_over_year_works_for_an_output_indicator(orgs, client, city_manager):
    project = make_project(orgs["BP"])
    _months(project, "households", [50, 50, 70], year=2017)
    _months(project, "households", [100, 100, 999], year=2018)
    _months(project, "households", [150, 150], year=2019)
    compared = _rollup(2, year_over_year="households").year_over_year
    assert compared.indicator.code == "households"
    assert [(y.year, y.value) for y in compared] == [
        (2017, 100),
        (2018, 200),
        (2019, 300),
    ]
    assert [y.growth for y in compared] == [None, Decimal("100.0"), Decimal("50.0")]
    # The dashboard lets the person choose it, and labels the unit.
    client.force_login(city_manager)
    body = client.get(
        reverse("evaluation_dashboard"),
        {"year": 2019, "month": 2, "indicator": "households"},
    ).content.decode()
    assert 'data-compared="households"' in body
    assert 'data-year="2018">200<' in body
    assert "(가구)" in body
    # Jobs created is the default; an unknown code falls back to it.
    default = _rollup(2).year_over_year.indicator.code
    assert default == NEW_HIRES == selectors.chosen_indicator("no_such_thing")
    api = client.get(
        "/api/v1/outcomes/", {"year": 2019, "month": 2, "indicator": "households"}
    ).json()
    assert api["totals"]["year_over_year"]["indicator"] == "households"
    assert [y["value"] for y in api["totals"]["year_over_year"]["years"]] == [
        100,
        200,
        300,
    ]
    refused = client.get(
        "/api/v1/outcomes/", {"year": 2019, "month": 2, "indicator": "nope"}
    )
    assert refused.status_code == 400 and "nope" in refused.json()["error"]


def test_employed_is_the_last_months_head_count_not_a_sum(orgs):
    first = make_project(orgs["BP"])
    second = make_project(orgs["BP"], title="둘째 사업")
    _months(first, EMPLOYED, [3, 5, 4], key="women")
    _months(first, EMPLOYED, [1, 1, 2], key="seniors")
    _months(second, EMPLOYED, [2, 2, 7], key="women")
    assert Indicator.objects.get(code=EMPLOYED).aggregation == "last"
    for projects in (True, False):
        rollup = _rollup(3, projects=projects)
        assert rollup.totals.employed == 4 + 2 + 7
        assert rollup.district("BP").employed == 13
    assert _rollup(2).totals.employed == 5 + 1 + 2
    by_project = {p.code: p.employed for p in _rollup(3).projects}
    assert by_project == {first.code: 6, second.code: 7}


def test_a_rule_that_is_not_additive_is_applied_project_by_project(orgs):
    """An average (and a maximum) is each project's over the months, then the
    rule's ``across``: never the rule over the district's summed months."""
    _indicator("waiting_days", "일", aggregation="average")
    _indicator("peak_queue", "명", aggregation="max")
    plan = plan_data(
        outputs=[
            {"code": "waiting_days", "target": 10},
            {"code": "peak_queue", "target": 50},
        ]
    )
    first = make_project(orgs["BP"], plan=plan)
    second = make_project(orgs["BP"], title="둘째 사업", plan=plan)
    _months(first, "waiting_days", [10, 20])
    _months(second, "waiting_days", [None, 30])  # reported from February
    _months(first, "peak_queue", [5, 9])
    _months(second, "peak_queue", [8, 1])
    for projects in (True, False):
        bupyeong = _rollup(2, projects=projects).district("BP")
        assert bupyeong.outputs["waiting_days"].value == Decimal(
            "22.5"
        )  # (15 + 30) / 2
        assert bupyeong.outputs["peak_queue"].value == 9 + 8
