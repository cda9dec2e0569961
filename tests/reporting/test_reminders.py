"""Reminders before, on and after the due day: once each, by e-mail and in the admin."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from reporting.models import Reminder, ReminderKind
from reporting.services import reminders_send
from reporting.tasks import send_report_reminders
from tests.helpers import wait_for

from .helpers import file_month, kst

MAR = date(2019, 3, 1)


@pytest.fixture
def one_month_project(orgs, bupyeong_officer):
    """A Bupyeong-gu project of one month, March 2019 (due 10 April)."""
    from tests.projects.fixtures import make_project, plan_data

    return make_project(
        orgs["BP"], plan=plan_data(period_start="2019-03-01", period_end="2019-03-01")
    )


def kinds() -> list[str]:
    return list(
        Reminder.objects.order_by("sent_at", "pk").values_list("kind", flat=True)
    )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2019, 4, 6), []),
        (date(2019, 4, 7), [ReminderKind.BEFORE_DUE]),
        (date(2019, 4, 10), [ReminderKind.DUE_TODAY]),
        (date(2019, 4, 11), [ReminderKind.OVERDUE]),
    ],
)
def test_the_reminder_kind_follows_the_due_day(
    one_month_project, today, expected, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=today)
    assert kinds() == expected
    assert len(mail.outbox) == len(expected)


def test_each_reminder_is_sent_once_by_email_to_the_district_officers(
    one_month_project,
    bupyeong_officer,
    seogu_officer,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        for day in (7, 8, 9, 10, 10, 11, 12, 17):
            send_report_reminders.delay(today=date(2019, 4, day).isoformat())
    assert kinds() == [
        ReminderKind.BEFORE_DUE,
        ReminderKind.DUE_TODAY,
        ReminderKind.OVERDUE,
    ]
    assert [message.to for message in mail.outbox] == [[bupyeong_officer.email]] * 3
    # In the officer's language (Korean by default), never both.
    assert "제출 기한이 지났습니다" in mail.outbox[2].subject
    assert "overdue" not in mail.outbox[2].subject + mail.outbox[2].body
    assert "2019-BP-01 2019-03" in mail.outbox[2].subject
    assert (
        Reminder.objects.get(kind=ReminderKind.OVERDUE).recipients
        == bupyeong_officer.email
    )


def test_each_officer_gets_the_reminder_in_their_own_language(
    one_month_project, bupyeong_officer, orgs, django_capture_on_commit_callbacks
):
    from wagtail.users.models import UserProfile

    from accounts.roles import Role
    from tests.factories import UserFactory

    english = UserFactory(
        username="bp-english",
        email="en@bp.example",
        organisation=orgs["BP"],
        role=Role.DISTRICT_OFFICER,
    )
    profile = UserProfile.get_for_user(english)
    profile.preferred_language = "en"
    profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=date(2019, 4, 11))
    by_reader = {tuple(message.to): message for message in mail.outbox}
    assert set(by_reader) == {(bupyeong_officer.email,), ("en@bp.example",)}
    korean, english_mail = (
        by_reader[(bupyeong_officer.email,)],
        by_reader[("en@bp.example",)],
    )
    assert "제출 기한이 지났습니다" in korean.subject and "overdue" not in korean.body
    assert "is overdue" in english_mail.subject
    assert "제출" not in english_mail.subject + english_mail.body
    assert Reminder.objects.get().recipients == ", ".join(
        sorted([bupyeong_officer.email, "en@bp.example"])
    )


def test_a_month_received_gets_no_reminder(one_month_project, bupyeong_officer):
    file_month(one_month_project, bupyeong_officer, MAR, now=kst(2019, 4, 8, 9))
    reminders_send(today=date(2019, 4, 10))
    reminders_send(today=date(2019, 4, 11))
    assert kinds() == []


def test_the_month_in_progress_is_not_reminded(orgs):
    from tests.projects.fixtures import make_project

    make_project(orgs["BP"])  # January to December 2019
    reminders_send(today=date(2019, 1, 31))
    assert kinds() == []


@pytest.mark.django_db(transaction=True)
def test_the_reminder_task_runs_through_a_real_worker(
    celery_worker_process, orgs, bupyeong_officer
):
    from tests.projects.fixtures import make_project, plan_data

    make_project(
        orgs["BP"], plan=plan_data(period_start="2019-03-01", period_end="2019-03-01")
    )
    send_report_reminders.delay(today="2019-04-11")
    assert wait_for(lambda: Reminder.objects.exists()), (
        "the worker sent no reminder within 60 s"
    )
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.period, reminder.district.code) == (
        ReminderKind.OVERDUE,
        MAR,
        "BP",
    )
    assert reminder.recipients == bupyeong_officer.email
    assert celery_worker_process.poll() is None


def test_the_home_page_shows_the_district_its_overdue_month_and_the_city_the_overdue_list(
    client, one_month_project, bupyeong_officer, seogu_officer, city_manager
):
    reminders_send(today=date(2019, 4, 11))
    client.force_login(bupyeong_officer)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "2019-BP-01" in page and "2019년 3월" in page
    assert (
        reverse("reporting_report_form", args=[one_month_project.pk, "2019-03"]) in page
    )

    client.force_login(seogu_officer)
    assert "2019-BP-01" not in client.get(reverse("wagtailadmin_home")).content.decode()

    client.force_login(city_manager)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("reporting_overdue") in page
    overdue_page = client.get(reverse("reporting_overdue")).content.decode()
    assert "2019-BP-01" in overdue_page
    assert "2019-03" in overdue_page
