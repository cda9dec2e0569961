"""Disbursement (교부): the district requests a tranche, the city decides and
records the payment — never before the agreement is signed, a conditional
tranche only once its month's report is accepted, never beyond the city's
share; and only for the project's own district."""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from funding import services
from funding.models import Tranche, TrancheStatus, TrancheTransition
from funding.money import split_by_ratio
from funding.selectors import funding_rows
from projects.months import SEOUL
from tests.reporting.helpers import accept_month

from .conftest import JUNE, signed_project, two_tranches

NOW = datetime(2019, 8, 1, 10, 0, tzinfo=SEOUL)


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def first(project) -> Tranche:
    return project.tranches.get(number=1)


def second(project) -> Tranche:
    return project.tranches.get(number=2)


def pay_in_full(tranche, officer, city, *, now=NOW):
    tranche = services.tranche_request(
        actor=officer, tranche=tranche, amount=tranche.amount, now=now
    )
    tranche = services.tranche_approve(actor=city, tranche=tranche, now=now)
    return services.tranche_pay(
        actor=city, tranche=tranche, paid_on=now.date(), amount=tranche.amount, now=now
    )


def test_no_request_decision_or_payment_before_the_agreement_is_signed(
    project, city_manager, bupyeong_officer
):
    services.agreement_draft(actor=city_manager, project=project)
    two_tranches(project, city_manager)
    tranche = first(project)
    with pytest.raises(ValidationError) as refused:
        services.tranche_request(
            actor=bupyeong_officer, tranche=tranche, amount=tranche.amount
        )
    assert codes(refused.value) == {"agreement_not_signed"}
    # Even a request forced into the table is neither decided nor paid.
    Tranche.objects.filter(pk=tranche.pk).update(
        status=TrancheStatus.REQUESTED, requested_amount=tranche.amount
    )
    tranche.refresh_from_db()
    with pytest.raises(ValidationError) as undecided:
        services.tranche_approve(actor=city_manager, tranche=tranche)
    assert codes(undecided.value) == {"agreement_not_signed"}
    Tranche.objects.filter(pk=tranche.pk).update(status=TrancheStatus.APPROVED)
    tranche.refresh_from_db()
    with pytest.raises(ValidationError) as unpaid:
        services.tranche_pay(
            actor=city_manager, tranche=tranche, paid_on=date(2019, 1, 2), amount=1
        )
    assert codes(unpaid.value) == {"agreement_not_signed"}
    assert not TrancheTransition.objects.exists()


def test_the_whole_cycle_once_signed(
    project, agreement, city_manager, bupyeong_officer
):
    tranche = services.tranche_request(
        actor=bupyeong_officer,
        tranche=first(project),
        amount=30_000_000,
        note="1차 교부 신청",
        now=NOW,
    )
    assert (tranche.status, tranche.requested_amount) == ("requested", 30_000_000)
    tranche = services.tranche_approve(actor=city_manager, tranche=tranche, now=NOW)
    assert tranche.status == TrancheStatus.APPROVED
    tranche = services.tranche_pay(
        actor=city_manager,
        tranche=tranche,
        paid_on=date(2019, 7, 31),
        amount=30_000_000,
        now=NOW,
    )
    assert (tranche.status, tranche.paid_amount) == ("paid", 30_000_000)
    assert list(tranche.transitions.values_list("action", flat=True)) == [
        "request",
        "approve",
        "pay",
    ]
    (row,) = funding_rows(user=city_manager)
    assert (row.agreed, row.paid, row.due) == (67_500_000, 30_000_000, 37_500_000)


def test_a_request_above_the_tranche_is_refused(project, agreement, bupyeong_officer):
    tranche = first(project)
    with pytest.raises(ValidationError) as refused:
        services.tranche_request(
            actor=bupyeong_officer, tranche=tranche, amount=tranche.amount + 1
        )
    assert codes(refused.value) == {"requested_over_tranche"}
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.SCHEDULED


def test_a_conditional_tranche_waits_for_its_months_report(
    project, agreement, city_manager, bupyeong_officer
):
    tranche = services.tranche_request(
        actor=bupyeong_officer, tranche=second(project), amount=second(project).amount
    )
    with pytest.raises(ValidationError) as refused:
        services.tranche_approve(actor=city_manager, tranche=tranche)
    assert codes(refused.value) == {"condition_not_met"}
    assert "2019년 6월" in refused.value.messages[0]
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.REQUESTED
    # Another month accepted does not open it; June does.
    accept_month(project, bupyeong_officer, city_manager, date(2019, 5, 1))
    with pytest.raises(ValidationError):
        services.tranche_approve(actor=city_manager, tranche=tranche)
    accept_month(project, bupyeong_officer, city_manager, JUNE)
    assert services.tranche_approve(actor=city_manager, tranche=tranche).status == (
        TrancheStatus.APPROVED
    )


def test_the_city_never_pays_more_than_its_share(
    project, agreement, city_manager, bupyeong_officer
):
    pay_in_full(first(project), bupyeong_officer, city_manager)
    tranche = services.tranche_request(
        actor=bupyeong_officer, tranche=second(project), amount=second(project).amount
    )
    accept_month(project, bupyeong_officer, city_manager, JUNE)
    tranche = services.tranche_approve(actor=city_manager, tranche=tranche, now=NOW)
    # More than approved for the tranche:
    with pytest.raises(ValidationError) as over_approved:
        services.tranche_pay(
            actor=city_manager,
            tranche=tranche,
            paid_on=NOW.date(),
            amount=tranche.amount + 1,
            now=NOW,
        )
    assert codes(over_approved.value) == {"paid_over_approved"}
    # Over the city's share in total (the first tranche's record raised by hand):
    Tranche.objects.filter(pk=first(project).pk).update(
        paid_amount=first(project).amount + 1
    )
    with pytest.raises(ValidationError) as over_share:
        services.tranche_pay(
            actor=city_manager,
            tranche=tranche,
            paid_on=NOW.date(),
            amount=tranche.amount,
            now=NOW,
        )
    assert codes(over_share.value) == {"over_city_share"}
    assert "1원" in over_share.value.messages[0]
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.APPROVED and tranche.paid_amount is None


def test_a_refusal_needs_a_reason_and_the_district_may_ask_again(
    project, agreement, city_manager, bupyeong_officer
):
    tranche = services.tranche_request(
        actor=bupyeong_officer, tranche=first(project), amount=1_000_000
    )
    with pytest.raises(ValidationError) as refused:
        services.tranche_refuse(actor=city_manager, tranche=tranche, note=" ")
    assert codes(refused.value) == {"refusal_reason_required"}
    tranche = services.tranche_refuse(
        actor=city_manager, tranche=tranche, note="증빙 서류를 보완하세요."
    )
    assert tranche.status == TrancheStatus.REFUSED
    again = services.tranche_request(
        actor=bupyeong_officer, tranche=tranche, amount=2_000_000
    )
    assert (again.status, again.requested_amount) == ("requested", 2_000_000)


def test_only_the_projects_officer_requests_and_only_the_city_decides(
    project,
    agreement,
    city_manager,
    bupyeong_officer,
    bupyeong_approver,
    seogu_officer,
):
    tranche = first(project)
    for person in (seogu_officer, bupyeong_approver, city_manager):
        with pytest.raises(PermissionDenied):
            services.tranche_request(actor=person, tranche=tranche, amount=1)
    tranche = services.tranche_request(
        actor=bupyeong_officer, tranche=tranche, amount=1
    )
    for person in (bupyeong_officer, bupyeong_approver, seogu_officer):
        with pytest.raises(PermissionDenied):
            services.tranche_approve(actor=person, tranche=tranche)
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.REQUESTED


def test_another_district_cannot_reach_the_money_by_guessing_ids(
    client, project, agreement, seogu_officer, seogu_money_project, city_manager
):
    tranche = first(project)
    client.force_login(seogu_officer)
    for url in (
        reverse("funding_project", args=[project.pk]),
        reverse("funding_schedule", args=[project.pk]),
        reverse("funding_agreement", args=[agreement.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("funding_tranche_action", args=[tranche.pk, "request"]),
        {f"t{tranche.pk}-amount": "1,000", f"t{tranche.pk}-note": ""},
    )
    assert response.status_code == 404
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.SCHEDULED
    # Their dashboard lists their own district only.
    signed_project(seogu_money_project, city_manager)
    page = client.get(reverse("funding_dashboard")).content.decode()
    assert seogu_money_project.code in page
    assert project.code not in page
    export = client.get(reverse("funding_dashboard") + "?export=csv").content.decode()
    assert project.code not in export and seogu_money_project.code in export


def test_the_officer_requests_in_the_browser_and_a_wrong_amount_keeps_what_was_typed(
    client, project, agreement, bupyeong_officer
):
    tranche = first(project)
    client.force_login(bupyeong_officer)
    url = reverse("funding_tranche_action", args=[tranche.pk, "request"])
    prefix = f"t{tranche.pk}"
    response = client.post(
        url, {f"{prefix}-amount": "99,999,999", f"{prefix}-note": "조기 집행 필요"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "99,999,999" in page and "조기 집행 필요" in page
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.SCHEDULED
    response = client.post(
        url, {f"{prefix}-amount": "33,750,000", f"{prefix}-note": "1차"}
    )
    assert response.status_code == 302
    tranche.refresh_from_db()
    assert (tranche.status, tranche.requested_amount) == ("requested", 33_750_000)


def test_the_dashboard_shows_money_as_people_read_it_and_exports_numbers(
    client, project, agreement, city_manager, bupyeong_officer
):
    pay_in_full(first(project), bupyeong_officer, city_manager)
    client.force_login(city_manager)
    page = client.get(reverse("funding_dashboard")).content.decode()
    assert "67,500,000원" in page and "33,750,000원" in page
    assert (
        client.get(reverse("funding_dashboard") + "?status=none")
        .content.decode()
        .count(project.code)
        == 0
    )
    export = client.get(reverse("funding_dashboard") + "?export=csv").content.decode()
    line = next(row for row in export.splitlines() if row.startswith(project.code))
    assert line.endswith("67500000,33750000,33750000,0,0,0")


def test_every_amount_is_recomputable_from_the_records(
    project, agreement, city_manager, bupyeong_officer, call, orgs
):
    """The dashboard's figures again, from scratch: the plan and the call's
    ratio for the agreed share, the payment records for the disbursed one."""
    from .conftest import funded_project

    other = funded_project(
        orgs["BP"],
        call,
        title="두 번째 사업",
        city_share=50_000_001,
        district_share=50_000_000,
    )
    signed_project(other, city_manager, condition_month=None)
    pay_in_full(first(project), bupyeong_officer, city_manager)
    pay_in_full(first(other), bupyeong_officer, city_manager)
    pay_in_full(second(other), bupyeong_officer, city_manager)
    for row in funding_rows(user=city_manager):
        plan = row.in_force.plan
        city, district = split_by_ratio(
            plan.city_share + plan.district_share, call.city_share_percent
        )
        assert (row.in_force.city_share, row.in_force.district_share) == (
            city,
            district,
        )
        paid = sum(
            t.amount
            for t in TrancheTransition.objects.filter(
                tranche__project=row.project, action="pay"
            )
        )
        assert row.paid == paid
        assert row.due == city - paid
    rows = {row.project.pk: row for row in funding_rows(user=city_manager)}
    assert rows[other.pk].agreed == 50_000_000  # 100,000,001 × 50% rounded down
    assert rows[other.pk].due == 0


def test_the_city_sets_the_schedule_in_the_browser_and_a_wrong_total_keeps_the_rows(
    client, project, city_manager
):
    services.agreement_draft(actor=city_manager, project=project)
    client.force_login(city_manager)
    url = reverse("funding_schedule", args=[project.pk])
    assert client.get(url).status_code == 200
    data = {
        "tranches-TOTAL_FORMS": "3",
        "tranches-INITIAL_FORMS": "0",
        "tranches-0-planned_on": "2019-01-15",
        "tranches-0-amount": "33,750,000",
        "tranches-0-condition_month": "",
        "tranches-1-planned_on": "2019-07-15",
        "tranches-1-amount": "33,000,000",
        "tranches-1-condition_month": "2019-06-01",
        "tranches-2-planned_on": "",
        "tranches-2-amount": "",
        "tranches-2-condition_month": "",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "750,000원" in page  # the difference, named
    assert 'value="33,000,000"' in page  # what was typed, kept
    assert not project.tranches.exists()
    data["tranches-1-amount"] = "33,750,000"
    assert client.post(url, data).status_code == 302
    assert [
        (t.number, t.amount, t.condition_month) for t in project.tranches.all()
    ] == [(1, 33_750_000, None), (2, 33_750_000, JUNE)]


def test_only_the_city_sets_the_schedule(client, project, agreement, bupyeong_officer):
    client.force_login(bupyeong_officer)
    response = client.get(reverse("funding_schedule", args=[project.pk]))
    assert response.status_code in (302, 403)
    with pytest.raises(PermissionDenied):
        services.tranche_schedule_set(
            actor=bupyeong_officer,
            project=project,
            rows=[services.TrancheRow(planned_on=date(2019, 1, 2), amount=67_500_000)],
        )
