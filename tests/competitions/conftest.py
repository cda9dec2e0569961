from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.models import Organisation
from competitions import services
from competitions.models import (
    CallIndexPage,
    CallIndicator,
    CallPage,
    CallTargetGroup,
    Proposal,
    ProposalBudgetLine,
    ProposalOutput,
    ProposalTargetGroup,
    RubricCriterion,
)
from tests.indicators import catalogue_indicator, catalogue_indicators

SEOUL = ZoneInfo("Asia/Seoul")
OPENS = datetime(2018, 8, 20, 9, 0, tzinfo=SEOUL)
DEADLINE = datetime(2018, 9, 28, 18, 0, tzinfo=SEOUL)
BEFORE_DEADLINE = datetime(2018, 9, 20, 10, 0, tzinfo=SEOUL)


@pytest.fixture
def call_index(home_page):
    index = home_page.add_child(instance=CallIndexPage(title="공모", slug="calls"))
    index.save_revision().publish()
    return index


def make_call(index, *, slug, eligible=None, **fields) -> CallPage:
    values = {
        "title": f"공모 {slug}",
        "title_en": f"Call {slug}",
        "year": 2018,
        "total_budget": 1_000_000_000,
        "cap_per_project": 150_000_000,
        "max_proposals_per_district": 2,
        "opens_at": OPENS,
        "deadline": DEADLINE,
    }
    values.update(fields)
    call = CallPage(slug=slug, **values)
    call.target_groups.add(
        CallTargetGroup(
            code="women", name_ko="경력단절여성", name_en="Career-interrupted women"
        )
    )
    call.target_groups.add(
        CallTargetGroup(code="seniors", name_ko="어르신", name_en="Seniors")
    )
    for indicator in catalogue_indicators().values():
        call.indicators.add(CallIndicator(indicator=indicator))
    call.rubric_criteria.add(
        RubricCriterion(name_ko="필요성", name_en="Need", weight=40)
    )
    call.rubric_criteria.add(
        RubricCriterion(name_ko="일자리", name_en="Jobs", weight=60)
    )
    call.eligible_districts.set(
        eligible
        if eligible is not None
        else Organisation.objects.filter(kind__in=Organisation.LOCAL_KINDS)
    )
    index.add_child(instance=call)
    call.save_revision().publish()
    return CallPage.objects.get(pk=call.pk)


@pytest.fixture
def call(call_index, orgs):
    """The 2018 call: opens 2018-08-20 09:00, deadline 2018-09-28 18:00 KST."""
    return make_call(call_index, slug="call-2018")


@pytest.fixture
def open_call(call_index, orgs):
    """A call open right now, for Bupyeong-gu and Seo-gu only."""
    now = timezone.now()
    return make_call(
        call_index,
        slug="call-open",
        year=2027,
        opens_at=now - timedelta(days=10),
        deadline=now + timedelta(days=10, hours=3),
        eligible=[orgs["BP"], orgs["SG"]],
    )


def fill(
    proposal: Proposal, *, city_share=50_000_000, district_share=50_000_000, jobs=27
):
    """Complete the proposal in memory (as the admin form does)."""
    women = CallTargetGroup.objects.get(page=proposal.call, code="women")
    proposal.title = proposal.title or "찾아가는 육아코칭활동가 양성"
    proposal.summary = "영아 가정 방문 코칭"
    proposal.local_need = "영아 가정 돌봄 수요"
    proposal.delivery_partners = "육아종합지원센터"
    proposal.period_start = date(2019, 1, 1)
    proposal.period_end = date(2019, 12, 1)
    proposal.city_share = city_share
    proposal.district_share = district_share
    proposal.target_groups = [
        ProposalTargetGroup(target_group=women, planned_jobs=jobs)
    ]
    proposal.outputs = [
        ProposalOutput(indicator=catalogue_indicator("households"), target=960)
    ]
    total = city_share + district_share
    proposal.budget_lines = [
        ProposalBudgetLine(category="인건비", amount=total - 10_000_000),
        ProposalBudgetLine(category="운영비", amount=10_000_000),
    ]
    return proposal


def make_draft(
    call, officer, *, now=BEFORE_DEADLINE, complete=True, **fill_kwargs
) -> Proposal:
    proposal = Proposal(call=call, title=fill_kwargs.pop("title", ""))
    if complete:
        fill(proposal, **fill_kwargs)
    return services.proposal_save_draft(proposal=proposal, actor=officer, now=now)


@pytest.fixture
def bupyeong_draft(call, bupyeong_officer):
    return make_draft(call, bupyeong_officer)


@pytest.fixture
def seogu_submitted(call, seogu_officer):
    proposal = make_draft(call, seogu_officer, title="검단 무빙콜")
    return services.proposal_submit(
        proposal=proposal, actor=seogu_officer, now=BEFORE_DEADLINE, notify=False
    )


# --- review and selection ---------------------------------------------------------

AFTER_DEADLINE = datetime(2018, 10, 1, 10, 0, tzinfo=SEOUL)


def make_submitted(call, district, *, title, city_share=50_000_000) -> Proposal:
    """A proposal the district sent before the deadline (no officer needed)."""
    proposal = Proposal(call=call, district=district, title=title)
    fill(proposal, city_share=city_share, district_share=city_share)
    return services.proposal_record_historical_submission(
        proposal=proposal, submitted_at=BEFORE_DEADLINE
    )


def make_reviewer(orgs, username, org_code="EXP"):
    from accounts.roles import Role
    from tests.factories import UserFactory

    return UserFactory(
        username=username, organisation=orgs[org_code], role=Role.REVIEWER
    )


def sign_pledges(reviewer, call, *, now=AFTER_DEADLINE):
    """The reviewer signs the call's confidentiality and conflict-of-interest
    pledges (needed before opening, declaring on or scoring its proposals)."""
    return services.pledge_sign(
        call=call, actor=reviewer, confidentiality=True, conflict=True, now=now
    )


def score_and_submit(assignment, scores: list, *, now=AFTER_DEADLINE):
    """Sign the pledges if need be, declare no conflict and submit these
    criterion scores (rubric order)."""
    from competitions.models import AssignmentStatus

    sign_pledges(assignment.reviewer, assignment.proposal.call, now=now)
    if assignment.status == AssignmentStatus.ASSIGNED:
        services.conflict_declare(
            assignment=assignment,
            actor=assignment.reviewer,
            has_conflict=False,
            now=now,
        )
    criteria = list(assignment.proposal.call.rubric_criteria.all())
    return services.review_submit(
        assignment=assignment,
        actor=assignment.reviewer,
        scores={c.pk: (score, "") for c, score in zip(criteria, scores, strict=True)},
        overall_comment="",
        now=now,
    )


@pytest.fixture
def panel(orgs, call, city_manager):
    """Five reviewers on the 2018 call's panel (reviewer-a is a Bupyeong-gu
    employee), each having signed the call's pledges."""
    reviewers = [
        make_reviewer(orgs, "reviewer-a", "BP"),
        make_reviewer(orgs, "reviewer-b"),
        make_reviewer(orgs, "reviewer-c"),
        make_reviewer(orgs, "reviewer-d", "ICN"),
        make_reviewer(orgs, "reviewer-e"),
    ]
    for reviewer in reviewers:
        services.panel_add(
            call=call, reviewer=reviewer, actor=city_manager, now=AFTER_DEADLINE
        )
        sign_pledges(reviewer, call)
    return reviewers


@pytest.fixture
def bupyeong_proposal(call, orgs):
    return make_submitted(call, orgs["BP"], title="부평 육아코칭")


@pytest.fixture
def seogu_proposal(call, orgs):
    return make_submitted(call, orgs["SG"], title="서구 무빙콜")
