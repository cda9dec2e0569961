"""The proposal form never throws away what the officer typed, and a refused
submission shows every problem at once (issue 18)."""

import re

from django.urls import reverse

from competitions.models import Proposal, ProposalStatus
from tests.competitions.conftest import make_draft
from tests.competitions.test_admin_flow import _formset, proposal_post_data
from tests.indicators import catalogue_indicator


def _edit_form_data(proposal, **changes):
    data = proposal_post_data(proposal.call)
    data.update(changes)
    return data


def test_the_status_panel_submit_button_sends_the_form_on_screen(
    client, open_call, bupyeong_officer
):
    draft = make_draft(
        open_call, bupyeong_officer, now=None, complete=False, title="초안"
    )
    client.force_login(bupyeong_officer)
    page = client.get(reverse("proposals:edit", args=[draft.pk])).content.decode()

    button = re.search(r"<button[^>]*data-proposal-action=\"submit\"[^>]*>", page)
    assert button, "no submit button in the status panel"
    assert 'form="w-editor-form"' in button.group(0)
    assert 'name="action-submit"' in button.group(0)
    assert 'id="w-editor-form"' in page
    # It is not a form of its own that would post the last saved version.
    transition_url = reverse("proposals:transition", args=[draft.pk, "submit"])
    assert transition_url not in page


def test_submitting_from_the_edit_form_saves_what_was_typed_and_submits_it(
    client, open_call, bupyeong_officer
):
    draft = make_draft(
        open_call, bupyeong_officer, now=None, complete=False, title="초안"
    )
    client.force_login(bupyeong_officer)
    data = _edit_form_data(draft, title="방금 입력한 사업명")
    data["action-submit"] = "submit"

    response = client.post(reverse("proposals:edit", args=[draft.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.status == ProposalStatus.SUBMITTED
    assert draft.title == "방금 입력한 사업명"
    assert draft.target_groups.get().planned_jobs == 27


def test_a_refused_submission_shows_row_errors_and_every_rule_together(
    client, open_call, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    data = proposal_post_data(
        open_call,
        city=200_000_000,
        district=100_000_000,
        lines=[("인건비", 100_000_000)],
    )
    # A row error the form itself finds: a target that is not a number.
    data.update(
        _formset(
            "outputs",
            [
                {
                    "indicator": str(catalogue_indicator("households").pk),
                    "target": "구백",
                }
            ],
        )
    )
    data["summary"] = ""
    data["action-submit"] = "submit"

    response = client.post(f"{reverse('proposals:add')}?call={open_call.pk}", data)

    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="구백"' in body  # what was typed is still in the form
    assert "사업당 한도" in body  # cap
    assert "비율이어야 합니다" in body  # ratio
    assert "세부 항목의 합계 100,000,000원" in body  # line items
    assert "사업 개요를 입력해야" in body  # a required field
    assert body.count("error-message") >= 1  # and the row's own error
    assert not Proposal.objects.exists()


def test_a_figure_the_form_refused_is_not_judged_by_its_old_value(
    client, open_call, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    data = proposal_post_data(open_call)
    data["city_share"] = "육천만"
    data["action-submit"] = "submit"

    body = client.post(
        f"{reverse('proposals:add')}?call={open_call.pk}", data
    ).content.decode()

    assert "비율이어야 합니다" not in body
    assert "세부 항목의 합계" not in body
    assert not Proposal.objects.exists()


def test_a_wrong_row_and_a_wrong_file_are_reported_in_the_same_round(
    client, open_call, bupyeong_officer
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(bupyeong_officer)
    data = proposal_post_data(open_call)
    data.update(
        _formset(
            "outputs",
            [{"indicator": str(catalogue_indicator("households").pk), "target": ""}],
        )
    )
    data.update(_formset("attachments", [{"title": "계획서"}]))
    data["attachments-0-file"] = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf")
    data["action-save"] = "save"

    body = client.post(
        f"{reverse('proposals:add')}?call={open_call.pk}", data
    ).content.decode()

    assert "plan.pdf" in body and "PDF" in body  # the file's error
    assert 'id="id_outputs-0-target"' in body
    assert "방문 가구 지표에는 목표가 필요합니다" in body  # the row says what to do
    assert body.count('class="error-message"') >= 2
    assert not Proposal.objects.exists()
