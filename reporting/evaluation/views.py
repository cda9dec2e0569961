"""Admin screens: the roll-up dashboard (city → district → project → month),
evaluation report files, and the city's evaluation of a call's projects.
Every view asks ``accounts.access`` first; figures come from ``selectors``."""

from datetime import date
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from accounts import access
from accounts.models import Organisation
from accounts.reauth import reauthentication_refusal
from closeout.selectors import final_report_status
from common.models import BackgroundJob
from common.storage import stored_file_response
from indicators.builtins import EMPLOYED, NEW_HIRES, SPENDING
from inspections.selectors import project_findings_summary
from projects.models import Project
from projects.months import SEOUL, month_label
from reporting.models import MonthlyReport, ReportValue
from reporting.month_picker import month_from_query
from reporting.selectors import Timeliness, due_on, timeliness

from . import charts, qualitative, selectors, services
from .coverage import month_coverage
from .models import EvaluationScheme, ProjectEvaluation, QualitativeScore, ReportFile


def _require_rollup_access(user) -> None:
    if not access.can(user, "view_rollup"):
        raise PermissionDenied


def _default_period(user, district) -> tuple[int, int]:
    """The latest month with accepted figures the user may see, else last month."""
    latest = selectors.latest_accepted_period(district=district)
    if latest is not None:
        return latest.year, latest.month
    today = timezone.now().astimezone(SEOUL).date()
    last = date(today.year, today.month, 1).replace(day=1)
    return (last.year, last.month - 1) if last.month > 1 else (last.year - 1, 12)


def _int_or_404(text: str | None, low: int, high: int) -> int | None:
    if text in (None, ""):
        return None
    try:
        value = int(text)
    except ValueError:
        raise Http404 from None
    if not low <= value <= high:
        raise Http404
    return value


def _district_or_404(code: str | None):
    if not code:
        return None
    district = Organisation.objects.filter(
        code=code, kind__in=Organisation.LOCAL_KINDS
    ).first()
    if district is None:
        raise Http404
    return district


def dashboard(request):
    """City (city managers), a district (its own for district users), a project,
    for a chosen year and month; each level links to the next."""
    user = request.user
    _require_rollup_access(user)
    requested = _district_or_404(request.GET.get("district"))
    project = None
    if request.GET.get("project"):
        project = access.get_visible_or_404(
            user,
            Project.objects.select_related("district"),
            code=request.GET["project"],
        )
        requested = project.district
    district = access.district_scope_for(user, requested)
    # A typed ?year=&month= that is not a month is said, not a 404: the
    # dashboard shows its usual month instead.
    default_year, default_month = _default_period(user, district)
    choice = month_from_query(request.GET, default=date(default_year, default_month, 1))
    if choice.error:
        messages.error(request, choice.error)
    year, month = choice.period.year, choice.period.month
    pending = access.can(user, "see_pending_figures", district)
    # A city of thousands of projects is read by district: projects are listed
    # only when there are few enough to read one by one.
    compared = selectors.chosen_indicator(request.GET.get("indicator"))
    rollup = selectors.rollup(
        selectors.RollupQuery(
            year=year,
            month=month,
            district=district,
            project=project,
            include_pending=pending,
            projects=None,
            year_over_year=compared,
        )
    )
    level = "project" if project else ("district" if district else "city")
    context = {
        "page_title": _("Outcomes dashboard"),
        "page_subtitle": f"{year}-{month:02d}",
        "header_icon": "table",
        "rollup": rollup,
        "totals": rollup.totals,
        "level": level,
        "district": district,
        "district_figures": rollup.district(district.code) if district else None,
        "project": project,
        "project_figures": rollup.projects[0] if project and rollup.projects else None,
        "is_city": access.is_city_manager(user),
        "show_pending": pending,
        "years": list(range(year - 6, year + 2)),
        "months": list(range(1, 13)),
        "year": year,
        "month": month,
        "coverage": month_coverage(
            year=year, month=month, district=district, project=project
        ),
        "chart_stacked": charts.new_jobs_by_district(rollup),
        "chart_cumulative": charts.cumulative_jobs(rollup),
        "chart_projects": charts.project_achievement(rollup)
        if 0 < len(rollup.projects) <= 40
        else "",
        "chart_districts": charts.district_achievement(rollup)
        if level == "city"
        else "",
        "chart_heat": charts.reporting_heat_map(rollup),
        "chart_years": charts.year_over_year(rollup),
        "indicator_choices": selectors.comparable_indicators(),
        "compared": rollup.year_over_year.indicator,
        "month_rows": _project_months(user, project, rollup) if project else [],
        # Site visits (inspections): the project's open and overdue findings.
        "site_visit_findings": project_findings_summary(project) if project else None,
        "final_report_status": final_report_status(project) if project else None,
        "report_kinds": [("xlsx", _("Excel workbook")), ("pdf", _("PDF report"))],
    }
    return TemplateResponse(request, "evaluation/admin/dashboard.html", context)


def _project_months(user, project, rollup) -> list[dict]:
    """A project's months: accepted figures, report status and timeliness, and
    the link to the month's report (the last step of the drill-down)."""
    figures = (
        ReportValue.objects.filter(
            in_force=True, project=project, period__in=rollup.months
        )
        .values_list("period", "measure", "key")
        .annotate(total=Sum("value"))
        .order_by()
    )
    # Each indicator's members add up within the month (people of two target
    # groups); an indicator never adds to another (a household and a visit are
    # not one number).
    by_month: dict[date, dict[str, int]] = {}
    for period, measure, _key, total in figures:
        month = by_month.setdefault(period, {})
        month[measure] = month.get(measure, 0) + total
    output_codes = (
        [output.code for output in rollup.projects[0].outputs.values()]
        if rollup.projects
        else []
    )
    reports = {
        r.period: r
        for r in access.visible_to(user, MonthlyReport).filter(
            project=project, period__in=rollup.months
        )
    }
    now = timezone.now()
    names = {
        Timeliness.ON_TIME: _("on time"),
        Timeliness.LATE: _("late"),
        Timeliness.MISSING: _("missing"),
        Timeliness.NOT_YET_DUE: _("not yet due"),
    }
    rows = []
    for period in rollup.months:
        if not project.covers(period):
            continue
        report = reports.get(period)
        state = timeliness(
            project=project,
            period=period,
            first_submitted_at=report.first_submitted_at if report else None,
            now=now,
        )
        values = by_month.get(period, {})
        rows.append(
            {
                "label": month_label(period),
                "new_hires": values.get(NEW_HIRES, 0),
                "employed": values.get(EMPLOYED, 0),
                "outputs": [values.get(code, 0) for code in output_codes],
                "spending": values.get(SPENDING, 0),
                "report": report,
                "due": due_on(project, period),
                "timeliness": names[state],
                "accepted": bool(report and report.accepted_version_id),
            }
        )
    return rows


# --- report files ---------------------------------------------------------------


@require_POST
def report_request(request):
    """Ask for the Excel or PDF report of the dashboard's period and scope: an
    unchanged request gets the last file at once, otherwise a job builds it."""
    user = request.user
    _require_rollup_access(user)
    year = _int_or_404(request.POST.get("year"), 2000, 2100)
    month = _int_or_404(request.POST.get("month"), 1, 12)
    if year is None or month is None:
        raise Http404
    district = _district_or_404(request.POST.get("district"))
    try:
        report_file, job = services.report_file_request(
            user=user,
            kind=request.POST.get("kind", ""),
            year=year,
            month=month,
            district=district,
            language=get_language() or "ko",
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("evaluation_dashboard")
    if report_file is not None:
        messages.success(
            request, _("Nothing has changed since this file was built; here it is.")
        )
        return redirect("evaluation_report_file", report_file.pk)
    return redirect("evaluation_job", job.pk)


def report_job(request, job_id):
    job = access.get_visible_or_404(
        request.user, BackgroundJob, pk=job_id, kind="evaluation_report"
    )
    report_file = None
    if job.result.get("report_file"):
        report_file = (
            access.visible_to(request.user, ReportFile)
            .filter(pk=job.result["report_file"])
            .first()
        )
    return TemplateResponse(
        request,
        "evaluation/admin/job.html",
        {
            "page_title": _("Evaluation report"),
            "header_icon": "download",
            "job": job,
            "report_file": report_file,
        },
    )


def report_file_page(request, pk: int):
    report_file = access.get_visible_or_404(request.user, ReportFile, pk=pk)
    return TemplateResponse(
        request,
        "evaluation/admin/report_file.html",
        {
            "page_title": _("Evaluation report"),
            "header_icon": "download",
            "report_file": report_file,
        },
    )


def report_file_download(request, pk: int):
    report_file = access.get_visible_or_404(request.user, ReportFile, pk=pk)
    return stored_file_response(report_file.file)


# --- evaluation (city) -------------------------------------------------------------


def _require_evaluation(user) -> None:
    if not access.can(user, "manage_evaluation"):
        raise PermissionDenied


def evaluation_detail(request, pk: int):
    """A scheme's evaluation: measures, scores, ranks and grades; qualitative
    scores; what the grades give the next call's proposals."""
    _require_evaluation(request.user)
    scheme = access.get_visible_or_404(
        request.user,
        EvaluationScheme.objects.select_related("call", "next_call"),
        pk=pk,
    )
    evaluations = (
        access.visible_to(request.user, ProjectEvaluation)
        .filter(scheme=scheme)
        .select_related("project", "project__district", "grade")
        .order_by("rank", "project__code")
    )
    from competitions.models import Proposal
    from reporting.evaluation.selectors import bonus_points_for

    next_call_rows = []
    if scheme.next_call_id:
        for proposal in (
            Proposal.objects.filter(call=scheme.next_call)
            .select_related("district")
            .order_by("district__code", "pk")
        ):
            if proposal.status in ("draft", "awaiting_approval"):
                continue
            best = selectors.previous_grade_for(proposal)
            next_call_rows.append(
                {
                    "proposal": proposal,
                    "grade": best.grade if best else None,
                    "bonus": bonus_points_for(proposal),
                }
            )
    reviewer_progress, project_progress = qualitative.qualitative_progress(
        scheme=scheme
    )
    return TemplateResponse(
        request,
        "evaluation/admin/evaluation.html",
        {
            "page_title": _("Evaluation"),
            "page_subtitle": str(scheme),
            "header_icon": "pick",
            "scheme": scheme,
            "tiers": scheme.tiers.all(),
            "evaluations": evaluations,
            "qualitative": QualitativeScore.objects.filter(
                scheme=scheme
            ).select_related("project", "reviewer"),
            "reviewer_progress": reviewer_progress,
            "project_progress": project_progress,
            "eligible_reviewers": qualitative.eligible_reviewers(scheme=scheme),
            "next_call_rows": next_call_rows,
            "weights": scheme.weights,
            "reopen_reason": request.GET.get("reason", ""),
        },
    )


def access_user_model():
    from django.contrib.auth import get_user_model

    return get_user_model()


@require_POST
def evaluation_action(request, pk: int, action: str):
    _require_evaluation(request.user)
    scheme = access.get_visible_or_404(request.user, EvaluationScheme, pk=pk)
    try:
        if action == "evaluate":
            services.evaluation_compute(scheme=scheme, actor=request.user)
            messages.success(request, _("The projects were evaluated and graded."))
        elif action == "publish":
            if refusal := reauthentication_refusal(
                request, next_url=reverse("evaluation_detail", args=[scheme.pk])
            ):
                return refusal
            services.evaluation_publish(scheme=scheme, actor=request.user)
            messages.success(request, _("The grades are published."))
        elif action == "reopen":
            # The reason typed comes back in the form after re-authenticating.
            back = f"{reverse('evaluation_detail', args=[scheme.pk])}?{urlencode({'reason': request.POST.get('reason', '')})}"
            if refusal := reauthentication_refusal(request, next_url=back):
                return refusal
            services.evaluation_reopen(
                scheme=scheme, actor=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(
                request,
                _("The grades are reopened. Correct them, evaluate again and publish."),
            )
        elif action in ("assign", "unassign"):
            # The qualitative score is the reviewers' own: the city assigns
            # them and follows their progress, and enters no score for them.
            reviewer = access.get_visible_or_404(
                request.user, access_user_model(), pk=request.POST.get("reviewer")
            )
            if action == "assign":
                qualitative.evaluation_reviewer_assign(
                    scheme=scheme, reviewer=reviewer, actor=request.user
                )
                messages.success(request, _("Reviewer assigned."))
            else:
                qualitative.evaluation_reviewer_unassign(
                    scheme=scheme, reviewer=reviewer, actor=request.user
                )
                messages.success(request, _("Reviewer removed."))
        elif action == "remind":
            count = qualitative.evaluation_reviewers_remind(
                scheme=scheme, actor=request.user
            )
            messages.success(
                request,
                _("%(count)s reviewers with projects left to score were reminded.")
                % {"count": count},
            )
        else:
            raise Http404
    except (ValidationError, ValueError, ArithmeticError) as error:
        for message in getattr(error, "messages", [str(error)]):
            messages.error(request, message)
    return redirect(reverse("evaluation_detail", args=[scheme.pk]))


# --- the qualitative score, by the reviewers themselves ----------------------------


def qualitative_mine(request):
    """A reviewer's year-end evaluations: each scheme they are assigned to,
    with how many of its projects they have scored."""
    if not access.can(request.user, "score"):
        raise Http404
    return TemplateResponse(
        request,
        "evaluation/admin/qualitative_mine.html",
        {
            "page_title": _("Year-end evaluation"),
            "header_icon": "pick",
            "rows": qualitative.schemes_for_reviewer(reviewer=request.user),
        },
    )


def _qualitative_scheme_page(request, scheme, *, typed=None, status=200):
    lines = qualitative.reviewer_lines(scheme=scheme, reviewer=request.user)
    for line in lines:
        line.typed = (typed or {}).get(line.project.pk)
    return TemplateResponse(
        request,
        "evaluation/admin/qualitative_scheme.html",
        {
            "page_title": _("Year-end evaluation"),
            "page_subtitle": str(scheme.year),
            "header_icon": "pick",
            "scheme": scheme,
            "lines": lines,
        },
        status=status,
    )


def qualitative_scheme(request, pk: int):
    """The projects a reviewer scores (their tied districts' left out), blind
    where the scheme says so, each with only their own score."""
    scheme = EvaluationScheme.objects.select_related("call").filter(pk=pk).first()
    if scheme is None or not access.can(request.user, "score_qualitative", scheme):
        raise Http404
    return _qualitative_scheme_page(request, scheme)


@require_POST
def qualitative_score(request, pk: int, project_pk: int):
    """A reviewer saves their score of one project. A project they may not
    score (another call's, or a tied district's) is a 404, whatever the id.
    A refused score comes back in the form as typed, with the reason."""
    scheme = EvaluationScheme.objects.select_related("call").filter(pk=pk).first()
    project = Project.objects.filter(pk=project_pk).first()
    if (
        scheme is None
        or project is None
        or not access.can(request.user, "score_qualitative", scheme, project)
    ):
        raise Http404
    score = request.POST.get("score", "")
    comment = request.POST.get("comment", "")
    try:
        qualitative.qualitative_score_submit(
            scheme=scheme,
            project=project,
            score=score,
            comment=comment,
            actor=request.user,
        )
    except ValidationError as error:
        typed = {project.pk: {"score": score, "comment": comment}}
        typed[project.pk]["errors"] = error.messages
        return _qualitative_scheme_page(request, scheme, typed=typed, status=400)
    messages.success(request, _("Your score is saved."))
    return redirect(
        f"{reverse('evaluation_qualitative_scheme', args=[pk])}#project-{project.pk}"
    )
