"""The private deadline calendar: one address per person, read by a calendar
application without signing in, holding only the person's own dates, and
replaced (the old address then a 404) whenever they make a new one."""

from datetime import date, timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from calendars.selectors import feed_of
from calendars.services import calendar_feed_renew

ICS = "text/calendar; charset=utf-8"


@pytest.fixture
def call_index(home_page):
    from competitions.models import CallIndexPage

    index = home_page.add_child(instance=CallIndexPage(title="공모", slug="calls"))
    index.save_revision().publish()
    return index


def open_call(call_index, *, slug, eligible, **fields):
    from tests.competitions.conftest import make_call

    # iCalendar counts in whole seconds; a deadline is set to the minute anyway.
    now = timezone.now().replace(second=0, microsecond=0)
    values = {
        "year": 2027,
        "opens_at": now - timedelta(days=10),
        "deadline": now + timedelta(days=10),
        "review_starts_on": date(2027, 4, 6),
        "review_ends_on": date(2027, 4, 17),
    }
    values.update(fields)
    return make_call(call_index, slug=slug, eligible=eligible, **values)


def project(district, *, start="2019-03-01", end="2019-05-01", **kwargs):
    from tests.projects.fixtures import make_project, plan_data

    return make_project(
        district, plan=plan_data(period_start=start, period_end=end), **kwargs
    )


def fetch(client, user) -> icalendar.Calendar:
    """The person's calendar as a calendar application gets it: no session."""
    feed = feed_of(user) or calendar_feed_renew(user=user)
    response = client.get(reverse("calendars_feed", kwargs={"token": feed.token}))
    assert response.status_code == 200
    assert response["Content-Type"] == ICS
    return icalendar.Calendar.from_ical(response.content)


def everything(calendar: icalendar.Calendar) -> str:
    """Every event's words and addresses, unfolded and unescaped."""
    return "\n".join(
        str(event.get(name, ""))
        for event in calendar.walk("VEVENT")
        for name in ("UID", "SUMMARY", "DESCRIPTION", "URL")
    )


def summaries(calendar: icalendar.Calendar) -> list[str]:
    return [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]


def event_with(calendar: icalendar.Calendar, uid_start: str):
    matching = [
        event
        for event in calendar.walk("VEVENT")
        if str(event["UID"]).startswith(uid_start)
    ]
    assert len(matching) == 1, [str(event["UID"]) for event in calendar.walk("VEVENT")]
    return matching[0]


def test_a_district_officers_feed_is_icalendar_with_their_deadlines(
    client, call_index, orgs, bupyeong_officer
):
    call = open_call(call_index, slug="open-bp", eligible=[orgs["BP"]])
    bp = project(orgs["BP"])
    calendar = fetch(client, bupyeong_officer)

    assert str(calendar["VERSION"]) == "2.0"
    assert "Sangsaeng" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == "상생 마감 일정"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Seoul"]
    # The call's deadline: a moment in Seoul time.
    deadline = event_with(calendar, f"call-{call.pk}-deadline@")
    assert deadline["DTSTART"].params["TZID"] == "Asia/Seoul"
    assert deadline.decoded("DTSTART") == call.deadline
    assert str(deadline["SUMMARY"]).startswith("제안서 마감: ")
    # March, April and May are due on the 10th of the month after: all-day events.
    due = {
        event.decoded("DTSTART"): str(event["DESCRIPTION"])
        for event in calendar.walk("VEVENT")
        if str(event["UID"]).startswith("reports-due-")
    }
    assert sorted(due) == [date(2019, 4, 10), date(2019, 5, 10), date(2019, 6, 10)]
    assert due[date(2019, 4, 10)] == f"{bp.code} 2019년 3월"
    # The officer waits for no review: no review window.
    assert not [e for e in calendar.walk("VEVENT") if "-review@" in str(e["UID"])]


def test_an_officer_sees_nothing_of_another_district(
    client, call_index, orgs, bupyeong_officer
):
    open_call(call_index, slug="only-seogu", eligible=[orgs["SG"]])
    seogu = project(
        orgs["SG"],
        title="검단일반산업단지 무빙콜",
        start="2019-07-01",
        end="2019-09-01",
    )
    mine = project(orgs["BP"])
    calendar = fetch(client, bupyeong_officer)
    text = everything(calendar)
    assert seogu.code not in text
    assert "only-seogu" not in text and "제안서 마감" not in text
    assert mine.code in text
    # July's report (Seo-gu's first month) is due on 10 August: not on 부평구's calendar.
    assert date(2019, 8, 10) not in {
        event.decoded("DTSTART") for event in calendar.walk("VEVENT")
    }


def test_the_city_sees_one_event_per_due_day_with_the_count_per_district(
    client, call_index, orgs, city_manager
):
    for _ in range(3):
        project(orgs["BP"], start="2019-03-01", end="2019-03-01")
    project(
        orgs["SG"],
        title="검단일반산업단지 무빙콜",
        start="2019-03-01",
        end="2019-03-01",
    )
    call = open_call(call_index, slug="city-view", eligible=[orgs["SG"]])
    calendar = fetch(client, city_manager)
    due = event_with(calendar, "reports-due-20190410-all@")
    assert str(due["SUMMARY"]) == "월별 실적 보고 마감 (2019년 3월): 사업 4개"
    assert str(due["DESCRIPTION"]).splitlines() == [
        "부평구: 사업 3개",
        "서구: 사업 1개",
    ]
    assert len([e for e in calendar.walk("VEVENT") if "reports-due" in e["UID"]]) == 1
    assert event_with(calendar, f"call-{call.pk}-deadline@")
    review = event_with(calendar, f"call-{call.pk}-review@")
    assert review.decoded("DTSTART") == date(2027, 4, 6)
    assert review.decoded("DTEND") == date(2027, 4, 18)  # the day after the last


def test_a_reviewer_sees_the_review_windows_of_their_panels_only(
    client, call_index, orgs, reviewer
):
    from competitions.models import ReviewerPanelMember

    on_panel = open_call(call_index, slug="on-panel", eligible=[orgs["BP"]])
    open_call(
        call_index,
        slug="not-mine",
        eligible=[orgs["BP"]],
        review_starts_on=date(2027, 5, 1),
        review_ends_on=date(2027, 5, 2),
    )
    ReviewerPanelMember.objects.create(
        call=on_panel, reviewer=reviewer, added_at=timezone.now()
    )
    project(orgs["BP"])
    calendar = fetch(client, reviewer)
    assert [str(event["UID"]) for event in calendar.walk("VEVENT")] == [
        f"call-{on_panel.pk}-review@sangsaeng"
    ]
    review = calendar.walk("VEVENT")[0]
    assert str(review["SUMMARY"]) == f"심사: {on_panel.title}"
    assert (review.decoded("DTSTART"), review.decoded("DTEND")) == (
        date(2027, 4, 6),
        date(2027, 4, 18),
    )


def test_each_event_keeps_its_uid_from_one_fetch_to_the_next(
    client, call_index, orgs, bupyeong_officer
):
    open_call(call_index, slug="stable", eligible=[orgs["BP"]])
    project(orgs["BP"])
    first = [
        str(event["UID"]) for event in fetch(client, bupyeong_officer).walk("VEVENT")
    ]
    second = [
        str(event["UID"]) for event in fetch(client, bupyeong_officer).walk("VEVENT")
    ]
    assert first == second and len(set(first)) == len(first) == 4


def test_a_new_address_makes_the_old_one_a_404(client, orgs, bupyeong_officer):
    old = calendar_feed_renew(user=bupyeong_officer).token
    client.force_login(bupyeong_officer)
    response = client.post(reverse("calendars_feed_settings"))
    assert response.status_code == 302
    new = feed_of(bupyeong_officer).token
    assert new != old and len(new) >= 43
    client.logout()
    assert client.get(reverse("calendars_feed", kwargs={"token": old})).status_code == (
        404
    )
    assert client.get(reverse("calendars_feed", kwargs={"token": new})).status_code == (
        200
    )


def test_an_unknown_address_and_a_deactivated_persons_address_are_404(
    client, orgs, bupyeong_officer
):
    token = calendar_feed_renew(user=bupyeong_officer).token
    url = reverse("calendars_feed", kwargs={"token": token})
    assert client.get(url).status_code == 200
    assert (
        client.get(reverse("calendars_feed", kwargs={"token": "x" * 43})).status_code
        == 404
    )
    bupyeong_officer.is_active = False
    bupyeong_officer.save()
    assert client.get(url).status_code == 404


def test_the_token_not_the_session_decides_whose_calendar_it_is(
    client, orgs, bupyeong_officer, seogu_officer
):
    mine = project(orgs["BP"])
    theirs = project(orgs["SG"], title="검단일반산업단지 무빙콜")
    client.force_login(seogu_officer)
    text = everything(fetch(client, bupyeong_officer))
    assert mine.code in text and theirs.code not in text


def test_the_feed_is_in_its_owners_language(client, orgs, bupyeong_officer):
    from wagtail.users.models import UserProfile

    project(orgs["BP"], start="2019-03-01", end="2019-03-01")
    profile = UserProfile.get_for_user(bupyeong_officer)
    profile.preferred_language = "en"
    profile.save()
    calendar = fetch(client, bupyeong_officer)
    assert str(calendar["X-WR-CALNAME"]) == "Sangsaeng deadlines"
    assert summaries(calendar) == ["Monthly report due (March 2019): 1 project"]


def test_the_screen_shows_only_ones_own_address(
    client, orgs, bupyeong_officer, seogu_officer
):
    theirs = calendar_feed_renew(user=seogu_officer).token
    client.force_login(bupyeong_officer)
    page = client.get(reverse("calendars_feed_settings")).content.decode()
    assert "data-calendar-none" in page and theirs not in page
    client.post(reverse("calendars_feed_settings"))
    page = client.get(reverse("calendars_feed_settings")).content.decode()
    mine = feed_of(bupyeong_officer).token
    assert f"http://testserver/calendar/{mine}.ics" in page
    assert theirs not in page
    account = client.get(reverse("wagtailadmin_account")).content.decode()
    assert reverse("calendars_feed_settings") in account


def test_a_new_address_is_in_the_audit_trail_without_the_token(orgs, bupyeong_officer):
    from auditlog.models import LogEntry

    first = calendar_feed_renew(user=bupyeong_officer).token
    second = calendar_feed_renew(user=bupyeong_officer).token
    entries = LogEntry.objects.filter(
        content_type__app_label="calendars", object_id=feed_of(bupyeong_officer).pk
    )
    assert entries.count() == 2
    trail = " ".join(str(entry.changes) for entry in entries)
    assert first not in trail and second not in trail
