"""Every spreadsheet and CSV the product emits goes through the one safe writer
(common/spreadsheets.py): whatever a district typed — a title, a narrative, a
comment, an output's name or unit, a budget category — never runs as a formula
in the produced file, and the public CSV opens in Korean Excel (UTF-8 BOM)."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from common.spreadsheets import (
    CSV_BOM,
    FORMULA_STARTS,
    csv_text,
    safe_cell,
    workbook_bytes,
)
from competitions import services as proposal_services
from competitions.models import (
    CallIndicator,
    Proposal,
    ProposalBudgetLine,
    ProposalOutput,
)
from indicators.models import Indicator
from reporting.evaluation import selectors as evaluation_selectors
from reporting.evaluation.exports.workbook import build_workbook
from tests.competitions.conftest import BEFORE_DEADLINE, call, call_index, fill  # noqa: F401
from tests.projects.fixtures import make_project, plan_data
from tests.reporting.helpers import accept_month, figures

JAN = date(2019, 1, 1)
HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(1)", "\t=1", "\r=1"]
# The only formulas the product writes itself: the template's budget look-ups.
OWN_FORMULA = "=IFERROR(VLOOKUP("


def assert_no_live_formula(content: bytes) -> None:
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                where = f"{sheet.title}!{cell.coordinate}: {cell.value!r}"
                if cell.data_type == "f":
                    assert str(cell.value).startswith(OWN_FORMULA), where
                    assert not any(text.strip() in cell.value for text in HOSTILE), (
                        where
                    )
                elif isinstance(cell.value, str) and cell.value.startswith(
                    FORMULA_STARTS
                ):
                    # Kept as typed: a string cell Excel shows and edits as text.
                    assert cell.quotePrefix, where


def assert_no_live_csv_field(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text.removeprefix(CSV_BOM))))
    for row in rows:
        for field in row:
            if field.lstrip("-").isdigit():
                continue  # a (negative) number is a number
            assert not field.startswith(FORMULA_STARTS), (field, row)
    return rows


def _text_of(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content))
    return "\n".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


# --- the writer itself ------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_the_writer_keeps_a_formula_like_text_exactly_but_as_text(text):
    workbook = Workbook()
    workbook.active["A1"] = text
    content = workbook_bytes(workbook)
    assert_no_live_formula(content)
    if "\r" not in text:  # XML turns a bare carriage return into a line feed
        assert load_workbook(io.BytesIO(content)).active["A1"].value == text


@pytest.mark.parametrize("text", HOSTILE)
def test_a_csv_field_never_starts_with_a_live_trigger(text):
    written = csv_text([["name", text], [text, 3]])
    assert written.startswith(CSV_BOM)
    rows = assert_no_live_csv_field(written)
    assert rows[1][0] == safe_cell(text)


# --- every export, with hostile text in every field a district types ----------------


def _hostile_project(orgs, text):
    outputs = [
        {
            "code": "households",
            "name_ko": text,
            "name_en": text,
            "unit_ko": text,
            "unit_en": text,
            "target": 960,
        }
    ]
    budget = [
        {"code": "personnel", "name_ko": text, "name_en": text, "amount": 94_500_000},
        {
            "code": "operations",
            "name_ko": "운영비",
            "name_en": "Operations",
            "amount": 40_500_000,
        },
    ]
    groups = [{"code": "women", "name_ko": text, "name_en": text, "planned_jobs": 27}]
    return make_project(
        orgs["BP"],
        title=text,
        title_en=text,
        summary=text,
        delivery_partners=text,
        plan=plan_data(outputs=outputs, budget_lines=budget, target_groups=groups),
    )


def _hostile_month(project, officer, city, text):
    values = figures(
        seniors=0,
        drop=[("visits", "total"), ("new_hires", "seniors"), ("employed", "seniors")],
    )
    return accept_month(
        project,
        officer,
        city,
        JAN,
        values=values,
        narrative=text,
        comments={"households.total": text, "spending.personnel": text},
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_the_monthly_template_writes_typed_text_as_text_and_keeps_it(
    client, orgs, city_manager, bupyeong_officer, text
):
    project = _hostile_project(orgs, text)
    _hostile_month(project, bupyeong_officer, city_manager, text)
    client.force_login(bupyeong_officer)
    response = client.get(
        reverse("spreadsheets_template", args=[project.pk, "2019-01"])
    )
    assert response.status_code == 200
    assert_no_live_formula(response.content)
    if "\r" not in text:
        # Nothing typed is lost: the narrative comes back exactly.
        assert f"\n{text}\n" in f"\n{_text_of(response.content)}\n"


@pytest.mark.parametrize("text", HOSTILE)
def test_the_evaluation_workbook_writes_output_names_and_units_as_text(
    orgs, city_manager, bupyeong_officer, text
):
    project = _hostile_project(orgs, text)
    _hostile_month(project, bupyeong_officer, city_manager, text)
    rollup = evaluation_selectors.rollup(
        evaluation_selectors.RollupQuery(year=2019, month=1)
    )
    assert_no_live_formula(build_workbook(rollup, title=text))


@pytest.mark.parametrize("text", HOSTILE)
def test_the_public_csv_has_a_bom_and_no_live_field(
    client, orgs, city_manager, bupyeong_officer, text
):
    project = _hostile_project(orgs, text)
    _hostile_month(project, bupyeong_officer, city_manager, text)
    response = client.get(
        "/api/v1/outcomes/", {"year": 2019, "month": 1, "format": "csv"}
    )
    assert response.status_code == 200
    body = response.content.decode("utf-8")
    assert body.startswith(CSV_BOM)
    rows = assert_no_live_csv_field(body)
    assert any(
        safe_cell(text) in row for row in rows
    )  # the project's name is there, as text


def _hostile_proposal(call, district, text):  # noqa: F811
    proposal = fill(Proposal(call=call, district=district, title=text))
    proposal.summary = proposal.local_need = proposal.delivery_partners = text
    # What a city manager typed into the catalogue reaches the export too.
    hostile = Indicator.objects.create(
        code=f"hostile-{Indicator.objects.count()}",
        name_ko=text[:100],
        name_en=text[:100],
        unit_ko="건",
        unit_en=text[:30],
    )
    CallIndicator.objects.create(page=call, indicator=hostile)
    proposal.outputs = [ProposalOutput(indicator=hostile, target=960)]
    total = proposal.city_share + proposal.district_share
    proposal.budget_lines = [
        ProposalBudgetLine(category=text, amount=total - 10_000_000),
        ProposalBudgetLine(category="운영비", amount=10_000_000),
    ]
    return proposal_services.proposal_record_historical_submission(
        proposal=proposal, submitted_at=BEFORE_DEADLINE
    )


@pytest.mark.parametrize("export", ["xlsx", "csv"])
def test_the_proposals_listing_export_writes_typed_text_as_text(
    client, call, orgs, city_manager, export
):  # noqa: F811
    for code, text in zip(["BP", "SG", "JG", "DG", "MH", "YS"], HOSTILE, strict=True):
        _hostile_proposal(call, orgs[code], text)
    client.force_login(city_manager)
    response = client.get(
        reverse("proposals:index"), {"call": call.pk, "export": export}
    )
    assert response.status_code == 200
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    if export == "xlsx":
        assert_no_live_formula(content)
        assert len(
            list(load_workbook(io.BytesIO(content)).active.iter_rows())
        ) == 1 + len(HOSTILE)
    else:
        text = content.decode("utf-8")
        assert text.startswith(CSV_BOM)
        assert len(assert_no_live_csv_field(text)) >= 1 + len(HOSTILE)


@pytest.mark.parametrize("export", ["xlsx", "csv"])
def test_wagtails_own_listing_export_goes_through_the_writer(rf, city_manager, export):
    """Any listing with ``list_export`` (ScopedIndexView) writes typed text as
    text and its CSV with the BOM."""
    from common.viewsets import ScopedIndexView

    view = ScopedIndexView()
    view.list_export = ["title"]
    rows = [{"title": text} for text in HOSTILE]
    if export == "xlsx":
        from openpyxl import Workbook as WriteOnly

        workbook = WriteOnly(write_only=True)
        sheet = workbook.create_sheet("Sheet1")
        for row in rows:
            sheet.append(list(view.generate_xlsx_row(sheet, row)))
        out = io.BytesIO()
        workbook.save(out)
        assert_no_live_formula(out.getvalue())
    else:
        from wagtail.admin.views.mixins import Echo

        writer = csv.DictWriter(Echo(), fieldnames=["title"])
        text = CSV_BOM + "".join(
            view.write_csv_row(writer, row).decode() for row in rows
        )
        assert_no_live_csv_field(text)
