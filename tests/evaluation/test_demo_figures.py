"""Done when: the demo's September 2019 figures — 180 jobs city-wide; Bupyeong-gu
961 households and 2,634 coaching visits; Seo-gu 2,136 shuttle runs — are the
same on the dashboard, in the workbook, in the PDF, on the outcomes page and in
the API. The demo is seeded once for this module (inside a transaction that is
rolled back at the end)."""

import csv
import io
import re
from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import User
from common.models import BackgroundJob
from competitions.models import Proposal
from indicators.builtins import NEW_HIRES, TOTAL_KEY
from projects.models import Project
from reporting.evaluation import selectors, services
from reporting.evaluation.models import (
    EvaluationScheme,
    OutcomesPage,
    ProjectEvaluation,
    ReportFile,
)

JOBS, HOUSEHOLDS, VISITS, RUNS = 180, 961, 2_634, 2_136


def _seed_evaluation_demo_after_the_move():
    from reporting.evaluation.demo import seed_evaluation_demo

    seed_evaluation_demo()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        mock.patch(
            "common.management.commands.seed_demo.seed_evaluation_demo",
            _seed_evaluation_demo_after_the_move,
        ),
    ):
        call_command("seed_demo", "--quiet-accounts")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def city(demo, db):
    return User.objects.get(username="city")


def _build(city, kind, django_capture_on_commit_callbacks, district=None):
    """Request a report file as the city would; the job runs (eagerly) on commit."""
    with django_capture_on_commit_callbacks(execute=True):
        report_file, job = services.report_file_request(
            user=city, kind=kind, year=2019, month=9, district=district, language="ko"
        )
    if report_file is None:
        job.refresh_from_db()
        assert job.status == BackgroundJob.Status.SUCCEEDED, job.message
        report_file = ReportFile.objects.get(pk=job.result["report_file"])
    return report_file, job


def test_the_selector_adds_up_to_the_reported_figures(city):
    rollup = selectors.rollup(selectors.RollupQuery(year=2019, month=9))
    assert rollup.totals.jobs_created == JOBS
    assert (rollup.totals.project_count, rollup.district_count) == (9, 8)
    assert rollup.district("BP").outputs["households_visited"].value == HOUSEHOLDS
    assert rollup.district("BP").outputs["coaching_visits"].value == VISITS
    assert rollup.district("SG").outputs["shuttle_runs"].value == RUNS
    assert {d.code: d.jobs_created for d in rollup.districts} == {
        "BP": 27,
        "DG": 6,
        "GY": 32,
        "MH": 33,
        "ND": 10,
        "OJ": 16,
        "SG": 26,
        "YS": 30,
    }
    # Four months arrived late (domain: BP March, OJ February, ND August, SG July).
    assert (rollup.totals.reports.expected, rollup.totals.reports.late) == (81, 4)
    # Dong-gu keeps a roster: its retention is computed from it.
    assert rollup.district("DG").retention is not None
    # October is open (drafts only): the figures stay at 180.
    assert (
        selectors.rollup(selectors.RollupQuery(year=2019, month=10)).totals.jobs_created
        == JOBS
    )


def _figures_of(scope) -> dict:
    return {
        "jobs": (
            scope.jobs_created,
            scope.jobs_target,
            scope.employed,
            scope.project_count,
        ),
        "money": (scope.spending, scope.budget),
        "groups": {
            code: (g.jobs, g.target, g.name_ko) for code, g in scope.groups.items()
        },
        "outputs": {
            code: (o.value, o.target, o.name_ko, o.unit_ko)
            for code, o in scope.outputs.items()
        },
        "months": scope.monthly_jobs,
        "reports": (
            scope.reports.expected,
            scope.reports.on_time,
            scope.reports.late,
            scope.reports.not_yet_due,
        ),
        "retention": scope.retention,
    }


@pytest.mark.parametrize("month", [2, 7, 9, 12])
def test_each_district_summed_by_the_database_is_the_sum_of_its_projects(city, month):
    """Districts are summed per district in SQL, projects one by one: two
    roads to the same numbers, for every district and month."""
    rollup = selectors.rollup(selectors.RollupQuery(year=2019, month=month))
    assert len(rollup.projects) == 9
    for district in rollup.districts:
        summed = selectors.Figures(code="", name_ko="", name_en="", months=month)
        for project in district.projects:
            summed.add(project)
        assert _figures_of(district) == _figures_of(summed), district.code


def test_a_city_of_many_projects_is_read_by_district_with_the_same_figures(
    city, monkeypatch
):
    listed = selectors.rollup(selectors.RollupQuery(year=2019, month=9))
    monkeypatch.setattr(selectors, "DETAIL_LIMIT", 5)
    by_district = selectors.rollup(
        selectors.RollupQuery(year=2019, month=9, projects=None)
    )
    assert (by_district.detail, by_district.projects) == (False, [])
    assert by_district.totals.project_count == 9
    assert [_figures_of(d) for d in by_district.districts] == [
        _figures_of(d) for d in listed.districts
    ]
    assert _figures_of(by_district.totals) == _figures_of(listed.totals)
    # A slice of the projects, in district and code order, with the same figures each.
    page = selectors.rollup(
        selectors.RollupQuery(
            year=2019, month=9, project_slice=slice(3, 6), detail=True
        )
    )
    assert [p.code for p in page.projects] == [p.code for p in listed.projects[3:6]]
    assert [_figures_of(p) for p in page.projects] == [
        _figures_of(p) for p in listed.projects[3:6]
    ]
    assert _figures_of(page.totals) == _figures_of(listed.totals)


def test_the_dashboard_shows_the_same_figures_and_drills_down_to_the_month(
    client, city
):
    client.force_login(city)
    url = reverse("evaluation_dashboard")
    body = client.get(url, {"year": 2019, "month": 9}).content.decode()
    assert 'data-figure="jobs_created">180<' in body
    assert 'data-output="BP.households_visited">961<' in body
    assert 'data-output="BP.coaching_visits">2,634<' in body
    assert 'data-output="SG.shuttle_runs">2,136<' in body
    assert 'data-district-jobs="SG">26<' in body
    assert "?year=2019&amp;month=9&amp;district=BP" in body
    assert body.count("<svg") >= 5
    district = client.get(
        url, {"year": 2019, "month": 9, "district": "BP"}
    ).content.decode()
    assert 'data-figure="jobs_created">27<' in district
    project = Project.objects.get(district__code="BP")
    assert f"project={project.code}" in district
    months = client.get(
        url, {"year": 2019, "month": 9, "project": project.code}
    ).content.decode()
    march = project.reports.get(period__month=3, period__year=2019)
    assert reverse("reporting_report", args=[march.pk]) in months


def test_a_city_too_large_to_list_shows_districts_and_leaves_projects_to_their_district(
    client, city, monkeypatch
):
    monkeypatch.setattr(selectors, "DETAIL_LIMIT", 5)
    client.force_login(city)
    url = reverse("evaluation_dashboard")
    body = client.get(url, {"year": 2019, "month": 9}).content.decode()
    assert 'data-figure="jobs_created">180<' in body
    assert 'data-district-jobs="SG">26<' in body
    assert 'data-output="BP.households_visited">961<' in body
    project = Project.objects.get(district__code="BP")
    assert f"project={project.code}" not in body  # no project list at city level
    district = client.get(
        url, {"year": 2019, "month": 9, "district": "BP"}
    ).content.decode()
    assert f"project={project.code}" in district


def test_the_workbook_shows_the_same_figures(city, django_capture_on_commit_callbacks):
    report_file, _job = _build(city, "xlsx", django_capture_on_commit_callbacks)
    with report_file.file.open("rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()))
    summary = workbook.worksheets[0]
    total_row = [
        row for row in summary.iter_rows(values_only=True) if row[1] == "시 전체"
    ][0]
    assert total_row[2:5] == (9, JOBS, JOBS)
    assert summary.freeze_panes == "C5"
    assert int(summary.page_setup.paperSize) == 9  # A4
    assert summary.title == "요약"
    assert summary._charts, "the summary has a native chart"
    bupyeong = next(ws for ws in workbook.worksheets if ws.title.endswith("BP"))
    # Each output row names its indicator: code, name, unit (the catalogue's).
    outputs = {
        row[1]: row[2:5]
        for row in bupyeong.iter_rows(values_only=True)
        if row[1] in ("households_visited", "coaching_visits")
    }
    assert outputs["households_visited"] == ("방문 가구", "가구", HOUSEHOLDS)
    assert outputs["coaching_visits"] == ("코칭 방문", "회", VISITS)
    seogu = next(ws for ws in workbook.worksheets if ws.title.endswith("SG"))
    assert ("shuttle_runs", RUNS) in [
        (row[1], row[4]) for row in seogu.iter_rows(values_only=True)
    ]
    by_indicator = workbook.worksheets[-1]
    city_rows = {
        row[1]: row[4]
        for row in by_indicator.iter_rows(values_only=True)
        if row[0] == "시 전체"
    }
    assert city_rows[NEW_HIRES] == JOBS
    assert city_rows["shuttle_runs"] == RUNS
    matrix = workbook.worksheets[1 + 8]
    assert matrix.freeze_panes == "D5"
    matrix_total = [
        row for row in matrix.iter_rows(values_only=True) if row[1] == "시 전체"
    ][0]
    assert sum(matrix_total[3:12]) == JOBS == matrix_total[12]
    assert matrix._charts


def test_the_pdf_shows_the_same_figures_in_korean(
    city, django_capture_on_commit_callbacks
):
    report_file, _job = _build(city, "pdf", django_capture_on_commit_callbacks)
    with report_file.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    # pypdf spaces out (or pads with NULs) the glyphs of a subset CID font: join them up.
    text = re.sub(
        r"[\s\x00]+", "", "".join(page.extract_text() for page in reader.pages)
    )
    assert "2019년9월까지8개구·군의9개사업이일자리180개를만들었습니다" in text
    assert "부평구" in text and "서구" in text
    assert "961" in text and "2,634" in text and "2,136" in text
    fonts = {
        str(font)
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert fonts  # an embedded font carries the Korean text
    assert any(
        "NotoSansKR" in str(f.get_object().get("/BaseFont"))
        for page in reader.pages
        for f in page["/Resources"]["/Font"].values()
    )


def test_the_outcomes_page_shows_the_same_figures(client, city):
    page = OutcomesPage.objects.get(year=2019)
    body = client.get(page.url).content.decode()
    assert "2019년 9월까지" in body and "일자리 180개" in body
    assert 'data-output="households_visited">961 가구' in body
    assert 'data-output="coaching_visits">2,634 회' in body
    assert 'data-output="shuttle_runs">2,136 회' in body
    assert body.count('class="outcome-card"') == 9


def test_the_api_shows_the_same_figures_as_json_and_csv(client, city):
    data = client.get("/api/v1/outcomes/", {"year": 2019, "month": 9}).json()
    assert data["period"]["to"] == "2019-09"
    assert data["totals"]["jobs_created"] == JOBS
    districts = {d["code"]: d for d in data["districts"]}
    assert districts["BP"]["outputs"]["households_visited"]["value"] == HOUSEHOLDS
    assert districts["BP"]["outputs"]["coaching_visits"]["value"] == VISITS
    assert districts["SG"]["outputs"]["shuttle_runs"] == {
        "indicator": "shuttle_runs",
        "aggregation": "sum",
        "name_ko": "셔틀 운행",
        "name_en": "Shuttle runs",
        "unit": "회",
        "unit_en": "runs",
        "value": RUNS,
        "target": 2_100,
    }
    assert len(data["projects"]) == 9
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    "/api/v1/outcomes/", {"year": 2019, "month": 9, "format": "csv"}
                ).content.decode()
            )
        )
    )
    total = next(
        r
        for r in rows
        if r["level"] == "total"
        and (r["indicator"], r["member"]) == (NEW_HIRES, TOTAL_KEY)
    )
    assert (total["value"], total["unit"], total["indicator_name_ko"]) == (
        "180",
        "명",
        "신규 채용",
    )
    bupyeong = {
        r["indicator"]: r["value"]
        for r in rows
        if r["level"] == "district" and r["code"] == "BP" and r["member"] == TOTAL_KEY
    }
    assert (bupyeong["households_visited"], bupyeong["coaching_visits"]) == (
        "961",
        "2634",
    )
    seogu = {
        r["indicator"]: (r["value"], r["unit"], r["unit_en"])
        for r in rows
        if r["level"] == "district" and r["code"] == "SG"
    }
    assert seogu["shuttle_runs"] == ("2136", "회", "runs")


def test_an_unchanged_request_reuses_the_last_file_and_a_change_builds_a_new_one(
    city, django_capture_on_commit_callbacks
):
    first, job = _build(city, "xlsx", django_capture_on_commit_callbacks)
    assert (
        job is not None
        and job.percent == 100
        and job.result_file.name == first.file.name
    )
    again, no_job = services.report_file_request(
        user=city, kind="xlsx", year=2019, month=9, language="ko"
    )
    assert (again, no_job) == (first, None)
    # Accepting a correction changes the fingerprint: a new build.
    from reporting.models import MonthlyReport
    from reporting.services import report_reopen
    from reporting.spreadsheets.bulk import bulk_import_file
    from tests.spreadsheets.test_bulk import long_xlsx

    def fingerprint():
        return services.report_fingerprint(
            kind="xlsx", year=2019, month=9, district=None, language="ko"
        )

    report = MonthlyReport.objects.get(
        project__district__code="SG", period=date(2019, 9, 1)
    )
    report_reopen(report=report, actor=city, reason="셔틀 운행 횟수 정정")
    reopened = fingerprint()
    correction = long_xlsx(
        [(report.project.code, "2019-09", "shuttle_runs", "total", 1)]
    )
    assert bulk_import_file(
        correction, "correction.xlsx", actor=city, dry_run=False
    ).applied
    assert fingerprint() != reopened
    changed, new_job = services.report_file_request(
        user=city, kind="xlsx", year=2019, month=9, language="ko"
    )
    assert changed is None and new_job is not None


def test_a_district_officer_builds_and_downloads_only_their_own_districts_file(
    client, city, django_capture_on_commit_callbacks
):
    officer = User.objects.get(username="bupyeong")
    city_file, _job = _build(city, "xlsx", django_capture_on_commit_callbacks)
    own_file, _job = _build(officer, "xlsx", django_capture_on_commit_callbacks)
    assert own_file.district.code == "BP"
    client.force_login(officer)
    assert (
        client.get(
            reverse("evaluation_report_download", args=[own_file.pk])
        ).status_code
        == 200
    )
    assert (
        client.get(
            reverse("evaluation_report_download", args=[city_file.pk])
        ).status_code
        == 404
    )
    seogu = city_file.district or Project.objects.get(district__code="SG").district
    response = client.post(
        reverse("evaluation_report_request"),
        {"kind": "pdf", "year": 2019, "month": 9, "district": seogu.code},
    )
    assert response.status_code == 404


def test_the_dashboard_request_button_starts_a_job_with_a_progress_page(
    client, city, django_capture_on_commit_callbacks
):
    client.force_login(city)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("evaluation_report_request"),
            {"kind": "xlsx", "year": 2019, "month": 9},
        )
    job = BackgroundJob.objects.get(kind="evaluation_report")
    assert response.url == reverse("evaluation_job", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert "<progress" in page and 'value="100"' in page
    assert (
        reverse("evaluation_report_download", args=[job.result["report_file"]]) in page
    )
    reused = client.post(
        reverse("evaluation_report_request"), {"kind": "xlsx", "year": 2019, "month": 9}
    )
    assert reused.url == reverse(
        "evaluation_report_file", args=[job.result["report_file"]]
    )


def test_the_demo_evaluation_grades_the_projects_and_feeds_the_2020_call(city):
    scheme = EvaluationScheme.objects.get(call__year=2018)
    assert scheme.published_at is not None
    grades = [
        e.grade.name_ko
        for e in ProjectEvaluation.objects.filter(scheme=scheme).order_by("rank")
    ]
    assert grades[:6] == ["대상", "최우수", "최우수", "우수", "우수", "우수"]
    assert set(grades[6:]) <= {"장려"}
    top = ProjectEvaluation.objects.get(scheme=scheme, rank=1)
    assert selectors.continuation_eligible(top.project)
    bonus = {
        p.district.code: selectors.bonus_points_for(p)
        for p in Proposal.objects.filter(call__year=2020)
    }
    assert bonus[top.project.district.code] == Decimal("5.0")
    assert all(value >= Decimal("1.0") for value in bonus.values())
    # A call no scheme feeds gives no bonus.
    assert selectors.bonus_points_for(
        Proposal.objects.filter(call__year=2018).first()
    ) == Decimal(0)


def test_the_city_sees_the_evaluation_screen_and_district_users_do_not(client, city):
    scheme = EvaluationScheme.objects.get(call__year=2018)
    client.force_login(city)
    body = client.get(reverse("evaluation_detail", args=[scheme.pk])).content.decode()
    assert "대상" in body and "무빙콜 노선 확대" in body
    client.force_login(User.objects.get(username="bupyeong"))
    refused = client.get(reverse("evaluation_detail", args=[scheme.pk]))
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")


def test_last_years_grade_adds_its_bonus_in_the_2020_ranking_and_reviewers_see_it(
    client, city
):
    from competitions.models import CallPage, ReviewAssignment
    from competitions.selectors import call_ranking

    call = CallPage.objects.get(year=2020)
    ranking = call_ranking(call=call)
    reviewed = [line for line in ranking if line.review_score is not None]
    assert reviewed, "the 2020 demo round has submitted reviews"
    for line in reviewed:
        expected_bonus = selectors.bonus_points_for(line.proposal)
        assert line.bonus_points == expected_bonus
        assert line.score == line.review_score + expected_bonus
    # The order follows the score including the bonus.
    scores = [line.score for line in reviewed]
    assert scores == sorted(scores, reverse=True)

    client.force_login(city)
    page = client.get(reverse("review_ranking", args=[call.pk])).content.decode()
    assert page.count("data-bonus") == len(reviewed)

    assignment = (
        ReviewAssignment.objects.filter(
            proposal__call=call, reviewer__username="reviewer1"
        )
        .exclude(status="conflict_declared")
        .first()
    )
    client.force_login(assignment.reviewer)
    page = client.get(
        reverse("review_assignment", args=[assignment.pk])
    ).content.decode()
    grade = selectors.previous_grade_for(assignment.proposal)
    assert "data-previous-grade" in page and grade.grade.name in page
