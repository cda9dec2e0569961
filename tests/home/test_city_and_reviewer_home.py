"""The city manager's and the reviewer's home, and a home's queries do not
grow with its rows."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competitions import services as competitions
from competitions.models import CallPage, ReviewAssignment
from projects.services import change_request_propose, plan_data
from reporting.home import overdue_count
from reporting.selectors import overdue
from reporting.services import report_return
from tests.competitions.conftest import (
    AFTER_DEADLINE,
    make_reviewer,
    make_submitted,
    score_and_submit,
    sign_pledges,
)
from tests.projects.fixtures import make_project
from tests.projects.fixtures import plan_data as new_plan
from tests.reporting.helpers import accept_month, file_month

from .helpers import home, of_kind

JAN, FEB, MAR = date(2019, 1, 1), date(2019, 2, 1), date(2019, 3, 1)
# 2019-04-12 21:00 KST: March's reports were due on the 10th.
APRIL_12 = datetime(2019, 4, 12, 12, 0, tzinfo=UTC)


@pytest.fixture
def city_desk(
    frozen,
    orgs,
    call,
    open_call,
    bupyeong_project,
    seogu_project,
    bupyeong_officer,
    seogu_officer,
    city_manager,
):
    """January and February accepted for both districts; Bupyeong-gu's March
    submitted and waiting, Seo-gu's missing; a change request proposed; the
    2018 call in review with a declared conflict."""
    for project, officer in (
        (bupyeong_project, bupyeong_officer),
        (seogu_project, seogu_officer),
    ):
        accept_month(project, officer, city_manager, JAN)
        accept_month(project, officer, city_manager, FEB)
    march = file_month(bupyeong_project, bupyeong_officer, MAR)
    change = change_request_propose(
        project=bupyeong_project,
        actor=bupyeong_officer,
        proposed=plan_data(bupyeong_project.current_plan),
        reason="참여 수요 증가로 목표 상향",
        effective_from=date(2019, 7, 1),
    )
    proposal = make_submitted(call, orgs["SG"], title="서구 무빙콜")
    reviewer = make_reviewer(orgs, "reviewer-x")
    competitions.panel_add(
        call=call, reviewer=reviewer, actor=city_manager, now=AFTER_DEADLINE
    )
    assignment = competitions.assignment_create(
        proposal=proposal, reviewer=reviewer, actor=city_manager, now=AFTER_DEADLINE
    )
    sign_pledges(reviewer, call)
    competitions.conflict_declare(
        assignment=assignment,
        actor=reviewer,
        has_conflict=True,
        note="배우자가 위탁기관에 근무",
        now=AFTER_DEADLINE,
        notify=False,
    )
    frozen(APRIL_12)
    return {"march": march, "change": change, "proposal": proposal}


def test_the_city_sees_what_waits_the_month_by_district_overdue_and_calls(
    client, city_desk, call, open_call, city_manager, seogu_project, bupyeong_project
):
    client.force_login(city_manager)
    items, lines, _page = home(client)

    [submitted] = of_kind(items, "report-submitted")
    assert submitted.url == reverse("reporting_report", args=[city_desk["march"].pk])
    assert "2019년 3월" in submitted.text and "부평구" in submitted.text
    [change] = of_kind(items, "change-proposed")
    assert change.url == reverse("projects:inspect", args=[bupyeong_project.pk])
    assert "참여 수요 증가로 목표 상향" in change.text
    [conflict] = of_kind(items, "conflict")
    assert conflict.url == reverse("review_panel", args=[call.pk])
    assert (
        "서구 무빙콜" in conflict.text and "배우자가 위탁기관에 근무" in conflict.text
    )

    assert lines["month"] == ["2019년 3월 보고 2건 중 1건이 시에 제출되었습니다."]
    districts = {
        item.text.split(" ")[0]: item for item in of_kind(items, "district-month")
    }
    assert "1건 중 1건 제출" in districts["부평구"].text
    assert "1건 중 0건 제출" in districts["서구"].text
    assert f"미제출: {seogu_project.code}" in districts["서구"].text
    assert districts["서구"].url == f"{reverse('reporting_month')}?month=2019-03"

    assert lines["overdue"] == ["기한이 지난 보고가 1건 있습니다."]
    assert lines["calls"] == [
        "사이트 게시 전 0 · 접수 예정 1 · 접수 중 0 · 심사 중 1 · 결과 발표 0"
    ]
    [in_review] = of_kind(items, "call-in_review")
    assert in_review.url == reverse("review_ranking", args=[call.pk])
    assert "제안서 1건" in in_review.text
    # The open call of the tests opens years after the frozen April 2019.
    [upcoming] = of_kind(items, "call-upcoming")
    assert upcoming.url == reverse("wagtailadmin_pages:edit", args=[open_call.pk])

    for item in items:
        assert client.get(item.url, follow=True).status_code == 200, (
            item.kind,
            item.url,
        )
    assert client.get(reverse("reporting_overdue")).status_code == 200


def test_the_overdue_count_is_the_overdue_lists_length(
    orgs, frozen, city_manager, bupyeong_officer, seogu_officer, bupyeong_project
):
    """Counted by the database per project, it must agree with the list, month
    by month, whatever each project's due day and period."""
    early = make_project(orgs["SG"], report_due_day=25)
    short = make_project(
        orgs["BP"],
        title="짧은 사업",
        plan=new_plan(period_start="2019-02-01", period_end="2019-03-01"),
    )
    accept_month(bupyeong_project, bupyeong_officer, city_manager, JAN)
    file_month(short, bupyeong_officer, FEB)
    returned = file_month(early, seogu_officer, JAN)
    report_return(report=returned, actor=city_manager, comment="다시", notify=False)
    for moment in (
        datetime(2019, 2, 10, 14, 59, tzinfo=UTC),  # 02-10 23:59 KST
        datetime(2019, 2, 10, 15, 0, tzinfo=UTC),  # 02-11 00:00 KST
        datetime(2019, 3, 26, 0, 0, tzinfo=UTC),
        datetime(2019, 4, 11, 0, 0, tzinfo=UTC),
        datetime(2020, 6, 1, 0, 0, tzinfo=UTC),
    ):
        frozen(moment)
        for user in (city_manager, bupyeong_officer, seogu_officer):
            assert overdue_count(user=user, now=moment) == len(
                overdue(user=user, now=moment)
            ), (moment, user)


@pytest.fixture
def review_desk(call, orgs, city_manager, reviewer):
    CallPage.objects.filter(pk=call.pk).update(review_ends_on=date(2018, 10, 15))
    scored = make_submitted(call, orgs["BP"], title="부평 육아코칭")
    started = make_submitted(call, orgs["SG"], title="서구 무빙콜")
    competitions.panel_add(
        call=call, reviewer=reviewer, actor=city_manager, now=AFTER_DEADLINE
    )
    done = competitions.assignment_create(
        proposal=scored, reviewer=reviewer, actor=city_manager, now=AFTER_DEADLINE
    )
    open_ = competitions.assignment_create(
        proposal=started, reviewer=reviewer, actor=city_manager, now=AFTER_DEADLINE
    )
    score_and_submit(done, [30, 50])
    competitions.conflict_declare(
        assignment=open_,
        actor=reviewer,
        has_conflict=False,
        now=AFTER_DEADLINE,
        notify=False,
    )
    first = call.rubric_criteria.all()[0]
    competitions.review_save_draft(
        assignment=open_,
        actor=reviewer,
        scores={first.pk: (20, "")},
        now=AFTER_DEADLINE,
    )
    return {"done": done, "open": open_}


def test_a_reviewer_sees_each_assignments_progress_and_the_review_deadline(
    client, review_desk, call, reviewer
):
    client.force_login(reviewer)
    items, lines, _page = home(client)
    [section] = [key for key in lines if key.startswith("assignments-")]
    assert lines[section][0] == "2건 중 이해충돌 확인 2건, 채점 완료 1건, 제출 1건."
    assert lines[section][1].startswith("심사 마감일 2018-10-15 (")
    by_url = {item.url: item for item in of_kind(items, "assignment")}
    done = by_url[reverse("review_assignment", args=[review_desk["done"].pk])]
    started = by_url[reverse("review_assignment", args=[review_desk["open"].pk])]
    assert "제출됨" in done.text and "부평 육아코칭" in done.text
    assert "평가 항목 2개 중 1개 채점" in started.text
    for item in items:
        assert client.get(item.url, follow=True).status_code == 200, item.url


def test_a_reviewer_sees_no_one_elses_assignments(client, review_desk, orgs):
    other = make_reviewer(orgs, "reviewer-y")
    client.force_login(other)
    items, _lines, page = home(client)
    assert items == []
    assert "지금 배정된 심사가 없습니다." in page
    assert "부평 육아코칭" not in page


def _home_queries(client) -> int:
    client.get(reverse("wagtailadmin_home"))  # the menu's cache is warm after one
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("wagtailadmin_home")).status_code == 200
    return len(queries)


def test_a_home_with_many_rows_runs_as_many_queries_as_one_with_few(
    client,
    django_assert_max_num_queries,
    frozen,
    orgs,
    call,
    city_manager,
    bupyeong_officer,
    bupyeong_project,
    reviewer,
):
    frozen(APRIL_12)
    accept_month(bupyeong_project, bupyeong_officer, city_manager, JAN)
    competitions.panel_add(
        call=call, reviewer=reviewer, actor=city_manager, now=AFTER_DEADLINE
    )

    districts = [org for org in orgs.values() if org.is_local]

    def add_assignment(title):
        # A call takes two proposals per district: spread them over the city.
        district = districts[ReviewAssignment.objects.count() % len(districts)]
        proposal = make_submitted(call, district, title=title)
        return competitions.assignment_create(
            proposal=proposal, reviewer=reviewer, actor=city_manager, now=AFTER_DEADLINE
        )

    add_assignment("첫 제안")
    few = {}
    for user in (bupyeong_officer, city_manager, reviewer):
        client.force_login(user)
        few[user.pk] = _home_queries(client)

    for number in range(8):
        project = make_project(orgs["BP"], title=f"사업 {number}")
        accept_month(project, bupyeong_officer, city_manager, JAN)
        february = file_month(project, bupyeong_officer, FEB)
        if number % 2:
            report_return(
                report=february, actor=city_manager, comment="다시", notify=False
            )
        change_request_propose(
            project=project,
            actor=bupyeong_officer,
            proposed=plan_data(project.current_plan),
            reason=f"변경 {number}",
            effective_from=date(2019, 7, 1),
        )
        add_assignment(f"제안 {number}")

    for user in (bupyeong_officer, city_manager, reviewer):
        client.force_login(user)
        client.get(reverse("wagtailadmin_home"))
        items, _lines, _page = home(client)
        assert len(items) > 8, user
        with django_assert_max_num_queries(few[user.pk]):
            client.get(reverse("wagtailadmin_home"))
