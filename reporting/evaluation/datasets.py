"""The standard open datasets (표준 데이터셋): what each holds, its fields and
its rows, read by the portal-style API (``opendata_api``), the dataset pages
and downloads (``dataset_views``) and the DCAT catalogue (``dcat``).

Field names follow the public standard vocabulary's abbreviations (공공데이터
공통표준용어: 기준연도 CRTR_YR, 시군구 SIGNGU, 공고 PBLANC, 사업 BIZ, 금액 AMT,
시작/종료 BGNG/END, 일자 YMD, 구분 SE, 등급 GRD …) written in lowerCamelCase as
공공데이터포털 APIs do (``signguNm``). Only public data: live calls, funded
projects, accepted months (never a draft or a submitted, unaccepted report),
published grades; every count of people through ``smallcell``.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from indicators.models import TOTAL_KEY, Indicator

from . import smallcell

STRING, INTEGER, DATE, DATETIME, NUMBER = (
    "string",
    "integer",
    "date",
    "datetime",
    "number",
)


@dataclass(frozen=True)
class Field:
    """One column: its standard name, Korean and English names, type, meaning."""

    key: str
    name_ko: str
    name_en: str
    type: str
    description: str  # gettext_lazy: shown in the reader's language


@dataclass(frozen=True)
class Dataset:
    slug: str
    title_ko: str
    title_en: str
    description: str
    update_cycle: str
    accrual: str  # the EU frequency vocabulary's code, for DCAT
    fields: list[Field] = field(default_factory=list)
    # Query parameters beyond paging: name → (required, description)
    filters: dict = field(default_factory=dict)

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.fields]

    def rows(self, **filters) -> list[dict]:
        return BUILDERS[self.slug](**filters)

    def page(self, first: int, count: int, **filters) -> tuple[list[dict], int]:
        """(the rows of one page, the rows of all pages)."""
        if self.slug in COUNTERS:
            total = COUNTERS[self.slug](**filters)
            return self.rows(rows=slice(first, first + count), **filters), total
        everything = self.rows(**filters)
        return everything[first : first + count], len(everything)


YEAR = Field(
    "crtrYr", "기준연도", "Year", INTEGER, _("Programme year the row belongs to.")
)
DISTRICT_CODE = Field(
    "signguCd",
    "시군구코드",
    "District code",
    STRING,
    _("Code of the district."),
)
DISTRICT_KO = Field("signguNm", "시군구명", "District", STRING, _("District name."))
DISTRICT_EN = Field(
    "signguNmEn", "시군구명(영문)", "District (English)", STRING, _("District name.")
)
PROJECT_CODE = Field(
    "bizCd", "사업코드", "Project code", STRING, _("Project code, e.g. 2019-BP-01.")
)
PROJECT_KO = Field("bizNm", "사업명", "Project title", STRING, _("Project title."))
PROJECT_EN = Field(
    "bizNmEn", "사업명(영문)", "Project title (English)", STRING, _("Project title.")
)

CALLS = Dataset(
    slug="calls",
    title_ko="공모 목록",
    title_en="Calls for proposals",
    description=_(
        "Every published call for job-project proposals: budget, cost sharing, "
        "cap per project and dates."
    ),
    update_cycle=_("When a call is published"),
    accrual="IRREG",
    fields=[
        YEAR,
        Field("pblancNm", "공고명", "Call title", STRING, _("Title of the call.")),
        Field(
            "pblancNmEn", "공고명(영문)", "Call title (English)", STRING, _("Title.")
        ),
        Field(
            "totBdgtAmt",
            "총예산금액",
            "Total budget (KRW)",
            INTEGER,
            _("City's total budget for the call, in won."),
        ),
        Field(
            "bizMaxAmt",
            "사업당상한금액",
            "Cap per project (KRW)",
            INTEGER,
            _("Most the city funds one project, in won."),
        ),
        Field(
            "ctyShreRt",
            "시비분담비율",
            "City share (%)",
            INTEGER,
            _("City's share of each project's cost, percent."),
        ),
        Field(
            "signguShreRt",
            "구비분담비율",
            "District share (%)",
            INTEGER,
            _("District's share of each project's cost, percent."),
        ),
        Field(
            "rcptBgngDt",
            "접수시작일시",
            "Opens at",
            DATETIME,
            _("When proposals open (Asia/Seoul, ISO 8601)."),
        ),
        Field(
            "rcptEndDt",
            "접수종료일시",
            "Deadline",
            DATETIME,
            _("Deadline for proposals (Asia/Seoul, ISO 8601)."),
        ),
        Field(
            "anncYmd",
            "발표일자",
            "Announcement date",
            DATE,
            _("Date the selection is announced, if set."),
        ),
        Field("dtlUrl", "상세URL", "Page", STRING, _("Address of the call's page.")),
    ],
    filters={"year": (False, _("Programme year, e.g. 2019."))},
)

PROJECTS = Dataset(
    slug="projects",
    title_ko="선정 사업 목록",
    title_en="Selected projects",
    description=_(
        "Every funded project with its district, period, agreed city and district "
        "funding and the jobs it plans to create."
    ),
    update_cycle=_("When a project is selected or its plan changes"),
    accrual="IRREG",
    fields=[
        YEAR,
        PROJECT_CODE,
        PROJECT_KO,
        PROJECT_EN,
        DISTRICT_CODE,
        DISTRICT_KO,
        DISTRICT_EN,
        Field(
            "bizBgngYm",
            "사업시작연월",
            "First month",
            STRING,
            _("First month of the project (YYYY-MM)."),
        ),
        Field(
            "bizEndYm",
            "사업종료연월",
            "Last month",
            STRING,
            _("Last month of the project (YYYY-MM)."),
        ),
        Field(
            "ctyAmt",
            "시비금액",
            "City share (KRW)",
            INTEGER,
            _("City funding in the plan in force, in won."),
        ),
        Field(
            "signguAmt",
            "구비금액",
            "District share (KRW)",
            INTEGER,
            _("District funding in the plan in force, in won."),
        ),
        Field(
            "totBizAmt",
            "총사업비",
            "Total budget (KRW)",
            INTEGER,
            _("City and district funding together, in won."),
        ),
        Field(
            "goalJobCnt",
            "목표일자리수",
            "Planned jobs",
            INTEGER,
            _("Jobs the plan in force aims to create."),
        ),
        Field(
            "sttsCd",
            "상태코드",
            "Status",
            STRING,
            _("active, completed or cancelled."),
        ),
    ],
    filters={
        "year": (False, _("Programme year, e.g. 2019.")),
        "district": (False, _("District code, e.g. ND.")),
    },
)

MONTHLY = Dataset(
    slug="monthly-figures",
    title_ko="월별 사업 실적",
    title_en="Monthly figures per project",
    description=_(
        "Each project's accepted monthly figure for each indicator: new hires by "
        "target group, people employed at month end, outputs and spending. Months "
        "the city has not accepted are not included."
    ),
    update_cycle=_("Monthly, as the city accepts each report"),
    accrual="MONTHLY",
    fields=[
        YEAR,
        Field("crtrMm", "기준월", "Month", INTEGER, _("Month of the figure (1–12).")),
        PROJECT_CODE,
        PROJECT_KO,
        DISTRICT_CODE,
        Field(
            "indctrCd",
            "지표코드",
            "Indicator code",
            STRING,
            _("Indicator code; /api/v1/indicators/ describes each."),
        ),
        Field("indctrNm", "지표명", "Indicator", STRING, _("Indicator name.")),
        Field("indctrNmEn", "지표명(영문)", "Indicator (English)", STRING, _("Name.")),
        Field(
            "trprSeCd",
            "대상자구분코드",
            "Target group",
            STRING,
            _("Target group of the count, or 'total'."),
        ),
        Field("unitNm", "단위명", "Unit", STRING, _("Unit of the value (Korean).")),
        Field(
            "prfmncVl",
            "실적값",
            "Value",
            STRING,
            _(
                "The month's figure: a whole number, or '<3' where a small count of "
                "a vulnerable group is withheld."
            ),
        ),
    ],
    filters={
        "year": (True, _("Programme year, e.g. 2019 (required).")),
        "month": (False, _("Month 1–12; all accepted months when left out.")),
        "district": (False, _("District code, e.g. ND.")),
    },
)

GRADES = Dataset(
    slug="grades",
    title_ko="연간 평가 등급",
    title_en="Annual grades",
    description=_(
        "Each project's published year-end evaluation: score, rank and grade."
    ),
    update_cycle=_("Yearly, when the city publishes the grades"),
    accrual="ANNUAL",
    fields=[
        YEAR,
        PROJECT_CODE,
        PROJECT_KO,
        PROJECT_EN,
        DISTRICT_CODE,
        Field("evlScr", "평가점수", "Score", NUMBER, _("Evaluation score out of 100.")),
        Field("evlRnk", "평가순위", "Rank", INTEGER, _("Rank within the year.")),
        Field("grdNm", "등급명", "Grade", STRING, _("Grade, e.g. top excellence.")),
        Field("grdNmEn", "등급명(영문)", "Grade (English)", STRING, _("Grade.")),
    ],
    filters={"year": (False, _("Programme year, e.g. 2019."))},
)

DATASETS = {d.slug: d for d in (CALLS, PROJECTS, MONTHLY, GRADES)}


# --- rows ------------------------------------------------------------------------


def _iso(moment) -> str | None:
    if moment is None:
        return None
    from projects.months import SEOUL

    return moment.astimezone(SEOUL).isoformat(timespec="minutes")


def call_rows(*, year: int | None = None, **_ignored) -> list[dict]:
    from competitions.models import CallPage

    calls = CallPage.objects.live().public().order_by("-year", "opens_at", "pk")
    if year is not None:
        calls = calls.filter(year=year)
    return [
        {
            "crtrYr": call.year,
            "pblancNm": call.title,
            "pblancNmEn": call.title_en,
            "totBdgtAmt": call.total_budget,
            "bizMaxAmt": call.cap_per_project,
            "ctyShreRt": call.city_share_percent,
            "signguShreRt": call.district_share_percent,
            "rcptBgngDt": _iso(call.opens_at),
            "rcptEndDt": _iso(call.deadline),
            "anncYmd": call.announcement_on.isoformat()
            if call.announcement_on
            else None,
            "dtlUrl": call.full_url or call.url_path,
        }
        for call in calls
    ]


def _projects(*, year=None, district=None):
    from projects.models import Project

    projects = Project.objects.select_related("district").order_by(
        "district__code", "code"
    )
    if year is not None:
        projects = projects.filter(
            period_start__lte=date(year, 12, 1), period_end__gte=date(year, 1, 1)
        )
    if district is not None:
        projects = projects.filter(district=district)
    return projects


def project_rows(
    *, year=None, district=None, rows: slice | None = None, **_ignored
) -> list[dict]:
    """The projects (``rows``: a slice of them in district and code order,
    taken by the database, so a page of a city's thousands reads only its own)."""
    from projects.models import PlanTargetGroup, ProjectPlan

    projects = _projects(year=year, district=district)
    projects = list(projects if rows is None else projects[rows])
    ids = [p.pk for p in projects]
    # The plan in force now: the latest effective (Project.current_plan), for
    # all projects in two queries.
    plans = {}
    for plan in (
        ProjectPlan.objects.filter(project_id__in=ids)
        .order_by("project_id", "effective_from", "pk")
        .values("pk", "project_id", "city_share", "district_share")
    ):
        plans[plan["project_id"]] = plan
    jobs = defaultdict(int)
    for plan_id, planned in PlanTargetGroup.objects.filter(
        plan_id__in=[p["pk"] for p in plans.values()]
    ).values_list("plan_id", "planned_jobs"):
        jobs[plan_id] += planned
    rows = []
    for project in projects:
        plan = plans.get(project.pk, {"pk": None, "city_share": 0, "district_share": 0})
        rows.append(
            {
                "crtrYr": year or project.period_start.year,
                "bizCd": project.code,
                "bizNm": project.title,
                "bizNmEn": project.title_en,
                "signguCd": project.district.code,
                "signguNm": project.district.name_ko,
                "signguNmEn": project.district.name_en,
                "bizBgngYm": project.period_start.strftime("%Y-%m"),
                "bizEndYm": project.period_end.strftime("%Y-%m"),
                "ctyAmt": plan["city_share"],
                "signguAmt": plan["district_share"],
                "totBizAmt": plan["city_share"] + plan["district_share"],
                "goalJobCnt": jobs[plan["pk"]],
                "sttsCd": project.status,
            }
        )
    return rows


def monthly_rows(*, year: int, month=None, district=None, **_ignored) -> list[dict]:
    """One row per project, month, indicator and target group (``total`` for
    the whole), for the accepted months only, small counts withheld."""
    from reporting.models import FigureYear, MonthlyReport

    accepted = MonthlyReport.objects.filter(
        accepted_version__isnull=False,
        period__gte=date(year, 1, 1),
        period__lte=date(year, 12, 1),
    )
    if district is not None:
        accepted = accepted.filter(district=district)
    if month is not None:
        accepted = accepted.filter(period=date(year, month, 1))
    months_of = defaultdict(list)
    for project_id, period in accepted.values_list("project_id", "period").order_by(
        "period"
    ):
        months_of[project_id].append(period.month)
    indicators = {i.code: i for i in Indicator.objects.all()}
    vulnerable = smallcell.vulnerable_codes()
    figures = FigureYear.objects.filter(year=year, project_id__in=list(months_of))
    projects = {
        pk: (code, title, district_code)
        for pk, code, title, district_code in _projects(
            year=year, district=district
        ).values_list("pk", "code", "title", "district__code")
    }
    # (project, measure, month) → {key: value}: the totals need their parts.
    cells = defaultdict(dict)
    for row in figures.values("project_id", "measure", "key", *FigureYear.MONTHS):
        for number in months_of[row["project_id"]]:
            cells[(row["project_id"], row["measure"], number)][row["key"]] = row[
                f"month_{number}"
            ]
    rows = []
    for (project_id, measure, number), values in cells.items():
        indicator = indicators.get(measure)
        if indicator is None or project_id not in projects:
            continue
        code, title, district_code = projects[project_id]
        published = {
            key: smallcell.public_figure(
                value, project_level=True, vulnerable=key in vulnerable
            )
            for key, value in values.items()
            if key != TOTAL_KEY
        }
        if TOTAL_KEY in values:
            published[TOTAL_KEY] = smallcell.public_total(
                values[TOTAL_KEY],
                project_level=True,
                contains_withheld=any(isinstance(v, str) for v in published.values()),
            )
        for key in sorted(published, key=lambda k: (k != TOTAL_KEY, k)):
            rows.append(
                {
                    "crtrYr": year,
                    "crtrMm": number,
                    "bizCd": code,
                    "bizNm": title,
                    "signguCd": district_code,
                    "indctrCd": measure,
                    "indctrNm": indicator.name_ko,
                    "indctrNmEn": indicator.name_en,
                    "trprSeCd": key,
                    "unitNm": indicator.unit_ko,
                    "prfmncVl": published[key],
                }
            )
    rows.sort(key=lambda r: (r["signguCd"], r["bizCd"], r["crtrMm"], r["indctrCd"]))
    return rows


def grade_rows(*, year=None, **_ignored) -> list[dict]:
    from .models import ProjectEvaluation

    evaluations = (
        ProjectEvaluation.objects.filter(scheme__published_at__isnull=False)
        .select_related("scheme", "project__district", "grade")
        .order_by("-scheme__year", "rank", "project__code")
    )
    if year is not None:
        evaluations = evaluations.filter(scheme__year=year)
    return [
        {
            "crtrYr": e.scheme.year,
            "bizCd": e.project.code,
            "bizNm": e.project.title,
            "bizNmEn": e.project.title_en,
            "signguCd": e.project.district.code,
            "evlScr": float(e.score) if e.score is not None else None,
            "evlRnk": e.rank,
            "grdNm": e.grade.name_ko if e.grade else None,
            "grdNmEn": e.grade.name_en if e.grade else None,
        }
        for e in evaluations
    ]


def project_count(*, year=None, district=None, **_ignored) -> int:
    return _projects(year=year, district=district).count()


# Datasets paged by the database (the others are built whole, then sliced).
COUNTERS = {"projects": project_count}

BUILDERS = {
    "calls": call_rows,
    "projects": project_rows,
    "monthly-figures": monthly_rows,
    "grades": grade_rows,
}


def latest_year() -> int:
    """The latest year with an accepted month (the default of the pages)."""
    from reporting.models import MonthlyReport

    latest = MonthlyReport.objects.filter(accepted_version__isnull=False).aggregate(
        latest=Max("period")
    )["latest"]
    return latest.year if latest else date.today().year
