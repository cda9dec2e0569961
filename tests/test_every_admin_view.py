"""No second door: the generic admin views (every registered ModelViewSet and
snippet viewset, and every page type) never change an object whose state
belongs to a service — sent, accepted, locked, published. Each registered
model is listed here with how that is held; a new one fails the first test
with the line to add."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import get_page_models
from wagtail.snippets.models import get_snippet_models

from competitions.models import Proposal, ProposalStatus
from projects.models import Project
from reporting.models import MonthlyReport, ReportStatus
from tests.competitions.conftest import BEFORE_DEADLINE, call, call_index, make_draft  # noqa: F401
from tests.projects.fixtures import bupyeong_project  # noqa: F401
from tests.reporting.helpers import accept_month, file_month

JAN, FEB = date(2019, 1, 1), date(2019, 2, 1)

# Every model with a generic admin view, and what keeps it from being a second door.
GENERIC_ADMIN_MODELS = {
    "competitions.proposal": "edit/delete only while the workflow lets the person edit (can_change); "
    "submission and every move through proposal_transition",
    "projects.project": "descriptive fields only; targets and budget by change request; delete refused by PROTECT",
    "projects.changerequest": "a listing only: add refused, edit redirects to the project's page "
    "(decided there through the services), delete refused (protected_reason)",
    "reporting.monthlyreport": "edit redirects to the report page (services); delete refused (protected_reason)",
    "evaluation.evaluationscheme": "published schemes are the evaluation services' (G's branch)",
    "evaluation.qualitativescore": "a listing only: add, edit and delete refused to everyone "
    "(ReadOnlyPermissionPolicy); each reviewer enters their own (qualitative_score_submit)",
    "accounts.organisation": "no state: city managers only",
    "indicators.indicator": "saved and deleted through indicators.services (a used one keeps "
    "its code and meaning); delete refused for core and used ones (protected_reason)",
    "indicators.validationrule": "saved through indicators.services; city managers only",
    "competitions.reviewerpoolmember": "saved through competitions.services.pool_member_save "
    "(ties recorded by tie_declare); no state; city managers only",
    "competitions.expertisefield": "no state: city managers only",
    "funding.agreement": "edit only a draft's conditions and signatories; add refused (drafted by "
    "funding.services.agreement_draft); signed or superseded ones refused (protected_reason)",
    "inspections.sitevisit": "a listing only: add refused (planned by inspections.services.visit_plan), "
    "edit and delete refused to everyone (no role holds the permission; a city manager who had it "
    "would be sent to the visit's page, where every change is a service's)",
    "inspections.visitchecklistitem": "no state: city managers only (copied onto a visit's answers when recorded)",
    "funding.grantconditions": "no state: city managers only (copied into each agreement when drafted)",
    "accounts.user": "Wagtail's own users viewset: city managers only (accounts' rules, not a ScopedModelViewSet)",
}
# Registered by Wagtail itself, held by its own permission checks.
WAGTAIL_VIEWSETS = {"accounts.user"}
PAGE_MODELS = {
    "cms.homepage": "content only",
    "competitions.callindexpage": "content only",
    "competitions.callpage": "call rules validated on save; after results, the review services' (E's branch)",
    "competitions.callresultspage": "written by results publication (E's branch)",
    "evaluation.outcomespage": "figures come from the roll-up, not the page",
}


def _model_viewsets():
    return [vs for vs in viewsets.viewsets if isinstance(vs, ModelViewSet)]


def test_every_generic_admin_model_and_page_type_is_accounted_for(db):
    found = {vs.model._meta.label_lower for vs in _model_viewsets()}
    found |= {model._meta.label_lower for model in get_snippet_models()}
    ours = {
        "accounts",
        "cms",
        "common",
        "competitions",
        "funding",
        "projects",
        "reporting",
        "spreadsheets",
        "evaluation",
        "indicators",
    }
    found = {label for label in found if label.split(".")[0] in ours}
    missing = found - set(GENERIC_ADMIN_MODELS)
    assert not missing, (
        f"add to GENERIC_ADMIN_MODELS how each is held: {sorted(missing)}"
    )
    pages = {
        m._meta.label_lower for m in get_page_models() if m._meta.app_label in ours
    }
    assert not pages - set(PAGE_MODELS), (
        f"add to PAGE_MODELS: {sorted(pages - set(PAGE_MODELS))}"
    )


def test_every_scoped_viewset_passes_its_protected_states_to_edit_and_delete(db):
    from common.viewsets import ProtectedStateMixin, ScopedModelViewSet

    for viewset in _model_viewsets():
        label = viewset.model._meta.label_lower
        if label not in GENERIC_ADMIN_MODELS or label in WAGTAIL_VIEWSETS:
            continue
        assert isinstance(viewset, ScopedModelViewSet), viewset
        for view_class in (viewset.edit_view_class, viewset.delete_view_class):
            assert issubclass(view_class, ProtectedStateMixin), (viewset, view_class)


# --- forged POSTs on protected states --------------------------------------------------


@pytest.fixture
def submitted(call, bupyeong_officer):  # noqa: F811
    from competitions import services

    proposal = make_draft(call, bupyeong_officer, title="보낸 제안")
    return services.proposal_submit(
        proposal=proposal, actor=bupyeong_officer, now=BEFORE_DEADLINE, notify=False
    )


def test_a_forged_edit_of_a_submitted_proposal_changes_nothing(
    client, submitted, bupyeong_officer, city_manager
):
    for person in (bupyeong_officer, city_manager):
        client.force_login(person)
        client.post(
            reverse("proposals:edit", args=[submitted.pk]),
            {"title": "위조", "summary": "위조"},
        )
        submitted.refresh_from_db()
        assert (submitted.title, submitted.status) == (
            "보낸 제안",
            ProposalStatus.SUBMITTED,
        )


def test_a_forged_delete_of_a_submitted_proposal_changes_nothing(
    client, submitted, bupyeong_officer, city_manager
):
    for person in (bupyeong_officer, city_manager):
        client.force_login(person)
        client.post(reverse("proposals:delete", args=[submitted.pk]))
        assert Proposal.objects.filter(pk=submitted.pk).exists()


@pytest.fixture
def accepted(bupyeong_project, bupyeong_officer, city_manager):  # noqa: F811
    return accept_month(bupyeong_project, bupyeong_officer, city_manager, JAN)


def test_a_forged_delete_of_an_accepted_locked_month_is_refused_with_a_reason(
    client, accepted, city_manager, bupyeong_officer
):
    from tests.factories import UserFactory

    superuser = UserFactory(
        username="t-root", organisation=city_manager.organisation, is_superuser=True
    )
    assert accepted.is_locked
    for person in (bupyeong_officer, city_manager, superuser):
        client.force_login(person)
        response = client.post(
            reverse("monthly_reports:delete", args=[accepted.pk]), follow=True
        )
        assert MonthlyReport.objects.filter(
            pk=accepted.pk, status=ReportStatus.ACCEPTED
        ).exists()
    # Even the superuser (whom no model permission stops) is told why, and what to do instead.
    messages = [str(m) for m in response.context["messages"]]
    assert any("삭제하지 않습니다" in m for m in messages), messages


def test_a_forged_delete_of_a_submitted_month_is_refused(
    client, bupyeong_project, bupyeong_officer, city_manager
):  # noqa: F811
    report = file_month(bupyeong_project, bupyeong_officer, FEB)
    client.force_login(city_manager)
    client.post(reverse("monthly_reports:delete", args=[report.pk]))
    assert MonthlyReport.objects.filter(
        pk=report.pk, status=ReportStatus.SUBMITTED
    ).exists()


def test_a_forged_edit_of_an_accepted_month_changes_nothing(
    client, accepted, city_manager
):
    client.force_login(city_manager)
    client.post(
        reverse("monthly_reports:edit", args=[accepted.pk]),
        {"status": "draft", "is_locked": ""},
    )
    accepted.refresh_from_db()
    assert accepted.status == ReportStatus.ACCEPTED and accepted.is_locked


def test_a_forged_delete_of_a_project_with_accepted_months_changes_nothing(
    client, accepted, city_manager
):
    client.force_login(city_manager)
    client.post(reverse("projects:delete", args=[accepted.project_id]))
    assert Project.objects.filter(pk=accepted.project_id).exists()
    assert MonthlyReport.objects.filter(pk=accepted.pk).exists()


@pytest.fixture
def published_scheme(call, city_manager):  # noqa: F811
    from reporting.evaluation.models import EvaluationScheme

    return EvaluationScheme.objects.create(
        call=call, year=2019, published_at=timezone.now()
    )


def test_the_generic_edit_of_a_published_evaluation_scheme_is_refused(
    client, published_scheme, city_manager
):
    client.force_login(city_manager)
    response = client.get(
        reverse("evaluation_schemes:edit", args=[published_scheme.pk])
    )
    assert response.status_code in (302, 403, 404)


def test_a_forged_edit_of_a_qualitative_score_of_a_published_scheme_changes_nothing(
    client, published_scheme, accepted, city_manager, reviewer
):
    from reporting.evaluation.models import EvaluationScheme, QualitativeScore

    # Scored while the scheme was open; the scheme is published afterwards.
    EvaluationScheme.objects.filter(pk=published_scheme.pk).update(published_at=None)
    score = QualitativeScore.objects.create(
        scheme=published_scheme, project=accepted.project, reviewer=reviewer, score=80
    )
    EvaluationScheme.objects.filter(pk=published_scheme.pk).update(
        published_at=timezone.now()
    )
    client.force_login(city_manager)
    client.post(
        reverse("qualitative_scores:edit", args=[score.pk]),
        {
            "scheme": published_scheme.pk,
            "project": accepted.project_id,
            "reviewer": reviewer.pk,
            "score": "5",
        },
    )
    score.refresh_from_db()
    assert score.score == 80
