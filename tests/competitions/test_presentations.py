"""Presentation reviews (발표 심사): a timetable without two slots at once in
one room and with a slot for every shortlisted proposal; each district sees
its own slots, each panel reviewer every slot but a tied district's; the
presentation scores are blind and combine with the document score by the
call's weight."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import access
from competitions import scoring, services
from competitions.models import PresentationReview, PresentationSlot
from competitions.selectors import call_ranking
from competitions.selectors.presentations import (
    presentation_shortlist,
    slots_for_reviewer,
)
from notifications.models import Notification

from .conftest import AFTER_DEADLINE, make_submitted, score_and_submit

SEOUL = ZoneInfo("Asia/Seoul")
TEN = datetime(2018, 10, 10, 10, 0, tzinfo=SEOUL)


def _codes(error: ValidationError) -> set[str]:
    return {
        item.code
        for items in error.error_dict.values()
        for item in items
        if hasattr(item, "code")
    }


@pytest.fixture
def presenting(call, orgs, panel, city_manager):
    """The 2018 call with a presentation review weighing 30 %; 부평구's and
    서구's proposals in the review; a session in room A at 10:00."""
    call.presentation_review = True
    call.presentation_weight_percent = 30
    call.save()
    bupyeong = make_submitted(call, orgs["BP"], title="육아코칭")
    seogu = make_submitted(call, orgs["SG"], title="검단 무빙콜")
    session = services.presentation_session_save(
        call=call, starts_at=TEN, room="회의실 A", video_link="", actor=city_manager
    )
    return {"BP": bupyeong, "SG": seogu, "session": session}


def _slot(presenting, key, minute, city_manager, *, session=None, length=20):
    return services.presentation_slot_save(
        session=session or presenting["session"],
        proposal=presenting[key],
        starts_at=TEN.replace(minute=minute),
        length_minutes=length,
        actor=city_manager,
    )


def _timetable(presenting, city_manager):
    _slot(presenting, "BP", 0, city_manager)
    _slot(presenting, "SG", 20, city_manager)
    return services.presentation_timetable_send(
        call=presenting["session"].call, actor=city_manager, notify=False
    )


def test_an_overlapping_slot_in_the_same_room_is_refused_naming_the_other(
    presenting, city_manager
):
    _slot(presenting, "BP", 0, city_manager)
    with pytest.raises(ValidationError) as refused:
        _slot(presenting, "SG", 10, city_manager)
    assert _codes(refused.value) == {"slot_overlaps"}
    assert "육아코칭" in str(refused.value)
    assert not PresentationSlot.objects.filter(proposal=presenting["SG"]).exists()


def test_the_same_time_in_another_room_is_fine(presenting, city_manager, call):
    other_room = services.presentation_session_save(
        call=call, starts_at=TEN, room="회의실 B", video_link="", actor=city_manager
    )
    _slot(presenting, "BP", 0, city_manager)
    _slot(presenting, "SG", 0, city_manager, session=other_room)
    assert PresentationSlot.objects.count() == 2


def test_back_to_back_slots_do_not_overlap(presenting, city_manager):
    _slot(presenting, "BP", 0, city_manager)
    _slot(presenting, "SG", 20, city_manager)
    assert PresentationSlot.objects.count() == 2


def test_the_timetable_is_not_sent_while_a_shortlisted_proposal_has_no_slot(
    presenting, city_manager, call
):
    _slot(presenting, "BP", 0, city_manager)
    with pytest.raises(ValidationError) as refused:
        services.presentation_timetable_send(call=call, actor=city_manager)
    assert _codes(refused.value) == {"slot_missing"}
    assert "검단 무빙콜" in str(refused.value)


def test_a_district_sees_only_its_own_slots_and_only_once_sent(
    presenting, city_manager, bupyeong_officer, seogu_officer
):
    _slot(presenting, "BP", 0, city_manager)
    _slot(presenting, "SG", 20, city_manager)
    assert not access.visible_to(bupyeong_officer, PresentationSlot).exists()
    services.presentation_timetable_send(
        call=presenting["session"].call, actor=city_manager, notify=False
    )
    mine = access.visible_to(bupyeong_officer, PresentationSlot)
    assert [slot.proposal for slot in mine] == [presenting["BP"]]
    theirs = access.visible_to(seogu_officer, PresentationSlot)
    assert [slot.proposal for slot in theirs] == [presenting["SG"]]


def test_the_sent_timetable_mails_each_district_its_own_slots(
    presenting,
    city_manager,
    bupyeong_officer,
    seogu_officer,
    django_capture_on_commit_callbacks,
):
    _slot(presenting, "BP", 0, city_manager)
    _slot(presenting, "SG", 20, city_manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.presentation_timetable_send_emails(
            call_id=presenting["session"].call_id
        )
    to_bupyeong = [m for m in mail.outbox if bupyeong_officer.email in m.to]
    assert len(to_bupyeong) == 1
    assert "육아코칭" in to_bupyeong[0].body
    assert "검단 무빙콜" not in to_bupyeong[0].body
    assert "2018-10-10 10:00" in to_bupyeong[0].body
    # A notice in the inbox too, with the link to the officer's own timetable.
    notice = Notification.objects.get(
        recipient=bupyeong_officer, kind="presentation_timetable"
    )
    assert notice.link == reverse("presentations_mine")


def test_a_tied_reviewer_neither_sees_nor_scores_the_tied_proposal(
    client, presenting, panel, city_manager
):
    _timetable(presenting, city_manager)
    tied = panel[0]  # reviewer-a works at 부평구
    seen = {slot.proposal for slot in slots_for_reviewer(reviewer=tied)}
    assert seen == {presenting["SG"]}
    bupyeong_slot = presenting["BP"].presentation_slot
    assert (
        not access.visible_to(tied, PresentationSlot)
        .filter(pk=bupyeong_slot.pk)
        .exists()
    )
    with pytest.raises(ValidationError) as refused:
        services.presentation_score_save(
            slot=bupyeong_slot, actor=tied, scores={}, submit=False
        )
    assert _codes(refused.value) == {"presentation_refused"}
    client.force_login(tied)
    url = reverse("presentations_score", args=[bupyeong_slot.pk])
    assert client.get(url).status_code == 404
    assert not PresentationReview.objects.exists()


def test_presentation_scores_are_blind(presenting, panel, city_manager, call):
    _timetable(presenting, city_manager)
    criteria = list(call.rubric_criteria.all())
    slot = presenting["SG"].presentation_slot
    services.presentation_score_save(
        slot=slot,
        actor=panel[1],
        scores={criteria[0].pk: "30", criteria[1].pk: "40"},
        submit=True,
    )
    assert not access.visible_to(panel[2], PresentationReview).exists()
    assert access.visible_to(city_manager, PresentationReview).count() == 1


def test_a_score_above_the_weight_is_refused(presenting, panel, city_manager, call):
    _timetable(presenting, city_manager)
    criteria = list(call.rubric_criteria.all())
    with pytest.raises(ValidationError) as refused:
        services.presentation_score_save(
            slot=presenting["SG"].presentation_slot,
            actor=panel[1],
            scores={criteria[0].pk: "41", criteria[1].pk: "40"},
            submit=True,
        )
    assert _codes(refused.value) == {"score_out_of_range"}


def test_combined_score_arithmetic():
    # 70 % of 75 plus 30 % of 65 is 52.5 + 19.5.
    assert scoring.combined_score(
        Decimal(75), Decimal(65), presentation_weight_percent=30
    ) == Decimal(72)
    # No presentation score counts 0 for the presentation part.
    assert scoring.combined_score(
        Decimal(80), None, presentation_weight_percent=30
    ) == Decimal(56)
    assert (
        scoring.combined_score(None, Decimal(90), presentation_weight_percent=30)
        is None
    )


def test_the_presentation_can_reverse_the_document_ranking(
    presenting, panel, city_manager, call
):
    reviewers = panel[1:3]
    # Documents: 서구 80 (40+40, 40+40), 부평구 75 (30+50, 30+40).
    for key, rows in (("SG", [[40, 40], [40, 40]]), ("BP", [[30, 50], [30, 40]])):
        for reviewer, row in zip(reviewers, rows, strict=True):
            assignment = services.assignment_create(
                proposal=presenting[key], reviewer=reviewer, actor=city_manager
            )
            score_and_submit(assignment, row)
    _timetable(presenting, city_manager)
    criteria = list(call.rubric_criteria.all())
    # Presentations: 서구 40 (20+20 twice), 부평구 65 (20+40 and 30+40).
    for key, rows in (("SG", [[20, 20], [20, 20]]), ("BP", [[20, 40], [30, 40]])):
        for reviewer, row in zip(reviewers, rows, strict=True):
            services.presentation_score_save(
                slot=presenting[key].presentation_slot,
                actor=reviewer,
                scores={c.pk: value for c, value in zip(criteria, row, strict=True)},
                submit=True,
                now=AFTER_DEADLINE,
            )
    ranking = call_ranking(call=call)
    assert [line.proposal for line in ranking] == [presenting["BP"], presenting["SG"]]
    by_key = {line.proposal.pk: line for line in ranking}
    assert by_key[presenting["BP"].pk].score == Decimal(72)  # 75×0.7 + 65×0.3
    assert by_key[presenting["SG"].pk].score == Decimal(68)  # 80×0.7 + 40×0.3
    assert all(line.fully_reviewed for line in ranking)
    document_only = call_ranking(call=call, with_presentation=False)
    assert [line.proposal for line in document_only] == [
        presenting["SG"],
        presenting["BP"],
    ]


def test_a_slot_waiting_for_its_presentation_score_is_not_fully_reviewed(
    presenting, panel, city_manager
):
    assignment = services.assignment_create(
        proposal=presenting["SG"], reviewer=panel[1], actor=city_manager
    )
    score_and_submit(assignment, [40, 40])
    _slot(presenting, "SG", 0, city_manager)
    line = next(
        line
        for line in call_ranking(call=presenting["session"].call)
        if line.proposal == presenting["SG"]
    )
    assert not line.fully_reviewed


def test_the_shortlist_is_the_best_of_the_document_review(
    presenting, panel, city_manager, call
):
    call.presentation_shortlist_size = 1
    call.save()
    for key, row in (("SG", [40, 40]), ("BP", [20, 20])):
        assignment = services.assignment_create(
            proposal=presenting[key], reviewer=panel[1], actor=city_manager
        )
        score_and_submit(assignment, row)
    assert presentation_shortlist(call=call) == [presenting["SG"]]
    _slot(presenting, "SG", 0, city_manager)
    services.presentation_timetable_send(call=call, actor=city_manager, notify=False)


def test_the_district_screen_lists_its_own_slots_only(
    client, presenting, city_manager, seogu_officer
):
    _timetable(presenting, city_manager)
    client.force_login(seogu_officer)
    page = client.get(reverse("presentations_mine")).content.decode()
    assert "검단 무빙콜" in page
    assert "육아코칭" not in page
    assert "2018-10-10 10:20" in page  # Seoul time


def test_the_city_timetable_screen_shows_the_missing_slot_and_refuses_an_overlap(
    client, presenting, city_manager, call
):
    _slot(presenting, "BP", 0, city_manager)
    client.force_login(city_manager)
    url = reverse("review_presentations", args=[call.pk])
    page = client.get(url).content.decode()
    assert "검단 무빙콜" in page and "data-timetable-errors" in page
    response = client.post(
        url,
        {
            "action": "save_slot",
            "session": presenting["session"].pk,
            "proposal": presenting["SG"].pk,
            "slot_starts_at": "2018-10-10T10:05",
            "length_minutes": "20",
        },
    )
    assert response.status_code == 200  # the form comes back with what was typed
    assert 'value="2018-10-10T10:05"' in response.content.decode()
    assert not PresentationSlot.objects.filter(proposal=presenting["SG"]).exists()
