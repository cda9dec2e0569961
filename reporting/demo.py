"""Monthly reports of the nine Incheon projects, January–September 2019.

Every report is filed, submitted and accepted through the services, month by
month, at historical times. The figures add up exactly to ../shared/domain.md:
180 jobs by the end of September; Bupyeong-gu 961 households and 2,634 coaching
visits; Seo-gu 2,136 shuttle runs. Some months are late, Seo-gu's May was
returned and resubmitted, and October is open (drafts for two projects).
Idempotent: a month that already has a report is left alone.
"""

from datetime import date, datetime, timedelta

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import RoleGroup, User
from accounts.roles import Role
from indicators.builtins import EMPLOYED, NEW_HIRES, SPENDING, TOTAL_KEY
from projects.models import Project
from projects.months import SEOUL, add_months

from .checks import check_report
from .models import MonthlyReport
from .selectors import report_context
from .services import report_accept, report_return, report_save_draft, report_submit

MONTHS = [date(2019, month, 1) for month in range(1, 10)]
OCTOBER = date(2019, 10, 1)

# Front-loaded hiring: most people start in the first months.
HIRING_WEIGHTS = [4, 3, 2, 2, 1, 1, 1, 0, 0]
FLAT = [9, 10, 10, 11, 11, 11, 12, 12, 12]

# (district, proposal title) → jobs per target group by end of September, and
# outputs delivered Jan–Sep (indicator code: (total, monthly weights)).
DEMO_FIGURES = {
    ("DG", "작은도서관 운영 활성화"): {
        "jobs": {"women": 6},
        "outputs": {"reading_sessions": (350, FLAT)},
    },
    ("MH", "39인 이하 어린이집 조리사 지원"): {
        "jobs": {"new-middle-aged": 20, "women": 13},
        "outputs": {"daycare_centres": (33, HIRING_WEIGHTS)},
    },
    ("YS", "1인 방송 인큐베이션 센터"): {
        "jobs": {"youth": 30},
        # 30 creators trained in the first half; the second cohort (33) is still in training.
        "outputs": {"creators_trained": (30, [0, 0, 0, 0, 0, 1, 0, 0, 0])},
    },
    ("ND", "북한이탈주민 공공근로"): {
        "jobs": {"defectors": 10},
        "outputs": {"job_counselling": (85, FLAT)},
    },
    ("BP", "찾아가는 육아코칭활동가 양성"): {
        "jobs": {"women": 27},
        "outputs": {
            "households_visited": (961, FLAT),
            "coaching_visits": (2_634, FLAT),
        },
    },
    ("GY", "결혼이주여성 맞춤 취업프로그램 '나의 라이센스'"): {
        "jobs": {"marriage-migrants": 20},
        "outputs": {"instructors_trained": (20, [0, 0, 0, 1, 0, 0, 0, 0, 0])},
    },
    ("GY", "여행가방 보관 및 배송서비스"): {
        "jobs": {"new-middle-aged": 8, "seniors": 4},
        "outputs": {"luggage_deliveries": (2_150, FLAT)},
    },
    ("SG", "검단일반산업단지 무빙콜"): {
        "jobs": {"new-middle-aged": 16, "seniors": 10},
        "outputs": {"shuttle_runs": (2_136, FLAT)},
    },
    ("OJ", "해당화 특화단지 조성"): {
        "jobs": {"women": 8, "seniors": 8},
        "outputs": {"product_sales": (980, FLAT)},
    },
}

# First arrival after the due day (the 10th): (district, month) → KST.
LATE = {
    ("BP", 3): datetime(2019, 4, 12, 16, 20, tzinfo=SEOUL),
    ("OJ", 2): datetime(2019, 3, 11, 0, 30, tzinfo=SEOUL),
    ("ND", 8): datetime(2019, 9, 16, 11, 0, tzinfo=SEOUL),
    ("SG", 7): datetime(2019, 8, 13, 9, 10, tzinfo=SEOUL),
}
# Seo-gu's May: first sent with runs off by 40, returned, resubmitted, accepted.
RETURNED = ("SG", 5)
RETURN_COMMENT = "운행 횟수가 운행일지와 다릅니다. 확인 후 다시 제출해 주세요."
# Dong-gu keeps a participant roster; its counts are derived from it.
ROSTER_DISTRICT = "DG"


def spread(total: int, weights: list[int]) -> list[int]:
    """Split a whole total over months in proportion to weights, exactly."""
    weight_sum = sum(weights)
    shares = [total * w // weight_sum for w in weights]
    remainders = sorted(
        range(len(weights)), key=lambda i: (-(total * weights[i] % weight_sum), i)
    )
    for i in remainders[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _officer(project: Project) -> User:
    """The district's officer: the demo account where there is one, otherwise
    a record-only account (no usable password) that the reports are filed by."""
    officer = (
        User.objects.filter(
            organisation=project.district, groups__role__code=Role.DISTRICT_OFFICER
        )
        .order_by("pk")
        .first()
    )
    if officer is None:
        code = project.district.code.lower()
        officer = User(
            username=f"officer-{code}",
            email=f"officer-{code}@example.org",
            first_name=project.district.name_ko,
            last_name="담당",
            organisation=project.district,
        )
        officer.set_unusable_password()
        officer.save()
        group: Group = RoleGroup.objects.get(code=Role.DISTRICT_OFFICER).group
        officer.groups.add(group)
    return officer


def _monthly_figures(project: Project, spec: dict) -> list[dict]:
    """The figures of each month, Jan–Sep, as {indicator code: {key: value}};
    an output (not split) is its indicator's "total"."""
    plan = project.plan_for(MONTHS[0])
    months = [
        {NEW_HIRES: {}, EMPLOYED: {}, SPENDING: {}, **{c: {} for c in spec["outputs"]}}
        for _ in MONTHS
    ]
    for group, total in spec["jobs"].items():
        hired_to_date = 0
        for month, hires in zip(months, spread(total, HIRING_WEIGHTS), strict=True):
            hired_to_date += hires
            month[NEW_HIRES][group] = hires
            month[EMPLOYED][group] = hired_to_date
    for code, (total, weights) in spec["outputs"].items():
        for month, delivered in zip(months, spread(total, weights), strict=True):
            month[code][TOTAL_KEY] = delivered
    for line in plan.budget_lines.all():
        for month in months:
            month[SPENDING][line.code] = line.amount // 12
    return months


def _outputs_of(values: dict) -> dict:
    """The month's output figures (every indicator but the core ones)."""
    return {
        code: figures
        for code, figures in values.items()
        if code not in (NEW_HIRES, EMPLOYED, SPENDING)
    }


def _roster(project: Project, figures: list[dict], upto: int) -> list[dict]:
    rows, number = [], 0
    for index in range(upto + 1):
        for group, hires in figures[index][NEW_HIRES].items():
            for _n in range(hires):
                number += 1
                rows.append(
                    {
                        "participant_code": f"{project.district.code}-19-{number:03d}",
                        "target_group_code": group,
                        "hire_date": MONTHS[index] + timedelta(days=6),
                        "end_date": None,
                    }
                )
    return rows


def _comments_for(
    project: Project, period: date, values: dict, now: datetime, roster=None
) -> dict:
    """A comment for every warning the month raises (the demo answers them)."""
    context = report_context(
        project=project, period=period, today=now.astimezone(SEOUL).date()
    )
    result = check_report(context=context, values=values, roster=roster, texts={})
    return {key: "계획된 일정에 따른 변동입니다." for key in result.warnings}


def _narrative(period: date) -> str:
    return (
        f"{period.month}월 사업을 계획대로 추진했습니다. "
        "참여자 상담과 현장 점검을 진행했습니다."
    )


def _file_month(project, key, index, figures, officer, city_user) -> None:
    period = MONTHS[index]
    district_code = key[0]
    submitted_at = LATE.get(
        (district_code, period.month),
        datetime.combine(
            add_months(period, 1).replace(day=5 + index % 4),
            datetime.min.time(),
            tzinfo=SEOUL,
        )
        + timedelta(hours=14),
    )
    values = figures[index]
    roster = (
        _roster(project, figures, index) if district_code == ROSTER_DISTRICT else None
    )
    narrative = _narrative(period)
    if (district_code, period.month) == RETURNED:
        wrong = {
            **values,
            **{
                code: {k: v + 40 for k, v in figures.items()}
                for code, figures in _outputs_of(values).items()
            },
        }
        report_save_draft(
            project=project,
            period=period,
            actor=officer,
            values=wrong,
            narrative=narrative,
            comments=_comments_for(project, period, wrong, submitted_at),
            now=submitted_at,
        )
        report = MonthlyReport.objects.get(project=project, period=period)
        report_submit(report=report, actor=officer, now=submitted_at, notify=False)
        report_return(
            report=report,
            actor=city_user,
            comment=RETURN_COMMENT,
            notify=False,
            now=submitted_at + timedelta(hours=20),
        )
        submitted_at += timedelta(days=2)
    report_save_draft(
        project=project,
        period=period,
        actor=officer,
        values=values,
        narrative=narrative,
        comments=_comments_for(project, period, values, submitted_at, roster),
        roster=roster,
        now=submitted_at,
    )
    report = MonthlyReport.objects.get(project=project, period=period)
    report_submit(report=report, actor=officer, now=submitted_at, notify=False)
    report_accept(
        report=report,
        actor=city_user,
        comment="",
        now=submitted_at + timedelta(days=1, hours=2),
        notify=False,
    )


@transaction.atomic
def seed_reports(projects: list[Project]) -> None:
    city_user = User.objects.get(username="city")
    by_key = {
        (p.district.code, p.source_proposal.title): p
        for p in projects
        if p.source_proposal
    }
    plans = {}
    for key, spec in DEMO_FIGURES.items():
        project = by_key[key]
        plans[key] = (project, _monthly_figures(project, spec), _officer(project))
    for index, period in enumerate(MONTHS):
        for key, (project, figures, officer) in plans.items():
            if MonthlyReport.objects.filter(project=project, period=period).exists():
                continue
            _file_month(project, key, index, figures, officer, city_user)
    # October is open: Bupyeong-gu and Seo-gu have started their drafts.
    drafted_at = datetime(2019, 11, 4, 17, 0, tzinfo=SEOUL)
    for key in [
        ("BP", "찾아가는 육아코칭활동가 양성"),
        ("SG", "검단일반산업단지 무빙콜"),
    ]:
        project, figures, officer = plans[key]
        if MonthlyReport.objects.filter(project=project, period=OCTOBER).exists():
            continue
        september = figures[-1]
        values = {
            NEW_HIRES: {group: 0 for group in september[NEW_HIRES]},
            EMPLOYED: dict(september[EMPLOYED]),
            **{code: dict(figures) for code, figures in _outputs_of(september).items()},
        }
        report_save_draft(
            project=project,
            period=OCTOBER,
            actor=officer,
            values=values,
            narrative="10월 실적 작성 중",
            now=drafted_at,
        )
