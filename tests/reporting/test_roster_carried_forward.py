"""The web form carries the roster forward from last month, as the
spreadsheet template does: one selector for both, a draft's own roster never
replaced, and only the same project's roster ever read."""

import re
from datetime import date
from html import unescape

from django.urls import reverse

from reporting.selectors import starting_roster
from reporting.services import report_save_draft
from reporting.spreadsheets.template import template_data

from .helpers import accept_month, figures, kst

JAN, FEB = date(2019, 1, 1), date(2019, 2, 1)


def row(code, group, hired, ended=None):
    return {
        "participant_code": code,
        "target_group_code": group,
        "hire_date": hired,
        "end_date": ended,
    }


JANUARY_ROSTER = [
    row("BP-001", "women", "2019-01-07"),
    row("BP-002", "women", "2019-01-14", "2019-01-25"),  # left in January
]


def _roster_field(client, project, month: str) -> str:
    page = client.get(
        reverse("reporting_report_form", args=[project.pk, month])
    ).content.decode()
    match = re.search(r'<textarea[^>]*name="roster"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, "the form has a roster field"
    return unescape(match.group(1)).strip()


def _accept_january(project, officer, city):
    return accept_month(
        project,
        officer,
        city,
        JAN,
        values=figures(women=2, employed_women=1),
        roster=JANUARY_ROSTER,
    )


def test_a_new_months_form_starts_with_last_months_roster(
    client, bupyeong_project, bupyeong_officer, city_manager
):
    _accept_january(bupyeong_project, bupyeong_officer, city_manager)
    client.force_login(bupyeong_officer)
    roster = _roster_field(client, bupyeong_project, "2019-02")
    assert roster.splitlines() == [
        "BP-001, women, 2019-01-07",  # still employed: there to edit
        # Left in January: kept with the end date, as six-month retention needs.
        "BP-002, women, 2019-01-14, 2019-01-25",
    ]


def test_the_form_and_the_template_start_from_the_same_roster(
    bupyeong_project, bupyeong_officer, city_manager
):
    _accept_january(bupyeong_project, bupyeong_officer, city_manager)
    carried = starting_roster(project=bupyeong_project, period=FEB, version=None)
    assert [r["participant_code"] for r in carried] == ["BP-001", "BP-002"]
    template = template_data(
        project=bupyeong_project, period=FEB, actor=bupyeong_officer
    )
    assert template.roster == carried


def test_a_draft_that_has_a_roster_keeps_its_own(
    client, bupyeong_project, bupyeong_officer, city_manager
):
    _accept_january(bupyeong_project, bupyeong_officer, city_manager)
    report_save_draft(
        project=bupyeong_project,
        period=FEB,
        actor=bupyeong_officer,
        values=figures(women=1, employed_women=2),
        roster=[
            row("BP-001", "women", "2019-01-07"),
            row("BP-003", "women", "2019-02-04"),
        ],
        now=kst(2019, 3, 4, 10, 0),
    )
    client.force_login(bupyeong_officer)
    roster = _roster_field(client, bupyeong_project, "2019-02")
    assert roster.splitlines() == [
        "BP-001, women, 2019-01-07",
        "BP-003, women, 2019-02-04",
    ]


def test_a_draft_saved_without_a_roster_is_not_filled_from_last_month(
    client, bupyeong_project, bupyeong_officer, city_manager
):
    _accept_january(bupyeong_project, bupyeong_officer, city_manager)
    report_save_draft(
        project=bupyeong_project,
        period=FEB,
        actor=bupyeong_officer,
        values=figures(women=0, employed_women=1),
        now=kst(2019, 3, 4, 10, 0),
    )
    client.force_login(bupyeong_officer)
    assert _roster_field(client, bupyeong_project, "2019-02") == ""


def test_a_month_after_one_without_an_accepted_report_starts_empty(
    client, bupyeong_project, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    assert _roster_field(client, bupyeong_project, "2019-02") == ""


def test_another_districts_roster_is_never_read(
    client,
    bupyeong_project,
    seogu_project,
    bupyeong_officer,
    seogu_officer,
    city_manager,
):
    _accept_january(bupyeong_project, bupyeong_officer, city_manager)
    accept_month(
        seogu_project,
        seogu_officer,
        city_manager,
        JAN,
        values=figures(women=1, employed_women=1),
        roster=[row("SG-001", "women", "2019-01-03")],
    )
    client.force_login(seogu_officer)
    roster = _roster_field(client, seogu_project, "2019-02")
    assert roster == "SG-001, women, 2019-01-03"
    assert "BP-" not in roster
    # Nor can 서구 open 부평구's form to read it.
    response = client.get(
        reverse("reporting_report_form", args=[bupyeong_project.pk, "2019-02"])
    )
    assert response.status_code == 404
    assert "BP-001" not in response.content.decode()
