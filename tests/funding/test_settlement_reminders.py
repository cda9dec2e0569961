"""The settlement reminder (정산 보고 기한 알림): the district's officers hear
of a settlement due 7 days before its due day and once more when it is
overdue — once per project each, however often the daily task runs; nobody
of another district hears of it, and a settlement that reached the city (or a
closed project) is not reminded."""

from datetime import date

import pytest
from django.test import override_settings

from funding import settlement_services as settle
from funding.settlement_reminders import settlement_reminders_send
from funding.tasks import send_settlement_reminders
from notifications.models import Notification
from projects.models import ProjectStatus

from .settlement_helpers import AFTER_END, ended_project

pytestmark = pytest.mark.django_db

# The project's last month is March 2019: the settlement is due on 30 April.
DUE_DAY = date(2019, 4, 30)


@pytest.fixture
def ended(orgs, call, city_manager, bupyeong_officer):
    return ended_project(orgs["BP"], call, city_manager, bupyeong_officer)


def told():
    """The reminders sent: (kind, recipient, project)."""
    notices = Notification.objects.filter(
        kind__in=("settlement_due", "settlement_overdue")
    ).select_related("recipient")
    return sorted((n.kind, n.recipient.username, n.project_id) for n in notices)


def run(day: date) -> int:
    return send_settlement_reminders(day.isoformat())


def test_due_day_is_the_calls_days_after_the_last_month(ended):
    assert settle.settlement_due_on(ended) == DUE_DAY


def test_nothing_before_the_window_then_due_once_then_overdue_once(
    ended, bupyeong_officer, seogu_officer
):
    assert run(date(2019, 4, 22)) == 0 and told() == []
    assert run(date(2019, 4, 23)) == 1  # 7 days before
    assert told() == [("settlement_due", bupyeong_officer.username, ended.pk)]
    assert run(date(2019, 4, 24)) == 0 and run(DUE_DAY) == 0
    assert run(date(2019, 5, 1)) == 1
    assert run(date(2019, 5, 1)) == 0 and run(date(2019, 6, 1)) == 0
    assert told() == [
        ("settlement_due", bupyeong_officer.username, ended.pk),
        ("settlement_overdue", bupyeong_officer.username, ended.pk),
    ]
    assert seogu_officer.notifications.count() == 0


def test_the_notice_names_the_project_the_due_day_and_the_settlement_screen(
    ended, bupyeong_officer
):
    run(date(2019, 4, 23))
    notice = Notification.objects.get(kind="settlement_due")
    assert notice.mandatory
    assert notice.params["project"] == ended.code
    assert notice.params["due"]["ko"] == "2019년 4월 30일"
    assert notice.params["due"]["en"] == "April 30, 2019"
    assert notice.link.endswith(f"/funding/projects/{ended.pk}/settlement/")


def test_a_long_overdue_project_is_told_only_that_it_is_overdue(ended):
    assert run(date(2019, 9, 1)) == 1
    assert [kind for kind, *_rest in told()] == ["settlement_overdue"]


def test_a_settlement_that_reached_the_city_is_not_reminded(ended, bupyeong_officer):
    settlement = settle.settlement_start(
        actor=bupyeong_officer, project=ended, now=AFTER_END
    )
    assert run(date(2019, 4, 23)) == 1  # a draft has not reached the city
    settle.settlement_submit(
        actor=bupyeong_officer, settlement=settlement, now=AFTER_END
    )
    assert run(date(2019, 5, 1)) == 0
    assert [kind for kind, *_rest in told()] == ["settlement_due"]


def test_a_closed_project_or_one_without_a_signed_agreement_is_not_reminded(
    ended, orgs, call
):
    from tests.funding.conftest import funded_project

    funded_project(orgs["SG"], call, title="협약 없는 사업", period_end="2019-03-01")
    ended.status = ProjectStatus.CLOSED
    ended.save(update_fields=["status"])
    assert settlement_reminders_send(today=date(2019, 5, 1)) == []


@override_settings(SANGSAENG_SETTLEMENT_REMINDER_DAYS=14)
def test_the_first_reminder_follows_the_configured_days(ended):
    assert run(date(2019, 4, 15)) == 0
    assert run(date(2019, 4, 16)) == 1
