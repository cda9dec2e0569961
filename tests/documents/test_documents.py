"""Printable documents (issue 21): the proposal receipt, a monthly report as
submitted, a call's selection result and a change request's decision, as PDF
in the reader's language, Seoul time and won with separators; each reached only
by whom the access rules let see its object."""

from datetime import date

import pytest
from django.urls import reverse

from competitions import services as competitions
from competitions.models import Decision
from projects.services import change_request_approve, change_request_propose
from tests.competitions.conftest import (
    AFTER_DEADLINE,
    BEFORE_DEADLINE,
    make_draft,
    make_submitted,
    score_and_submit,
)
from tests.projects.fixtures import JAN, plan_data
from tests.reporting.helpers import figures, file_month

from .helpers import is_refused, pdf_text, prefer_english

pytestmark = pytest.mark.django_db


# --- the proposal receipt (접수증) -------------------------------------------------


@pytest.fixture
def bupyeong_submitted(call, bupyeong_officer):
    proposal = make_draft(call, bupyeong_officer, title="찾아가는 육아코칭")
    return competitions.proposal_submit(
        proposal=proposal, actor=bupyeong_officer, now=BEFORE_DEADLINE, notify=False
    )


def _receipt_url(proposal):
    return reverse("documents_proposal_receipt", args=[proposal.pk])


def test_the_receipt_names_its_number_and_the_submission_time_in_seoul(
    client, bupyeong_submitted, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    text = pdf_text(client.get(_receipt_url(bupyeong_submitted)))
    assert "제안서 접수증" in text
    assert bupyeong_submitted.receipt_number in text
    # Submitted at 10:00 in Seoul (01:00 UTC): the receipt says 10:00.
    assert "2018-09-20 10:00" in text and "한국 표준시" in text
    assert "찾아가는 육아코칭" in text and "부평구" in text
    assert "100,000,000원" in text  # the total: 50,000,000 + 50,000,000


def test_the_receipt_is_in_english_for_an_english_reader(
    client, bupyeong_submitted, bupyeong_officer
):
    prefer_english(bupyeong_officer)
    client.force_login(bupyeong_officer)
    text = pdf_text(client.get(_receipt_url(bupyeong_submitted)))
    assert "Proposal receipt" in text and "제안서 접수증" not in text
    assert "KRW 100,000,000" in text
    assert "Korea Standard Time" in text


def test_the_city_prints_a_receipt_too(client, bupyeong_submitted, city_manager):
    client.force_login(city_manager)
    assert bupyeong_submitted.receipt_number in pdf_text(
        client.get(_receipt_url(bupyeong_submitted))
    )


def test_another_districts_officer_gets_no_receipt(
    client, bupyeong_submitted, seogu_officer
):
    client.force_login(seogu_officer)
    assert client.get(_receipt_url(bupyeong_submitted)).status_code == 404


def test_a_reviewer_gets_no_receipt(client, bupyeong_submitted, reviewer):
    client.force_login(reviewer)
    response = client.get(_receipt_url(bupyeong_submitted))
    assert is_refused(response) and response.get("Content-Type") != "application/pdf"


def test_a_draft_has_no_receipt(client, call, bupyeong_officer):
    draft = make_draft(call, bupyeong_officer)
    client.force_login(bupyeong_officer)
    assert client.get(_receipt_url(draft)).status_code == 404


def test_the_proposal_page_offers_the_receipt_once_submitted(
    client, bupyeong_submitted, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    page = client.get(reverse("proposals:inspect", args=[bupyeong_submitted.pk]))
    assert _receipt_url(bupyeong_submitted) in page.content.decode()
    assert "인쇄/PDF" in page.content.decode()


# --- a monthly report as submitted --------------------------------------------------

ROSTER = [
    {
        "participant_code": f"P-{n:04d}",
        "target_group_code": "women",
        "hire_date": date(2019, 1, 7),
        "end_date": None,
    }
    for n in (1, 2, 3)
]


@pytest.fixture
def january(bupyeong_project, bupyeong_officer):
    return file_month(
        bupyeong_project,
        bupyeong_officer,
        JAN,
        values=figures(personnel=7_250_000),
        roster=ROSTER,
        narrative="1월 방문 코칭 시작",
    )


def _report_url(report):
    return reverse("documents_report_as_submitted", args=[report.pk])


def test_the_report_prints_as_submitted_with_counts_not_people(
    client, january, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    text = pdf_text(client.get(_report_url(january)))
    assert "월별 실적 보고서" in text and "2019년 1월" in text
    assert "1월 방문 코칭 시작" in text
    assert "경력단절여성" in text  # figures by target group
    assert "7,250,000원" in text  # spending, in won
    assert "2019-02-05 14:00" in text  # submitted, Seoul time
    # The roster only as a count: no participant's code on paper.
    assert "참여자 명부" in text
    assert "P-0001" not in text


def test_the_city_prints_the_submitted_report_in_english(client, january, city_manager):
    prefer_english(city_manager)
    client.force_login(city_manager)
    text = pdf_text(client.get(_report_url(january)))
    assert "Monthly performance report" in text and "January 2019" in text
    assert "KRW 7,250,000" in text
    assert "월별 실적 보고서" not in text


def test_another_districts_officer_gets_no_report(client, january, seogu_officer):
    client.force_login(seogu_officer)
    assert client.get(_report_url(january)).status_code == 404


def test_a_reviewer_gets_no_report(client, january, reviewer):
    client.force_login(reviewer)
    assert is_refused(client.get(_report_url(january)))


def test_a_month_never_submitted_is_no_document(
    client, bupyeong_project, bupyeong_officer
):
    from reporting.models import MonthlyReport
    from reporting.services import report_save_draft

    report_save_draft(
        project=bupyeong_project,
        period=JAN,
        actor=bupyeong_officer,
        values=figures(),
    )
    report = MonthlyReport.objects.get(project=bupyeong_project, period=JAN)
    client.force_login(bupyeong_officer)
    assert client.get(_report_url(report)).status_code == 404
    page = client.get(reverse("reporting_report", args=[report.pk])).content.decode()
    assert _report_url(report) not in page


def test_the_report_page_offers_the_submitted_version(
    client, january, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    page = client.get(reverse("reporting_report", args=[january.pk])).content.decode()
    assert f"{_report_url(january)}?version=1" in page


# --- the selection result of a call -------------------------------------------------


@pytest.fixture
def decided_call(call, orgs, panel, city_manager):
    rows = [("BP", "부평 육아코칭", [36, 54]), ("SG", "서구 무빙콜", [20, 30])]
    for district, title, scores in rows:
        proposal = make_submitted(call, orgs[district], title=title)
        assignment = competitions.assignment_create(
            proposal=proposal, reviewer=panel[1], actor=city_manager
        )
        score_and_submit(assignment, scores)
        selected = district == "BP"
        competitions.selection_decide(
            proposal=proposal,
            decision=Decision.SELECTED if selected else Decision.NOT_SELECTED,
            reason="지역 수요가 뚜렷함" if selected else "예산 범위 초과",
            actor=city_manager,
            now=AFTER_DEADLINE,
        )
    return call


def _selection_url(call):
    return reverse("documents_selection_result", args=[call.pk])


def test_the_selection_result_lists_each_decision_with_its_reason(
    client, decided_call, city_manager
):
    client.force_login(city_manager)
    text = pdf_text(client.get(_selection_url(decided_call)))
    assert "선정 결과" in text
    assert "지역 수요가 뚜렷함" in text and "예산 범위 초과" in text
    assert "부평 육아코칭" in text and "서구 무빙콜" in text
    assert "미선정" in text
    assert "2018-10-01 10:00" in text  # decided at, Seoul time


def test_district_users_and_reviewers_get_no_selection_result(
    client, decided_call, bupyeong_officer, seogu_officer, reviewer
):
    for person in (bupyeong_officer, seogu_officer, reviewer):
        client.force_login(person)
        response = client.get(_selection_url(decided_call))
        assert is_refused(response), person
        assert response.get("Content-Type") != "application/pdf"


# --- a change request's decision -----------------------------------------------------


@pytest.fixture
def approved_change(bupyeong_project, bupyeong_officer, city_manager):
    proposed = plan_data(
        outputs=[
            {"code": "households", "target": 1_000},
            {"code": "visits", "target": 2_600},
        ],
        budget_lines=[
            {
                "code": "personnel",
                "name_ko": "인건비",
                "name_en": "Personnel",
                "amount": 99_500_000,
            },
            {
                "code": "operations",
                "name_ko": "운영비",
                "name_en": "Operations",
                "amount": 35_500_000,
            },
        ],
    )
    change_request = change_request_propose(
        project=bupyeong_project,
        actor=bupyeong_officer,
        proposed=proposed,
        reason="방문 가구 목표 상향",
        effective_from=date(2019, 7, 1),
    )
    change_request_approve(
        change_request=change_request, actor=city_manager, note="수요 증가 확인"
    )
    change_request.refresh_from_db()
    return change_request


def _change_url(change_request):
    return reverse("documents_change_decision", args=[change_request.pk])


def test_the_decision_shows_who_when_why_and_the_values_before_and_after(
    client, approved_change, bupyeong_officer, city_manager
):
    client.force_login(bupyeong_officer)
    text = pdf_text(client.get(_change_url(approved_change)))
    assert "변경 요청 결정서" in text
    assert "방문 가구 목표 상향" in text and "수요 증가 확인" in text
    assert (city_manager.get_full_name() or city_manager.username) in text
    assert "94,500,000원" in text and "99,500,000원" in text  # personnel line
    assert "960" in text and "1,000" in text  # households target
    assert "2019년 7월" in text


def test_another_districts_officer_gets_no_decision(
    client, approved_change, seogu_officer
):
    client.force_login(seogu_officer)
    assert client.get(_change_url(approved_change)).status_code == 404


def test_a_reviewer_gets_no_decision(client, approved_change, reviewer):
    client.force_login(reviewer)
    assert client.get(_change_url(approved_change)).status_code == 404


def test_the_project_page_offers_the_decision(
    client, approved_change, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    page = client.get(
        reverse("projects:inspect", args=[approved_change.project_id])
    ).content.decode()
    assert _change_url(approved_change) in page
