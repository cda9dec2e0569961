"""The notification service: once per event and person, sent after commit and
never twice, a failed mail recorded and retried with back-off, the digest, the
choices a person may make and the ones they may not, each in their language."""

from datetime import date, datetime, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from notifications import services
from notifications.models import (
    Delivery,
    Notification,
    NotificationPreference,
    OutboxStatus,
)
from notifications.rendering import in_languages
from notifications.selectors import unread_count
from notifications.tasks import send_notifications
from projects.months import SEOUL
from tests.factories import UserFactory

DUE = date(2019, 10, 10)
T = datetime(2019, 10, 11, 9, 30, tzinfo=SEOUL)


def tell(users, *, key="report-due:1:2019-10", kind="report_due", **extra):
    return services.notify(
        recipients=users,
        kind=kind,
        dedupe_key=key,
        params={
            "project": "BP-2019-01",
            "month": in_languages(lambda: "2019년 10월" if _ko() else "October 2019"),
        },
        link="/admin/reports/1/",
        due=DUE,
        **extra,
    )


def _ko() -> bool:
    from django.utils.translation import get_language

    return get_language() == "ko"


class MailServerDown:
    """EmailMessage.send as it goes when the SMTP server cannot be reached."""

    def __init__(self):
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture
def mail_server_down(monkeypatch):
    down = MailServerDown()
    monkeypatch.setattr("django.core.mail.EmailMessage.send", down)
    return down


# --- once per event and person ------------------------------------------------------


def test_one_notice_per_person_and_a_second_call_creates_and_sends_nothing(
    bupyeong_officer, seogu_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = tell([bupyeong_officer, seogu_officer, bupyeong_officer])
    with django_capture_on_commit_callbacks(execute=True):
        again = tell([bupyeong_officer, seogu_officer])
    assert (created, again) == (2, 0)
    assert Notification.objects.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [bupyeong_officer.email, seogu_officer.email]
    )
    assert set(Notification.objects.values_list("status", flat=True)) == {
        OutboxStatus.SENT
    }


def test_a_send_task_run_twice_mails_once(
    bupyeong_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        tell([bupyeong_officer])
    notice = Notification.objects.get()
    send_notifications([notice.pk])
    send_notifications([notice.pk])  # the broker delivered it again
    assert len(mail.outbox) == 1
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (OutboxStatus.SENT, 1)


def test_nothing_is_sent_before_the_step_commits_or_when_it_rolls_back(
    bupyeong_officer, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        tell([bupyeong_officer])
        raise RuntimeError("the step failed")
    assert callbacks == [] and mail.outbox == []
    assert not Notification.objects.exists()


def test_an_unknown_kind_is_refused_before_anything_is_written(bupyeong_officer):
    with pytest.raises(LookupError):
        tell([bupyeong_officer], kind="report_dew")
    assert not Notification.objects.exists()


def test_inactive_people_and_people_without_an_address_get_no_mail(
    orgs, bupyeong_officer, django_capture_on_commit_callbacks
):
    gone = UserFactory(
        username="t-gone", organisation=orgs["BP"], role=Role.DISTRICT_OFFICER
    )
    gone.is_active = False
    gone.save()
    no_address = UserFactory(
        username="t-noaddress",
        email="",
        organisation=orgs["BP"],
        role=Role.DISTRICT_OFFICER,
    )
    with django_capture_on_commit_callbacks(execute=True):
        tell([bupyeong_officer, gone, no_address])
    assert not Notification.objects.filter(recipient=gone).exists()
    assert Notification.objects.get(recipient=no_address).status == (
        OutboxStatus.INBOX_ONLY
    )
    assert [m.to for m in mail.outbox] == [[bupyeong_officer.email]]


# --- words: the recipient's language, the link, the deadline, the reason ----------


def test_each_recipient_reads_the_mail_in_their_language_with_link_deadline_and_reason(
    bupyeong_officer, english_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tell(
            [bupyeong_officer, english_officer],
            kind="report_returned",
            key="report-returned:7",
            reason="증빙 서류를 보완해 주십시오",
        )
    korean = next(m for m in mail.outbox if m.to == [bupyeong_officer.email])
    english = next(m for m in mail.outbox if m.to == [english_officer.email])
    notice = Notification.objects.get(recipient=english_officer)

    assert "보완 요청" in korean.subject and "2019년 10월" in korean.subject
    assert "기한: 2019년 10월 10일" in korean.body
    assert "사유: 증빙 서류를 보완해 주십시오" in korean.body
    assert "returned" not in korean.subject + korean.body

    assert "returned" in english.subject and "October 2019" in english.subject
    assert "Due by: Oct. 10, 2019" in english.body
    assert "Reason: 증빙 서류를 보완해 주십시오" in english.body  # what was typed
    assert "보완 요청" not in english.subject + english.body
    # A link that works from a mail program: absolute, marking it read on the way.
    assert f"http://testserver/admin/notifications/{notice.pk}/open/" in english.body


# --- failures: recorded, retried with back-off, never failing the step ----------------


def test_a_failed_mail_is_recorded_with_its_error_and_tried_again_after_its_back_off(
    bupyeong_officer, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=False):
        tell([bupyeong_officer])
    notice = Notification.objects.get()
    down = MailServerDown()
    monkeypatch.setattr("django.core.mail.EmailMessage.send", down)

    assert services.notification_send(notification_id=notice.pk, now=T) == "failed"
    notice.refresh_from_db()
    assert notice.status == OutboxStatus.FAILED and notice.attempts == 1
    assert "ConnectionRefusedError" in notice.last_error
    assert notice.next_attempt_at == T + timedelta(minutes=5)

    # Not before its time.
    assert services.notifications_retry_due(now=T + timedelta(minutes=4)) == 0
    assert down.calls == 1
    # Failing again: the wait grows (5, 15, 45 … minutes).
    services.notifications_retry_due(now=T + timedelta(minutes=5))
    notice.refresh_from_db()
    assert notice.attempts == 2
    assert notice.next_attempt_at == T + timedelta(minutes=5 + 15)

    monkeypatch.undo()  # the server is back
    assert services.notifications_retry_due(now=T + timedelta(minutes=21)) == 1
    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.last_error) == ("sent", 3, "")
    assert len(mail.outbox) == 1


def test_after_the_last_attempt_the_notice_waits_for_the_city(
    bupyeong_officer, django_capture_on_commit_callbacks, mail_server_down
):
    with django_capture_on_commit_callbacks(execute=False):
        tell([bupyeong_officer])
    notice = Notification.objects.get()
    for attempt in range(services.MAX_ATTEMPTS):
        services.notification_send(
            notification_id=notice.pk, now=T + timedelta(days=attempt)
        )
    notice.refresh_from_db()
    assert notice.attempts == services.MAX_ATTEMPTS
    assert notice.status == OutboxStatus.FAILED and notice.next_attempt_at is None
    assert services.notifications_retry_due(now=T + timedelta(days=30)) == 0


def test_the_city_sends_a_failed_notice_again_and_no_one_else_may(
    bupyeong_officer,
    city_manager,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    with django_capture_on_commit_callbacks(execute=False):
        tell([bupyeong_officer])
    notice = Notification.objects.get()
    monkeypatch.setattr("django.core.mail.EmailMessage.send", MailServerDown())
    services.notification_send(notification_id=notice.pk)
    monkeypatch.undo()

    with pytest.raises(PermissionDenied):
        services.notification_retry(notification=notice, actor=bupyeong_officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_retry(notification=notice, actor=city_manager)
    notice.refresh_from_db()
    assert notice.status == OutboxStatus.SENT
    assert [m.to for m in mail.outbox] == [[bupyeong_officer.email]]
    with pytest.raises(ValidationError) as refused:
        services.notification_retry(notification=notice, actor=city_manager)
    assert refused.value.code == "notification_not_failed"


# --- choices: at once, a daily digest, the inbox only; mandatory ones always -------


def test_the_digest_sends_one_mail_with_every_waiting_notice_and_nothing_twice(
    orgs, city_manager, django_capture_on_commit_callbacks
):
    inbox_only = UserFactory(
        username="t-city-2", organisation=orgs["ICN"], role=Role.CITY_MANAGER
    )
    services.preference_set(
        user=city_manager, kind="report_submitted", delivery=Delivery.DAILY_DIGEST
    )
    services.preference_set(
        user=inbox_only, kind="report_submitted", delivery=Delivery.INBOX_ONLY
    )
    with django_capture_on_commit_callbacks(execute=True):
        for number, district in enumerate(["부평구", "서구", "연수구"]):
            services.notify(
                recipients=[city_manager, inbox_only],
                kind="report_submitted",
                dedupe_key=f"report-submitted:{number}",
                params={"district": district, "month": "2019년 10월", "project": "P"},
                link=f"/admin/reports/{number}/",
            )
    assert mail.outbox == []  # nothing at once for either of them
    assert set(
        Notification.objects.filter(recipient=inbox_only).values_list(
            "status", flat=True
        )
    ) == {OutboxStatus.INBOX_ONLY}

    assert services.digest_send(now=T) == 1
    (digest,) = mail.outbox
    assert digest.to == [city_manager.email]
    assert "3" in digest.subject
    for district in ["부평구", "서구", "연수구"]:
        assert district in digest.body
    assert set(
        Notification.objects.filter(recipient=city_manager).values_list(
            "status", flat=True
        )
    ) == {OutboxStatus.SENT}
    assert services.digest_send(now=T + timedelta(days=1)) == 0
    assert len(mail.outbox) == 1


def test_the_digest_goes_at_nine_in_the_morning_in_seoul():
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-send-daily-digests"]
    assert entry["task"] == "notifications.tasks.send_daily_digests"
    assert entry["schedule"].hour == {9} and entry["schedule"].minute == {0}
    assert settings.CELERY_TIMEZONE == "Asia/Seoul"


def test_a_mandatory_kind_cannot_be_switched_off_and_is_always_mailed_at_once(
    bupyeong_officer, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError) as refused:
        services.preference_set(
            user=bupyeong_officer, kind="report_returned", delivery="inbox_only"
        )
    assert refused.value.code == "mandatory_kind"
    # Even a choice that got into the database some other way is not obeyed.
    NotificationPreference.objects.create(
        user=bupyeong_officer, kind="report_returned", delivery="inbox_only"
    )
    with django_capture_on_commit_callbacks(execute=True):
        tell([bupyeong_officer], kind="report_returned", key="report-returned:1")
    notice = Notification.objects.get()
    assert notice.mandatory and notice.status == OutboxStatus.SENT
    assert len(mail.outbox) == 1


def test_a_choice_that_is_not_offered_is_refused(bupyeong_officer):
    with pytest.raises(ValidationError) as refused:
        services.preference_set(
            user=bupyeong_officer, kind="report_accepted", delivery="weekly"
        )
    assert refused.value.code == "unknown_delivery"


# --- the bell ----------------------------------------------------------------------------


def test_the_unread_count_is_one_query_per_request(rf, bupyeong_officer, seogu_officer):
    tell([bupyeong_officer, seogu_officer])
    tell([bupyeong_officer], key="another")
    request = rf.get("/admin/")
    request.user = bupyeong_officer
    with CaptureQueriesContext(connection) as queries:
        assert unread_count(request) == 2
        assert unread_count(request) == 2  # a second bell on the page: kept
    assert len(queries) == 1
