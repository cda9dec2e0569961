"""The demo's review rounds, through the services at historical times.

* 2018: reviewer1…reviewer5 on the panel, five reviews of each of the 12
  proposals (so the highest and lowest totals are dropped), the nine projects of
  ../shared/domain.md ranked first and selected within the budget, the three
  others not selected with the reason, results published, projects created.
* The reviewer pool (평가위원 풀): reviewer1…reviewer5 with their fields of
  expertise.
* 2020: in review. The panel was drawn from the pool after the deadline (the
  draw is recorded with its seed); the drawn then declared ties (reviewer2
  with Bupyeong-gu, reviewer4 with Seo-gu), three reviewers per proposal
  auto-assigned; reviewer3–5 have submitted, reviewer1 has a draft, reviewer2
  has not started and has not signed the call's pledges yet (the others have;
  every 2018 reviewer signed before scoring).

Idempotent: a published 2018 round and a 2020 round with assignments are left alone.
"""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.utils import translation

from accounts.demo import seed_accounts
from accounts.models import Organisation, User

from . import services
from .models import (
    AssignmentStatus,
    CallPage,
    Decision,
    ExpertiseField,
    Proposal,
    ResultsPublication,
    ReviewAssignment,
    ReviewerDraw,
    ReviewerPoolMember,
)
from .selectors import selection_suggest

SEOUL = ZoneInfo("Asia/Seoul")
# reviewer1…reviewer5 are demo accounts of accounts/demo.py: a five-person panel.
PANEL = ["reviewer1", "reviewer2", "reviewer3", "reviewer4", "reviewer5"]

# How well each 2018 proposal did (share of the maximum), in the order of
# competitions.demo.PROPOSALS_2018: the nine selected first, then the three others.
QUALITY_2018 = [0.80, 0.86, 0.83, 0.77, 0.90, 0.79, 0.75, 0.84, 0.76, 0.68, 0.66, 0.70]
# Each reviewer's habit: stricter or more generous than the panel.
REVIEWER_BIAS = [0.02, -0.03, 0.0, 0.04, -0.05]
# Per criterion, a small variation so that the criteria do not all move together.
CRITERION_TILT = [0.03, -0.02, 0.01, -0.03, 0.02]
# One outlier: reviewer4 liked Ganghwa-gun's proposal far more than the others
# (the ranking flags the disagreement; the trimmed mean drops the outlier).
OUTLIERS_2018 = {("GH", "reviewer4"): 0.28}

QUALITY_2020 = [0.82, 0.78, 0.74, 0.80, 0.71, 0.69]

REVIEW_2018_AT = datetime(2018, 10, 1, 9, 0, tzinfo=SEOUL)
SCORED_2018_AT = datetime(2018, 10, 10, 17, 0, tzinfo=SEOUL)
DECIDED_2018_AT = datetime(2018, 10, 16, 14, 0, tzinfo=SEOUL)
PUBLISHED_2018_AT = datetime(2018, 10, 19, 10, 0, tzinfo=SEOUL)
PLEDGED_2018_AT = datetime(2018, 10, 1, 8, 30, tzinfo=SEOUL)
DRAWN_2020_AT = datetime(2020, 2, 1, 10, 0, tzinfo=SEOUL)
TIES_DECLARED_AT = datetime(2020, 2, 2, 10, 0, tzinfo=SEOUL)
PLEDGED_2020_AT = datetime(2020, 2, 3, 8, 30, tzinfo=SEOUL)
REVIEW_2020_AT = datetime(2020, 2, 3, 9, 0, tzinfo=SEOUL)

# The city's fields of expertise (code, Korean, English) and each demo
# reviewer's fields.
EXPERTISE_FIELDS = [
    ("employment", "일자리·고용", "Jobs and employment"),
    ("welfare", "사회복지", "Social welfare"),
    ("childcare", "보육·가족", "Childcare and family"),
    ("local-economy", "지역경제", "Local economy"),
    ("finance", "회계·재무", "Accounting and finance"),
]
POOL = {
    "reviewer1": ["employment", "finance"],
    "reviewer2": ["employment", "childcare"],
    "reviewer3": ["welfare", "childcare"],
    "reviewer4": ["local-economy", "employment"],
    "reviewer5": ["finance", "local-economy"],
}
# reviewer2 has not started the 2020 review: the pledges wait for them.
PLEDGED_2020 = ["reviewer1", "reviewer3", "reviewer4", "reviewer5"]
SCORED_2020_AT = datetime(2020, 2, 6, 16, 0, tzinfo=SEOUL)

HALF = Decimal("0.5")


def seed_reviewers() -> dict[str, User]:
    seed_accounts()
    return {user.username: user for user in User.objects.filter(username__in=PANEL)}


def demo_scores(criteria, quality: float, bias: float) -> list[Decimal]:
    """Criterion scores in half points, 0..weight, from a quality and a bias."""
    scores = []
    for criterion, tilt in zip(criteria, CRITERION_TILT * 4, strict=False):
        share = min(1.0, max(0.0, quality + bias + tilt))
        score = (Decimal(str(share)) * criterion.weight / HALF).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        ) * HALF
        scores.append(score)
    return scores


def seed_pool(reviewers: dict[str, User], city: User) -> None:
    """The fields of expertise and the pool (kept as the city may have edited them)."""
    fields = {}
    for code, name_ko, name_en in EXPERTISE_FIELDS:
        fields[code], _created = ExpertiseField.objects.get_or_create(
            code=code, defaults={"name_ko": name_ko, "name_en": name_en}
        )
    for username, codes in POOL.items():
        if ReviewerPoolMember.objects.filter(reviewer=reviewers[username]).exists():
            continue
        services.pool_member_save(
            actor=city,
            member=ReviewerPoolMember(
                reviewer=reviewers[username], added_at=DRAWN_2020_AT
            ),
            expertise=[fields[code] for code in codes],
        )


def _sign_pledges(
    call: CallPage, reviewers: dict[str, User], usernames: list[str], at: datetime
) -> None:
    with translation.override("ko"):
        for username in usernames:
            services.pledge_sign(
                call=call,
                actor=reviewers[username],
                confidentiality=True,
                conflict=True,
                now=at,
            )


def _score(
    assignment: ReviewAssignment,
    scores: list[Decimal],
    *,
    at: datetime,
    submit: bool,
    comment: str,
) -> None:
    criteria = list(assignment.proposal.call.rubric_criteria.all())
    reviewer = assignment.reviewer
    if assignment.status == AssignmentStatus.ASSIGNED:
        services.conflict_declare(
            assignment=assignment,
            actor=reviewer,
            has_conflict=False,
            now=at,
            notify=False,
        )
    values = {
        criterion.pk: (score, "")
        for criterion, score in zip(criteria, scores, strict=True)
    }
    service = services.review_submit if submit else services.review_save_draft
    service(
        assignment=assignment,
        actor=reviewer,
        scores=values,
        overall_comment=comment,
        now=at,
    )


def _seed_2018(call: CallPage, reviewers: dict[str, User], city: User) -> None:
    from projects.demo import SELECTED_2018

    from .demo import PROPOSALS_2018

    if not ResultsPublication.objects.filter(call=call).exists():
        for username in PANEL:
            services.panel_add(
                call=call, reviewer=reviewers[username], actor=city, now=REVIEW_2018_AT
            )
        _sign_pledges(call, reviewers, PANEL, PLEDGED_2018_AT)
        services.assignments_auto(call=call, actor=city, now=REVIEW_2018_AT)
        criteria = list(call.rubric_criteria.all())
        for row, quality in zip(PROPOSALS_2018, QUALITY_2018, strict=True):
            code, title = row[0], row[1]
            proposal = Proposal.objects.get(call=call, district__code=code, title=title)
            for username, bias in zip(PANEL, REVIEWER_BIAS, strict=True):
                assignment = ReviewAssignment.objects.get(
                    proposal=proposal, reviewer=reviewers[username]
                )
                if assignment.status == AssignmentStatus.SUBMITTED:
                    continue
                bias += OUTLIERS_2018.get((code, username), 0)
                _score(
                    assignment,
                    demo_scores(criteria, quality, bias),
                    at=SCORED_2018_AT,
                    submit=True,
                    comment="계획이 구체적이며 지역 수요에 맞습니다."
                    if quality >= 0.74
                    else "사업 효과에 비해 사업비가 큽니다.",
                )
        selected = {(code, title) for code, title, _title_en in SELECTED_2018}
        for row in selection_suggest(call=call):
            proposal = row.line.proposal
            chosen = (proposal.district.code, proposal.title) in selected
            reason = (
                row.reason
                if row.suggested == chosen
                else ("심사 결과 선정" if chosen else "심사 결과 미선정")
            )
            services.selection_decide(
                proposal=proposal,
                decision=Decision.SELECTED if chosen else Decision.NOT_SELECTED,
                reason=reason,
                actor=city,
                now=DECIDED_2018_AT,
            )
        services.results_publish(
            call=call, actor=city, now=PUBLISHED_2018_AT, notify=False
        )
    # The same English titles as projects.demo gives the projects it creates, so
    # that either seed may run first.
    from projects.models import Project

    for code, title, title_en in SELECTED_2018:
        Project.objects.filter(
            source_proposal__call=call,
            source_proposal__district__code=code,
            source_proposal__title=title,
            title_en="",
        ).update(title_en=title_en)


def _seed_2020(call: CallPage, reviewers: dict[str, User], city: User) -> None:
    from .demo import PROPOSALS_2020

    if ReviewAssignment.objects.filter(proposal__call=call).exists():
        return
    organisations = {
        org.code: org for org in Organisation.objects.filter(code__in=["BP", "SG"])
    }
    if not ReviewerDraw.objects.filter(call=call).exists():
        # After the deadline, from the pool: nobody is tied to a proposing
        # district yet, so the five are drawn, in the order of a fresh seed.
        services.panel_draw(
            call=call, requested=len(PANEL), actor=city, now=DRAWN_2020_AT
        )
    # Once drawn, two of them declared ties.
    services.tie_declare(
        reviewer=reviewers["reviewer2"],
        organisation=organisations["BP"],
        actor=reviewers["reviewer2"],
        note="부평구 일자리위원회 위원",
        now=TIES_DECLARED_AT,
    )
    services.tie_declare(
        reviewer=reviewers["reviewer4"],
        organisation=organisations["SG"],
        actor=reviewers["reviewer4"],
        note="검단산업단지관리공단 자문",
        now=TIES_DECLARED_AT,
    )
    _sign_pledges(call, reviewers, PLEDGED_2020, PLEDGED_2020_AT)
    services.assignments_auto(call=call, actor=city, now=REVIEW_2020_AT)
    criteria = list(call.rubric_criteria.all())
    quality_of = {
        (row[0], row[1]): quality
        for row, quality in zip(PROPOSALS_2020, QUALITY_2020, strict=True)
    }
    bias_of = dict(zip(PANEL, REVIEWER_BIAS, strict=True))
    reviewer1_draft_done = False
    for assignment in (
        ReviewAssignment.objects.filter(proposal__call=call)
        .select_related("proposal__district", "reviewer")
        .order_by("proposal__receipt_number", "reviewer__username")
    ):
        username = assignment.reviewer.username
        proposal = assignment.proposal
        scores = demo_scores(
            criteria,
            quality_of[(proposal.district.code, proposal.title)],
            bias_of[username],
        )
        if username in ("reviewer3", "reviewer4", "reviewer5"):
            _score(
                assignment,
                scores,
                at=SCORED_2020_AT,
                submit=True,
                comment="목표와 예산이 적정합니다.",
            )
        elif username == "reviewer1" and not reviewer1_draft_done:
            _score(
                assignment,
                scores[:2] + [None] * (len(scores) - 2),
                at=SCORED_2020_AT,
                submit=False,
                comment="",
            )
            reviewer1_draft_done = True


def seed_review(*, call_2018: CallPage, call_2020: CallPage) -> None:
    reviewers = seed_reviewers()
    city = User.objects.get(username="city")
    seed_pool(reviewers, city)
    _seed_2018(call_2018, reviewers, city)
    _seed_2020(call_2020, reviewers, city)
