"""Results pages are made only by the publication service: every door of
Wagtail's page editor (create, edit and publish, copy, move, unpublish, delete,
bulk actions) and every publication outside the service (a stored revision, a
workflow or a schedule) is refused, for superusers too."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from competitions import services
from competitions.models import CallPage, CallResultsPage, Decision

from .conftest import make_submitted


@pytest.fixture
def superuser(orgs):
    from tests.factories import UserFactory

    return UserFactory(
        username="t-super", organisation=orgs["ICN"], is_superuser=True, is_staff=True
    )


@pytest.fixture
def editor(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def results_page(call, orgs, city_manager):
    proposal = make_submitted(call, orgs["SG"], title="검단 무빙콜")
    services.selection_decide(
        proposal=proposal, decision=Decision.SELECTED, reason="선정", actor=city_manager
    )
    return services.results_publish(call=call, actor=city_manager, notify=False)


def _unchanged(page, title):
    page = CallResultsPage.objects.get(pk=page.pk)
    assert page.title == title and page.live
    assert CallResultsPage.objects.count() == 1
    return page


def test_the_page_editor_offers_and_accepts_no_results_page_under_a_call_in_review(
    editor, call
):
    assert CallResultsPage not in call.creatable_subpage_models()
    url = reverse(
        "wagtailadmin_pages:add", args=["competitions", "callresultspage", call.pk]
    )
    response = editor.post(
        url, {"title": "가짜 결과", "slug": "results", "action-publish": "1"}
    )
    assert response.status_code in (302, 403)
    assert not CallResultsPage.objects.exists()


def test_an_existing_results_page_cannot_be_edited_or_published_in_the_editor(
    editor, results_page
):
    url = reverse("wagtailadmin_pages:edit", args=[results_page.pk])
    assert editor.get(url).status_code in (302, 403)
    response = editor.post(
        url, {"title": "조작된 결과", "slug": "results", "action-publish": "1"}
    )
    assert response.status_code in (302, 403)
    _unchanged(results_page, results_page.title)


def test_a_results_page_cannot_be_copied_moved_unpublished_or_deleted(
    editor, results_page, call
):
    title = results_page.title
    copy = reverse("wagtailadmin_pages:copy", args=[results_page.pk])
    editor.post(
        copy,
        {
            "new_title": "사본",
            "new_slug": "results-copy",
            "new_parent_page": call.pk,
            "publish_copies": "on",
        },
    )
    editor.post(reverse("wagtailadmin_pages:unpublish", args=[results_page.pk]), {})
    editor.post(reverse("wagtailadmin_pages:delete", args=[results_page.pk]), {})
    editor.post(
        reverse(
            "wagtailadmin_pages:move_confirm",
            args=[results_page.pk, call.get_parent().pk],
        ),
        {},
    )
    page = _unchanged(results_page, title)
    assert page.get_parent().pk == call.pk


def test_copying_the_call_with_its_subpages_makes_no_second_results_page(
    editor, results_page, call
):
    editor.post(
        reverse("wagtailadmin_pages:copy", args=[call.pk]),
        {
            "new_title": "공모 사본",
            "new_slug": "call-copy",
            "new_parent_page": call.get_parent().pk,
            "copy_subpages": "on",
            "publish_copies": "on",
        },
    )
    assert CallResultsPage.objects.count() == 1


def test_the_call_holding_published_results_cannot_be_deleted(
    editor, results_page, call
):
    editor.post(reverse("wagtailadmin_pages:delete", args=[call.pk]), {})
    assert CallPage.objects.filter(pk=call.pk).exists()
    assert CallResultsPage.objects.filter(pk=results_page.pk).exists()


def test_a_bulk_unpublish_leaves_the_results_page_live(editor, results_page, call):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"])
    editor.post(f"{url}?id={results_page.pk}", {})
    assert CallResultsPage.objects.get(pk=results_page.pk).live


def test_a_revision_published_outside_the_service_is_refused(results_page, superuser):
    page = CallResultsPage.objects.get(pk=results_page.pk)
    page.title = "조작된 결과"
    with pytest.raises(PermissionDenied):
        page.save_revision(user=superuser)
    revision = page.latest_revision
    with pytest.raises(PermissionDenied):
        revision.publish(
            user=superuser, skip_permission_checks=True
        )  # as a workflow does
    assert CallResultsPage.objects.get(pk=page.pk).title == results_page.title


def test_scheduled_publishing_does_not_touch_a_results_page(results_page):
    page = CallResultsPage.objects.get(pk=results_page.pk)
    revision = page.latest_revision
    # A schedule that could only have been planted behind the service's back.
    type(revision).objects.filter(pk=revision.pk).update(
        approved_go_live_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(PermissionDenied):
        call_command("publish_scheduled")
    assert CallResultsPage.objects.get(pk=page.pk).live


def test_the_publication_service_still_writes_the_page(results_page, call):
    assert results_page.live
    assert call.results_page().entries.count() == 1
