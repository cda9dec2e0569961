"""What the public pages read: which projects are public, and their accepted
figures year by year, from the same roll-up as every other screen.

A project is public once the results of its call are published
(``competitions.ResultsPublication``); a project the city funded without a
call is public from the start, as the outcomes page and the open data have
always shown it. Its figures are those of accepted reports only
(``RollupQuery(public=True)``). A district's figures on its page add up its
public projects only, indicator by indicator (``Figures.add``), so a project of
a call still under review never shows through a total.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Max, Q
from django.http import Http404
from django.urls import reverse

from accounts.models import Organisation
from projects.models import Project
from reporting.models import MonthlyReport

from .. import selectors
from ..models import OutcomesPage, ProjectEvaluation


def public_figure(value, *, project_level: bool, vulnerable: bool):
    """A count as the public may see it: a count of a vulnerable target group
    at project level below the threshold is published as "<3"
    (``reporting.evaluation.smallcell``, the rule the dataset pages state)."""
    from ..smallcell import public_figure as protected

    return protected(value, project_level=project_level, vulnerable=vulnerable)


def public_projects():
    """Projects whose call's results are published (or that have no call)."""
    return Project.objects.filter(
        Q(call__isnull=True) | Q(call__results_publication__isnull=False)
    )


def public_district_or_404(code: str) -> Organisation:
    """A district or county by its code; any other code is a 404."""
    district = Organisation.objects.filter(
        code=code, kind__in=Organisation.LOCAL_KINDS
    ).first()
    if district is None:
        raise Http404
    return district


def public_project_or_404(code: str) -> Project:
    project = public_projects().select_related("district").filter(code=code).first()
    if project is None:
        raise Http404
    return project


def _years(periods) -> list[int]:
    return sorted(
        {y for start, end in periods for y in range(start.year, end.year + 1)}
    )


def latest_accepted_month_of(project: Project, year: int) -> int | None:
    """The last month of the year the city accepted a report of the project."""
    latest = MonthlyReport.objects.filter(
        project=project,
        accepted_version__isnull=False,
        period__gte=date(year, 1, 1),
        period__lte=date(year, 12, 1),
    ).aggregate(latest=Max("period"))["latest"]
    return latest.month if latest else None


@dataclass
class DistrictYear:
    """One programme year of a district: its public projects' figures, January
    to the last month with an accepted report, and their sum."""

    year: int
    month: int | None
    projects: list[selectors.ProjectFigures] = field(default_factory=list)
    totals: selectors.Figures | None = None
    outcomes_url: str = ""  # the year's outcomes page, when one is published
    # Small-cell protection over time (smallcell): totals that would reveal.
    hidden_projects: set = field(default_factory=set)
    totals_hidden: bool = False
    withheld_label: str = ""

    @property
    def has_figures(self) -> bool:
        return self.month is not None


def district_years(district: Organisation) -> list[DistrictYear]:
    """The district's public projects year by year, oldest first."""
    projects = public_projects().filter(district=district)
    public_ids = set(projects.values_list("pk", flat=True))
    years = []
    for year in _years(projects.values_list("period_start", "period_end")):
        month = selectors.latest_accepted_month(year=year, district=district)
        if month is None:
            listed = projects.filter(**selectors._year_filter(year)).order_by("code")
            years.append(DistrictYear(year, None, projects=list(listed)))
            continue
        rollup = selectors.rollup(
            selectors.RollupQuery(
                year=year,
                month=month,
                district=district,
                public=True,
                with_retention=False,
                with_timeliness=False,
                detail=False,
            )
        )
        shown = [p for p in rollup.projects if p.project_id in public_ids]
        totals = selectors.Figures(
            code=district.code,
            name_ko=district.name_ko,
            name_en=district.name_en,
            months=month,
        )
        for figures in shown:
            totals.add(figures)
        years.append(DistrictYear(year, month, projects=shown, totals=totals))
    return years


@dataclass
class ProjectYear:
    """One programme year of a project: its accepted figures to the month."""

    year: int
    month: int | None
    figures: selectors.ProjectFigures | None = None

    @property
    def has_figures(self) -> bool:
        return self.figures is not None


def project_years(project: Project) -> list[ProjectYear]:
    """The project's years, oldest first, each with its accepted figures."""
    years = []
    for year in _years([(project.period_start, project.period_end)]):
        month = latest_accepted_month_of(project, year)
        figures = None
        if month is not None:
            rollup = selectors.rollup(
                selectors.RollupQuery(
                    year=year,
                    month=month,
                    project=project,
                    public=True,
                    with_retention=False,
                    with_timeliness=False,
                )
            )
            figures = rollup.project(project.code)
        years.append(ProjectYear(year, month, figures))
    return years


def published_grades(project: Project):
    """The project's grades from published evaluations only."""
    return ProjectEvaluation.objects.filter(
        project=project, scheme__published_at__isnull=False, grade__isnull=False
    ).select_related("grade", "scheme")


def live_outcomes_pages():
    """The published outcomes pages, newest year first (the year navigation)."""
    return OutcomesPage.objects.live().public().order_by("-year", "pk")


def outcomes_page_for(year: int) -> OutcomesPage | None:
    return live_outcomes_pages().filter(year=year).first()


def public_page_urls() -> list[str]:
    """One example URL of each public page kind of this module (for the
    screenshot test): a district page, a project page, the one-page PDF."""
    urls = []
    project = public_projects().order_by("-period_start", "code").first()
    if project is not None:
        urls.append(reverse("public_district", args=[project.district.code]))
        urls.append(reverse("public_project", args=[project.code]))
    page = live_outcomes_pages().first()
    if page is not None:
        urls.append(reverse("public_outcomes_pdf", args=[page.year]))
    return urls


def headline_figures():
    """The home page's headline: the latest year with accepted figures, from its public outcomes page,
    through the same public roll-up the outcomes page shows."""
    from cms.selectors import HeadlineFigures

    from .. import selectors
    from ..models import OutcomesPage

    for page in OutcomesPage.objects.live().public().order_by("-year"):
        month = page.month or selectors.latest_accepted_month(year=page.year)
        if month is None:
            continue
        rollup = selectors.rollup(
            selectors.RollupQuery(
                year=page.year,
                month=month,
                call=page.call,
                public=True,
                projects=False,
                with_retention=False,
                with_timeliness=False,
            )
        )
        totals = rollup.totals
        return HeadlineFigures(
            page=page,
            year=page.year,
            month=month,
            project_count=totals.project_count,
            district_count=rollup.district_count,
            jobs_created=totals.jobs_created,
            jobs_target=totals.jobs_target,
            achievement=totals.achievement,
        )
    return None
