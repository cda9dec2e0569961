"""The proposal form draws less on every opening (issue 26) and shows the same:
the inlines' blank rows (what "Add" clones) are kept per call, language and
content, and a row's select reads the call's choices once per form."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.users.models import UserProfile

from competitions.models import CallTargetGroup, Proposal
from competitions.panels import blank_rows
from tests.competitions.conftest import make_draft


@pytest.fixture(autouse=True)
def _no_kept_rows():
    blank_rows.clear()
    yield
    blank_rows.clear()


def _blank_row(html: str, prefix: str) -> str:
    return re.search(
        rf'<template id="id_{prefix}-EMPTY_FORM_TEMPLATE">(.*?)</template>',
        html,
        re.S,
    ).group(1)


def _open(client, proposal) -> str:
    response = client.get(reverse("proposals:edit", args=[proposal.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_blank_rows_are_drawn_once_and_read_the_same_afterwards(
    client, open_call, bupyeong_officer
):
    draft = make_draft(open_call, bupyeong_officer, now=None)
    client.force_login(bupyeong_officer)
    first = _open(client, draft)
    kept = len(blank_rows._items)
    second = _open(client, draft)

    assert kept == 4  # target groups, outputs, budget lines, attachments
    assert len(blank_rows._items) == kept  # reused, not drawn again
    for prefix in ("target_groups", "outputs", "budget_lines", "attachments"):
        assert _blank_row(second, prefix) == _blank_row(first, prefix)
        assert f"{prefix}-__prefix__-" in _blank_row(second, prefix)


def test_a_target_group_added_to_the_call_shows_in_the_add_row_at_once(
    client, open_call, bupyeong_officer
):
    draft = make_draft(open_call, bupyeong_officer, now=None)
    client.force_login(bupyeong_officer)
    _open(client, draft)
    CallTargetGroup.objects.create(
        page=open_call, code="youth-new", name_ko="청년 신규", name_en="New youth"
    )

    blank = _blank_row(_open(client, draft), "target_groups")

    assert "청년 신규" in blank


def test_the_add_rows_speak_the_readers_language(client, open_call, bupyeong_officer):
    draft = make_draft(open_call, bupyeong_officer, now=None)
    profile = UserProfile.get_for_user(bupyeong_officer)
    profile.preferred_language = "ko"
    profile.save()
    client.force_login(bupyeong_officer)
    korean = _blank_row(_open(client, draft), "budget_lines")
    profile.preferred_language = "en"
    profile.save()

    english = _blank_row(_open(client, draft), "budget_lines")

    assert korean != english


def test_each_rows_select_reads_the_calls_choices_once_per_form(
    client, open_call, bupyeong_officer
):
    draft = make_draft(open_call, bupyeong_officer, now=None)
    client.force_login(bupyeong_officer)
    with CaptureQueriesContext(connection) as captured:
        html = _open(client, draft)
    group_queries = [
        q for q in captured if 'FROM "competitions_calltargetgroup"' in q["sql"]
    ]

    # The draft's row and the blank row both offer every target group of the call.
    offered = CallTargetGroup.objects.filter(page=open_call).count()
    assert html.count('name="target_groups-0-target_group"') == 1
    row = re.search(
        r'<select name="target_groups-0-target_group".*?</select>', html, re.S
    ).group(0)
    assert row.count("<option") == offered + 1  # and the empty choice
    assert len(group_queries) == 1


EDIT_HANDLER = re.compile(
    r'<script id="w-edit-handler-data" type="application/json">(.*?)</script>', re.S
)


def test_the_forms_description_for_the_scripts_is_kept_and_the_same(
    client, open_call, bupyeong_officer, seogu_officer
):
    from competitions.panels import _packs

    _packs.clear()
    draft = make_draft(open_call, bupyeong_officer, now=None)
    client.force_login(bupyeong_officer)
    drawn = EDIT_HANDLER.search(_open(client, draft)).group(1)
    other = make_draft(open_call, seogu_officer, now=None)
    client.force_login(seogu_officer)
    kept = EDIT_HANDLER.search(_open(client, other)).group(1)

    assert len(_packs._items) == 1  # one form, one language: packed once
    assert kept == drawn  # no value and no row of either proposal in it
    assert "summary" in kept and "__NAME__" in kept
    assert draft.summary not in kept


def _saved_lines(client, call, proposal, lines: list[tuple[str, int]]):
    """Save the draft with ``lines`` as its budget lines, every row it has
    kept (their ids posted back, as the page holds them) first; the queries
    the save sent."""
    from tests.competitions.test_admin_flow import proposal_post_data

    data = proposal_post_data(call, lines=lines)
    for prefix in ("target_groups", "outputs", "budget_lines"):
        kept = list(getattr(proposal, prefix).order_by("sort_order"))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(kept))
        for index, row in enumerate(kept):
            data[f"{prefix}-{index}-id"] = str(row.pk)
    data["action-save"] = "save"
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("proposals:edit", args=[proposal.pk]), data)
    form = response.context and response.context.get("form")
    assert response.status_code == 302, form and (
        form.errors,
        {name: (f.errors, f.non_form_errors()) for name, f in form.formsets.items()},
    )
    return queries


def test_a_save_does_not_look_each_kept_row_up_again(
    client, open_call, bupyeong_officer
):
    """A row's hidden id is found among the rows the form read, not by a
    query of its own."""
    from tests.competitions.test_admin_flow import proposal_post_data

    client.force_login(bupyeong_officer)
    data = {**proposal_post_data(open_call, lines=[]), "action-save": "save"}
    client.post(f"{reverse('proposals:add')}?call={open_call.pk}", data)
    proposal = Proposal.objects.get(created_by=bupyeong_officer)
    eight = [(f"항목 {n}", 1_000_000 * (n + 1)) for n in range(8)]
    _saved_lines(client, open_call, proposal, eight)  # eight rows kept now

    queries = _saved_lines(client, open_call, proposal, eight)

    # Each row is read by itself once: by the audit log, before modelcluster
    # saves it again (it saves every row of a relation); the id field used
    # to read each one too.
    by_id = 'WHERE "competitions_proposalbudgetline"."id" ='
    one_by_one = [
        q["sql"] for q in queries if q["sql"].startswith("SELECT") and by_id in q["sql"]
    ]
    assert len(one_by_one) == len(eight)
    # Every row was kept, none added or lost.
    assert [
        (line.category, line.amount)
        for line in proposal.budget_lines.order_by("sort_order")
    ] == eight
