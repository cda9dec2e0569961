"""The nine Incheon projects funded from the 2018 call (see ../shared/domain.md).

Each comes from its 2018 proposal through ``project_create_from_proposal``.
Idempotent: a second run finds the projects and changes nothing.
"""

from datetime import datetime

from django.db import transaction

from accounts.models import User
from competitions.models import CallPage, Proposal, ProposalStatus
from projects.months import SEOUL

from .models import Project
from .services import project_create_from_proposal

# (district code, proposal title, English title) of the nine selected proposals.
SELECTED_2018 = [
    ("DG", "작은도서관 운영 활성화", "Small-library revitalisation"),
    (
        "MH",
        "39인 이하 어린이집 조리사 지원",
        "Cooks for daycare centres of 39 children or fewer",
    ),
    ("YS", "1인 방송 인큐베이션 센터", "One-person broadcasting incubation centre"),
    ("ND", "북한이탈주민 공공근로", "Public work for North Korean defectors"),
    ("BP", "찾아가는 육아코칭활동가 양성", "Visiting parenting coaches"),
    (
        "GY",
        "결혼이주여성 맞춤 취업프로그램 '나의 라이센스'",
        "'My License' for marriage-migrant women",
    ),
    (
        "GY",
        "여행가방 보관 및 배송서비스",
        "Luggage storage and delivery for travellers",
    ),
    (
        "SG",
        "검단일반산업단지 무빙콜",
        "Geomdan industrial complex shuttle 'moving call'",
    ),
    ("OJ", "해당화 특화단지 조성", "Sea-rose specialty complex"),
]

REVIEW_STARTED_AT = datetime(2018, 10, 1, 9, 0, tzinfo=SEOUL)
SELECTED_AT = datetime(2018, 10, 19, 10, 0, tzinfo=SEOUL)


def _selected(proposal: Proposal, city_user) -> Proposal:
    """Replays the 2018 selection for a proposal the review seed has not
    selected (yet), through the proposal workflow."""
    from competitions import workflow

    if proposal.status == ProposalStatus.SUBMITTED:
        workflow.move(
            proposal=proposal,
            action="start_review",
            actor=city_user,
            now=REVIEW_STARTED_AT,
        )
    if proposal.status == ProposalStatus.UNDER_REVIEW:
        workflow.move(
            proposal=proposal,
            action="select",
            actor=city_user,
            now=SELECTED_AT,
            note="2018년 심사 결과 선정",
        )
    return proposal


@transaction.atomic
def seed_projects() -> list[Project]:
    """The nine 2019 projects, in the order of SELECTED_2018."""
    call = CallPage.objects.get(year=2018)
    city_user = User.objects.get(username="city")
    projects = []
    for district_code, title, title_en in SELECTED_2018:
        proposal = Proposal.objects.get(
            call=call, district__code=district_code, title=title
        )
        project = Project.objects.filter(source_proposal=proposal).first()
        if project is None:
            project = project_create_from_proposal(
                proposal=_selected(proposal, city_user),
                actor=city_user,
                now=SELECTED_AT,
            )
            project.title_en = title_en
            project.save(update_fields=["title_en"])
        projects.append(project)
    return projects
