"""Issue 20: "A new indicator type must be one catalogue entry … with no edit
in reporting, evaluation or spreadsheets." This test adds one — mentoring
sessions (회), split by sex — puts it in a project's plan, and files a month
with it the way a district does: download the template, fill it in, upload,
submit, accept; the figures are then the project's, under the new indicator."""

import io

import pytest
from openpyxl import load_workbook

from indicators.models import Indicator
from reporting.models import FigureYear, MonthlyReport
from reporting.selectors import form_rows, month_figures, totals_in_force
from reporting.services import report_accept, report_submit
from reporting.spreadsheets.services import template_for, upload_confirm
from tests.projects.fixtures import make_project, plan_data
from tests.spreadsheets.conftest import (
    FEB,
    FEB_SPENDING,
    FEB_VALUES,
    fill,
    layout_cells,
)

from .helpers import kst

pytestmark = pytest.mark.django_db

NOW = kst(2019, 3, 5, 10)


@pytest.fixture
def mentoring():
    """The city adds one entry to the catalogue; nothing else changes."""
    return Indicator.objects.create(
        code="mentoring_sessions",
        name_ko="멘토링",
        name_en="Mentoring sessions",
        unit_ko="회",
        unit_en="sessions",
        aggregation="sum",
        disaggregation="sex",
        definition_ko="그 달에 참여자와 가진 1:1 멘토링 횟수(성별).",
        definition_en="One-to-one mentoring sessions held with participants in the month, by sex.",
    )


@pytest.fixture
def project(orgs, mentoring):
    outputs = [
        {"code": "households", "target": 960},
        {"code": "visits", "target": 2_600},
        {"code": "mentoring_sessions", "target": 120},
    ]
    return make_project(orgs["BP"], plan=plan_data(outputs=outputs))


def test_a_new_catalogue_indicator_is_filed_from_the_template_to_the_projects_figures(
    project, bupyeong_officer, city_manager
):
    # The template has one row per member, named and explained by the catalogue.
    template = template_for(actor=bupyeong_officer, project=project, period=FEB)
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook["실적"]
    cells = layout_cells(workbook)
    female = cells["mentoring_sessions.female"]
    row = int(female[1:])
    # In the reader's language (Korean here), one language per label.
    assert sheet[f"A{row}"].value == "멘토링"
    assert sheet[f"B{row}"].value == "여성"
    assert sheet[f"C{row}"].value == "회"
    assert "1:1 멘토링" in sheet[f"A{row}"].comment.text
    assert (
        sheet[f"E{row}"].value is None
    )  # the target is the indicator's, not a member's
    assert sheet[f"J{row}"].value == "figure:mentoring_sessions.female"
    assert "mentoring_sessions.male" in cells
    assert "comment:spike.mentoring_sessions.total" in cells

    # The district fills it in and uploads it; the city accepts the month.
    data = fill(
        project,
        FEB,
        values={
            **FEB_VALUES,
            "mentoring_sessions.female": 14,
            "mentoring_sessions.male": "6",
        },
        spending=FEB_SPENDING,
        base=template,
    )
    outcome = upload_confirm(
        data=data,
        filename="feb.xlsx",
        actor=bupyeong_officer,
        project=project,
        period=FEB,
        now=NOW,
    )
    assert outcome.changed
    report = MonthlyReport.objects.get(project=project, period=FEB)
    report_submit(report=report, actor=bupyeong_officer, now=NOW)
    report_accept(report=report, actor=city_manager, now=NOW)

    figures = month_figures(project=project, period=FEB)
    assert figures["mentoring_sessions"] == {"female": 14, "male": 6}
    assert totals_in_force(project=project)["mentoring_sessions"] == {
        "female": 14,
        "male": 6,
    }
    # The roll-up's yearly summary holds it under its own code, apart from the others.
    summary = {
        (row.measure, row.key): row.month_2
        for row in FigureYear.objects.filter(project=project, year=2019)
    }
    assert summary[("mentoring_sessions", "female")] == 14
    assert summary[("mentoring_sessions", "male")] == 6
    assert summary[("households", "total")] == 110

    # The web form offers the same rows, with the catalogue's names and unit.
    rows = [
        (r.measure_label, r.label, r.unit)
        for r in form_rows(project=project, period=FEB)
        if r.measure == "mentoring_sessions"
    ]
    assert rows == [("멘토링", "여성", "회"), ("멘토링", "남성", "회")]


def test_a_new_indicator_is_checked_like_any_other(project, bupyeong_officer):
    """Its figures are held to the checks: a fraction is refused at its cell."""
    data = fill(
        project,
        FEB,
        values={**FEB_VALUES, "mentoring_sessions.female": 2.5},
        spending=FEB_SPENDING,
    )
    from reporting.spreadsheets.services import upload_preview

    preview = upload_preview(
        data=data,
        filename="feb.xlsx",
        actor=bupyeong_officer,
        project=project,
        period=FEB,
        now=NOW,
    )
    cells = layout_cells(load_workbook(io.BytesIO(data)))
    assert [e.cell for e in preview.errors] == [cells["mentoring_sessions.female"]]
