"""The permission matrix: every URL of the admin, the public site and the API,
opened with GET by every role, gives the outcome tests/permission_matrix.py
expects, and a URL without an entry there fails. Dangerous actions are also
POSTed by the roles that must not take them, and the database is checked
unchanged. Two-factor sign-in is on (as in production) whenever the settings
define it; city managers, reviewers and the superuser sign in verified.

The demo is seeded once for the module, inside a transaction rolled back at the
end; each test runs in a savepoint of its own and rolls back what it did.
"""

from __future__ import annotations

import time
from datetime import date
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse

from config.settings import base as base_settings
from tests import permission_matrix as matrix
from tests.permission_matrix import (
    ANONYMOUS,
    CITY_MANAGER,
    DASHBOARD,
    DENIED,
    DISTRICT_APPROVER,
    DISTRICT_OFFICER,
    LOGIN,
    NOT_FOUND,
    OK,
    OTHER_DISTRICT_OFFICER,
    REAUTH,
    REDIRECT,
    REVIEWER,
    SUPERUSER,
    TWO_FACTOR,
)

ROUTES = matrix.routes()
CASES = matrix.cases(ROUTES)
# Production's two-factor roles (the test settings switch it off for other tests).
TWO_FACTOR_ROLES = getattr(base_settings, "SANGSAENG_TWO_FACTOR_REQUIRED_ROLES", None)
UNVERIFIED_CITY_MANAGER = "city_manager_without_second_step"
BAD_REQUEST = "400"


# --- the demo, the objects in the URLs, a session per role --------------------


def _seed_demo():
    """What ``manage.py seed_demo`` loads, through its own functions."""
    from accounts.demo import seed_accounts
    from closeout.demo import seed_final_reports
    from cms.demo import seed_home_page
    from competitions.demo import seed_calls
    from funding.demo import seed_funding
    from inspections.demo import seed_inspections
    from projects.demo import seed_projects
    from reporting.demo import seed_reports
    from reporting.evaluation.demo import seed_evaluation_demo

    seed_accounts()
    seed_calls(seed_home_page())
    seed_reports(seed_projects())
    seed_funding()
    seed_inspections()
    seed_evaluation_demo()
    seed_final_reports()


def _objects() -> SimpleNamespace:
    """The objects the URLs point at: 부평구's wherever a district owns them."""
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file
    from wagtail.models import Collection, Site, Task, Workflow

    from accounts.models import Organisation, User
    from cms.models import HomePage
    from common.models import BackgroundJob
    from competitions.models import (
        CallIndexPage,
        CallPage,
        Objection,
        ObjectionAttachment,
        PresentationSession,
        PresentationSlot,
        PresentationTimetableSending,
        Proposal,
        ProposalAttachment,
        ReviewAssignment,
    )
    from competitions.services import proposal_save_draft
    from indicators import builtins
    from indicators.models import Indicator, ValidationRule
    from notifications.models import Notification
    from notifications.services import notify
    from projects.models import Project
    from projects.services import change_request_propose, plan_data
    from reporting.evaluation.models import (
        EvaluationScheme,
        QualitativeScore,
        ReportFile,
    )
    from reporting.models import MonthlyReport, ReportStatus
    from reporting.services import report_sign_off, report_submit
    from reporting.spreadsheets.views import BULK_JOB_KIND

    o = SimpleNamespace()
    users = {user.username: user for user in User.objects.all()}
    o.users = {role: users[name] for role, name in matrix.DEMO_USERNAMES.items()}
    o.city, o.bupyeong, o.reviewer = (
        users["city"],
        users["bupyeong"],
        users["reviewer2"],
    )
    o.bupyeong_approver = users["bupyeong-approver"]
    o.bupyeong_org = Organisation.objects.get(code="BP")
    o.home = HomePage.objects.get()
    o.call_index = CallIndexPage.objects.get()
    o.call_2018, o.call_2020, o.call_2027 = (
        CallPage.objects.get(year=year) for year in (2018, 2020, 2027)
    )

    # 부평구's 2020 proposal, in review: reviewer2 (tied to 부평구) is not on it.
    o.proposal_2020 = Proposal.objects.get(call=o.call_2020, district=o.bupyeong_org)
    o.proposal_2018 = Proposal.objects.get(
        call=o.call_2018, district=o.bupyeong_org, project__isnull=False
    )
    o.draft = proposal_save_draft(
        proposal=Proposal(
            call=o.call_2027, title="부평구 2027 제안 초안", summary="초안"
        ),
        actor=o.bupyeong,
    )
    o.attachment = ProposalAttachment.objects.create(
        proposal=o.proposal_2020,
        title="사업계획서",
        file=ContentFile(b"%PDF-1.4 matrix\n", name="plan.pdf"),
    )
    o.attachment_2018 = ProposalAttachment.objects.create(
        proposal=o.proposal_2018,
        title="2018 사업계획서",
        file=ContentFile(b"%PDF-1.4 matrix\n", name="plan-2018.pdf"),
    )
    o.own_assignment = ReviewAssignment.objects.filter(
        reviewer=o.reviewer, proposal__call=o.call_2020
    ).first()
    o.others_assignment = (
        ReviewAssignment.objects.filter(proposal=o.proposal_2020)
        .exclude(reviewer=o.reviewer)
        .first()
    )

    # 부평구's objection to its 2018 decision (sent in the window, not answered)
    # and a presentation slot of its 2020 proposal in a sent timetable.
    o.objection = Objection.objects.create(
        proposal=o.proposal_2018,
        district=o.bupyeong_org,
        reason="매트릭스 이의 사유",
        submitted_by=o.bupyeong,
        submitted_at=o.call_2018.deadline,
    )
    o.objection_attachment = ObjectionAttachment.objects.create(
        objection=o.objection,
        title="근거 자료",
        file=ContentFile(b"%PDF-1.4 matrix\n", name="basis.pdf"),
    )
    session = PresentationSession.objects.create(
        call=o.call_2020, starts_at=o.call_2020.deadline, room="회의실"
    )
    o.presentation_slot = PresentationSlot.objects.create(
        session=session, proposal=o.proposal_2020, starts_at=session.starts_at
    )
    PresentationTimetableSending.objects.create(
        call=o.call_2020, sent_at=session.starts_at, sent_by=o.city
    )

    o.project = Project.objects.get(district=o.bupyeong_org)
    o.report_accepted = MonthlyReport.objects.get(
        project=o.project, period=date(2019, 9, 1)
    )
    # October, sent to the city (signed off first where the call asks for it).
    o.report_sent = MonthlyReport.objects.get(
        project=o.project, period=date(2019, 10, 1)
    )
    report_submit(report=o.report_sent, actor=o.bupyeong)
    o.report_sent.refresh_from_db()
    if o.report_sent.status == ReportStatus.AWAITING_APPROVAL:
        report_sign_off(report=o.report_sent, actor=o.bupyeong_approver)
        o.report_sent.refresh_from_db()
    assert o.report_sent.status == ReportStatus.SUBMITTED
    o.change_request = change_request_propose(
        project=o.project,
        actor=o.bupyeong,
        proposed=plan_data(o.project.plan_for(date(2019, 10, 1))),
        reason="방문 목표 조정 / Adjust the visit target",
        effective_from=date(2019, 10, 1),
    )
    notify(
        recipients=[o.bupyeong],
        kind="announcement",
        dedupe_key="permission-matrix",
        params={"title": "공지", "text": "권한 표"},
        link=reverse("notifications_settings"),
    )
    o.notice = Notification.objects.get(
        recipient=o.bupyeong, dedupe_key="permission-matrix"
    )
    o.scheme = EvaluationScheme.objects.get(call=o.call_2018)
    o.indicator = Indicator.objects.get(code=builtins.NEW_HIRES)
    o.validation_rule = ValidationRule.objects.order_by("pk").first()
    o.qualitative_score = QualitativeScore.objects.filter(project=o.project).first()
    o.report_file = ReportFile.objects.create(
        kind="pdf",
        year=2019,
        month=9,
        district=o.bupyeong_org,
        fingerprint="permission-matrix",
        file=ContentFile(b"%PDF-1.4 matrix\n", name="bupyeong.pdf"),
        created_by=o.bupyeong,
    )
    o.bupyeong_job = BackgroundJob.objects.create(
        kind="evaluation_report",
        owner=o.bupyeong,
        status=BackgroundJob.Status.SUCCEEDED,
        result_file=ContentFile(b"%PDF-1.4 matrix\n", name="bupyeong.pdf"),
    )
    o.zip_job = BackgroundJob.objects.create(
        kind="competitions.attachments_zip", owner=o.city
    )
    o.bulk_job = BackgroundJob.objects.create(kind=BULK_JOB_KIND, owner=o.city)
    o.settlement_job = BackgroundJob.objects.create(
        kind="funding.settlement_summary", owner=o.city
    )
    o.audit_entry = _audit_entry_of(o.proposal_2020)

    o.collection = Collection.get_first_root_node().add_child(name="부평구 자료")
    o.document = Document.objects.create(
        title="공모 안내", file=ContentFile(b"matrix", name="guide.txt")
    )
    o.image = Image.objects.create(title="포스터", file=get_test_image_file())
    o.workflow = Workflow.objects.first()
    o.workflow_task = Task.objects.first()
    o.site = Site.objects.get(is_default_site=True)
    o.redirect = Redirect.objects.create(old_path="/gongmo", redirect_page=o.call_index)
    o.group = Group.objects.get(role__code="district_officer")
    _money_objects(o)
    _visit_objects(o)
    return o


def _visit_objects(o) -> None:
    """부평구's site visit of the demo (its finding closed), one more finding
    open and one answered, with evidence."""
    from django.core.files.base import ContentFile

    from inspections import services as inspections
    from inspections.models import FindingAttachment, SiteVisit, VisitChecklistItem

    o.site_visit = SiteVisit.objects.get(project=o.project)
    o.finding = o.site_visit.findings.get(number=1)

    def record(text):
        return inspections.finding_record(
            actor=o.city,
            visit=o.site_visit,
            text=text,
            severity="minor",
            corrective_action="보완",
            due_on=date(2019, 8, 30),
        )

    o.finding_open = record("현판 미부착")
    o.finding_answered = inspections.finding_answer(
        actor=o.bupyeong, finding=record("전용계좌 이자 미기재"), answer="기재함"
    )
    o.evidence = FindingAttachment.objects.create(
        finding=o.finding_answered,
        file=ContentFile(b"%PDF-1.4 matrix\n%%EOF\n", name="evidence.pdf"),
        uploaded_by=o.bupyeong,
    )
    o.checklist_item = VisitChecklistItem.objects.create(
        call=o.call_2020, order=1, text_ko="근로계약서", text_en="Contracts"
    )


def _money_objects(o) -> None:
    """부평구's money: the demo's signed agreement and paid tranche, and two
    more projects of the 2018 call — one signed with a tranche approved and
    one scheduled, one with a draft agreement ready to sign."""
    from funding import services as funding
    from funding.models import Agreement, GrantConditions
    from projects.services import plan_data, project_create

    o.agreement = Agreement.objects.get(project=o.project, status="signed")
    o.tranche = o.project.tranches.get(number=1)
    o.grant_conditions = GrantConditions.objects.create(
        call=o.call_2018, text_ko="매월 보고한다.", text_en="Report every month."
    )

    def money_project(title):
        project = project_create(
            district=o.bupyeong_org,
            title=title,
            plan=plan_data(o.project.current_plan),
            actor=None,
            call=o.call_2018,
        )
        agreement = funding.agreement_draft(actor=o.city, project=project)
        half = agreement.city_share // 2
        funding.tranche_schedule_set(
            actor=o.city,
            project=project,
            rows=[
                funding.TrancheRow(planned_on=date(2019, 1, 15), amount=half),
                funding.TrancheRow(
                    planned_on=date(2019, 7, 15), amount=agreement.city_share - half
                ),
            ],
        )
        return project, agreement

    signed, agreement = money_project("부평구 교부 시험 사업")
    funding.agreement_sign(
        actor=o.city,
        agreement=agreement,
        signed_on=date(2019, 1, 2),
        city_signatory_name="김상생",
        city_signatory_title="과장",
        district_signatory_name="이부평",
        district_signatory_title="과장",
    )
    approved = signed.tranches.get(number=1)
    funding.tranche_request(actor=o.bupyeong, tranche=approved, amount=approved.amount)
    o.money_approved = funding.tranche_approve(actor=o.city, tranche=approved)
    o.money_scheduled = signed.tranches.get(number=2)
    o.money_project = signed
    _unsigned, o.money_draft = money_project("부평구 협약 초안 사업")
    _settlement_objects(o)


def _settlement_objects(o) -> None:
    """부평구's demo project with its settlement submitted and one piece of
    evidence (written directly: the demo's months are not all accepted)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from funding.models import Settlement, SettlementEvidence

    Settlement.objects.filter(project=o.project).delete()
    o.settlement = Settlement.objects.create(
        project=o.project, status="submitted", created_at=timezone.now()
    )
    o.settlement_evidence = SettlementEvidence.objects.create(
        settlement=o.settlement,
        title="이자 내역",
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="interest.pdf"),
        uploaded_at=timezone.now(),
    )


def _audit_entry_of(obj):
    """The audit trail's record of an object (None while there is no trail)."""
    if not apps.is_installed("auditlog"):
        return None
    from auditlog.models import LogEntry

    return LogEntry.objects.get_for_object(obj).first() or LogEntry.objects.first()


def _session(user, *, verified: bool) -> str:
    """A signed-in session's key; ``verified``: the second step passed, the way
    django-otp records it (the interface agreed in the two-factor work)."""
    client = Client()
    client.force_login(user)
    if verified and apps.is_installed("django_otp"):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="matrix", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _sessions(o) -> dict[str, str]:
    from accounts.models import Organisation, User

    superuser = User.objects.create_superuser(
        username="matrix-superuser",
        password="matrix-superuser-password",
        organisation=Organisation.objects.get(code="ICN"),
    )
    people = {**o.users, SUPERUSER: superuser}
    # Everyone who must (or may) use a second step has passed it.
    sessions = {role: _session(user, verified=True) for role, user in people.items()}
    sessions[UNVERIFIED_CITY_MANAGER] = _session(o.city, verified=False)
    return sessions


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    two_factor = (
        override_settings(SANGSAENG_TWO_FACTOR_REQUIRED_ROLES=TWO_FACTOR_ROLES)
        if TWO_FACTOR_ROLES is not None
        else override_settings()
    )
    with django_db_blocker.unblock(), transaction.atomic(), two_factor:
        _seed_demo()
        o = _objects()
        yield SimpleNamespace(objects=o, sessions=_sessions(o))
        transaction.set_rollback(True)


def client_for(world, role: str, *, reauthenticated: bool = False) -> Client:
    """A client on the role's session; ``reauthenticated``: as if the password
    had just been re-entered (the test's savepoint undoes it)."""
    client = Client(raise_request_exception=False)
    if role != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
        if reauthenticated and apps.is_installed("django_otp"):
            from accounts.reauth import SESSION_KEY

            session = client.session
            session[SESSION_KEY] = time.time()
            session.save()
    return client


# --- requests and their outcomes ----------------------------------------------


def _path_of(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def outcome_of(response) -> str:
    status = response.status_code
    if 200 <= status < 300:
        return OK
    if status in (301, 302, 303, 307, 308):
        path = urlsplit(response["Location"]).path
        if path == reverse("wagtailadmin_login"):
            return LOGIN
        if path == reverse("wagtailadmin_home"):
            return DASHBOARD
        if path in {_path_of("accounts_2fa_verify"), _path_of("accounts_2fa_setup")}:
            return TWO_FACTOR
        if path == _path_of("accounts_reauth"):
            return REAUTH
        return REDIRECT
    return str(status)


def describe(response) -> str:
    where = f" → {response['Location']}" if response.has_header("Location") else ""
    return f"{response.status_code}{where}"


def url_for(case: matrix.Case, o) -> str:
    if case.url:
        return case.url(o)
    if case.route.positional:
        raise LookupError(
            f"{case.id}: positional URL arguments; give its entry url=lambda o: ... "
            f"in tests/permission_matrix.py"
        )
    given = case.kwargs(o) if case.kwargs else {}
    kwargs = {}
    for name in case.route.kwarg_names:
        if name in given:
            kwargs[name] = given[name]
        elif name in matrix.DEFAULT_KWARGS:
            kwargs[name] = matrix.DEFAULT_KWARGS[name](o)
        else:
            raise LookupError(
                f"{case.id}: no value for the URL argument {name!r}; give its entry "
                f"kwargs=lambda o: {{{name!r}: ...}} in tests/permission_matrix.py"
            )
    return reverse(case.route.name, kwargs=kwargs)


# --- the matrix is complete -----------------------------------------------------


def test_every_url_is_matched_by_exactly_one_entry_or_rule():
    problems = [case.problem for case in CASES if case.problem]
    assert not problems, "\n".join(problems)


def test_no_entry_or_rule_outlives_its_url():
    assert not matrix.stale_entries(ROUTES), (
        "these match no URL any more; remove them from tests/permission_matrix.py: "
        + ", ".join(matrix.stale_entries(ROUTES))
    )


# --- GET: every URL × every role ---------------------------------------------------


def _get_params():
    params = []
    for case in CASES:
        if case.problem:
            params.append(pytest.param(case, None, id=f"{case.id}-unmatched"))
            continue
        roles = matrix.ROLES + ([SUPERUSER] if SUPERUSER in case.cells else [])
        for role in roles:
            marks = []
            if role in case.xfail:
                marks.append(pytest.mark.xfail(strict=True, reason=case.xfail[role]))
            params.append(pytest.param(case, role, id=f"{case.id}-{role}", marks=marks))
    return params


@pytest.mark.parametrize(("case", "role"), _get_params())
def test_get(world, db, case, role):
    if case.problem:
        pytest.fail(case.problem)
    url = url_for(case, world.objects)
    response = client_for(world, role).get(url)
    expected, actual = case.cells[role], outcome_of(response)
    assert matrix.outcome_matches(expected, actual), (
        f"GET {url} ({case.id}) as {role}: expected {expected}, got {actual} "
        f"({describe(response)}). If the new outcome is right, change that cell "
        f"in tests/permission_matrix.py; if it is an access bug, fix the view."
    )


# --- the public site: every live page of the demo, by page type ----------------------


def test_every_page_type_has_an_entry_and_a_live_page_in_the_demo(world, db):
    from wagtail.models import Page, get_page_models

    page_types = {model._meta.label for model in get_page_models() if model is not Page}
    missing = page_types - set(matrix.PAGE_TYPES)
    assert not missing, (
        f"page types without an entry: {sorted(missing)}; add "
        f"`'app_label.ModelName': public(),` to PAGE_TYPES in tests/permission_matrix.py"
    )
    unused = [label for label in matrix.PAGE_TYPES if not _live_pages(label)]
    assert not unused, (
        f"no live page of {unused} in the demo: the matrix tests nothing for them"
    )


def _live_pages(label: str):
    from wagtail.models import Page

    return list(Page.objects.live().exact_type(apps.get_model(label)).specific())


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize(
    ("page_type", "role"),
    [
        pytest.param(label, role, id=f"page:{label}-{role}")
        for label, cells in matrix.PAGE_TYPES.items()
        for role in matrix.ROLES + ([SUPERUSER] if SUPERUSER in cells else [])
    ],
)
def test_public_page(world, db, page_type, role, language):
    client = client_for(world, role)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    expected = matrix.PAGE_TYPES[page_type][role]
    for page in _live_pages(page_type):
        response = client.get(page.url)
        actual = outcome_of(response)
        assert matrix.outcome_matches(expected, actual), (
            f"GET {page.url} ({page_type}, {language}) as {role}: expected {expected}, "
            f"got {actual} ({describe(response)})"
        )


def test_a_draft_page_is_not_served_to_anyone(world, db):
    from competitions.models import CallPage

    call = world.objects.call_2027
    url = call.url
    call.unpublish()
    assert not CallPage.objects.get(pk=call.pk).live
    for role in matrix.ROLES:
        response = client_for(world, role).get(url)
        assert response.status_code == 404, f"GET {url} as {role}: {describe(response)}"


# --- two-factor sign-in: no admin page before the second step ------------------------------

# What a signed-in person who has not passed the second step may still open:
# the step itself, signing out, and what those pages load.
OPEN_BEFORE_SECOND_STEP = {
    "accounts_2fa_setup",
    "accounts_2fa_verify",
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
}


@pytest.mark.skipif(
    TWO_FACTOR_ROLES is None, reason="two-factor sign-in is not built yet"
)
def test_a_city_manager_without_the_second_step_reaches_no_admin_page(world, db):
    reached = []
    for case in CASES:
        if case.problem or not case.route.route.startswith("admin/"):
            continue
        if case.route.key in OPEN_BEFORE_SECOND_STEP or "[" in case.id:
            continue
        url = url_for(case, world.objects)
        response = client_for(world, UNVERIFIED_CITY_MANAGER).get(url)
        if outcome_of(response) != TWO_FACTOR:
            reached.append(f"{case.id}: GET {url} → {describe(response)}")
    assert not reached, "reached without the second step:\n" + "\n".join(reached)


@pytest.mark.skipif(
    TWO_FACTOR_ROLES is None, reason="two-factor sign-in is not built yet"
)
def test_the_second_step_pages_open_without_it(world, db):
    client = client_for(world, UNVERIFIED_CITY_MANAGER)
    assert client.get(reverse("accounts_2fa_verify")).status_code == 200
    assert outcome_of(client.get(reverse("wagtailadmin_home"))) == TWO_FACTOR


# --- POST: dangerous actions refused, and nothing changed ------------------------------------

SNAPSHOT_MODELS = [
    "accounts.Organisation",
    "accounts.User",
    "competitions.Proposal",
    "competitions.ProposalTransition",
    "competitions.ReviewAssignment",
    "competitions.Review",
    "competitions.CriterionScore",
    "competitions.SelectionDecision",
    "competitions.ResultsPublication",
    "competitions.Objection",
    "competitions.PresentationTimetableSending",
    "projects.Project",
    "projects.ProjectPlan",
    "projects.ChangeRequest",
    "funding.Agreement",
    "funding.Tranche",
    "funding.TrancheTransition",
    "funding.Settlement",
    "funding.SettlementTransition",
    "inspections.SiteVisit",
    "inspections.Finding",
    "inspections.FindingTransition",
    "inspections.FindingAttachment",
    "closeout.FinalReport",
    "closeout.FinalReportVersion",
    "closeout.ProjectClosure",
    "reporting.MonthlyReport",
    "reporting.ReportVersion",
    "evaluation.EvaluationScheme",
    "evaluation.QualitativeScore",
    "evaluation.ProjectEvaluation",
    "wagtailcore.Page",
    "wagtailcore.Task",
]


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of the models a dangerous action could touch."""
    state = {}
    for label in SNAPSHOT_MODELS:
        model = apps.get_model(label)
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.name not in {"last_login"}
        ]
        state[label] = list(model._default_manager.order_by("pk").values_list(*fields))
    return state


def _score_form(o) -> dict:
    criteria = o.call_2020.rubric_criteria.all()
    return {
        **{f"score_{c.pk}": str(c.weight) for c in criteria},
        "overall_comment": "matrix",
        "action-submit": "1",
    }


# action: (url, POST data) — every one would change the database if it were allowed.
DANGEROUS_POSTS = {
    "close 부평구's answered finding": (
        lambda o: reverse(
            "inspections_finding_action", args=[o.finding_answered.pk, "close"]
        ),
        lambda o: {"note": "matrix"},
    ),
    "answer 부평구's open finding": (
        lambda o: reverse("inspections_finding", args=[o.finding_open.pk]),
        lambda o: {"answer": "matrix"},
    ),
    "record a finding on 부평구's site visit": (
        lambda o: reverse("inspections_finding_new", args=[o.site_visit.pk]),
        lambda o: {
            "text": "matrix",
            "severity": "minor",
            "corrective_action": "matrix",
            "due_on": "2019-09-30",
        },
    ),
    "plan a site visit to 부평구's project": (
        lambda o: reverse("inspections_visit_new"),
        lambda o: {
            "project": o.project.pk,
            "planned_on": "2019-09-30",
            "inspectors": [o.city.pk],
            "purpose": "matrix",
        },
    ),
    "answer 부평구's objection": (
        lambda o: reverse("objections_detail", args=[o.objection.pk]),
        lambda o: {"action": "answer", "outcome": "upheld", "answer": "matrix"},
    ),
    "change 부평구's 2018 decision after its objection": (
        lambda o: reverse("objections_detail", args=[o.objection.pk]),
        lambda o: {
            "action": "change_decision",
            "decision": "selected",
            "reason": "matrix",
        },
    ),
    "object to 부평구's 2018 decision": (
        lambda o: reverse("objections_new", args=[o.proposal_2018.pk]),
        lambda o: {"reason": "matrix"},
    ),
    "send the 2020 presentation timetable": (
        lambda o: reverse("review_presentations", args=[o.call_2020.pk]),
        lambda o: {"action": "send"},
    ),
    "publish 2020 results": (
        lambda o: reverse("review_ranking", args=[o.call_2020.pk]),
        lambda o: {"action": "publish"},
    ),
    "record the best set for 2020": (
        lambda o: reverse("review_optimal", args=[o.call_2020.pk]),
        lambda o: {"action": "apply_optimal"},
    ),
    "decide on 부평구's 2020 proposal": (
        lambda o: reverse("review_ranking", args=[o.call_2020.pk]),
        lambda o: {
            "action": "decide",
            "proposal": o.proposal_2020.pk,
            "decision": "selected",
            "reason": "matrix",
        },
    ),
    "accept 부평구's October report": (
        lambda o: reverse("reporting_report_action", args=[o.report_sent.pk, "accept"]),
        lambda o: {"note": "matrix"},
    ),
    "reopen 부평구's accepted September": (
        lambda o: reverse(
            "reporting_report_action", args=[o.report_accepted.pk, "reopen"]
        ),
        lambda o: {"note": "matrix"},
    ),
    "delete 부평구's draft proposal": (
        lambda o: reverse("proposals:delete", args=[o.draft.pk]),
        lambda o: {},
    ),
    "delete 부평구's project": (
        lambda o: reverse("projects:delete", args=[o.project.pk]),
        lambda o: {},
    ),
    "delete 부평구 (the organisation)": (
        lambda o: reverse("organisations:delete", args=[o.bupyeong_org.pk]),
        lambda o: {},
    ),
    "delete 부평구's officer": (
        lambda o: reverse("wagtailusers_users:delete", args=[o.bupyeong.pk]),
        lambda o: {},
    ),
    "score another reviewer's assignment (부평구 2020)": (
        lambda o: reverse("review_assignment", args=[o.others_assignment.pk]),
        _score_form,
    ),
    "set a qualitative score": (
        lambda o: reverse("evaluation_action", args=[o.scheme.pk, "score"]),
        lambda o: {"project": o.project.pk, "reviewer": o.reviewer.pk, "score": "1"},
    ),
    "approve 부평구's change request": (
        lambda o: reverse(
            "projects_change_request_decide", args=[o.change_request.pk, "approve"]
        ),
        lambda o: {},
    ),
    "move the 2020 call page under the home page": (
        lambda o: reverse(
            "wagtailadmin_pages:move_confirm", args=[o.call_2020.pk, o.home.pk]
        ),
        lambda o: {},
    ),
    "create a workflow task from the chooser": (
        lambda o: reverse("wagtailadmin_workflows:task_chooser_create"),
        lambda o: {"create-task-name": "matrix", "create-task-groups": [o.group.pk]},
    ),
    "withdraw 부평구's 2020 proposal": (
        lambda o: reverse(
            "proposals:transition", args=[o.proposal_2020.pk, "withdraw"]
        ),
        lambda o: {"note": "matrix"},
    ),
    "submit 부평구's draft proposal": (
        lambda o: reverse("proposals:transition", args=[o.draft.pk, "submit"]),
        lambda o: {"note": "matrix"},
    ),
    "sign 부평구's draft agreement": (
        lambda o: reverse("funding_agreement_sign", args=[o.money_draft.pk]),
        lambda o: {
            "signed_on": "2019-01-02",
            "city_signatory_name": "김상생",
            "city_signatory_title": "과장",
            "district_signatory_name": "이부평",
            "district_signatory_title": "과장",
        },
    ),
    "request 부평구's scheduled tranche": (
        lambda o: reverse(
            "funding_tranche_action", args=[o.money_scheduled.pk, "request"]
        ),
        lambda o: {f"t{o.money_scheduled.pk}-amount": "1000"},
    ),
    "pay 부평구's approved tranche": (
        lambda o: reverse("funding_tranche_action", args=[o.money_approved.pk, "pay"]),
        lambda o: {
            f"t{o.money_approved.pk}-paid_on": "2019-01-20",
            f"t{o.money_approved.pk}-amount": "1000",
        },
    ),
    "set 부평구's disbursement schedule": (
        lambda o: reverse("funding_schedule", args=[o.money_project.pk]),
        lambda o: {
            "tranches-TOTAL_FORMS": "1",
            "tranches-INITIAL_FORMS": "0",
            "tranches-0-planned_on": "2019-07-15",
            "tranches-0-amount": str(o.money_scheduled.amount),
        },
    ),
    "return 부평구's final report": (
        lambda o: reverse(
            "closeout_final_report_decide", args=[o.project.pk, "return"]
        ),
        lambda o: {"comment": "matrix"},
    ),
    "rewrite 부평구's final report": (
        lambda o: reverse("closeout_final_report_save", args=[o.project.pk]),
        lambda o: {"achievements": "matrix", "submit": "1"},
    ),
    "close 부평구's project": (
        lambda o: reverse("closeout_project_close", args=[o.project.pk]),
        lambda o: {},
    ),
    "reopen 부평구's project": (
        lambda o: reverse("closeout_project_reopen", args=[o.project.pk]),
        lambda o: {"reason": "matrix"},
    ),
    "draft a new version of 부평구's agreement": (
        lambda o: reverse("funding_agreement_draft", args=[o.money_draft.project_id]),
        lambda o: {},
    ),
    "accept 부평구's submitted settlement": (
        lambda o: reverse("funding_settlement", args=[o.project.pk]),
        lambda o: {"action": "accept"},
    ),
}

_ANY = {role: LOGIN if role == ANONYMOUS else DENIED for role in matrix.ROLES}
# action → role → outcome, for the roles that must not take the action (None:
# a role that may). Everyone but the "reauth" cells has just re-entered their
# password, so the refusal comes from the access rules, not from that step.
# REDIRECT: the workflow refuses the move and says why on the page it returns to.
REFUSED_POSTS = {
    "answer 부평구's objection": {**_ANY, CITY_MANAGER: None},
    "change 부평구's 2018 decision after its objection": {
        **_ANY,
        CITY_MANAGER: REAUTH,
    },
    # 부평구's officer may object, but the 2018 window closed long ago.
    "object to 부평구's 2018 decision": {**_ANY, DISTRICT_OFFICER: OK},
    "send the 2020 presentation timetable": {**_ANY, CITY_MANAGER: None},
    "publish 2020 results": {**_ANY, CITY_MANAGER: REAUTH},
    "record the best set for 2020": {**_ANY, CITY_MANAGER: None},
    "decide on 부평구's 2020 proposal": {**_ANY, CITY_MANAGER: None},
    "accept 부평구's October report": {**_ANY, CITY_MANAGER: None},
    "reopen 부평구's accepted September": {**_ANY, CITY_MANAGER: REAUTH},
    "delete 부평구's draft proposal": {**_ANY, DISTRICT_OFFICER: None},
    "delete 부평구's project": {**_ANY},
    "delete 부평구 (the organisation)": {**_ANY},
    "delete 부평구's officer": {**_ANY},
    "score another reviewer's assignment (부평구 2020)": {**_ANY, REVIEWER: NOT_FOUND},
    "set a qualitative score": {**_ANY, CITY_MANAGER: None},
    "approve 부평구's change request": {**_ANY, CITY_MANAGER: None},
    "move the 2020 call page under the home page": {**_ANY, CITY_MANAGER: None},
    "create a workflow task from the chooser": {
        **_ANY,
        **dict.fromkeys(matrix.ROLES[1:], BAD_REQUEST),
    },
    "withdraw 부평구's 2020 proposal": {
        **_ANY,
        CITY_MANAGER: REDIRECT,
        DISTRICT_OFFICER: REDIRECT,
        DISTRICT_APPROVER: REDIRECT,
    },
    "submit 부평구's draft proposal": {
        **_ANY,
        DISTRICT_OFFICER: None,
        DISTRICT_APPROVER: REDIRECT,
    },
    "sign 부평구's draft agreement": {**_ANY, CITY_MANAGER: None},
    "request 부평구's scheduled tranche": {**_ANY, DISTRICT_OFFICER: None},
    "pay 부평구's approved tranche": {**_ANY, CITY_MANAGER: None},
    "set 부평구's disbursement schedule": {**_ANY, CITY_MANAGER: None},
    "draft a new version of 부평구's agreement": {**_ANY, CITY_MANAGER: None},
    "accept 부평구's submitted settlement": {**_ANY, CITY_MANAGER: None},
    "close 부평구's answered finding": {**_ANY, CITY_MANAGER: None},
    "answer 부평구's open finding": {**_ANY, DISTRICT_OFFICER: None},
    "record a finding on 부평구's site visit": {**_ANY, CITY_MANAGER: None},
    "plan a site visit to 부평구's project": {**_ANY, CITY_MANAGER: None},
    # The demo's final reports are accepted: the workflow refuses another move
    # and the page says why (400, what was typed kept).
    "return 부평구's final report": {**_ANY, CITY_MANAGER: BAD_REQUEST},
    "rewrite 부평구's final report": {**_ANY, DISTRICT_OFFICER: BAD_REQUEST},
    "close 부평구's project": {**_ANY, CITY_MANAGER: None},
    "reopen 부평구's project": {**_ANY, CITY_MANAGER: REAUTH},
}


def _post_params():
    return [
        pytest.param(action, role, id=f"{action}-{role}")
        for action, cells in REFUSED_POSTS.items()
        for role, expected in cells.items()
        if expected is not None
    ]


@pytest.mark.parametrize(("action", "role"), _post_params())
def test_dangerous_post_is_refused_and_changes_nothing(world, db, action, role):
    o = world.objects
    url_of, data_of = DANGEROUS_POSTS[action]
    url, data = url_of(o), data_of(o)
    expected = REFUSED_POSTS[action][role]
    client = client_for(world, role, reauthenticated=expected != REAUTH)
    before = _snapshot()
    response = client.post(url, data)
    actual = outcome_of(response)
    assert _snapshot() == before, (
        f"POST {url} ({action}) as {role} changed the database"
    )
    assert matrix.outcome_matches(expected, actual), (
        f"POST {url} ({action}) as {role}: expected {expected}, got {actual} "
        f"({describe(response)})"
    )


def test_the_refusal_table_names_only_roles_and_actions_it_has():
    assert set(REFUSED_POSTS) == set(DANGEROUS_POSTS)
    for cells in REFUSED_POSTS.values():
        assert set(cells) <= set(matrix.ALL_ROLES)


# --- Wagtail's site history lists edits by model type, not through the access module ---


@pytest.mark.parametrize(
    "role", [OTHER_DISTRICT_OFFICER, CITY_MANAGER, REVIEWER, DISTRICT_OFFICER]
)
def test_the_site_history_shows_nobody_a_district_draft(world, db, role):
    """Found by this matrix: 서구 read 부평구's proposal titles there, and the city a
    district's draft. Only superusers keep Wagtail's site history now."""
    from wagtail.log_actions import log

    o = world.objects
    log(
        instance=o.draft, action="wagtail.edit", user=o.bupyeong
    )  # as its edit view does
    for name in (
        "wagtailadmin_reports:site_history",
        "wagtailadmin_reports:site_history_results",
    ):
        response = client_for(world, role).get(reverse(name), follow=True)
        assert response.redirect_chain, f"{role} was not turned away from {name}"
        landed = response.redirect_chain[-1][0]
        assert "history" not in landed, f"{role} landed on {landed}"
        if role != DISTRICT_OFFICER:  # 부평구's own officer finds it on their home
            assert o.draft.title not in response.content.decode()
