"""The report form's money figures are typed with separators and stored as
integers; the spreadsheet template's entry cells show separators too."""

import io
from datetime import date

import openpyxl
from django.urls import reverse

from reporting.models import MonthlyReport
from reporting.selectors import version_values
from tests.projects.fixtures import bupyeong_project  # noqa: F401

from .helpers import figures

MAR = date(2019, 3, 1)


def _post_data(values: dict) -> dict:
    data = {"narrative": "", "roster": ""}
    for measure, members in values.items():
        for key, value in members.items():
            data[f"{measure}__{key}"] = value
    return data


def test_spending_typed_with_separators_is_stored_as_an_integer(
    client,
    bupyeong_project,
    bupyeong_officer,  # noqa: F811
):
    client.force_login(bupyeong_officer)
    url = reverse("reporting_report_form", args=[bupyeong_project.pk, "2019-03"])
    page = client.get(url).content.decode()
    assert 'name="spending__personnel"' in page and "data-money" in page
    assert "js/money-input.js" in page

    values = figures()
    values["spending"] = {"personnel": "7,000,000", "operations": "3,000,000원"}
    response = client.post(url, _post_data(values))
    assert response.status_code == 302, response.content.decode()[:3000]
    report = MonthlyReport.objects.get(project=bupyeong_project, period=MAR)
    stored = version_values(report.current_version)
    assert stored["spending"] == {"personnel": 7_000_000, "operations": 3_000_000}

    again = client.get(url).content.decode()
    assert 'value="7,000,000"' in again


def test_a_money_figure_with_a_letter_is_refused_and_kept(
    client,
    bupyeong_project,
    bupyeong_officer,  # noqa: F811
):
    client.force_login(bupyeong_officer)
    url = reverse("reporting_report_form", args=[bupyeong_project.pk, "2019-03"])
    values = figures()
    values["spending"] = {"personnel": "12a", "operations": "3,000,000"}
    response = client.post(url, _post_data(values))
    assert response.status_code == 200
    assert 'value="12a"' in response.content.decode()
    assert not MonthlyReport.objects.filter(project=bupyeong_project).exists()


def test_the_templates_entry_cells_show_thousands_separators(
    client,
    bupyeong_project,
    bupyeong_officer,  # noqa: F811
):
    client.force_login(bupyeong_officer)
    response = client.get(
        reverse("spreadsheets_template", args=[bupyeong_project.pk, "2019-03"])
    )
    from tests.spreadsheets.conftest import layout_cells

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["실적"]
    cells = layout_cells(book)
    entry = [sheet[cells["new_hires.women"]], sheet[cells["households.total"]]]
    entry += [sheet[cells[f"spending#{n}"][1]] for n in (1, 2)]
    assert all(cell.protection.locked is False for cell in entry)
    assert all(cell.number_format == "#,##0" for cell in entry)


def test_the_upload_preview_shows_amounts_with_separators(
    client,
    bupyeong_project,
    bupyeong_officer,  # noqa: F811
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.spreadsheets.conftest import FEB_SPENDING, FEB_VALUES, fill

    client.force_login(bupyeong_officer)
    data = fill(
        bupyeong_project, date(2019, 2, 1), values=FEB_VALUES, spending=FEB_SPENDING
    )
    response = client.post(
        reverse("spreadsheets_upload", args=[bupyeong_project.pk, "2019-02"]),
        {"file": SimpleUploadedFile("feb.xlsx", data)},
    )
    page = response.content.decode()
    assert "data-upload-changes" in page
    assert "7,000,000" in page and "7000000" not in page
