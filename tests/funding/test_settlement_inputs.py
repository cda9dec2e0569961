"""The settlement's inputs read from the records: signed versions as ratio
periods, accepted spending by month and category, tranches paid, the
district share in force, the call's interest rule — in a few queries for
any number of projects."""

from datetime import date

from funding import services
from funding.models import GrantConditions
from funding.settlement_inputs import settlement_inputs, settlement_inputs_for
from funding.settlement_rules import (
    INTEREST_BY_RATIO,
    INTEREST_TO_CITY,
    RatioPeriod,
    SpentLine,
    compute_settlement,
)
from tests.reporting.helpers import accept_month, figures, file_month

from .conftest import funded_project, sign, signed_project
from .test_agreement import _approved_change, two_tranches
from .test_disbursement import first, pay_in_full

JAN, FEB, MAR = date(2019, 1, 1), date(2019, 2, 1), date(2019, 3, 1)


def test_the_inputs_come_from_the_signed_agreement_accepted_reports_and_payments(
    project, agreement, city_manager, bupyeong_officer
):
    accept_month(project, bupyeong_officer, city_manager, JAN)
    accept_month(
        project,
        bupyeong_officer,
        city_manager,
        FEB,
        values=figures(personnel=6_500_001, operations=0),
    )
    # Submitted but not accepted: not spending yet.
    file_month(project, bupyeong_officer, MAR)
    pay_in_full(first(project), bupyeong_officer, city_manager)

    inputs = settlement_inputs(project)

    assert inputs.periods == (RatioPeriod(JAN, 67_500_000, 135_000_000),)
    assert set(inputs.spending) == set(
        [
            SpentLine(JAN, "personnel", 7_000_000),
            SpentLine(JAN, "operations", 3_000_000),
            SpentLine(FEB, "personnel", 6_500_001),
        ]
    )
    assert inputs.city_received == first(project).paid_amount == 33_750_000
    assert inputs.district_contributed == agreement.district_share == 67_500_000
    assert (inputs.interest, inputs.interest_rule) == (0, INTEREST_TO_CITY)
    result = compute_settlement(inputs)
    assert result.spent == 16_500_001
    assert result.city_spent == 8_250_000  # half, rounded down
    assert result.returned == 33_750_000 - 8_250_000


def test_a_signed_amendment_starts_a_new_period_from_its_plans_month(
    project, agreement, city_manager, bupyeong_officer
):
    _approved_change(project, bupyeong_officer, city_manager)
    amended = services.agreement_draft(actor=city_manager, project=project)
    two_tranches(project, city_manager)
    sign(amended, city_manager)

    periods = settlement_inputs(project).periods

    assert periods == (
        RatioPeriod(JAN, 67_500_000, 135_000_000),
        RatioPeriod(date(2019, 7, 1), 70_000_000, 140_000_000),
    )
    assert settlement_inputs(project).district_contributed == 70_000_000


def test_an_unsigned_project_has_nothing_to_settle(project, city_manager):
    services.agreement_draft(actor=city_manager, project=project)
    assert settlement_inputs_for([project]) == {}
    assert settlement_inputs(project) is None


def test_the_calls_interest_rule_is_used(project, agreement, call):
    GrantConditions.objects.create(
        call=call, text_ko="조건", interest_rule=INTEREST_BY_RATIO
    )
    assert settlement_inputs(project).interest_rule == INTEREST_BY_RATIO


def test_many_projects_take_the_same_few_queries(
    orgs, call, city_manager, django_assert_max_num_queries
):
    projects = [
        funded_project(orgs["BP"], call, title=f"사업 {number}") for number in range(4)
    ]
    for project in projects:
        signed_project(project, city_manager)
    with django_assert_max_num_queries(6):
        inputs = settlement_inputs_for(projects)
    assert set(inputs) == {p.pk for p in projects}
