"""Nothing typed is ever lost (issue 18): on the proposal form, the monthly
report form and the change request form, an officer types, then presses the
other button or leaves the page; the typed values are still there, saved by
the button or kept by the unsaved-changes warning.

Read-only for the demo's data except one draft proposal of its own: nothing
here is submitted, so the other journeys see the demo as seeded."""

import pytest
from django.urls import reverse

from competitions.models import CallPage, Proposal, ProposalStatus
from projects.models import Project

from .browser import new_context, sign_in, submit

TYPED = "방금 입력했지만 아직 저장하지 않은 내용"
# Wagtail's w-unsaved takes its first look at the form 2 s after the page loads
# and compares every 0.5 s: a person types after that and leaves after a look.
SETTLE_MS = 2_500
NOTICE_MS = 1_200


def _officer(journey, dialogs: list):
    """A person whose browser refuses to leave a page when it asks (beforeunload),
    noting each question; the journey's usual person says yes to everything."""
    context = new_context(journey.browser, base_url=journey.base_url)
    journey.contexts.append(context)
    page = context.new_page()

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss() if dialog.type == "beforeunload" else dialog.accept()

    page.on("dialog", answer)
    return page


@pytest.mark.journey("unsaved-proposal")
def test_the_status_panel_submit_keeps_what_was_typed_on_a_draft_proposal(journey):
    call = CallPage.objects.get(year=2027)
    dialogs: list = []
    officer = _officer(journey, dialogs)
    sign_in(officer, "bupyeong")
    officer.goto(f"{reverse('proposals:add')}?call={call.pk}")
    officer.get_by_label("사업명").fill("저장 전 입력 보존 (e2e)")
    submit(officer, "button[name=action-save]")
    proposal = Proposal.objects.get(title="저장 전 입력 보존 (e2e)")
    assert proposal.status == ProposalStatus.DRAFT
    assert officer.url.endswith(reverse("proposals:edit", args=[proposal.pk]))

    officer.wait_for_timeout(SETTLE_MS)
    officer.get_by_label("사업 개요").press_sequentially(TYPED)
    officer.wait_for_timeout(NOTICE_MS)
    journey.shot(officer, "typed-on-the-draft")
    # The green submit button of the status panel, not the footer's.
    submit(officer, "[data-proposal-action=submit]")

    # Refused (the draft is far from complete), and what was typed is on screen
    # with every problem listed, not replaced by the saved (empty) summary.
    assert "beforeunload" not in dialogs  # the button sent this form; nothing was left
    assert officer.get_by_label("사업 개요").input_value() == TYPED
    body = officer.inner_text("main")
    assert "입력해야 제출할 수 있습니다" in body, body[:2000]  # e.g. the local need
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT
    journey.shot(officer, "refused-with-what-was-typed")


@pytest.mark.journey("unsaved-report")
def test_leaving_the_monthly_report_form_with_typed_figures_asks_first(journey):
    project = Project.objects.filter(district__code="BP").order_by("pk").first()
    dialogs: list = []
    officer = _officer(journey, dialogs)
    sign_in(officer, "bupyeong")
    url = reverse("reporting_report_form", args=[project.pk, "2019-11"])
    officer.goto(url)
    narrative = officer.locator("textarea[name=narrative]")
    officer.wait_for_timeout(SETTLE_MS)
    narrative.press_sequentially(TYPED)
    officer.wait_for_timeout(NOTICE_MS)

    officer.evaluate("window.location.assign('/admin/')")
    officer.wait_for_timeout(1_000)

    assert "beforeunload" in dialogs
    assert officer.url.endswith(url)
    assert narrative.input_value() == TYPED
    journey.shot(officer, "report-form-kept")


@pytest.mark.journey("unsaved-change-request")
def test_cancelling_a_typed_change_request_asks_first(journey):
    project = Project.objects.filter(district__code="BP").order_by("pk").first()
    dialogs: list = []
    officer = _officer(journey, dialogs)
    sign_in(officer, "bupyeong")
    url = reverse("projects_change_request_new", args=[project.pk])
    officer.goto(url)
    reason = officer.locator("textarea[name=reason]")
    officer.wait_for_timeout(SETTLE_MS)
    reason.press_sequentially(TYPED)
    officer.wait_for_timeout(NOTICE_MS)

    officer.locator(
        f"a[href='{reverse('projects:inspect', args=[project.pk])}']"
    ).last.click()
    officer.wait_for_timeout(1_000)

    assert "beforeunload" in dialogs
    assert officer.url.endswith(url)
    assert reason.input_value() == TYPED
    journey.shot(officer, "change-request-kept")
