"""The reviewer pool and the recorded random draw of a call's panel (평가위원 풀
추첨): tied members are never drawn, the draw is recorded (seed, eligible list,
exclusions, order, drawn) in its own record and in the audit trail, it
recomputes from that record, a member who declines is replaced by the next in
the recorded order, and only city managers draw or keep the pool."""

import hashlib
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from competitions import services
from competitions.models import (
    ExpertiseField,
    ResultsPublication,
    ReviewerDraw,
    ReviewerDrawDecline,
    ReviewerPanelMember,
    ReviewerPoolMember,
    ReviewerTie,
)
from competitions.services.draw import draw_order, draw_recompute, draw_verifies

from .conftest import AFTER_DEADLINE, BEFORE_DEADLINE, make_reviewer


def _code(error: ValidationError) -> set[str]:
    return {e.code for errors in error.error_dict.values() for e in errors}


def _add_to_pool(city_manager, reviewer, *, expertise=(), ties=()):
    return services.pool_member_save(
        actor=city_manager,
        member=ReviewerPoolMember(reviewer=reviewer),
        expertise=list(expertise),
        new_ties=list(ties),
        now=BEFORE_DEADLINE,
    )


@pytest.fixture
def fields(db):
    return {
        code: ExpertiseField.objects.create(code=code, name_ko=ko, name_en=en)
        for code, ko, en in [
            ("employment", "일자리·고용", "Jobs and employment"),
            ("welfare", "사회복지", "Social welfare"),
        ]
    }


@pytest.fixture
def pool(orgs, city_manager, fields, bupyeong_proposal, seogu_proposal):
    """Seven pool members for the 2018 call, where Bupyeong-gu and Seo-gu sent
    proposals: one works for Bupyeong-gu, one declared a tie with Seo-gu, one
    with Yeonsu-gu (eligible, but it sent nothing), four are free."""
    people = {
        "bp-employee": make_reviewer(orgs, "pool-bp", "BP"),
        "seogu-tied": make_reviewer(orgs, "pool-sg-tie"),
        "yeonsu-tied": make_reviewer(orgs, "pool-ys-tie"),
        "free-1": make_reviewer(orgs, "pool-free-1"),
        "free-2": make_reviewer(orgs, "pool-free-2", "ICN"),
        "free-3": make_reviewer(orgs, "pool-free-3"),
        "free-4": make_reviewer(orgs, "pool-free-4"),
    }
    ties = {"seogu-tied": [orgs["SG"]], "yeonsu-tied": [orgs["YS"]]}
    expertise = {
        "free-1": [fields["employment"]],
        "free-2": [fields["employment"], fields["welfare"]],
        "yeonsu-tied": [fields["welfare"]],
    }
    for key, reviewer in people.items():
        _add_to_pool(
            city_manager,
            reviewer,
            expertise=expertise.get(key, ()),
            ties=ties.get(key, ()),
        )
    return people


def _draw(call, city_manager, requested, *, now=AFTER_DEADLINE, **options):
    return services.panel_draw(
        call=call, requested=requested, actor=city_manager, now=now, **options
    )


# --- who can be drawn --------------------------------------------------------------


def test_members_tied_to_a_proposing_district_are_never_drawn_and_the_reason_is_kept(
    call, city_manager, pool, orgs
):
    draw = _draw(call, city_manager, 5)

    ids = {key: reviewer.pk for key, reviewer in pool.items()}
    # After the deadline only Bupyeong-gu and Seo-gu compete: a tie with
    # Yeonsu-gu, which sent nothing, excludes nobody.
    assert draw.competing_districts == ["BP", "SG"]
    assert draw.eligible == sorted(
        ids[key] for key in ("yeonsu-tied", "free-1", "free-2", "free-3", "free-4")
    )
    assert set(draw.drawn) == set(draw.eligible)
    excluded = {entry["reviewer"]: entry for entry in draw.excluded}
    assert set(excluded) == {ids["bp-employee"], ids["seogu-tied"]}
    assert excluded[ids["bp-employee"]]["reason"] == "tied"
    assert [d["code"] for d in excluded[ids["bp-employee"]]["districts"]] == ["BP"]
    assert [d["code"] for d in excluded[ids["seogu-tied"]]["districts"]] == ["SG"]


def test_before_the_deadline_a_tie_with_any_eligible_district_excludes(
    call, city_manager, pool
):
    draw = _draw(call, city_manager, 2, now=BEFORE_DEADLINE)

    excluded = {entry["reviewer"]: entry["reason"] for entry in draw.excluded}
    assert excluded[pool["yeonsu-tied"].pk] == "tied"
    assert pool["yeonsu-tied"].pk not in draw.order


def test_required_fields_of_expertise_narrow_the_draw(call, city_manager, pool, fields):
    draw = _draw(call, city_manager, 2, required_expertise=[fields["employment"]])

    assert sorted(draw.drawn) == sorted([pool["free-1"].pk, pool["free-2"].pk])
    reasons = {entry["reviewer"]: entry["reason"] for entry in draw.excluded}
    assert reasons[pool["free-3"].pk] == "expertise"
    assert reasons[pool["yeonsu-tied"].pk] == "expertise"
    assert draw.required_expertise == ["employment"]


def test_unavailable_members_and_those_on_the_panel_are_not_drawn_again(
    call, city_manager, pool
):
    member = ReviewerPoolMember.objects.get(reviewer=pool["free-4"])
    member.available = False
    member.save()
    first = _draw(call, city_manager, 2)
    second = _draw(call, city_manager, 2)

    assert not set(first.drawn) & set(second.drawn)
    reasons = {entry["reviewer"]: entry["reason"] for entry in second.excluded}
    assert reasons[pool["free-4"].pk] == "unavailable"
    assert all(reasons[pk] == "on_panel" for pk in first.drawn)


def test_asking_for_more_members_than_can_be_drawn_is_refused_and_nothing_is_recorded(
    call, city_manager, pool
):
    with pytest.raises(ValidationError) as refused:
        _draw(call, city_manager, 6)

    assert _code(refused.value) == {"too_few_eligible"}
    assert not ReviewerDraw.objects.exists()
    assert not ReviewerPanelMember.objects.filter(call=call).exists()


def test_drawn_members_join_the_panel_through_its_rules(
    call, city_manager, pool, bupyeong_proposal
):
    draw = _draw(call, city_manager, 3)

    panel = set(
        ReviewerPanelMember.objects.filter(call=call).values_list(
            "reviewer_id", flat=True
        )
    )
    assert panel == set(draw.drawn)
    result = services.assignments_auto(call=call, actor=city_manager)
    assert {a.reviewer_id for a in result.created} <= set(draw.drawn)


# --- the record -------------------------------------------------------------------


def test_the_draw_recomputes_from_its_recorded_seed_and_eligible_list(
    call, city_manager, pool
):
    draw = _draw(call, city_manager, 2)
    draw = ReviewerDraw.objects.get(pk=draw.pk)

    assert draw_recompute(draw) == draw.drawn
    assert draw_order(seed=draw.seed, eligible=draw.eligible) == draw.order
    # The documented rule, computed independently: SHA-256 of "seed:id", ascending.
    by_hand = sorted(
        draw.eligible,
        key=lambda pk: hashlib.sha256(f"{draw.seed}:{pk}".encode()).hexdigest(),
    )
    assert by_hand[: draw.requested] == draw.drawn
    assert draw_verifies(draw)
    draw.drawn = list(reversed(draw.order))[: draw.requested]
    assert not draw_verifies(draw)


def test_the_seed_comes_from_secrets(call, city_manager, pool, monkeypatch):
    from competitions.services import draw as draw_module

    monkeypatch.setattr(draw_module.secrets, "token_hex", lambda size: "f00d" * 16)
    draw = _draw(call, city_manager, 2)

    assert draw.seed == "f00d" * 16
    assert draw.drawn == draw_order(seed="f00d" * 16, eligible=draw.eligible)[:2]


def test_the_audit_trail_holds_the_seed_and_lists_and_the_draw_recomputes_from_it(
    call, city_manager, pool
):
    from auditlog.models import LogEntry

    draw = _draw(call, city_manager, 2)
    entry = LogEntry.objects.get_for_object(draw).get(action=LogEntry.Action.CREATE)

    def recorded(field):
        value = entry.changes_dict[field][1]
        return (
            json.loads(value) if isinstance(value, str) and field != "seed" else value
        )

    assert recorded("seed") == draw.seed
    assert recorded("eligible") == draw.eligible
    assert recorded("drawn") == draw.drawn
    assert {e["reviewer"] for e in recorded("excluded")} == {
        e["reviewer"] for e in draw.excluded
    }
    assert (
        draw_order(seed=recorded("seed"), eligible=recorded("eligible"))[:2]
        == draw.drawn
    )


# --- declines ----------------------------------------------------------------------


def test_a_member_who_declines_is_replaced_by_the_next_in_the_recorded_order(
    call, city_manager, pool
):
    draw = _draw(call, city_manager, 2)
    first, second, third, fourth = draw.order[:4]
    users = {reviewer.pk: reviewer for reviewer in pool.values()}

    decline = services.draw_decline(
        draw=draw, reviewer=users[first], reason="해외 출장", actor=city_manager
    )
    assert decline.replacement_id == third
    assert decline.reason == "해외 출장"
    again = services.draw_decline(
        draw=draw, reviewer=users[third], reason="일정 중복", actor=city_manager
    )
    assert again.replacement_id == fourth

    panel = set(
        ReviewerPanelMember.objects.filter(call=call).values_list(
            "reviewer_id", flat=True
        )
    )
    assert panel == {second, fourth}
    assert services.draw_members(draw) == [second, fourth]
    # The record of the draw itself is unchanged: it still recomputes.
    draw.refresh_from_db()
    assert draw_verifies(draw)


def test_a_reserve_who_cannot_serve_now_is_passed_over_with_the_reason(
    call, city_manager, pool, orgs
):
    draw = _draw(call, city_manager, 1)
    drawn, next_in_order, after_that = draw.order[:3]
    users = {reviewer.pk: reviewer for reviewer in pool.values()}
    services.tie_declare(
        reviewer=users[next_in_order],
        organisation=orgs["BP"],
        actor=city_manager,
        notify=False,
    )

    decline = services.draw_decline(
        draw=draw, reviewer=users[drawn], reason="건강 문제", actor=city_manager
    )

    assert decline.replacement_id == after_that
    assert [(e["reviewer"], e["reason"]) for e in decline.skipped] == [
        (next_in_order, "tied")
    ]


def test_with_no_reserve_left_the_decline_is_recorded_without_a_replacement(
    call, city_manager, pool
):
    draw = _draw(call, city_manager, 5)
    decline = services.draw_decline(
        draw=draw,
        reviewer=ReviewerPanelMember.objects.filter(call=call).first().reviewer,
        reason="사임",
        actor=city_manager,
    )

    assert decline.replacement is None
    assert ReviewerPanelMember.objects.filter(call=call).count() == 4


def test_a_decline_needs_a_reason_and_a_member_serving_through_the_draw(
    call, city_manager, pool
):
    draw = _draw(call, city_manager, 1)
    drawn = ReviewerPanelMember.objects.get(call=call).reviewer
    reserve = next(r for r in pool.values() if r.pk == draw.order[1])

    with pytest.raises(ValidationError) as no_reason:
        services.draw_decline(draw=draw, reviewer=drawn, reason=" ", actor=city_manager)
    with pytest.raises(ValidationError) as not_drawn:
        services.draw_decline(
            draw=draw, reviewer=reserve, reason="사유", actor=city_manager
        )

    assert _code(no_reason.value) == {"reason_required"}
    assert _code(not_drawn.value) == {"not_drawn"}
    assert not ReviewerDrawDecline.objects.exists()
    assert ReviewerPanelMember.objects.filter(call=call, reviewer=drawn).exists()


def test_no_draw_and_no_decline_once_the_results_are_published(
    call, city_manager, pool
):
    draw = _draw(call, city_manager, 1)
    ResultsPublication.objects.create(
        call=call, published_at=AFTER_DEADLINE, published_by=city_manager
    )
    drawn = ReviewerPanelMember.objects.get(call=call).reviewer

    with pytest.raises(ValidationError) as draw_refused:
        _draw(call, city_manager, 1)
    with pytest.raises(ValidationError) as decline_refused:
        services.draw_decline(
            draw=draw, reviewer=drawn, reason="사유", actor=city_manager
        )

    assert _code(draw_refused.value) == {"results_published"}
    assert _code(decline_refused.value) == {"results_published"}


# --- who may ------------------------------------------------------------------------


def test_only_city_managers_draw_record_declines_or_keep_the_pool(
    call, city_manager, pool, orgs, bupyeong_officer
):
    reviewer = make_reviewer(orgs, "someone")
    draw = _draw(call, city_manager, 1)
    drawn = ReviewerPanelMember.objects.get(call=call).reviewer

    for actor in (pool["free-1"], bupyeong_officer):
        with pytest.raises(ValidationError) as refused:
            _draw(call, actor, 1)
        assert _code(refused.value) == {"not_city_manager"}
        with pytest.raises(ValidationError) as refused:
            services.draw_decline(draw=draw, reviewer=drawn, reason="사유", actor=actor)
        assert _code(refused.value) == {"not_city_manager"}
        with pytest.raises(ValidationError) as refused:
            services.pool_member_save(
                actor=actor, member=ReviewerPoolMember(reviewer=reviewer), expertise=[]
            )
        assert _code(refused.value) == {"not_city_manager"}

    assert ReviewerDraw.objects.count() == 1
    assert not ReviewerDrawDecline.objects.exists()
    assert not ReviewerPoolMember.objects.filter(reviewer=reviewer).exists()


def test_the_draw_screen_is_the_city_managers_and_draws_through_the_service(
    client, call, city_manager, pool, bupyeong_officer
):
    url = reverse("review_draw", args=[call.pk])
    for person in (pool["free-1"], bupyeong_officer):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "draw", "requested": 1}).status_code == 404
    assert not ReviewerDraw.objects.exists()

    client.force_login(city_manager)
    response = client.post(url, {"action": "draw", "requested": 2})
    assert response.status_code == 302
    draw = ReviewerDraw.objects.get()
    page = client.get(url).content.decode()
    assert draw.seed in page
    assert 'data-verifies="yes"' in page
    assert "부평구" in page  # why pool-bp was not drawn


def test_a_refused_draw_keeps_what_was_typed(client, call, city_manager, pool):
    client.force_login(city_manager)
    response = client.post(
        reverse("review_draw", args=[call.pk]), {"action": "draw", "requested": 9}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="9"' in page  # the number typed stays in the form
    assert "error-message" in page  # with the reason next to it
    assert not ReviewerDraw.objects.exists()


def test_a_decline_is_recorded_on_the_draw_screen(client, call, city_manager, pool):
    draw = _draw(call, city_manager, 1)
    drawn = draw.drawn[0]
    client.force_login(city_manager)

    client.post(
        reverse("review_draw", args=[call.pk]),
        {"action": "decline", "draw": draw.pk, "reviewer": drawn, "reason": "출장"},
    )

    decline = ReviewerDrawDecline.objects.get()
    assert (decline.reviewer_id, decline.replacement_id) == (drawn, draw.order[1])


def test_the_pool_screens_are_the_city_managers(
    client, city_manager, orgs, fields, bupyeong_officer
):
    newcomer = make_reviewer(orgs, "newcomer")
    add_url = reverse("reviewer_pool:add")
    data = {
        "reviewer": newcomer.pk,
        "expertise": [fields["welfare"].pk],
        "available": "on",
        "note": "",
        "new_ties": [orgs["GY"].pk],
        "tie_note": "계양구 자문위원",
    }
    for person in (newcomer, bupyeong_officer):
        client.force_login(person)
        assert client.get(reverse("reviewer_pool:index")).status_code in (302, 403)
        client.post(add_url, data)
    assert not ReviewerPoolMember.objects.exists()

    client.force_login(city_manager)
    assert client.get(reverse("reviewer_pool:index")).status_code == 200
    response = client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    member = ReviewerPoolMember.objects.get(reviewer=newcomer)
    assert list(member.expertise.all()) == [fields["welfare"]]
    tie = ReviewerTie.objects.get(reviewer=newcomer)
    assert (tie.organisation, tie.note) == (orgs["GY"], "계양구 자문위원")
    listing = client.get(
        reverse("reviewer_pool:index"), {"expertise": fields["welfare"].pk}
    )
    assert "newcomer" in listing.content.decode()
