"""The ranking screen holds the whole decision (issue 21, "Screens that fit the
decision"): each line's rank, title, district, score (its trimming and bonus
explained), amount, running total against the budget, decision and reason; the
criterion scores on demand; and decision buttons that say what they do."""

import re

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from competitions.models import Decision, SelectionDecision

from .test_results_publish import reviewed  # noqa: F401


def _ranking(client, call) -> str:
    return client.get(reverse("review_ranking", args=[call.pk])).content.decode()


def _row(page: str, proposal) -> str:
    match = re.search(
        rf'<tr data-proposal="{proposal.pk}".*?</tr>', page, flags=re.DOTALL
    )
    assert match, f"no row for proposal {proposal.pk}"
    return match.group(0)


def _buttons(row: str) -> list[str]:
    return [
        label.strip()
        for label in re.findall(r"<button[^>]*data-decide=[^>]*>([^<]*)</button>", row)
    ]


def test_the_decision_buttons_say_what_they_do_in_the_readers_language(
    client,
    call,
    reviewed,
    city_manager,  # noqa: F811
):
    client.force_login(city_manager)
    page = _ranking(client, call)
    row = _row(page, reviewed["SG"])
    assert _buttons(row) == ["선정", "미선정"]
    # The old "Record" button was translated as "대상" (an audit term).
    assert "대상" not in row

    profile = UserProfile.get_for_user(city_manager)
    profile.preferred_language = "en"
    profile.save()
    row = _row(_ranking(client, call), reviewed["SG"])
    assert _buttons(row) == ["Select", "Do not select"]


def test_a_decision_button_records_its_decision_with_the_reason_typed_beside_it(
    client,
    call,
    reviewed,
    city_manager,  # noqa: F811
):
    client.force_login(city_manager)
    url = reverse("review_ranking", args=[call.pk])
    row = _row(_ranking(client, call), reviewed["BP"])
    # The reason is typed in its own column but sent with the row's buttons.
    form_id = re.search(r'<form method="post" id="(decide-\d+)"', row).group(1)
    assert re.search(rf'<textarea name="reason" form="{form_id}"[^>]*required', row)

    client.post(
        url,
        {
            "action": "decide",
            "proposal": reviewed["BP"].pk,
            "decision": Decision.NOT_SELECTED,
            "reason": "사업 계획의 구체성 부족",
        },
    )
    decision = SelectionDecision.objects.get(proposal=reviewed["BP"])
    assert decision.decision == Decision.NOT_SELECTED
    assert decision.reason == "사업 계획의 구체성 부족"
    row = _row(_ranking(client, call), reviewed["BP"])
    assert 'data-decision="not_selected"' in row
    assert "사업 계획의 구체성 부족" in row
    assert re.search(r'aria-pressed="true"[^>]*>\s*미선정', row) or re.search(
        r'value="not_selected"[^>]*aria-pressed="true"', row
    )


def test_each_line_reads_against_the_budget_and_shows_criteria_on_demand(
    client,
    call,
    reviewed,
    city_manager,  # noqa: F811
):
    from competitions import services

    services.selection_decide(
        proposal=reviewed["SG"],
        decision=Decision.SELECTED,
        reason="1위, 예산 범위 내",
        actor=city_manager,
    )
    client.force_login(city_manager)
    page = _ranking(client, call)
    row = _row(page, reviewed["SG"])
    assert "검단 무빙콜" in row and "서구" in row
    # 70,000,000 of the 1,000,000,000 budget: 7%, with separators.
    assert 'data-running-total="70000000"' in row
    assert "70,000,000" in row and "7%" in row
    details = re.search(r"<details data-criteria>.*?</details>", row, re.DOTALL)
    assert details, "criterion scores are on demand"
    for criterion in call.rubric_criteria.all():
        assert criterion.name in details.group(0)
    # Fits: a fixed table layout and Korean words kept whole.
    assert "fit-table" in page and "css/admin-screens.css" in page


@pytest.mark.parametrize("who", ["bupyeong_officer", "reviewer"])
def test_nobody_but_the_city_opens_the_ranking(
    client,
    call,
    reviewed,
    who,
    request,  # noqa: F811
):
    user = (
        request.getfixturevalue("bupyeong_officer")
        if who == "bupyeong_officer"
        else request.getfixturevalue("panel")[1]
    )
    client.force_login(user)
    response = client.get(reverse("review_ranking", args=[call.pk]))
    assert response.status_code in (403, 404)
    response = client.post(
        reverse("review_ranking", args=[call.pk]),
        {
            "action": "decide",
            "proposal": reviewed["SG"].pk,
            "decision": Decision.SELECTED,
            "reason": "x",
        },
    )
    assert response.status_code in (302, 403, 404)
    assert not SelectionDecision.objects.exists()


def test_no_template_comment_leaks_into_the_ranking(
    client,
    call,
    reviewed,
    city_manager,  # noqa: F811
):
    client.force_login(city_manager)
    page = _ranking(client, call)
    assert "{#" not in page and "#}" not in page
    # The table is not swallowed by a stray element before it.
    assert page.index("data-ranking") < page.index("data-criteria")
    assert page.count("<details") == page.count("</details>")
