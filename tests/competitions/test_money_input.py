"""Money typed with thousands separators (issue 21): shown "1,234,000", posted
as typed, stored as an integer; anything else gets a message saying what to type."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from common.money import MoneyField, MoneyInput, money_digits
from competitions.models import Proposal

from .test_admin_flow import proposal_post_data


def test_a_proposal_posted_with_separators_stores_integers(
    client, open_call, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    data = proposal_post_data(open_call)
    data["city_share"] = "60,000,000"
    data["district_share"] = "60,000,000원"
    data["budget_lines-0-amount"] = "100,000,000"
    data["budget_lines-1-amount"] = "20,000,000"
    data["action-save"] = "save"
    response = client.post(f"{reverse('proposals:add')}?call={open_call.pk}", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal = Proposal.objects.get()
    assert proposal.city_share == 60_000_000
    assert proposal.district_share == 60_000_000
    assert sorted(proposal.budget_lines.values_list("amount", flat=True)) == [
        20_000_000,
        100_000_000,
    ]

    # The form shows the stored integers with separators, as money inputs.
    page = client.get(reverse("proposals:edit", args=[proposal.pk])).content.decode()
    assert 'value="60,000,000"' in page
    assert "data-money" in page and "js/money-input.js" in page


def test_a_typed_12a_is_refused_with_a_message_and_kept(
    client, open_call, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    data = proposal_post_data(open_call)
    data["city_share"] = "12a"
    data["action-save"] = "save"
    response = client.post(f"{reverse('proposals:add')}?call={open_call.pk}", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "1,234,000" in body  # the message says what to type
    assert 'value="12a"' in body  # what was typed is still there
    assert not Proposal.objects.exists()


def test_the_money_field_reads_separators_and_refuses_anything_else():
    field = MoneyField()
    assert field.clean("1,234,000") == 1_234_000
    assert field.clean(" 1 234 000원 ") == 1_234_000
    for typed in ("12a", "1.5", "-3", "1,2a4"):
        with pytest.raises(ValidationError) as refused:
            field.clean(typed)
        assert refused.value.code in ("money_invalid", "min_value")
    with pytest.raises(ValidationError) as refused:
        field.clean("12a")
    assert refused.value.code == "money_invalid"
    assert money_digits("1,234,000") == "1234000"
    assert MoneyInput().format_value(1_234_000) == "1,234,000"
