"""Month navigation (issue 21): any year and month from a picker, ``?year=&month=``
accepted, and a month that cannot be read is said — never a 404; and the
spreadsheet door (template and upload) on every month, with or without a report."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reporting.month_picker import month_from_query
from tests.projects.fixtures import bupyeong_project, seogu_project  # noqa: F401

MONTH = reverse("reporting_month")


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_month_overview_shows_any_month_typed_or_picked(client, city_manager):
    client.force_login(city_manager)
    picked = client.get(MONTH, {"year": "2019", "month": "3"})
    assert picked.status_code == 200
    assert 'data-shown-month="2019-03"' in picked.content.decode()
    linked = client.get(MONTH, {"month": "2019-03"})
    assert 'data-shown-month="2019-03"' in linked.content.decode()
    page = picked.content.decode()
    assert "data-month-picker" in page
    assert 'href="?year=2019&amp;month=2"' in page  # previous
    assert 'href="?year=2019&amp;month=4"' in page  # next


@pytest.mark.parametrize(
    "query",
    [
        {"year": "2019", "month": "13"},
        {"year": "99999", "month": "1"},
        {"year": "abc", "month": "1"},
        {"month": "2019-00"},
        {"month": "soon"},
    ],
)
def test_a_month_that_cannot_be_read_is_said_and_the_usual_month_shown(
    client, city_manager, query
):
    client.force_login(city_manager)
    usual = client.get(MONTH).content.decode()
    response = client.get(MONTH, query)
    assert response.status_code == 200
    assert any("1부터 12" in text or "1~12" in text for text in _messages(response))
    shown = response.content.decode()
    start = usual.index("data-shown-month=")
    assert usual[start : start + 30] == shown[shown.index("data-shown-month=") :][:30]


def test_the_month_reader_gives_codes_and_defaults():
    default = date(2026, 11, 1)
    assert month_from_query({}, default=default).period == default
    assert month_from_query(
        {"year": "2019", "month": "10"}, default=default
    ).period == (date(2019, 10, 1))
    bad = month_from_query({"year": "2019", "month": "0"}, default=default)
    assert bad.period == default and bad.error_code == "month_not_valid"


def test_the_outcomes_dashboard_says_a_bad_month_instead_of_a_404(client, city_manager):
    client.force_login(city_manager)
    response = client.get(
        reverse("evaluation_dashboard"), {"year": "2019", "month": "13"}
    )
    assert response.status_code == 200
    assert _messages(response)


# --- the spreadsheet door on every month ---------------------------------------


def _door(page: str, project, month: str) -> str:
    marker = f'data-sheet-door="{project.pk}-{month}"'
    assert marker in page, f"no spreadsheet door for {month}"
    start = page.index(marker)
    return page[start : page.index("</span>", start)]


def test_the_door_is_on_every_month_without_a_report(
    client,
    bupyeong_project,
    bupyeong_officer,
    city_manager,  # noqa: F811
):
    client.force_login(bupyeong_officer)
    overview = client.get(MONTH, {"month": "2019-03"}).content.decode()
    door = _door(overview, bupyeong_project, "2019-03")
    assert "data-sheet-template" in door and "data-sheet-upload" in door

    project_page = client.get(
        reverse("projects:inspect", args=[bupyeong_project.pk])
    ).content.decode()
    for month in ("2019-01", "2019-07", "2019-12"):
        assert "data-sheet-upload" in _door(project_page, bupyeong_project, month)

    form = client.get(
        reverse("reporting_report_form", args=[bupyeong_project.pk, "2019-03"])
    ).content.decode()
    assert "data-sheet-upload" in _door(form, bupyeong_project, "2019-03")

    overdue = client.get(reverse("reporting_overdue")).content.decode()
    assert "data-sheet-upload" in _door(overdue, bupyeong_project, "2019-03")

    # No report exists for March, and the template still comes.
    template = client.get(
        reverse("spreadsheets_template", args=[bupyeong_project.pk, "2019-03"])
    )
    assert template.status_code == 200
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    upload = client.get(
        reverse("spreadsheets_upload", args=[bupyeong_project.pk, "2019-03"])
    )
    assert upload.status_code == 200

    # The city downloads the template but has no upload button.
    client.force_login(city_manager)
    overdue = client.get(reverse("reporting_overdue")).content.decode()
    door = _door(overdue, bupyeong_project, "2019-03")
    assert "data-sheet-template" in door and "data-sheet-upload" not in door


def test_the_door_refuses_another_district_as_before(
    client,
    bupyeong_project,
    seogu_officer,  # noqa: F811
):
    client.force_login(seogu_officer)
    for name in ("spreadsheets_template", "spreadsheets_upload"):
        response = client.get(reverse(name, args=[bupyeong_project.pk, "2019-03"]))
        assert response.status_code == 404


def test_a_month_outside_the_project_is_said_on_the_project_page(
    client,
    bupyeong_project,
    bupyeong_officer,  # noqa: F811
):
    client.force_login(bupyeong_officer)
    for name in ("spreadsheets_template", "spreadsheets_upload"):
        response = client.get(reverse(name, args=[bupyeong_project.pk, "2021-03"]))
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "projects:inspect", args=[bupyeong_project.pk]
        )
        assert any("2021-03" in text for text in _messages(response))
