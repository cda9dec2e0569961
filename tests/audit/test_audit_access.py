"""Who reads the audit trail (city managers), who does not (everyone else), and
that no one changes it from the application."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from accounts import access
from common import audit
from competitions import services as competition_services
from competitions.models import Decision, Proposal
from tests.competitions.conftest import AFTER_DEADLINE, make_draft
from tests.factories import UserFactory

from .conftest import entries_of

A = LogEntry.Action


@pytest.fixture
def decided(bupyeong_proposal, city_manager):
    """A decision, changed once: two entries by the city manager."""
    with audit.acting_as(city_manager):
        competition_services.selection_decide(
            proposal=bupyeong_proposal,
            decision=Decision.SELECTED,
            reason="고득점",
            actor=city_manager,
            now=AFTER_DEADLINE,
        )
        competition_services.selection_decide(
            proposal=bupyeong_proposal,
            decision=Decision.NOT_SELECTED,
            reason="예산 초과",
            actor=city_manager,
            now=AFTER_DEADLINE,
        )
    return bupyeong_proposal.selection_decision


def audit_urls(entry):
    return [
        reverse("audit_index"),
        reverse("audit_index_results"),
        reverse("audit_detail", args=[entry.pk]),
    ]


def test_the_city_manager_finds_a_change_in_the_list_and_reads_it_before_and_after(
    client, city_manager, decided
):
    client.force_login(city_manager)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("audit_index") in home  # the menu item

    listing = client.get(reverse("audit_index"), {"action": A.UPDATE})
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "감사 기록" in page
    update = entries_of(decided, action=A.UPDATE)[0]
    assert reverse("audit_detail", args=[update.pk]) in page
    created = entries_of(decided, action=A.CREATE)[0]
    assert reverse("audit_detail", args=[created.pk]) not in page

    detail = client.get(reverse("audit_detail", args=[update.pk])).content.decode()
    assert "고득점" in detail and "예산 초과" in detail  # the reason, before and after
    assert "선정" in detail and "미선정" in detail  # the decision, by its Korean label
    assert "t-city" in detail or str(city_manager) in detail


def test_the_list_narrows_by_kind_actor_and_date(
    client, city_manager, decided, bupyeong_proposal, panel
):
    from django.contrib.contenttypes.models import ContentType

    reviewer = panel[0]
    client.force_login(city_manager)
    decision_type = ContentType.objects.get_for_model(type(decided)).pk
    entry = entries_of(decided)[0]
    url = reverse("audit_detail", args=[entry.pk])

    assert (
        url
        in client.get(
            reverse("audit_index"), {"content_type": decision_type}
        ).content.decode()
    )
    assert (
        url
        not in client.get(
            reverse("audit_index"), {"actor": reviewer.pk}
        ).content.decode()
    )
    assert (
        url
        in client.get(
            reverse("audit_index"), {"actor": city_manager.pk}
        ).content.decode()
    )
    today = timezone.localdate(entry.timestamp)
    in_range = {"timestamp_from": today.isoformat(), "timestamp_to": today.isoformat()}
    assert url in client.get(reverse("audit_index"), in_range).content.decode()
    later = {"timestamp_from": date(today.year + 1, 1, 1).isoformat()}
    assert url not in client.get(reverse("audit_index"), later).content.decode()
    assert (
        url
        in client.get(
            reverse("audit_index"),
            {"object": str(decided.pk), "content_type": decision_type},
        ).content.decode()
    )


@pytest.mark.parametrize(
    "user_fixture",
    ["bupyeong_officer", "bupyeong_approver", "reviewer", "seogu_officer"],
)
def test_every_other_role_is_refused_every_audit_url(
    client, request, user_fixture, decided
):
    user = request.getfixturevalue(user_fixture)
    entry = entries_of(decided)[0]
    client.force_login(user)

    for url in audit_urls(entry):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert (
        reverse("audit_index")
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    assert not access.visible_to(user, LogEntry).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, decided):
    for url in audit_urls(entries_of(decided)[0]):
        response = client.get(url)
        assert (
            response.status_code == 302
            and reverse("wagtailadmin_login") in response["Location"]
        )


def test_no_one_changes_or_deletes_the_trail_through_its_urls(
    client, city_manager, decided
):
    entry = entries_of(decided)[0]
    before = (LogEntry.objects.count(), entry.changes)
    client.force_login(city_manager)

    for url in audit_urls(entry):
        for method in (client.post, client.put, client.patch, client.delete):
            assert method(url, {"changes": "{}"}).status_code == 405, (method, url)

    entry.refresh_from_db()
    assert (LogEntry.objects.count(), entry.changes) == before


def test_a_districts_draft_is_not_shown_to_the_city_through_the_trail(
    open_call, bupyeong_officer, city_manager
):
    now = timezone.now()
    draft = make_draft(open_call, bupyeong_officer, now=now)
    draft_entries = {
        e.pk
        for e in LogEntry.objects.filter(
            additional_data__scope="proposal", additional_data__scope_id=draft.pk
        )
    }
    assert len(draft_entries) >= 4  # the proposal and its rows
    visible = set(
        access.visible_to(city_manager, LogEntry).values_list("pk", flat=True)
    )
    assert not draft_entries & visible

    competition_services.proposal_submit(
        proposal=draft, actor=bupyeong_officer, now=now, notify=False
    )

    visible = set(
        access.visible_to(city_manager, LogEntry).values_list("pk", flat=True)
    )
    assert draft_entries <= visible  # once sent, its history is the city's to read


def test_a_deleted_draft_leaves_no_visible_trail_for_the_city_but_one_for_a_superuser(
    open_call, bupyeong_officer, city_manager, orgs
):
    draft = make_draft(open_call, bupyeong_officer, now=timezone.now())
    draft_pk = draft.pk
    Proposal.objects.filter(pk=draft_pk).delete()
    trail = LogEntry.objects.filter(
        additional_data__scope="proposal", additional_data__scope_id=draft_pk
    )
    assert trail.filter(action=A.DELETE).exists()

    assert not access.visible_to(city_manager, trail).exists()
    superuser = UserFactory(
        username="t-root", organisation=orgs["ICN"], is_superuser=True
    )
    assert access.visible_to(superuser, trail).count() == trail.count()
