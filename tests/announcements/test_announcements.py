"""Announcements: a city manager writes to all districts' officers, a call's
applicants or a call's review panel; each person gets it in their inbox (and
by e-mail), and the city keeps the record of who sent what, when, to whom."""

from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from announcements.models import Announcement, Audience
from announcements.services import announcement_send
from notifications.models import Notification
from tests.factories import UserFactory


@pytest.fixture
def call_index(home_page):
    from competitions.models import CallIndexPage

    index = home_page.add_child(instance=CallIndexPage(title="공모", slug="calls"))
    index.save_revision().publish()
    return index


@pytest.fixture
def call(call_index, orgs):
    from tests.competitions.conftest import make_call

    return make_call(call_index, slug="call-announce")


def proposal(call, district, status):
    from competitions.models import Proposal

    return Proposal.objects.create(
        call=call, district=district, title=f"{district.code} 제안", status=status
    )


def told(kind="announcement") -> set[str]:
    return set(
        Notification.objects.filter(kind=kind).values_list(
            "recipient__username", flat=True
        )
    )


def test_all_districts_officers_are_told_and_nobody_else(
    orgs, city_manager, bupyeong_officer, seogu_officer, bupyeong_approver, reviewer
):
    announcement = announcement_send(
        actor=city_manager,
        title="보고 일정 안내",
        body="10월 보고는 11월 10일까지입니다.",
        audience=Audience.DISTRICT_OFFICERS,
    )
    assert told() == {bupyeong_officer.username, seogu_officer.username}
    assert set(announcement.recipients.values_list("username", flat=True)) == told()
    notice = Notification.objects.get(recipient=seogu_officer)
    assert notice.params == {
        "title": "보고 일정 안내",
        "text": "10월 보고는 11월 10일까지입니다.",
    }


def test_a_calls_applicants_are_the_officers_of_districts_that_sent_it_a_proposal(
    call, orgs, city_manager, bupyeong_officer, seogu_officer
):
    from competitions.models import ProposalStatus

    junggu_officer = UserFactory(
        username="t-junggu", organisation=orgs["JG"], role=Role.DISTRICT_OFFICER
    )
    proposal(call, orgs["BP"], ProposalStatus.SUBMITTED)
    proposal(call, orgs["SG"], ProposalStatus.DRAFT)  # never sent: not an applicant
    proposal(call, orgs["JG"], ProposalStatus.WITHDRAWN)  # withdrew: not any more
    announcement_send(
        actor=city_manager,
        title="발표 심사 일정",
        body="발표 심사는 4월 6일입니다.",
        audience=Audience.CALL_APPLICANTS,
        call=call,
    )
    assert told() == {bupyeong_officer.username}
    assert (
        seogu_officer.username not in told() and junggu_officer.username not in told()
    )
    assert Notification.objects.get().call_id == call.pk


def test_a_panels_reviewers_are_told_and_no_other_reviewer(
    call, orgs, city_manager, reviewer
):
    from competitions.models import ReviewerPanelMember

    ReviewerPanelMember.objects.create(
        call=call, reviewer=reviewer, added_at=timezone.now()
    )
    UserFactory(
        username="t-other-reviewer", organisation=orgs["EXP"], role=Role.REVIEWER
    )
    announcement_send(
        actor=city_manager,
        title="심사 기간 안내",
        body="심사는 4월 17일까지입니다.",
        audience=Audience.PANEL_REVIEWERS,
        call=call,
    )
    assert told() == {reviewer.username}


def test_the_announcement_is_recorded_with_sender_time_and_audience(
    call, orgs, city_manager, bupyeong_officer
):
    from competitions.models import ProposalStatus

    proposal(call, orgs["BP"], ProposalStatus.UNDER_REVIEW)
    sent_at = datetime(2027, 4, 1, 9, 30, tzinfo=timezone.get_current_timezone())
    announcement = announcement_send(
        actor=city_manager,
        title="  안내  ",
        body="본문",
        audience=Audience.CALL_APPLICANTS,
        call=call,
        now=sent_at,
    )
    stored = Announcement.objects.get()
    assert (stored.title, stored.body, stored.audience, stored.call_id) == (
        "안내",
        "본문",
        Audience.CALL_APPLICANTS,
        call.pk,
    )
    assert (stored.sent_by, stored.sent_at) == (city_manager, sent_at)
    assert list(stored.recipients.all()) == [bupyeong_officer]
    assert announcement.pk == stored.pk


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"title": " ", "body": "본문"}, "announcement_title_required"),
        ({"title": "안내", "body": ""}, "announcement_body_required"),
        (
            {"title": "안내", "body": "본문", "audience": Audience.CALL_APPLICANTS},
            "announcement_call_required",
        ),
    ],
)
def test_a_bad_announcement_is_refused_with_its_reason_and_nothing_is_saved(
    orgs, city_manager, bupyeong_officer, fields, code
):
    values = {"audience": Audience.DISTRICT_OFFICERS, **fields}
    with pytest.raises(ValidationError) as refused:
        announcement_send(actor=city_manager, **values)
    codes = [e.code for errors in refused.value.error_dict.values() for e in errors]
    assert code in codes
    assert not Announcement.objects.exists() and not Notification.objects.exists()


def test_an_audience_with_nobody_in_it_is_refused(call, orgs, city_manager):
    with pytest.raises(ValidationError) as refused:
        announcement_send(
            actor=city_manager,
            title="안내",
            body="본문",
            audience=Audience.PANEL_REVIEWERS,
            call=call,
        )
    assert refused.value.error_dict["audience"][0].code == "announcement_no_recipients"
    assert not Announcement.objects.exists()


@pytest.mark.parametrize("who", ["bupyeong_officer", "bupyeong_approver", "reviewer"])
def test_only_a_city_manager_sends_announcements(request, orgs, who):
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        announcement_send(
            actor=person, title="안내", body="본문", audience=Audience.DISTRICT_OFFICERS
        )
    assert not Announcement.objects.exists()


def test_the_city_writes_lists_and_opens_announcements_in_the_admin(
    client, orgs, city_manager, bupyeong_officer, seogu_officer
):
    client.force_login(city_manager)
    response = client.post(
        reverse("announcements_new"),
        {
            "title": "보고 일정",
            "body": "본문입니다",
            "audience": Audience.DISTRICT_OFFICERS,
        },
    )
    announcement = Announcement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "announcements_detail", args=[announcement.pk]
    )
    listing = client.get(reverse("announcements_index")).content.decode()
    assert (
        "보고 일정" in listing and f'data-announcement="{announcement.pk}"' in listing
    )
    detail = client.get(reverse("announcements_detail", args=[announcement.pk]))
    page = detail.content.decode()
    assert 'data-recipient="t-bupyeong"' in page and 'data-recipient="t-seogu"' in page


def test_what_was_typed_stays_on_the_form_when_the_call_is_missing(
    client, orgs, city_manager, bupyeong_officer
):
    client.force_login(city_manager)
    response = client.post(
        reverse("announcements_new"),
        {
            "title": "발표 심사",
            "body": "긴 본문을 입력했습니다",
            "audience": Audience.CALL_APPLICANTS,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "발표 심사" in page and "긴 본문을 입력했습니다" in page
    assert response.context["form"].errors["call"]
    assert not Announcement.objects.exists()


def test_a_district_officer_reaches_none_of_the_announcement_screens(
    client, orgs, city_manager, bupyeong_officer
):
    announcement = announcement_send(
        actor=city_manager,
        title="안내",
        body="본문",
        audience=Audience.DISTRICT_OFFICERS,
    )
    client.force_login(bupyeong_officer)
    assert client.get(reverse("announcements_index")).status_code in (302, 403)
    assert client.post(
        reverse("announcements_new"),
        {"title": "x", "body": "y", "audience": Audience.DISTRICT_OFFICERS},
    ).status_code in (302, 403)
    assert (
        client.get(reverse("announcements_detail", args=[announcement.pk])).status_code
        == 404
    )
    assert Announcement.objects.count() == 1
