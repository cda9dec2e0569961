"""A district officer's and approver's home: what to do now, each item a link
to the screen where it is done, days counted in Seoul, and nothing of another
district."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from competitions import services as competitions
from projects.services import change_request_propose, change_request_reject, plan_data
from reporting.services import report_return, report_save_draft, report_submit
from tests.competitions.conftest import make_call, make_draft
from tests.projects.fixtures import make_project
from tests.reporting.helpers import accept_month, figures, file_month

from .helpers import home, of_kind

JAN, FEB, MAR = date(2019, 1, 1), date(2019, 2, 1), date(2019, 3, 1)
# The March report is due on 2019-04-10 (the project's due day), in Seoul.
BEFORE_MIDNIGHT_KST = datetime(2019, 4, 9, 14, 59, tzinfo=UTC)  # 04-09 23:59 KST
AFTER_MIDNIGHT_KST = datetime(2019, 4, 9, 15, 30, tzinfo=UTC)  # 04-10 00:30 KST
NEXT_DAY_KST = datetime(2019, 4, 10, 15, 0, tzinfo=UTC)  # 04-11 00:00 KST


def _march(client) -> str:
    items, _lines, _page = home(client)
    [march] = of_kind(items, "report-due")
    return march


def test_days_left_to_a_report_are_counted_in_seoul_not_utc(
    client, frozen, bupyeong_project, bupyeong_officer, city_manager
):
    accept_month(bupyeong_project, bupyeong_officer, city_manager, JAN)
    accept_month(bupyeong_project, bupyeong_officer, city_manager, FEB)
    client.force_login(bupyeong_officer)

    frozen(BEFORE_MIDNIGHT_KST)
    march = _march(client)
    assert "2019년 3월" in march.text and "1일 남음" in march.text
    assert march.url == reverse(
        "reporting_report_form", args=[bupyeong_project.pk, "2019-03"]
    )

    # Half past midnight in Seoul is still the 9th in UTC: due today, not tomorrow.
    frozen(AFTER_MIDNIGHT_KST)
    march = _march(client)
    assert "오늘 마감" in march.text and "남음" not in march.text
    assert client.get(march.url).status_code == 200

    frozen(NEXT_DAY_KST)
    assert "1일 지남" in _march(client).text


@pytest.fixture
def signoff_call(call_index, orgs):
    """A call open now whose proposals the district approver signs off."""
    now = timezone.now()
    return make_call(
        call_index,
        slug="call-signoff",
        year=2027,
        opens_at=now - timedelta(days=3),
        deadline=now + timedelta(days=20, hours=2),
        requires_approver_signoff=True,
        eligible=[orgs["BP"], orgs["SG"]],
    )


@pytest.fixture
def bupyeong_work(
    bupyeong_project,
    bupyeong_officer,
    bupyeong_approver,
    city_manager,
    open_call,
    signoff_call,
):
    """Bupyeong-gu's desk: January accepted, February returned with a reason,
    March saved as a draft; a proposal drafted to the open call, one returned
    by the approver; a change request rejected and one waiting for the city."""
    accept_month(bupyeong_project, bupyeong_officer, city_manager, JAN)
    february = file_month(bupyeong_project, bupyeong_officer, FEB)
    report_return(
        report=february,
        actor=city_manager,
        comment="가구 수가 지난달과 맞지 않습니다",
        notify=False,
    )
    report_save_draft(
        project=bupyeong_project,
        period=MAR,
        actor=bupyeong_officer,
        values=figures(),
    )
    now = timezone.now()
    draft = make_draft(
        open_call, bupyeong_officer, title="부평 새 일자리 제안", now=now
    )
    returned = make_draft(
        signoff_call, bupyeong_officer, title="부평 결재 반려 제안", now=now
    )
    returned = competitions.proposal_submit(
        proposal=returned, actor=bupyeong_officer, now=now, notify=False
    )
    competitions.proposal_return(
        proposal=returned, actor=bupyeong_approver, note="예산 비율을 다시 확인하세요"
    )
    proposed = plan_data(bupyeong_project.current_plan)
    rejected = change_request_propose(
        project=bupyeong_project,
        actor=bupyeong_officer,
        proposed=proposed,
        reason="첫 번째 변경 요청",
        effective_from=date(2019, 7, 1),
    )
    change_request_reject(
        change_request=rejected, actor=city_manager, note="근거 자료가 부족합니다"
    )
    pending = change_request_propose(
        project=bupyeong_project,
        actor=bupyeong_officer,
        proposed=proposed,
        reason="참여 수요 증가로 목표 상향",
        effective_from=date(2019, 8, 1),
    )
    return {
        "february": february,
        "draft": draft,
        "returned": returned,
        "rejected": rejected,
        "pending": pending,
    }


@pytest.fixture
def seogu_work(seogu_project, seogu_officer, city_manager, open_call):
    february = file_month(seogu_project, seogu_officer, FEB)
    report_return(
        report=february, actor=city_manager, comment="서구에만 보낸 사유", notify=False
    )
    make_draft(open_call, seogu_officer, title="서구 무빙콜 확대", now=timezone.now())
    change_request_propose(
        project=seogu_project,
        actor=seogu_officer,
        proposed=plan_data(seogu_project.current_plan),
        reason="서구 셔틀 증차",
        effective_from=date(2019, 7, 1),
    )
    return february


def test_an_officer_sees_each_thing_to_do_with_a_link_to_where_it_is_done(
    client,
    bupyeong_work,
    bupyeong_project,
    bupyeong_officer,
    open_call,
    signoff_call,
):
    client.force_login(bupyeong_officer)
    items, _lines, _page = home(client)

    due = of_kind(items, "report-due")
    # March (a draft) is the first month still owed; January is accepted and
    # February, returned, is listed with its reason instead.
    assert "2019년 3월" in due[0].text and "임시 저장됨" in due[0].text
    march = bupyeong_project.reports.get(period=MAR)
    assert due[0].url == reverse("reporting_report", args=[march.pk])
    assert due[1].url == reverse(
        "reporting_report_form", args=[bupyeong_project.pk, "2019-04"]
    )
    assert not any(
        "2019년 1월" in item.text or "2019년 2월" in item.text for item in due
    )
    assert "일 지남" in due[0].text  # the demo's 2019 months are long past due
    assert not of_kind(items, "report-draft"), "March is listed once, as due"

    [returned_report] = of_kind(items, "report-returned")
    assert "가구 수가 지난달과 맞지 않습니다" in returned_report.text
    assert returned_report.url == reverse(
        "reporting_report", args=[bupyeong_work["february"].pk]
    )

    [returned_proposal] = of_kind(items, "proposal-returned")
    assert "부평 결재 반려 제안" in returned_proposal.text
    assert "예산 비율을 다시 확인하세요" in returned_proposal.text
    assert returned_proposal.url == reverse(
        "proposals:edit", args=[bupyeong_work["returned"].pk]
    )

    [rejected] = of_kind(items, "change-rejected")
    assert "근거 자료가 부족합니다" in rejected.text
    assert rejected.url == reverse("projects:inspect", args=[bupyeong_project.pk])

    [draft] = of_kind(items, "proposal-draft")
    # Ten days and three hours: 10 or 11 calendar days in Seoul, by the hour.
    assert "부평 새 일자리 제안" in draft.text
    assert re.search(r"1[01]일 남음", draft.text)
    assert draft.url == reverse("proposals:edit", args=[bupyeong_work["draft"].pk])

    calls = {item.url: item for item in of_kind(items, "open-call")}
    start = f"{reverse('proposals:add')}?call={open_call.pk}"
    assert set(calls) == {start, f"{reverse('proposals:add')}?call={signoff_call.pk}"}
    assert re.search(r"1[01]일 남음", calls[start].text)
    assert "2건 중 0건 제출" in calls[start].text

    [pending] = of_kind(items, "change-pending")
    assert "참여 수요 증가로 목표 상향" in pending.text
    assert "2019년 8월부터 적용" in pending.text
    assert pending.url == reverse("projects:inspect", args=[bupyeong_project.pk])

    for item in items:
        assert client.get(item.url, follow=True).status_code == 200, (
            item.kind,
            item.url,
        )


def test_an_officer_never_sees_another_districts_work(
    client, bupyeong_work, seogu_work, bupyeong_officer, seogu_officer, seogu_project
):
    client.force_login(bupyeong_officer)
    items, _lines, page = home(client)
    for words in (
        seogu_project.code,
        "서구에만 보낸 사유",
        "서구 무빙콜 확대",
        "서구 셔틀 증차",
    ):
        assert words not in page, words
    assert len(of_kind(items, "report-returned")) == 1

    client.force_login(seogu_officer)
    items, _lines, page = home(client)
    for words in (
        "가구 수가 지난달과",
        "부평 새 일자리 제안",
        "참여 수요 증가로",
        "2019-BP-01",
    ):
        assert words not in page, words
    [returned] = of_kind(items, "report-returned")
    assert "서구에만 보낸 사유" in returned.text


def test_wagtails_page_summary_and_page_panels_are_gone_for_the_roles(
    client, bupyeong_officer, city_manager, reviewer, bupyeong_approver
):
    for user in (bupyeong_officer, city_manager, reviewer, bupyeong_approver):
        client.force_login(user)
        _items, _lines, page = home(client)
        assert "w-summary" not in page, user
        assert 'id="recent-edits-section"' not in page
        assert 'id="locked-pages-section"' not in page
        assert "data-home-section" in page


def test_an_approver_told_nothing_needs_their_sign_off_reads_it_in_one_sentence(
    client, bupyeong_project, bupyeong_approver
):
    client.force_login(bupyeong_approver)
    items, lines, _page = home(client)
    assert items == []
    assert lines["signoff"] == [
        "우리 구·군의 공모와 사업 가운데 결재권자의 결재가 필요한 것이 없습니다. "
        "담당자가 제안서와 보고를 시에 바로 제출합니다."
    ]


def test_an_approver_sees_what_awaits_their_sign_off_and_only_their_districts(
    client,
    orgs,
    signoff_call,
    bupyeong_officer,
    seogu_officer,
    bupyeong_approver,
):
    now = timezone.now()
    proposal = competitions.proposal_submit(
        proposal=make_draft(
            signoff_call, bupyeong_officer, title="부평 결재 요청", now=now
        ),
        actor=bupyeong_officer,
        now=now,
        notify=False,
    )
    competitions.proposal_submit(
        proposal=make_draft(
            signoff_call, seogu_officer, title="서구 결재 요청", now=now
        ),
        actor=seogu_officer,
        now=now,
        notify=False,
    )
    project = make_project(orgs["BP"], call=signoff_call)
    report_save_draft(
        project=project, period=JAN, actor=bupyeong_officer, values=figures()
    )
    report = project.reports.get()
    report_submit(report=report, actor=bupyeong_officer)

    client.force_login(bupyeong_approver)
    items, lines, page = home(client)
    assert lines["signoff"] == []  # sign-off is required here
    [waiting] = of_kind(items, "proposal-signoff")
    assert "부평 결재 요청" in waiting.text
    assert re.search(r"2[01]일 남음", waiting.text)
    assert waiting.url == reverse("proposals:inspect", args=[proposal.pk])
    [monthly] = of_kind(items, "report-signoff")
    assert "2019년 1월" in monthly.text
    assert monthly.url == reverse("reporting_report", args=[report.pk])
    assert "서구 결재 요청" not in page
    for item in items:
        assert client.get(item.url, follow=True).status_code == 200, item.url


def test_an_approver_with_nothing_waiting_but_a_call_that_asks_for_sign_off(
    client, signoff_call, bupyeong_approver
):
    client.force_login(bupyeong_approver)
    items, lines, page = home(client)
    assert items == [] and lines["signoff"] == []
    assert "결재를 기다리는 항목이 없습니다." in page


def test_the_home_reads_in_english_for_an_english_user(
    client, frozen, bupyeong_project, bupyeong_officer
):
    from wagtail.users.models import UserProfile

    frozen(AFTER_MIDNIGHT_KST)
    profile = UserProfile.get_for_user(bupyeong_officer)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(bupyeong_officer)
    items, _lines, page = home(client)
    due = of_kind(items, "report-due")
    assert "March 2019" in due[-1].text and "Due today" in due[-1].text
    assert "January 2019" in due[0].text and "days late" in due[0].text
    assert "Monthly reports to file" in page and "제출할 월별 실적 보고" not in page


def test_the_unread_notices_lead_the_home_and_leave_it_once_read(
    client,
    bupyeong_project,
    seogu_project,
    bupyeong_officer,
    seogu_officer,
    city_manager,
    django_capture_on_commit_callbacks,
):
    """A returned report reaches its officer's home as an unread notice with
    the reason; opening it goes to the report and takes it off the home; the
    other district's officer has nothing of it."""
    with django_capture_on_commit_callbacks(execute=True):
        report = file_month(bupyeong_project, bupyeong_officer, JAN)
        report_return(report=report, actor=city_manager, comment="1월 인건비 증빙 누락")
    client.force_login(bupyeong_officer)
    items, _lines, _page = home(client)
    [notice] = of_kind(items, "notice-report_returned")
    assert notice.section == "notices"
    assert "1월 인건비 증빙 누락" in notice.text
    response = client.get(notice.url)
    assert response.status_code == 302
    assert response.url == reverse("reporting_report", args=[report.pk])
    items, _lines, _page = home(client)
    assert not of_kind(items, "notice-report_returned")

    client.force_login(seogu_officer)
    items, _lines, page = home(client)
    assert not [item for item in items if item.section == "notices"]
    assert "1월 인건비 증빙 누락" not in page
    assert client.get(notice.url).status_code == 404
