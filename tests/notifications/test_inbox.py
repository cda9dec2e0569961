"""The inbox in the admin: the bell on every page, one's own notices only,
read on opening, filters; the settings screen; the city's outbox and retry."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications import services
from notifications.models import Notification, NotificationPreference, OutboxStatus
from tests.factories import UserFactory

from .conftest import reads_english


def tell(users, *, key, kind="report_accepted", project=None, link="/admin/"):
    services.notify(
        recipients=users,
        kind=kind,
        dedupe_key=key,
        params={"project": f"P-{key}", "month": "2019년 10월", "version": 1},
        link=link,
        project=project,
    )
    return Notification.objects.filter(dedupe_key=key)


@pytest.fixture
def two_inboxes(bupyeong_officer, seogu_officer, bupyeong_project, seogu_project):
    mine = tell([bupyeong_officer], key="mine", project=bupyeong_project).get()
    tell([bupyeong_officer], key="mine-2", kind="report_returned").get()
    theirs = tell([seogu_officer], key="theirs", project=seogu_project).get()
    return mine, theirs


def test_the_bell_shows_my_unread_count_on_admin_pages(
    client, bupyeong_officer, two_inboxes
):
    client.force_login(bupyeong_officer)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-notification-bell data-unread="2"' in page
    assert "읽지 않음 2건" in page
    page = client.get(reverse("reporting_overdue")).content.decode()
    assert 'data-unread="2"' in page


def test_the_inbox_lists_only_my_own_notices(client, bupyeong_officer, two_inboxes):
    mine, theirs = two_inboxes
    client.force_login(bupyeong_officer)
    page = client.get(reverse("notifications_inbox")).content.decode()
    assert f'data-notice="{mine.pk}"' in page
    assert f'data-notice="{theirs.pk}"' not in page and "P-theirs" not in page


def test_a_city_manager_or_superuser_cannot_read_anothers_notice_by_its_number(
    client, city_manager, two_inboxes
):
    mine, _theirs = two_inboxes
    client.force_login(city_manager)
    assert (
        f'data-notice="{mine.pk}"'
        not in client.get(reverse("notifications_inbox")).content.decode()
    )
    for name, method in [
        ("notifications_open", client.get),
        ("notifications_mark_read", client.post),
    ]:
        assert method(reverse(name, args=[mine.pk])).status_code == 404
    mine.refresh_from_db()
    assert mine.read_at is None


def test_another_person_cannot_open_or_mark_my_notice(
    client, seogu_officer, two_inboxes
):
    mine, _theirs = two_inboxes
    client.force_login(seogu_officer)
    assert client.get(reverse("notifications_open", args=[mine.pk])).status_code == 404
    assert (
        client.post(reverse("notifications_mark_read", args=[mine.pk])).status_code
        == 404
    )
    client.post(reverse("notifications_mark_all_read"))
    mine.refresh_from_db()
    assert mine.read_at is None


def test_opening_a_notice_marks_it_read_and_goes_where_i_act(
    client, bupyeong_officer, bupyeong_project
):
    link = reverse("reporting_overdue")
    notice = tell([bupyeong_officer], key="go", link=link).get()
    client.force_login(bupyeong_officer)
    response = client.get(reverse("notifications_open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == link
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_link_to_another_site_is_never_followed(client, bupyeong_officer):
    notice = tell([bupyeong_officer], key="away", link="https://evil.example/").get()
    client.force_login(bupyeong_officer)
    response = client.get(reverse("notifications_open", args=[notice.pk]))
    assert response["Location"] == reverse("notifications_inbox")


def test_mark_one_and_mark_all_read(client, bupyeong_officer, two_inboxes):
    mine, theirs = two_inboxes
    client.force_login(bupyeong_officer)
    client.post(reverse("notifications_mark_read", args=[mine.pk]))
    assert (
        Notification.objects.filter(
            recipient=bupyeong_officer, read_at__isnull=True
        ).count()
        == 1
    )
    client.post(reverse("notifications_mark_all_read"))
    assert not Notification.objects.filter(
        recipient=bupyeong_officer, read_at__isnull=True
    ).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None  # someone else's stays unread


def test_the_inbox_filters_by_unread_kind_and_project(
    client, bupyeong_officer, bupyeong_project, two_inboxes
):
    mine, _theirs = two_inboxes
    returned = Notification.objects.get(dedupe_key="mine-2")
    client.force_login(bupyeong_officer)
    url = reverse("notifications_inbox")

    page = client.get(url, {"kind": "report_returned"}).content.decode()
    assert f'data-notice="{returned.pk}"' in page
    assert f'data-notice="{mine.pk}"' not in page

    page = client.get(url, {"project": bupyeong_project.pk}).content.decode()
    assert f'data-notice="{mine.pk}"' in page
    assert f'data-notice="{returned.pk}"' not in page

    services.notification_mark_read(notification=mine, actor=bupyeong_officer)
    page = client.get(url, {"unread": "1"}).content.decode()
    assert f'data-notice="{returned.pk}"' in page
    assert f'data-notice="{mine.pk}"' not in page


def test_the_inbox_speaks_the_readers_language(client, bupyeong_officer, two_inboxes):
    reads_english(bupyeong_officer)
    client.force_login(bupyeong_officer)
    page = client.get(reverse("notifications_inbox")).content.decode()
    assert "Monthly report" in page and "월별 실적 보고" not in page


# --- settings ---------------------------------------------------------------------


def test_a_person_chooses_per_kind_but_mandatory_kinds_stay_mailed(
    client, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    url = reverse("notifications_settings")
    page = client.get(url).content.decode()
    assert 'name="kind-report_accepted"' in page
    assert 'data-kind="report_returned"' in page and "data-mandatory" in page
    assert 'name="kind-report_returned"' not in page  # nothing to choose
    assert 'data-kind="report_submitted"' not in page  # the city's, not theirs

    response = client.post(
        url,
        {
            "kind-report_accepted": "daily_digest",
            "kind-change_request_decided": "inbox_only",
            "kind-announcement": "immediately",
            "kind-report_returned": "inbox_only",  # forged
        },
    )
    assert response.status_code == 302
    assert dict(
        NotificationPreference.objects.filter(user=bupyeong_officer).values_list(
            "kind", "delivery"
        )
    ) == {
        "report_accepted": "daily_digest",
        "change_request_decided": "inbox_only",
        "announcement": "immediately",
    }


def test_a_choice_not_offered_is_refused_and_nothing_is_saved(client, bupyeong_officer):
    client.force_login(bupyeong_officer)
    response = client.post(
        reverse("notifications_settings"),
        {
            "kind-report_accepted": "daily_digest",
            "kind-change_request_decided": "weekly",
            "kind-announcement": "immediately",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'aria-invalid="true"' in page
    # What the person chose is still on screen.
    assert '<option value="daily_digest" selected>' in page
    assert not NotificationPreference.objects.exists()


# --- the city's outbox ---------------------------------------------------------------------


@pytest.fixture
def failed_notice(bupyeong_officer, monkeypatch, django_capture_on_commit_callbacks):
    from tests.notifications.test_service import MailServerDown

    monkeypatch.setattr("django.core.mail.EmailMessage.send", MailServerDown())
    with django_capture_on_commit_callbacks(execute=True):
        notice = tell([bupyeong_officer], key="failing").get()
    monkeypatch.undo()
    notice.refresh_from_db()
    assert notice.status == OutboxStatus.FAILED
    return notice


def test_the_city_sees_failed_notices_with_their_error_and_sends_them_again(
    client, city_manager, failed_notice, django_capture_on_commit_callbacks
):
    tell([city_manager], key="fine")
    client.force_login(city_manager)
    url = reverse("notifications_outbox")
    page = client.get(url, {"status": "failed"}).content.decode()
    assert f'data-outbox-row="{failed_notice.pk}"' in page
    assert "Connection refused" in page and "data-retry" in page
    assert "P-fine" not in page  # filtered to the failed ones

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications_retry", args=[failed_notice.pk]))
    assert response.status_code == 302
    failed_notice.refresh_from_db()
    assert failed_notice.status == OutboxStatus.SENT
    assert [m.to for m in mail.outbox] == [[failed_notice.recipient.email]]


def test_no_one_but_the_city_sees_the_outbox_or_retries(
    client, bupyeong_officer, seogu_officer, failed_notice
):
    client.force_login(bupyeong_officer)
    assert client.get(reverse("notifications_outbox")).status_code in (302, 403)
    # Their own failed notice: seen (it is theirs) but not theirs to resend.
    response = client.post(reverse("notifications_retry", args=[failed_notice.pk]))
    assert response.status_code in (302, 403)
    failed_notice.refresh_from_db()
    assert failed_notice.status == OutboxStatus.FAILED
    client.force_login(seogu_officer)
    response = client.post(reverse("notifications_retry", args=[failed_notice.pk]))
    assert response.status_code == 404


def test_the_outbox_menu_is_the_citys_only(client, city_manager, orgs):
    officer = UserFactory(
        username="t-menu", organisation=orgs["BP"], role="district_officer"
    )
    client.force_login(city_manager)
    assert (
        reverse("notifications_outbox")
        in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    client.force_login(officer)
    assert (
        reverse("notifications_outbox")
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )
