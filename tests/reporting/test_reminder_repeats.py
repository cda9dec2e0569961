"""Reminders that follow the call's rules: the first one some days before the
due day, one on it, and after it again at the call's interval until the
report arrives (at most the call's maximum), each step sent once."""

from datetime import date, timedelta

import pytest
from django.core import mail

from reporting.models import Reminder, ReminderKind
from reporting.services import reminders_send
from reporting.services.reminders import ReminderRules, reminder_step

from .helpers import file_month, kst

MAR = date(2019, 3, 1)
DUE = date(2019, 4, 10)  # March's report, due on the 10th of April
FIRST_LATE = DUE + timedelta(days=1)


@pytest.fixture
def call_index(home_page):
    from competitions.models import CallIndexPage

    index = home_page.add_child(instance=CallIndexPage(title="공모", slug="calls"))
    index.save_revision().publish()
    return index


def call_project(call_index, orgs, *, slug="call-reminders", **rules):
    """A Bupyeong-gu project of one month (March 2019) under a call with ``rules``."""
    from tests.competitions.conftest import make_call
    from tests.projects.fixtures import make_project, plan_data

    call = make_call(call_index, slug=slug, **rules)
    return make_project(
        orgs["BP"],
        call=call,
        plan=plan_data(period_start="2019-03-01", period_end="2019-03-01"),
    )


def run_daily(first: date, last: date) -> None:
    """The daily beat task, every day from ``first`` to ``last``, at 09:00 Seoul."""
    day = first
    while day <= last:
        reminders_send(today=day, now=kst(day.year, day.month, day.day, 9, 0))
        day += timedelta(days=1)


def steps() -> list[tuple[str, int, date]]:
    """(kind, number, day sent in Seoul) of every reminder, in order."""
    from projects.months import seoul_today

    return [
        (reminder.kind, reminder.sequence, seoul_today(reminder.sent_at))
        for reminder in Reminder.objects.order_by("sent_at", "pk")
    ]


def test_an_overdue_month_is_reminded_again_every_interval_and_not_in_between(
    call_index, orgs, bupyeong_officer
):
    call_project(call_index, orgs, reminder_repeat_days=5)
    run_daily(DUE - timedelta(days=10), FIRST_LATE + timedelta(days=12))
    assert steps() == [
        (ReminderKind.BEFORE_DUE, 1, DUE - timedelta(days=3)),
        (ReminderKind.DUE_TODAY, 1, DUE),
        (ReminderKind.OVERDUE, 1, FIRST_LATE),
        (ReminderKind.OVERDUE, 2, FIRST_LATE + timedelta(days=5)),
        (ReminderKind.OVERDUE, 3, FIRST_LATE + timedelta(days=10)),
    ]


def test_the_repeats_stop_when_the_report_arrives(call_index, orgs, bupyeong_officer):
    project = call_project(call_index, orgs, reminder_repeat_days=5)
    run_daily(FIRST_LATE, FIRST_LATE + timedelta(days=6))
    assert [step[:2] for step in steps()] == [
        (ReminderKind.OVERDUE, 1),
        (ReminderKind.OVERDUE, 2),
    ]
    file_month(project, bupyeong_officer, MAR, now=kst(2019, 4, 18, 11, 0))
    run_daily(FIRST_LATE + timedelta(days=7), FIRST_LATE + timedelta(days=40))
    assert len(steps()) == 2


def test_running_twice_the_same_day_sends_the_step_once(
    call_index, orgs, bupyeong_officer, django_capture_on_commit_callbacks
):
    call_project(call_index, orgs, reminder_repeat_days=5)
    repeat_day = FIRST_LATE + timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_send(today=repeat_day, now=kst(2019, 4, 16, 9, 0))
        second = reminders_send(today=repeat_day, now=kst(2019, 4, 16, 15, 0))
    assert [(r.kind, r.sequence) for r in first] == [(ReminderKind.OVERDUE, 2)]
    assert second == []
    assert len(mail.outbox) == 1


def test_no_repeat_when_the_call_sets_the_interval_to_zero(
    call_index, orgs, bupyeong_officer
):
    call_project(call_index, orgs, reminder_repeat_days=0)
    run_daily(FIRST_LATE, FIRST_LATE + timedelta(days=60))
    assert steps() == [(ReminderKind.OVERDUE, 1, FIRST_LATE)]


def test_the_calls_maximum_caps_the_overdue_reminders(
    call_index, orgs, bupyeong_officer
):
    call_project(call_index, orgs, reminder_repeat_days=3, reminder_max_overdue=2)
    run_daily(FIRST_LATE, FIRST_LATE + timedelta(days=30))
    assert steps() == [
        (ReminderKind.OVERDUE, 1, FIRST_LATE),
        (ReminderKind.OVERDUE, 2, FIRST_LATE + timedelta(days=3)),
    ]


def test_the_first_reminder_goes_as_many_days_before_as_the_call_says(
    call_index, orgs, bupyeong_officer
):
    call_project(call_index, orgs, slug="five-days", reminder_days_before=5)
    run_daily(DUE - timedelta(days=10), DUE - timedelta(days=1))
    assert steps() == [(ReminderKind.BEFORE_DUE, 1, DUE - timedelta(days=5))]


def test_each_call_keeps_its_own_rules(call_index, orgs, bupyeong_officer):
    weekly = call_project(call_index, orgs, slug="weekly", reminder_repeat_days=7)
    never_before = call_project(
        call_index,
        orgs,
        slug="quiet",
        reminder_days_before=0,
        reminder_repeat_days=0,
    )
    run_daily(DUE - timedelta(days=5), FIRST_LATE + timedelta(days=14))
    by_project = {
        project.pk: [
            (reminder.kind, reminder.sequence)
            for reminder in Reminder.objects.filter(project=project).order_by("sent_at")
        ]
        for project in (weekly, never_before)
    }
    assert by_project[weekly.pk] == [
        (ReminderKind.BEFORE_DUE, 1),
        (ReminderKind.DUE_TODAY, 1),
        (ReminderKind.OVERDUE, 1),
        (ReminderKind.OVERDUE, 2),
        (ReminderKind.OVERDUE, 3),
    ]
    assert by_project[never_before.pk] == [
        (ReminderKind.DUE_TODAY, 1),
        (ReminderKind.OVERDUE, 1),
    ]


def test_a_project_without_a_call_is_reminded_weekly(orgs, bupyeong_officer):
    from tests.projects.fixtures import make_project, plan_data

    make_project(
        orgs["BP"], plan=plan_data(period_start="2019-03-01", period_end="2019-03-01")
    )
    run_daily(FIRST_LATE, FIRST_LATE + timedelta(days=14))
    assert [step[1:] for step in steps()] == [
        (1, FIRST_LATE),
        (2, FIRST_LATE + timedelta(days=7)),
        (3, FIRST_LATE + timedelta(days=14)),
    ]


def test_a_missed_day_sends_the_latest_step_late_once_not_every_step():
    rules = ReminderRules(repeat_every_days=5)
    # The beat was down from the 1st day late to the 12th: one reminder, step 3.
    assert reminder_step(due=DUE, today=DUE + timedelta(days=12), rules=rules) == (
        reminder_step(due=DUE, today=DUE + timedelta(days=11), rules=rules)
    )
    assert (
        reminder_step(due=DUE, today=DUE + timedelta(days=12), rules=rules).sequence
        == 3
    )


def test_a_repeat_tells_each_officer_in_their_language_how_late_and_where_to_file(
    call_index, orgs, bupyeong_officer, django_capture_on_commit_callbacks
):
    from wagtail.users.models import UserProfile

    from accounts.roles import Role
    from tests.factories import UserFactory

    project = call_project(call_index, orgs, reminder_repeat_days=5)
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
        reminders_send(today=FIRST_LATE + timedelta(days=5))
    by_reader = {tuple(message.to): message for message in mail.outbox}
    korean = by_reader[(bupyeong_officer.email,)]
    english_mail = by_reader[("en@bp.example",)]
    assert "6일" in korean.body and "overdue" not in korean.body
    assert "It is 6 days past the due day" in english_mail.body
    assert "제출" not in english_mail.subject + english_mail.body
    # The notice (inbox and mail) leads to the month's report screen.
    from notifications.models import Notification

    notices = Notification.objects.filter(kind="report_reminder")
    assert {notice.link for notice in notices} == {
        f"/admin/reports/file/{project.pk}/2019-03/"
    }
    assert {notice.recipient.email for notice in notices} == {
        bupyeong_officer.email,
        "en@bp.example",
    }
    assert all(notice.mandatory and notice.due_is_day for notice in notices)
    assert {notice.project_id for notice in notices} == {project.pk}
    assert "/admin/notifications/" in korean.body
