"""The public district and project pages and the one-page outcomes PDF.

No login: what they show is public by construction (``public.selectors``):
published projects, accepted figures, counts and money, never a person.
"""

import hashlib
from datetime import date

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from common.money import money_text
from common.replica import public_read

from .. import charts, smallcell
from .. import selectors as rollups
from ..caching import public_page_cache
from ..services import report_title
from . import selectors

ONE_PAGE_VERSION = "1"  # raise when the one-page PDF's layout changes
ONE_PAGE_SECONDS = 60 * 60 * 24


def _text(value) -> str:
    """A figure as the page writes it: whole numbers with separators."""
    if value is None:
        return "–"
    if isinstance(value, int):
        return money_text(value)
    if isinstance(value, str | Promise):
        return str(value)  # a withheld figure's label ("<3")
    return f"{value:,}"


def _percent(value) -> str:
    return "–" if value is None else f"{value} %"


def district_jobs_chart(district, years) -> charts.Chart | None:
    """Jobs created in each year with accepted figures (January to that
    year's last accepted month), one indicator in one unit."""
    items = [
        (str(y.year), y.totals.jobs_created)
        for y in years
        if y.has_figures and not y.totals_hidden
    ]
    if not items:
        return None
    return charts.year_bars(
        items,
        title=_("Jobs created per year: %(district)s") % {"district": district.name},
        x_label=_("Year"),
        y_label=_("Jobs created (people)"),
        width=480,
    )


def _hide_revealing_totals(year) -> None:
    """A project's jobs created to date that holds a withheld count of a
    vulnerable group, or would give a withheld month away, reads "<3"; so does
    the district's total over it (``smallcell``)."""
    withheld = smallcell.withheld_months(year.year)
    vulnerable = smallcell.vulnerable_codes()
    year.hidden_projects = {
        p.code
        for p in year.projects
        if withheld.total(p.code, year.month)
        or any(
            code in vulnerable and smallcell.is_small(g.jobs)
            for code, g in p.groups.items()
        )
    }
    year.totals_hidden = bool(year.hidden_projects)
    year.withheld_label = smallcell.withheld_label()


@require_GET
@public_read
@public_page_cache
def district_page(request, code: str):
    district = selectors.public_district_or_404(code)
    years = selectors.district_years(district)
    outcomes = {page.year: page for page in selectors.live_outcomes_pages()}
    for year in years:
        if year.year in outcomes:
            year.outcomes_url = outcomes[year.year].url
        if year.has_figures:
            _hide_revealing_totals(year)
    return render(
        request,
        "evaluation/public/district.html",
        {
            "district": district,
            "district_name": district.name,
            "years": list(reversed(years)),
            "jobs_chart": district_jobs_chart(district, years),
        },
    )


def _withheld_text(f, hidden_codes) -> dict:
    return {
        "value": smallcell.withheld_label(),
        "target": _text(f.target) if f.target else "–",
        "achievement": "–",
    }


def indicator_rows(figures, *, hidden_codes=frozenset()) -> list[dict]:
    """Every indicator of a project's year, target against result, each in
    its own unit (never added to another); an indicator in ``hidden_codes``
    (new hires, when its total would give a withheld month away) reads "<3"
    and no achievement (the target is public, so it would reveal the total)."""
    return [
        {
            "code": f.code,
            "name": f.name,
            "unit": f.unit,
            "value": _text(
                selectors.public_figure(f.value, project_level=True, vulnerable=False)
            ),
            "target": _text(f.target) if f.target else "–",
            "achievement": _percent(f.achievement) if f.target else "–",
        }
        | (_withheld_text(f, hidden_codes) if f.code in hidden_codes else {})
        for f in figures.indicators.values()
    ]


def group_rows(figures, *, hidden_codes=frozenset()) -> list[dict]:
    """Jobs per target group: a count of people of a (possibly vulnerable)
    group at project level, so through ``public_figure`` (small-cell
    protection for the groups a call marks vulnerable); a group in
    ``hidden_codes`` (its cumulative would give a withheld month away) reads
    "<3" whatever its size."""
    vulnerable = smallcell.vulnerable_codes()
    return [
        {
            "code": g.code,
            "name": g.name,
            "jobs": _text(
                smallcell.withheld_label()
                if g.code in hidden_codes
                else selectors.public_figure(
                    g.jobs, project_level=True, vulnerable=g.code in vulnerable
                )
            ),
            "target": _text(g.target),
        }
        for g in figures.groups.values()
    ]


def project_trend_chart(project, year, withheld) -> charts.Chart:
    """The jobs created to date month by month; a month whose cumulative
    would give a withheld month away (``smallcell.WithheldMonths``) is left
    out of the line."""
    figures = year.figures
    shown = [
        (month, value)
        for month, value in enumerate(figures.cumulative_jobs, start=1)
        if not withheld.total(project.code, month)
    ]
    return charts.line_against_target(
        [str(month) for month, _value in shown],
        [value for _month, value in shown],
        figures.jobs_target,
        title=_("Jobs created to date against the target: %(project)s, %(year)s")
        % {"project": project.display_title, "year": year.year},
        x_label=_("Month of %(year)s") % {"year": year.year},
        y_label=_("Jobs created to date (people)"),
    )


def _funding(project, years) -> dict | None:
    """The agreed amounts (public once selected): the plan in force for the
    last month with figures, else the current plan."""
    shown = [y for y in years if y.has_figures]
    plan = (
        project.plan_for(date(shown[-1].year, shown[-1].month, 1))
        if shown
        else project.current_plan
    )
    if plan is None:
        return None
    return {
        "city_share": plan.city_share,
        "district_share": plan.district_share,
        "total": plan.city_share + plan.district_share,
    }


@require_GET
@public_read
@public_page_cache
def project_page(request, code: str):
    project = selectors.public_project_or_404(code)
    years = selectors.project_years(project)
    shown = [
        _project_year(project, y) for y in reversed(years) if y.figures is not None
    ]
    return render(
        request,
        "evaluation/public/project.html",
        {
            "project": project,
            "district": project.district,
            "years": shown,
            "waiting_years": [y.year for y in years if y.figures is None],
            "funding": _funding(project, years),
            "grades": selectors.published_grades(project),
        },
    )


def _project_year(project, year) -> dict:
    """One year of the project page, with the cumulatives that would give a
    withheld month away withheld (``smallcell``'s rule over time)."""
    from indicators.builtins import NEW_HIRES

    withheld = smallcell.withheld_months(year.year)
    figures = year.figures
    hidden_groups = {
        code
        for code in figures.groups
        if withheld.group(project.code, code, year.month)
    }
    vulnerable = smallcell.vulnerable_codes()
    small_group = any(
        smallcell.is_small(g.jobs) and code in vulnerable
        for code, g in figures.groups.items()
    )
    total_hidden = bool(hidden_groups) or small_group
    total_hidden = total_hidden or withheld.total(project.code, year.month)
    return {
        "year": year.year,
        "month": year.month,
        "figures": figures,
        "indicators": indicator_rows(
            figures, hidden_codes={NEW_HIRES} if total_hidden else frozenset()
        ),
        "groups": group_rows(figures, hidden_codes=hidden_groups),
        "chart": project_trend_chart(project, year, withheld),
        "spending": _text(figures.spending),
        "execution_rate": _percent(figures.execution_rate),
    }


# --- the one-page PDF -----------------------------------------------------------


def _one_page_key(*, year: int, month: int, call, language: str) -> str:
    """The cache key of a one-page PDF: the same inputs as the evaluation
    report files (the data stamp), so any accepted change builds a new one."""
    stamp = rollups.data_stamp(year=year, month=month)
    text = "|".join(
        [ONE_PAGE_VERSION, str(year), str(month), str(call or ""), language, stamp]
    )
    return "outcomes-one-page:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def outcomes_one_page_pdf(*, year: int, month: int, call=None, language: str) -> bytes:
    """The year's one-page outcomes PDF in a language, built once per data stamp."""
    from ..exports.pdf import build_outcomes_one_page

    key = _one_page_key(
        year=year, month=month, call=call.pk if call else None, language=language
    )
    content = cache.get(key)
    if content is None:
        with translation.override(language):
            rollup = rollups.rollup(
                rollups.RollupQuery(
                    year=year,
                    month=month,
                    call=call,
                    public=True,
                    with_retention=False,
                    with_timeliness=False,
                    detail=False,
                    projects=False,
                )
            )
            content = build_outcomes_one_page(
                rollup, title=report_title(year=year, month=month)
            )
        cache.set(key, content, ONE_PAGE_SECONDS)
    return content


@require_GET
@public_read
@public_page_cache
def outcomes_pdf(request, year: int):
    """The one-page PDF of a year that has a published outcomes page, over the
    same months and call as that page; any other year is a 404."""
    page = selectors.outcomes_page_for(year)
    if page is None:
        raise Http404
    month = page.month or rollups.latest_accepted_month(year=year)
    if month is None:
        raise Http404
    language = translation.get_language() or "ko"
    language = "en" if language.startswith("en") else "ko"
    content = outcomes_one_page_pdf(
        year=year, month=month, call=page.call, language=language
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="outcomes-{year}-{month:02d}-{language}.pdf"'
    )
    response["Content-Language"] = language
    return response
