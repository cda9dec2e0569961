"""Every date and time a person sees is Asia/Seoul's: each admin listing,
inspect page and export that shows a datetime is rendered with an object whose
moment falls on different days in UTC and in Seoul
(2019-03-31 20:00 UTC = 2019-04-01 05:00 KST)."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from common.spreadsheets import CSV_BOM
from tests.competitions.conftest import call, call_index, make_draft  # noqa: F401
from tests.projects.fixtures import bupyeong_project  # noqa: F401
from tests.reporting.helpers import file_month

# Before the 2018 call's deadline (2018-09-28 18:00 KST): 09-27 in UTC, 09-28 in Seoul.
PROPOSAL_SENT = datetime(2018, 9, 27, 20, 0, tzinfo=UTC)
# The February report, first sent: 03-31 in UTC, 04-01 in Seoul.
REPORT_SENT = datetime(2019, 3, 31, 20, 0, tzinfo=UTC)
SEOUL_FORMS = (
    "2018년 9월 28일 5:00",
    "2018-09-28 05:00",
    "2019년 4월 1일 5:00",
    "2019-04-01 05:00",
)
UTC_FORMS = ("2018년 9월 27일", "2018-09-27", "2019년 3월 31일", "2019-03-31")


@pytest.fixture
def sent(call, bupyeong_officer, bupyeong_project):  # noqa: F811
    from competitions import services

    proposal = make_draft(call, bupyeong_officer, title="보낸 제안", now=PROPOSAL_SENT)
    proposal = services.proposal_submit(
        proposal=proposal, actor=bupyeong_officer, now=PROPOSAL_SENT, notify=False
    )
    report = file_month(
        bupyeong_project, bupyeong_officer, date(2019, 2, 1), now=REPORT_SENT
    )
    return proposal, report


def assert_seoul(text: str, where: str) -> None:
    assert any(form in text for form in SEOUL_FORMS), f"{where}: no Seoul time"
    assert not any(form in text for form in UTC_FORMS), f"{where}: a UTC date is shown"


@pytest.mark.parametrize(
    "url",
    [
        lambda p, r: reverse("proposals:index"),
        lambda p, r: reverse("proposals:inspect", args=[p.pk]),
        lambda p, r: reverse("monthly_reports:index"),
        lambda p, r: reverse("reporting_report", args=[r.pk]),
    ],
    ids=[
        "proposals listing",
        "proposal inspect",
        "monthly reports listing",
        "report page",
    ],
)
def test_admin_listings_and_detail_pages_show_seoul_time(
    client, city_manager, sent, url
):
    client.force_login(city_manager)
    address = url(*sent)
    response = client.get(address)
    assert response.status_code == 200
    assert_seoul(response.content.decode(), address)


def test_the_audit_trail_shows_seoul_time(client, city_manager, orgs):
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    organisation = orgs["BP"]
    entry = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(organisation),
        object_pk=str(organisation.pk),
        object_id=organisation.pk,
        object_repr=str(organisation),
        action=LogEntry.Action.UPDATE,
        changes={"name_en": ["Bupyeong", "Bupyeong-gu"]},
        timestamp=REPORT_SENT,
    )
    client.force_login(city_manager)
    for address in (reverse("audit_index"), reverse("audit_detail", args=[entry.pk])):
        response = client.get(address)
        assert response.status_code == 200
        assert_seoul(response.content.decode(), address)


@pytest.mark.parametrize("export", ["xlsx", "csv"])
def test_the_proposals_export_shows_seoul_time(
    client, call, city_manager, sent, export
):  # noqa: F811
    client.force_login(city_manager)
    response = client.get(
        reverse("proposals:index"), {"call": call.pk, "export": export}
    )
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    if export == "xlsx":
        rows = list(
            load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
        )
    else:
        rows = list(csv.reader(io.StringIO(content.decode().removeprefix(CSV_BOM))))
    assert_seoul(" ".join(str(value) for row in rows for value in row), export)


@pytest.mark.parametrize("export", ["xlsx", "csv"])
def test_wagtails_listing_export_writes_seoul_time(export):
    """Wagtail's own list_export writes the UTC wall time; ScopedIndexView
    writes Seoul's."""
    from common.viewsets import ScopedIndexView

    view = ScopedIndexView()
    value = view.preprocess_field_value("submitted_at", REPORT_SENT, export)
    assert str(value).startswith("2019-04-01 05:00")


def test_the_evaluation_schemes_listing_shows_seoul_time(client, call, city_manager):  # noqa: F811
    from reporting.evaluation.models import EvaluationScheme

    EvaluationScheme.objects.create(
        call=call, year=2019, evaluated_at=REPORT_SENT, published_at=REPORT_SENT
    )
    client.force_login(city_manager)
    response = client.get(reverse("evaluation_schemes:index"))
    assert_seoul(response.content.decode(), "evaluation schemes")
