"""A proposal's outputs are its call's catalogue indicators, each once, with a
target where the indicator requires one: on the form (row by row, nothing
typed lost) and in the services (no second door)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from competitions import services
from competitions.models import CallIndicator, Proposal, ProposalOutput
from indicators.models import Indicator
from tests.competitions.conftest import BEFORE_DEADLINE, make_call, make_draft
from tests.competitions.test_admin_flow import _formset, proposal_post_data
from tests.indicators import catalogue_indicator


@pytest.fixture
def other_calls_indicator(call_index):
    """An indicator that another call offers and the open call does not."""
    shuttle = Indicator.objects.create(
        code="shuttle_runs",
        name_ko="셔틀 운행",
        name_en="Shuttle runs",
        unit_ko="회",
        unit_en="runs",
    )
    other = make_call(call_index, slug="call-other")
    CallIndicator.objects.create(page=other, indicator=shuttle)
    return shuttle


def _post(client, call, outputs, action="action-save"):
    data = proposal_post_data(call)
    data.update(_formset("outputs", outputs))
    data[action] = action.split("-")[1]
    return client.post(f"{reverse('proposals:add')}?call={call.pk}", data)


def test_the_form_offers_only_the_calls_indicators(
    client, open_call, bupyeong_officer, other_calls_indicator
):
    client.force_login(bupyeong_officer)
    page = client.get(f"{reverse('proposals:add')}?call={open_call.pk}")
    body = page.content.decode()
    assert "방문 가구" in body and "코칭 방문" in body
    assert "셔틀 운행" not in body


def test_a_proposal_cannot_pick_another_calls_indicator_by_posting_its_id(
    client, open_call, bupyeong_officer, other_calls_indicator
):
    client.force_login(bupyeong_officer)
    response = _post(
        client,
        open_call,
        [{"indicator": str(other_calls_indicator.pk), "target": "40"}],
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "이 공모의 성과 지표 중에서 고르세요" in body
    assert 'value="40"' in body  # the target typed is still there
    assert not Proposal.objects.exists()
    assert not ProposalOutput.objects.exists()


def test_the_same_indicator_twice_is_refused_on_its_row(
    client, open_call, bupyeong_officer
):
    households = str(catalogue_indicator("households").pk)
    client.force_login(bupyeong_officer)
    response = _post(
        client,
        open_call,
        [
            {"indicator": households, "target": "900"},
            {"indicator": households, "target": "950"},
        ],
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "방문 가구 지표는 이미 다른 줄에서 골랐습니다" in body
    assert 'value="950"' in body
    assert not Proposal.objects.exists()


def test_a_target_is_required_where_the_indicator_says_so(
    client, open_call, bupyeong_officer
):
    visits = catalogue_indicator("visits")
    visits.target_required = False
    visits.save()
    households = catalogue_indicator("households")
    client.force_login(bupyeong_officer)

    refused = _post(
        client, open_call, [{"indicator": str(households.pk), "target": ""}]
    )
    assert "방문 가구 지표에는 목표가 필요합니다" in refused.content.decode()
    assert not Proposal.objects.exists()

    saved = _post(client, open_call, [{"indicator": str(visits.pk), "target": ""}])
    assert saved.status_code == 302
    assert Proposal.objects.get().outputs.get().indicator == visits


def test_the_submission_service_refuses_an_indicator_outside_the_call(
    call, bupyeong_officer, other_calls_indicator
):
    proposal = make_draft(call, bupyeong_officer)
    proposal.outputs = [ProposalOutput(indicator=other_calls_indicator, target=40)]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.proposal_submit(
            proposal=proposal, actor=bupyeong_officer, now=BEFORE_DEADLINE
        )
    assert "not one of this call's output indicators" in " ".join(
        error.value.message_dict["outputs"]
    )
    assert Proposal.objects.get(pk=proposal.pk).status == "draft"
    saved = ProposalOutput.objects.filter(proposal=proposal)
    assert [o.indicator.code for o in saved] == ["households"]


def test_a_draft_cannot_name_an_indicator_outside_the_call_either(
    call, bupyeong_officer, other_calls_indicator
):
    proposal = make_draft(call, bupyeong_officer)
    proposal.outputs = [ProposalOutput(indicator=other_calls_indicator, target=40)]
    with pytest.raises(ValidationError) as error:
        services.proposal_save_draft(
            proposal=proposal, actor=bupyeong_officer, now=BEFORE_DEADLINE
        )
    assert "outputs" in error.value.message_dict
    assert not ProposalOutput.objects.filter(indicator=other_calls_indicator).exists()


def test_the_submission_service_refuses_a_repeated_indicator_not_the_database(
    call, bupyeong_officer
):
    households = catalogue_indicator("households")
    proposal = make_draft(call, bupyeong_officer)
    proposal.outputs = [
        ProposalOutput(indicator=households, target=900),
        ProposalOutput(indicator=households, target=950),
    ]
    with translation.override("ko"), pytest.raises(ValidationError) as error:
        services.proposal_submit(
            proposal=proposal, actor=bupyeong_officer, now=BEFORE_DEADLINE
        )
    assert "두 번 골랐습니다" in " ".join(error.value.message_dict["outputs"])


def test_the_submission_service_requires_the_target_the_indicator_requires(
    call, bupyeong_officer
):
    proposal = make_draft(call, bupyeong_officer)
    proposal.outputs = [
        ProposalOutput(indicator=catalogue_indicator("households"), target=0)
    ]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.proposal_submit(
            proposal=proposal, actor=bupyeong_officer, now=BEFORE_DEADLINE
        )
    assert "needs a target" in " ".join(error.value.message_dict["outputs"])


def test_the_call_page_shows_its_indicators_with_unit_and_definition(client, open_call):
    households = catalogue_indicator("households")
    households.definition_ko = "사업 기간 중 처음 방문한 가구 수"
    households.save()
    body = client.get(open_call.url).content.decode()
    assert "방문 가구" in body and "가구" in body
    assert "사업 기간 중 처음 방문한 가구 수" in body
