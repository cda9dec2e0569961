"""The settlement (정산): the district files it after the project's end,
prefilled from the accepted reports; the city returns it or accepts it and
records the return; the figures are stored and recomputable; an accepted
settlement locks the project's money at every door."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from funding import settlement_services as settle
from funding.models import (
    Settlement,
    SettlementStatus,
    SettlementTransition,
    Tranche,
)
from funding.settlement import final_report_money, settlement_close_blocker
from funding.settlement_inputs import settlement_inputs
from funding.settlement_rules import compute_settlement
from notifications.models import Notification
from tests.reporting.helpers import figures, file_month

from .settlement_helpers import AFTER_END, JAN, MAR, ended_project


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


@pytest.fixture
def ended(orgs, call, city_manager, bupyeong_officer):
    return ended_project(orgs["BP"], call, city_manager, bupyeong_officer)


def start(project, officer):
    return settle.settlement_start(actor=officer, project=project, now=AFTER_END)


def submitted(project, officer, **save):
    settlement = start(project, officer)
    if save:
        settlement = settle.settlement_save(
            actor=officer, settlement=settlement, **save
        )
    return settle.settlement_submit(actor=officer, settlement=settlement, now=AFTER_END)


def test_the_settlement_is_prefilled_from_the_accepted_reports(ended, bupyeong_officer):
    settlement = start(ended, bupyeong_officer)
    lines = {line.code: line for line in settlement.lines.all()}
    assert set(lines) == {"personnel", "operations"}
    assert lines["personnel"].reported == lines["personnel"].spent == 21_000_003
    assert lines["operations"].reported == 6_000_000
    assert all(line.period_first_month == JAN for line in lines.values())


def test_submit_stores_the_rules_figures(ended, bupyeong_officer, city_manager):
    settlement = submitted(ended, bupyeong_officer, lines={}, interest=12_345)
    assert settlement.status == SettlementStatus.SUBMITTED
    assert settlement.spent == 27_000_003
    assert settlement.city_spent == 13_500_001
    assert settlement.city_unspent == 16_499_999
    assert settlement.interest_returned == 12_345  # all of it: the default rule
    assert settlement.returned == 16_499_999 + 12_345
    assert Notification.objects.filter(
        recipient=city_manager, kind="settlement_submitted"
    ).exists()


def test_a_correction_needs_a_reason_and_changes_the_figures(ended, bupyeong_officer):
    settlement = start(ended, bupyeong_officer)
    personnel = settlement.lines.get(code="personnel")
    with pytest.raises(ValidationError) as refused:
        settle.settlement_save(
            actor=bupyeong_officer,
            settlement=settlement,
            lines={personnel.pk: (20_000_003, "")},
            interest=0,
        )
    assert codes(refused.value) == {"correction_needs_reason"}
    assert f"line_{personnel.pk}" in refused.value.error_dict
    assert "21,000,003원" in refused.value.messages[0]
    settle.settlement_save(
        actor=bupyeong_officer,
        settlement=settlement,
        lines={personnel.pk: (20_000_003, "3월 인건비 1,000,000원 환입")},
        interest=0,
    )
    settlement = settle.settlement_submit(
        actor=bupyeong_officer, settlement=settlement, now=AFTER_END
    )
    assert settlement.spent == 26_000_003
    assert settlement.lines.get(code="personnel").difference == -1_000_000
    assert settlement.returned == 30_000_000 - 26_000_003 // 2


def test_no_submission_before_the_last_month_is_over(ended, bupyeong_officer):
    settlement = start(ended, bupyeong_officer)
    with pytest.raises(ValidationError) as refused:
        settle.settlement_submit(
            actor=bupyeong_officer,
            settlement=settlement,
            now=AFTER_END.replace(month=3, day=31),
        )
    assert codes(refused.value) == {"project_not_ended"}
    assert "2019년 3월" in refused.value.messages[0]
    settlement.refresh_from_db()
    assert settlement.status == SettlementStatus.DRAFT


def test_no_submission_while_a_report_is_open(
    orgs, call, city_manager, bupyeong_officer
):
    project = ended_project(orgs["BP"], call, city_manager, bupyeong_officer)
    from reporting.services import report_reopen

    report = project.reports.get(period=MAR)
    report_reopen(report=report, actor=city_manager, reason="집행액 확인")
    settlement = start(project, bupyeong_officer)
    with pytest.raises(ValidationError) as refused:
        settle.settlement_submit(
            actor=bupyeong_officer, settlement=settlement, now=AFTER_END
        )
    assert codes(refused.value) == {"reports_open"}


def test_the_city_returns_with_a_comment_then_accepts_and_records_the_return(
    ended, bupyeong_officer, city_manager
):
    settlement = submitted(ended, bupyeong_officer)
    with pytest.raises(ValidationError) as refused:
        settle.settlement_return(actor=city_manager, settlement=settlement, comment=" ")
    assert codes(refused.value) == {"comment_required"}
    settlement = settle.settlement_return(
        actor=city_manager, settlement=settlement, comment="이자 내역을 첨부하세요."
    )
    assert settlement.status == SettlementStatus.RETURNED
    settlement = settle.settlement_save(
        actor=bupyeong_officer, settlement=settlement, lines={}, interest=4_321
    )
    settlement = settle.settlement_submit(
        actor=bupyeong_officer, settlement=settlement, now=AFTER_END
    )
    settlement = settle.settlement_accept(actor=city_manager, settlement=settlement)
    assert settlement.status == SettlementStatus.ACCEPTED
    assert settlement.returned == 16_499_999 + 4_321
    assert "반납" in settlement_close_blocker(ended)

    with pytest.raises(ValidationError) as differs:
        settle.settlement_record_return(
            actor=city_manager,
            settlement=settlement,
            amount=16_499_999,
            paid_on=date(2019, 4, 20),
            reference="",
            now=AFTER_END.replace(day=25),
        )
    assert codes(differs.value) == {"return_differs", "reference_required"}
    settlement = settle.settlement_record_return(
        actor=city_manager,
        settlement=settlement,
        amount=settlement.returned,
        paid_on=date(2019, 4, 20),
        reference="반납-2019-001",
        now=AFTER_END.replace(day=25),
    )
    assert settlement.status == SettlementStatus.SETTLED
    assert settlement.return_paid.amount == 16_499_999 + 4_321
    assert settlement_close_blocker(ended) is None
    assert list(
        SettlementTransition.objects.filter(settlement=settlement)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["submit", "return", "submit", "accept", "settle"]


def test_accepting_with_nothing_to_return_settles_at_once(
    orgs, call, city_manager, bupyeong_officer
):
    project = ended_project(orgs["BP"], call, city_manager, bupyeong_officer)
    settlement = start(project, bupyeong_officer)
    lines = {
        line.pk: (line.reported * 3, "추가 집행 확인")
        for line in settlement.lines.all()
    }
    settlement = submitted(project, bupyeong_officer, lines=lines, interest=0)
    assert settlement.returned == 0
    settlement = settle.settlement_accept(actor=city_manager, settlement=settlement)
    assert settlement.status == SettlementStatus.SETTLED
    assert settlement_close_blocker(project) is None


def test_only_the_projects_officer_files_and_only_the_city_decides(
    ended, bupyeong_officer, bupyeong_approver, seogu_officer, city_manager, reviewer
):
    for outsider in (seogu_officer, reviewer, bupyeong_approver, city_manager):
        with pytest.raises(PermissionDenied):
            settle.settlement_start(actor=outsider, project=ended)
    settlement = start(ended, bupyeong_officer)
    for outsider in (seogu_officer, reviewer, city_manager):
        with pytest.raises(PermissionDenied):
            settle.settlement_submit(
                actor=outsider, settlement=settlement, now=AFTER_END
            )
    settlement = settle.settlement_submit(
        actor=bupyeong_officer, settlement=settlement, now=AFTER_END
    )
    for outsider in (bupyeong_officer, seogu_officer, reviewer):
        with pytest.raises(PermissionDenied):
            settle.settlement_accept(actor=outsider, settlement=settlement)
    with pytest.raises(ValidationError) as wrong:
        settle.settlement_submit(
            actor=bupyeong_officer, settlement=settlement, now=AFTER_END
        )
    assert codes(wrong.value) == {"wrong_status"}


def test_an_accepted_settlement_locks_the_money_at_every_door(
    ended, bupyeong_officer, city_manager
):
    from funding import services
    from reporting.services import report_accept, report_reopen

    settlement = submitted(ended, bupyeong_officer)
    settle.settlement_accept(actor=city_manager, settlement=settlement)
    tranche = Tranche.objects.get(project=ended)
    with pytest.raises(ValidationError) as refused:
        services.tranche_schedule_set(actor=city_manager, project=ended, rows=[])
    assert codes(refused.value) == {"money_locked"}
    for move in (
        lambda: services.tranche_request(
            actor=bupyeong_officer, tranche=tranche, amount=1
        ),
        lambda: services.tranche_approve(actor=city_manager, tranche=tranche),
        lambda: services.tranche_refuse(actor=city_manager, tranche=tranche, note="x"),
        lambda: services.tranche_pay(
            actor=city_manager, tranche=tranche, paid_on=date(2019, 4, 1), amount=1
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            move()
        assert codes(refused.value) == {"money_locked"}
    # A month's spending cannot change any more; its other figures can.
    report = ended.reports.get(period=MAR)
    report_reopen(report=report, actor=city_manager, reason="집행액 정정")
    report = file_month(
        ended,
        bupyeong_officer,
        MAR,
        values=figures(personnel=1, operations=2_000_000),
    )
    with pytest.raises(ValidationError) as refused:
        report_accept(report=report, actor=city_manager)
    assert codes(refused.value) == {"money_locked"}
    assert "정산" in refused.value.messages[0]


def test_every_stored_figure_is_recomputable_from_the_records(
    orgs, call, city_manager, bupyeong_officer, seogu_officer
):
    first = ended_project(orgs["BP"], call, city_manager, bupyeong_officer)
    second = ended_project(
        orgs["SG"], call, city_manager, seogu_officer, title="서구 정산 사업"
    )
    submitted(first, bupyeong_officer, lines={}, interest=7_777)
    accepted = submitted(second, seogu_officer, lines={}, interest=1)
    settle.settlement_accept(actor=city_manager, settlement=accepted)
    for settlement in Settlement.objects.all():
        recomputed = compute_settlement(settlement_inputs(settlement.project))
        for name, stored in settlement.figures().items():
            assert stored == getattr(recomputed, name), (settlement, name)


def test_final_report_money_adds_up(ended, bupyeong_officer, city_manager):
    settlement = submitted(ended, bupyeong_officer)
    settle.settlement_accept(actor=city_manager, settlement=settlement)
    rows = final_report_money(ended)
    total = rows[-1]
    assert total["category"] == "total"
    assert total["spent"] == 27_000_003
    assert total["city"] == 13_500_001
    assert total["city"] + total["district"] == total["spent"]
    assert sum(r["budget"] for r in rows[:-1]) == total["budget"] == 60_000_000
    assert total["returned"] == 16_499_999


def test_the_settlement_due_day_is_in_the_calendar_until_it_is_accepted(
    ended, bupyeong_officer, seogu_officer, city_manager
):
    from calendars.selectors import settlement_due_days

    assert settle.settlement_due_on(ended) == date(2019, 4, 30)
    events = settlement_due_days(user=bupyeong_officer)
    assert [(e.start, e.description) for e in events] == [
        (date(2019, 4, 30), ended.code)
    ]
    assert settlement_due_days(user=seogu_officer) == []
    settlement = submitted(ended, bupyeong_officer)
    settle.settlement_accept(actor=city_manager, settlement=settlement)
    assert settlement_due_days(user=bupyeong_officer) == []


def test_the_interest_rule_stays_once_a_settlement_is_submitted_whatever_the_screen(
    client, ended, bupyeong_officer, city_manager
):
    from funding.models import GrantConditions, InterestRule

    conditions = GrantConditions.objects.create(
        call=ended.call, text_ko="교부 조건", interest_rule=InterestRule.TO_CITY
    )
    submitted(ended, bupyeong_officer)
    client.force_login(city_manager)

    response = client.post(
        reverse("grant_conditions:edit", args=[conditions.pk]),
        {
            "call": ended.call.pk,
            "text_ko": "교부 조건 (수정)",
            "text_en": "",
            "interest_rule": InterestRule.BY_RATIO,
            "settlement_due_days": 30,
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "기준으로 제출 또는 승인되었습니다" in page
    assert "교부 조건 (수정)" in page  # what was typed is shown again
    conditions.refresh_from_db()
    assert conditions.interest_rule == InterestRule.TO_CITY
