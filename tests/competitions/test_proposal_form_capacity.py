"""The proposal form draws less on every opening (issue 26) and shows the same:
the inlines' blank rows (what "Add" clones) are kept per call, language and
content, and a row's select reads the call's choices once per form."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.users.models import UserProfile

from competitions.models import CallTargetGroup
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
