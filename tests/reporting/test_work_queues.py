"""The overdue list as a work queue (issue 21): filters by district, call,
status and month, days late, sorting, an export through the one safe writer,
and "send reminder now" for the city — once a day per month, refused to
everyone else."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from projects.months import seoul_today
from reporting.models import ManualReminder
from reporting.selectors import due_on
from reporting.services import reminder_send_now
from tests.projects.fixtures import bupyeong_project, seogu_project  # noqa: F401

from .helpers import file_month

JAN, MAR = date(2019, 1, 1), date(2019, 3, 1)
OVERDUE = reverse("reporting_overdue")


def _streamed(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def _rows(page: str) -> list[str]:
    import re

    return re.findall(r'data-overdue-row="([^"]+)"', page)


@pytest.fixture
def queue(bupyeong_project, seogu_project, bupyeong_officer):  # noqa: F811
    # 부평구 filed January: it is not overdue; every other month of 2019 is.
    file_month(bupyeong_project, bupyeong_officer, JAN)
    return {"BP": bupyeong_project, "SG": seogu_project}


def test_the_city_filters_the_overdue_list_by_district_status_and_month(
    client, queue, city_manager
):
    client.force_login(city_manager)
    everything = _rows(client.get(OVERDUE).content.decode())
    assert f"{queue['BP'].pk}-2019-01" not in everything
    assert f"{queue['SG'].pk}-2019-01" in everything
    assert len(everything) == 12 + 11

    seogu = _rows(client.get(OVERDUE, {"district": "SG"}).content.decode())
    assert seogu and all(row.startswith(f"{queue['SG'].pk}-") for row in seogu)

    march = _rows(client.get(OVERDUE, {"month": "2019-03"}).content.decode())
    assert sorted(march) == sorted(
        [f"{queue['BP'].pk}-2019-03", f"{queue['SG'].pk}-2019-03"]
    )
    # The picker's ?year=&month= names the same month.
    same = _rows(client.get(OVERDUE, {"year": "2019", "month": "3"}).content.decode())
    assert sorted(same) == sorted(march)

    not_started = _rows(client.get(OVERDUE, {"status": "not_started"}).content.decode())
    assert len(not_started) == len(everything)


def test_each_overdue_month_says_how_many_days_late_and_sorts_by_it(
    client, queue, city_manager
):
    client.force_login(city_manager)
    page = client.get(OVERDUE, {"district": "SG", "sort": "-days_late"}).content
    page = page.decode()
    today = seoul_today(timezone.now())
    expected = (today - due_on(queue["SG"], JAN)).days
    first = _rows(page)[0]
    assert first == f"{queue['SG'].pk}-2019-01"  # the oldest is the latest
    assert f'data-days-late="{expected}"' in page
    ascending = _rows(
        client.get(OVERDUE, {"district": "SG", "sort": "days_late"}).content.decode()
    )
    assert ascending == list(reversed(_rows(page)))


def test_the_export_holds_the_filtered_rows_through_the_safe_writer(
    client, queue, city_manager
):
    queue["SG"].title = "=HYPERLINK(1)"
    queue["SG"].save()
    client.force_login(city_manager)
    response = client.get(OVERDUE, {"district": "SG", "export": "csv"})
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 1 + 12
    assert all(row[3] == "서구" for row in rows[1:])
    assert all(row[2].startswith("'=") for row in rows[1:])  # never a formula

    response = client.get(OVERDUE, {"month": "2019-03", "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 1 + 2


def test_a_district_officer_lists_only_their_own_districts_overdue_months(
    client, queue, seogu_officer
):
    client.force_login(seogu_officer)
    rows = _rows(client.get(OVERDUE).content.decode())
    assert rows and all(row.startswith(f"{queue['SG'].pk}-") for row in rows)
    # Asking for another district's rows gives nothing of theirs.
    assert not _rows(client.get(OVERDUE, {"district": "BP"}).content.decode())
    exported = client.get(OVERDUE, {"export": "csv"}).content.decode()
    assert "부평구" not in exported


def test_the_city_sends_a_reminder_now_once_a_day(
    client, queue, city_manager, seogu_officer, django_capture_on_commit_callbacks
):
    client.force_login(city_manager)
    data = {"project": queue["SG"].pk, "month": "2019-03"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting_overdue_remind"), data, follow=True)
    assert response.status_code == 200
    reminder = ManualReminder.objects.get()
    assert (reminder.project, reminder.period) == (queue["SG"], MAR)
    assert reminder.sent_by == city_manager
    assert seogu_officer.email in reminder.recipients
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [seogu_officer.email]
    assert "2019-03" in mail.outbox[0].subject and " / " not in mail.outbox[0].subject
    page = client.get(OVERDUE, {"month": "2019-03"}).content.decode()
    assert "data-reminded-today" in page

    # A second click the same day: said, nothing sent, nothing recorded.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting_overdue_remind"), data, follow=True)
    assert "이미 보냈습니다" in response.content.decode()
    assert ManualReminder.objects.count() == 1 and len(mail.outbox) == 1


def test_a_second_reminder_the_same_day_is_refused_with_a_code(queue, city_manager):
    reminder_send_now(project=queue["SG"], period=MAR, actor=city_manager)
    with pytest.raises(ValidationError) as refused:
        reminder_send_now(project=queue["SG"], period=MAR, actor=city_manager)
    assert refused.value.code == "reminder_already_sent_today"


def test_a_month_that_arrived_is_not_reminded(queue, city_manager):
    with pytest.raises(ValidationError) as refused:
        reminder_send_now(project=queue["BP"], period=JAN, actor=city_manager)
    assert refused.value.code == "reminder_not_overdue"
    assert not ManualReminder.objects.exists()


def test_nobody_but_the_city_sends_a_reminder(
    client, queue, bupyeong_officer, seogu_officer, bupyeong_approver
):
    for user in (seogu_officer, bupyeong_approver, bupyeong_officer):
        with pytest.raises(PermissionDenied):
            reminder_send_now(project=queue["SG"], period=MAR, actor=user)
    client.force_login(seogu_officer)
    response = client.post(
        reverse("reporting_overdue_remind"),
        {"project": queue["SG"].pk, "month": "2019-03"},
    )
    assert response.status_code in (302, 403)
    client.force_login(bupyeong_officer)
    response = client.post(
        reverse("reporting_overdue_remind"),
        {"project": queue["SG"].pk, "month": "2019-03"},
    )
    assert response.status_code == 404  # another district's project: not even seen
    assert not ManualReminder.objects.exists() and not mail.outbox
    # The button is the city's only.
    client.force_login(seogu_officer)
    assert "data-remind" not in client.get(OVERDUE).content.decode()


def test_the_monthly_reports_listing_filters_by_call_and_shows_days_late(
    client, queue, city_manager, bupyeong_officer
):
    client.force_login(city_manager)
    response = client.get(
        reverse("monthly_reports:index"), {"district": queue["BP"].district.pk}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "지연 일수" in body
    export = _streamed(
        client.get(
            reverse("monthly_reports:index"),
            {"export": "csv", "district": queue["BP"].district.pk},
        )
    )
    assert "지연 일수" in export.splitlines()[0]
    assert "submitted" not in export  # statuses as words
