"""The Incheon demo: the 2018 call with its 12 proposals, reviewed by five
reviewers and published (9 selected within the budget, 3 not); a 2020 call in
review (some reviews done, reviewer1 and reviewer2 still have proposals to
score); and an open 2027 call officers can try. Idempotent: a second run
changes nothing."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from accounts.models import Organisation, User
from cms.models import HomePage
from indicators.models import Disaggregation, Indicator

from .models import (
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
from .services import proposal_record_historical_submission

SEOUL = ZoneInfo("Asia/Seoul")

TARGET_GROUPS = [
    ("women", "경력단절여성", "Career-interrupted women"),
    ("new-middle-aged", "신중년(50~64세)", "New middle-aged (50–64)"),
    ("seniors", "어르신(65세 이상)", "Seniors (65+)"),
    ("marriage-migrants", "결혼이주여성", "Marriage-migrant women"),
    ("defectors", "북한이탈주민", "North Korean defectors"),
    ("youth", "청년", "Youth"),
    ("disabled", "장애인", "People with disabilities"),
    ("low-income", "저소득층", "Low-income"),
]
# Groups whose small counts open data withholds at project level (smallcell).
VULNERABLE_GROUPS = {"defectors", "disabled"}
# The catalogue's output indicators the demo calls choose:
# code → (Korean name, English name, counter word, English unit, definition).
OUTPUT_INDICATORS = {
    "reading_sessions": (
        "독서 프로그램 운영",
        "Reading programme sessions",
        "회",
        "sessions",
    ),
    "daycare_centres": (
        "지원 어린이집",
        "Daycare centres supported",
        "개소",
        "centres",
    ),
    "creators_trained": ("크리에이터 교육 수료", "Creators trained", "명", "people"),
    "job_counselling": ("취업 상담", "Job counselling sessions", "건", "sessions"),
    "households_visited": ("방문 가구", "Households visited", "가구", "households"),
    "coaching_visits": ("코칭 방문", "Coaching visits", "회", "visits"),
    "instructors_trained": (
        "다문화 강사 양성",
        "Multicultural instructors trained",
        "명",
        "people",
    ),
    "luggage_deliveries": ("보관·배송", "Luggage stored and delivered", "건", "cases"),
    "shuttle_runs": ("셔틀 운행", "Shuttle runs", "회", "runs"),
    "product_sales": ("해당화 가공품 판매", "Sea-rose products sold", "건", "sales"),
    "guides_trained": ("해설사 양성", "Guides trained", "명", "people"),
    "deliveries": ("배송", "Deliveries", "건", "deliveries"),
    "online_sales": ("온라인 판매", "Online sales", "건", "sales"),
    "videos_produced": (
        "홍보 영상 제작",
        "Promotional videos produced",
        "건",
        "videos",
    ),
    "carers_trained": ("돌봄 교육 수료", "Carers trained", "명", "people"),
    "substitute_shifts": ("대체 근무", "Substitute shifts worked", "건", "shifts"),
}
RUBRIC = [
    ("사업의 필요성 및 지역 적합성", "Need and fit to the locality", 20),
    ("일자리 창출 효과", "Jobs created", 30),
    (
        "사업 계획의 구체성 및 실현 가능성",
        "Concreteness and feasibility of the plan",
        20,
    ),
    ("취업취약계층 참여", "Participation of vulnerable groups", 15),
    ("지속 가능성 및 지방비 분담", "Sustainability and local cost sharing", 15),
]

# district, title, summary, delivery partners, [(group, jobs)],
# [(indicator code, target)], city share (KRW), submitted (KST)
PROPOSALS_2018 = [
    (
        "DG",
        "작은도서관 운영 활성화",
        "작은도서관에 독서지도 전문인력을 배치해 주민 독서 프로그램을 운영합니다.",
        "동구 작은도서관협의회",
        [("women", 6)],
        [("reading_sessions", 480)],
        54_000_000,
        "2018-09-20 14:10",
    ),
    (
        "MH",
        "39인 이하 어린이집 조리사 지원",
        "조리사 채용이 어려운 소규모 어린이집에 조리사 인건비를 지원합니다.",
        "미추홀구 어린이집연합회",
        [("new-middle-aged", 20), ("women", 13)],
        [("daycare_centres", 33)],
        148_500_000,
        "2018-09-27 10:30",
    ),
    (
        "YS",
        "1인 방송 인큐베이션 센터",
        "1인 크리에이터 교육과 창업을 돕는 방송 인큐베이션 센터를 운영합니다.",
        "연수구 청년창업지원센터",
        [("youth", 30)],
        [("creators_trained", 63)],
        120_000_000,
        "2018-09-21 16:45",
    ),
    (
        "ND",
        "북한이탈주민 공공근로",
        "북한이탈주민에게 공공근로 일자리와 취업 상담을 제공합니다.",
        "남동구 하나센터",
        [("defectors", 10)],
        [("job_counselling", 120)],
        60_000_000,
        "2018-09-19 11:00",
    ),
    (
        "BP",
        "찾아가는 육아코칭활동가 양성",
        "경력단절 중년 여성을 육아코칭활동가로 양성해 24개월 이하 영아 가정을 방문합니다.",
        "부평구 육아종합지원센터",
        [("women", 27)],
        [
            ("households_visited", 960),
            ("coaching_visits", 2_600),
        ],
        135_000_000,
        "2018-09-26 15:20",
    ),
    (
        "GY",
        "결혼이주여성 맞춤 취업프로그램 '나의 라이센스'",
        "결혼이주여성을 다문화 이해교육 강사로 양성합니다.",
        "계양구 건강가정·다문화가족지원센터",
        [("marriage-migrants", 20)],
        [("instructors_trained", 20)],
        70_000_000,
        "2018-09-25 09:40",
    ),
    (
        "GY",
        "여행가방 보관 및 배송서비스",
        "공항·역과 숙소 사이 여행가방 보관·배송으로 신중년과 어르신 일자리를 만듭니다.",
        "계양구 시니어클럽",
        [("new-middle-aged", 8), ("seniors", 4)],
        [("luggage_deliveries", 3_000)],
        66_000_000,
        "2018-09-27 17:05",
    ),
    (
        "SG",
        "검단일반산업단지 무빙콜",
        "대중교통이 부족한 검단일반산업단지에 통근 셔틀 '무빙콜'을 운행합니다.",
        "서구 검단산업단지관리공단",
        [("new-middle-aged", 16), ("seniors", 10)],
        [("shuttle_runs", 2_100)],
        140_000_000,
        "2018-09-28 11:30",
    ),
    (
        "OJ",
        "해당화 특화단지 조성",
        "해당화 재배·가공 특화단지를 만들어 여성과 어르신 일자리를 만듭니다.",
        "옹진군 농업기술센터",
        [("women", 8), ("seniors", 8)],
        [("product_sales", 1_500)],
        80_000_000,
        "2018-09-27 13:15",
    ),
    # Not selected.
    (
        "JG",
        "월미도 관광 해설사 양성",
        "어르신을 월미도 문화관광 해설사로 양성합니다.",
        "중구 문화관광과",
        [("seniors", 10)],
        [("guides_trained", 10)],
        40_000_000,
        "2018-09-27 16:00",
    ),
    (
        "JG",
        "전통시장 장보기 배송 도우미",
        "전통시장 구매 물품을 배송하는 신중년 일자리를 만듭니다.",
        "중구 상인연합회",
        [("new-middle-aged", 8)],
        [("deliveries", 4_000)],
        48_000_000,
        "2018-09-28 10:10",
    ),
    (
        "GH",
        "강화 농산물 온라인 판매 지원",
        "청년이 강화 농가의 온라인 판매를 대행합니다.",
        "강화군 농업경영인회",
        [("youth", 6)],
        [("online_sales", 2_500)],
        36_000_000,
        "2018-09-21 14:30",
    ),
]


# The 2020 call, in review.
PROPOSALS_2020 = [
    (
        "BP",
        "찾아가는 육아코칭활동가 2기 양성",
        "1기 활동가의 경험을 살려 2기 육아코칭활동가를 양성합니다.",
        "부평구 육아종합지원센터",
        [("women", 20)],
        [("households_visited", 700)],
        100_000_000,
        "2020-01-20 15:00",
    ),
    (
        "SG",
        "무빙콜 노선 확대",
        "검단 무빙콜을 오류·왕길 산업단지로 넓힙니다.",
        "서구 검단산업단지관리공단",
        [("new-middle-aged", 10), ("seniors", 6)],
        [("shuttle_runs", 2_400)],
        120_000_000,
        "2020-01-28 10:30",
    ),
    (
        "YS",
        "청년 미디어 크리에이터 일자리",
        "1인 방송 수료생이 지역 기업 홍보 영상을 만듭니다.",
        "연수구 청년창업지원센터",
        [("youth", 15)],
        [("videos_produced", 150)],
        90_000_000,
        "2020-01-29 14:00",
    ),
    (
        "ND",
        "북한이탈주민 돌봄 인력 양성",
        "북한이탈주민을 노인 돌봄 인력으로 양성합니다.",
        "남동구 하나센터",
        [("defectors", 12)],
        [("carers_trained", 15)],
        70_000_000,
        "2020-01-30 11:20",
    ),
    (
        "MH",
        "어린이집 조리사 대체인력 풀",
        "조리사 휴가·병가 때 보낼 대체 조리사를 운영합니다.",
        "미추홀구 어린이집연합회",
        [("new-middle-aged", 10)],
        [("substitute_shifts", 600)],
        60_000_000,
        "2020-01-22 09:50",
    ),
    (
        "DG",
        "작은도서관 북큐레이터",
        "작은도서관에 북큐레이터를 배치합니다.",
        "동구 작은도서관협의회",
        [("women", 8)],
        [("reading_sessions", 400)],
        50_000_000,
        "2020-01-31 16:40",
    ),
]


def demo_indicators() -> dict[str, Indicator]:
    """The demo's output indicators in the catalogue (made once, kept as the
    city may have edited them)."""
    indicators = {}
    for code, (name_ko, name_en, unit_ko, unit_en) in OUTPUT_INDICATORS.items():
        indicators[code], _ = Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name_ko": name_ko,
                "name_en": name_en,
                "unit_ko": unit_ko,
                "unit_en": unit_en,
                "aggregation": "sum",
                "disaggregation": Disaggregation.NONE,
            },
        )
    return indicators


def _aware(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SEOUL)


def _call_index(home: HomePage) -> CallIndexPage:
    index = CallIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=CallIndexPage(
                title="공모",
                title_en="Calls for proposals",
                slug="calls",
                intro="<p>인천광역시 상생협력 특화일자리사업 공모 안내입니다.</p>",
                intro_en="<p>Calls for Incheon's win-win specialised job projects.</p>",
            )
        )
        index.save_revision().publish()
    return index


def _fill_call(call: CallPage) -> None:
    for order, (code, name_ko, name_en) in enumerate(TARGET_GROUPS):
        call.target_groups.add(
            CallTargetGroup(
                code=code,
                name_ko=name_ko,
                name_en=name_en,
                vulnerable=code in VULNERABLE_GROUPS,
                sort_order=order,
            )
        )
    for order, indicator in enumerate(demo_indicators().values()):
        call.indicators.add(CallIndicator(indicator=indicator, sort_order=order))
    for order, (name_ko, name_en, weight) in enumerate(RUBRIC):
        call.rubric_criteria.add(
            RubricCriterion(
                name_ko=name_ko, name_en=name_en, weight=weight, sort_order=order
            )
        )


def _call(index: CallIndexPage, *, slug: str, **fields) -> CallPage:
    call = CallPage.objects.child_of(index).filter(slug=slug).first()
    if call is not None:
        return call
    call = CallPage(slug=slug, **fields)
    _fill_call(call)
    call.eligible_districts.set(
        Organisation.objects.filter(kind__in=Organisation.LOCAL_KINDS)
    )
    index.add_child(instance=call)
    call.save_revision().publish()
    return call


CALL_2018_BODY = (
    "<p>인천광역시는 구·군과 함께 지역 특성에 맞는 일자리를 만드는 "
    "'시-군·구 상생협력 특화일자리사업'을 공모합니다. 시비와 구·군비를 50:50으로 "
    "분담하며, 구·군마다 2건까지 제안할 수 있습니다.</p>"
)
CALL_2018_BODY_EN = (
    "<p>Incheon invites its districts and counties to propose job projects suited to "
    "their localities. Costs are shared 50:50 between the city and the district; each "
    "district may send up to two proposals.</p>"
)


def _proposal(
    call: CallPage, row, districts, officers, groups, period_year=2019
) -> Proposal:
    code, title, summary, partners, targets, outputs, city_share, submitted = row
    district = districts[code]
    existing = Proposal.objects.filter(
        call=call, district=district, title=title
    ).first()
    if existing is not None:
        return existing
    proposal = Proposal(
        call=call,
        district=district,
        created_by=officers.get(code),
        title=title,
        summary=summary,
        local_need=f"{district.name_ko} 지역의 취업취약계층 일자리 수요에 대응합니다.",
        delivery_partners=partners,
        period_start=date(period_year, 1 if period_year == 2019 else 3, 1),
        period_end=date(period_year, 12, 1),
        city_share=city_share,
        district_share=city_share,
    )
    for order, (group_code, jobs) in enumerate(targets):
        proposal.target_groups.add(
            ProposalTargetGroup(
                target_group=groups[group_code], planned_jobs=jobs, sort_order=order
            )
        )
    indicators = demo_indicators()
    for order, (indicator_code, target) in enumerate(outputs):
        proposal.outputs.add(
            ProposalOutput(
                indicator=indicators[indicator_code], target=target, sort_order=order
            )
        )
    total = city_share * 2
    personnel = total * 7 // 10 // 1000 * 1000
    running = total - personnel
    proposal.budget_lines.add(
        ProposalBudgetLine(category="인건비", amount=personnel, sort_order=0)
    )
    proposal.budget_lines.add(
        ProposalBudgetLine(category="운영비", amount=running, sort_order=1)
    )
    return proposal_record_historical_submission(
        proposal=proposal, submitted_at=_aware(submitted)
    )


@transaction.atomic
def seed_calls(home: HomePage) -> CallPage:
    index = _call_index(home)
    call_2018 = _call(
        index,
        slug="2018-sangsaeng",
        title="2018 시-군·구 상생협력 특화일자리사업 공모",
        title_en="2018 city–district win-win specialised job projects: call for proposals",
        intro="<p>구·군 특화일자리사업 제안을 받습니다.</p>",
        intro_en="<p>Proposals for district job projects.</p>",
        body=CALL_2018_BODY,
        body_en=CALL_2018_BODY_EN,
        year=2018,
        # The nine selected projects take KRW 873.5 million of the city's 900 million;
        # each of the other three is larger than what is left.
        total_budget=900_000_000,
        cap_per_project=150_000_000,
        city_share_percent=50,
        district_share_percent=50,
        max_proposals_per_district=2,
        reviewers_per_proposal=5,
        opens_at=_aware("2018-08-20 09:00"),
        deadline=_aware("2018-09-28 18:00"),
        review_starts_on=date(2018, 10, 1),
        review_ends_on=date(2018, 10, 12),
        announcement_on=date(2018, 10, 19),
    )
    _call(
        index,
        slug="2027-sangsaeng",
        title="2027 상생협력 특화일자리 공모",
        title_en="2027 win-win specialised job projects: call for proposals",
        intro="<p>2027년 구·군 특화일자리사업 제안을 받습니다.</p>",
        intro_en="<p>Proposals for district job projects in 2027.</p>",
        body=CALL_2018_BODY.replace("'시-군·구", "2027년 '시-군·구"),
        body_en=CALL_2018_BODY_EN,
        year=2027,
        total_budget=1_200_000_000,
        cap_per_project=150_000_000,
        city_share_percent=50,
        district_share_percent=50,
        max_proposals_per_district=2,
        opens_at=_aware("2026-10-01 09:00"),
        deadline=_aware("2027-03-31 18:00"),
        review_starts_on=date(2027, 4, 5),
        review_ends_on=date(2027, 4, 16),
        announcement_on=date(2027, 4, 30),
    )
    districts = {
        org.code: org
        for org in Organisation.objects.filter(kind__in=Organisation.LOCAL_KINDS)
    }
    officers = {
        user.organisation.code: user
        for user in User.objects.filter(
            username__in=["bupyeong", "seogu"]
        ).select_related("organisation")
    }
    groups = {group.code: group for group in call_2018.target_groups.all()}
    for row in PROPOSALS_2018:
        _proposal(call_2018, row, districts, officers, groups)
    call_2020 = _call(
        index,
        slug="2020-sangsaeng",
        title="2020 상생협력 특화일자리 공모",
        title_en="2020 win-win specialised job projects: call for proposals",
        intro="<p>2020년 구·군 특화일자리사업 제안을 받습니다.</p>",
        intro_en="<p>Proposals for district job projects in 2020.</p>",
        body=CALL_2018_BODY.replace("'시-군·구", "2020년 '시-군·구"),
        body_en=CALL_2018_BODY_EN,
        year=2020,
        total_budget=800_000_000,
        cap_per_project=150_000_000,
        city_share_percent=50,
        district_share_percent=50,
        max_proposals_per_district=2,
        reviewers_per_proposal=3,
        reviewers_see_others_after_submit=True,
        opens_at=_aware("2019-11-01 09:00"),
        deadline=_aware("2020-01-31 18:00"),
        review_starts_on=date(2020, 2, 3),
        review_ends_on=date(2020, 2, 14),
        announcement_on=date(2020, 2, 28),
    )
    groups_2020 = {group.code: group for group in call_2020.target_groups.all()}
    for row in PROPOSALS_2020:
        _proposal(call_2020, row, districts, officers, groups_2020, period_year=2020)
    from .demo_review import seed_review

    seed_review(call_2018=call_2018, call_2020=call_2020)
    return call_2018
