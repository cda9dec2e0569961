"""City roll-up at scale: 226 districts × 20 projects a year × 10 years of monthly
reports (542,400 accepted reports, about 3.3 million figures) in PostgreSQL.

Times, as the median of several runs after a warm-up, the figures behind the
city dashboard for one month (``selectors.rollup`` as the dashboard asks: by
district, the projects left to the district pages) and the open-data API call
(the whole view, JSON included: totals, the 226 districts and the first page
of 100 projects), and prints ``dashboard_ms`` and ``api_ms``; ``api_csv_ms`` is
the CSV, one file with all 4,520 projects.

The data is generated with COPY, once: a fingerprint (an organisation row whose
name records the generator's version and sizes) lets later runs reuse it.
"""

import random
import statistics
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import Organisation
from indicators.models import TOTAL_KEY, Indicator
from indicators.remap import OLD_OUTPUT, remap_output_figures
from projects.models import (
    PlanBudgetLine,
    PlanOutput,
    PlanTargetGroup,
    Project,
    ProjectPlan,
)
from projects.months import SEOUL, add_months
from reporting.models import MonthlyReport, ReportValue, ReportVersion
from reporting.services.reports import figure_years_refresh

DISTRICTS = 226
PROJECTS_PER_DISTRICT = 20
YEARS = list(range(2016, 2026))
MONTH = 9
RUNS = 7
GENERATOR_VERSION = "rollup-bench-2"
FINGERPRINT_CODE = "BENCH-ROLLUP"
GROUPS = [
    ("women", "경력단절여성", "Career-interrupted women"),
    ("seniors", "어르신", "Seniors"),
]
# The output every bench project reports: a catalogue indicator, stored as
# (its code, "total"), as every output is since issue 20. OLD_OUTPUT_CODE is
# the plan's own code it had before, for timing the migration.
OUTPUT_INDICATOR = {
    "code": "bench_services",
    "name_ko": "서비스 제공 건수",
    "name_en": "Services delivered",
    "unit_ko": "건",
    "unit_en": "cases",
    "aggregation": "sum",
    "disaggregation": "none",
}
OLD_OUTPUT_CODE = "cases"


def _fingerprint() -> str:
    return f"{GENERATOR_VERSION}:{DISTRICTS}x{PROJECTS_PER_DISTRICT}x{len(YEARS)}"


def _copy(model, columns: list[str], rows) -> int:
    """COPY rows (tuples in the order of ``columns``) into the model's table."""
    table = model._meta.db_table
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy,
    ):
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')
        return cursor.fetchone()[0]


def _reset_sequence(model) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
        )


def _remove_previous() -> None:
    """Remove an older generation of this benchmark's data (not anyone else's)."""
    districts = list(
        Organisation.objects.filter(code__startswith="BX").values_list("pk", flat=True)
    )
    if not districts:
        return
    with connection.cursor() as cursor:
        for table, column in [
            ("reporting_reportvalue", "district_id"),
        ]:
            cursor.execute(f"DELETE FROM {table} WHERE {column} = ANY(%s)", [districts])
        cursor.execute(
            "UPDATE reporting_monthlyreport SET current_version_id = NULL, accepted_version_id = NULL "
            "WHERE district_id = ANY(%s)",
            [districts],
        )
        cursor.execute(
            "DELETE FROM reporting_reportversion WHERE report_id IN "
            "(SELECT id FROM reporting_monthlyreport WHERE district_id = ANY(%s))",
            [districts],
        )
        cursor.execute(
            "DELETE FROM reporting_monthlyreport WHERE district_id = ANY(%s)",
            [districts],
        )
        cursor.execute(
            "DELETE FROM reporting_figureyear WHERE district_id = ANY(%s)", [districts]
        )
    plans = ProjectPlan.objects.filter(project__district_id__in=districts)
    PlanTargetGroup.objects.filter(plan__in=plans).delete()
    PlanOutput.objects.filter(plan__in=plans).delete()
    PlanBudgetLine.objects.filter(plan__in=plans).delete()
    plans.delete()
    Project.objects.filter(district_id__in=districts).delete()
    Organisation.objects.filter(pk__in=districts).delete()
    Organisation.objects.filter(code=FINGERPRINT_CODE).delete()


LOADED = (
    Project,
    ProjectPlan,
    PlanTargetGroup,
    PlanOutput,
    PlanBudgetLine,
    MonthlyReport,
    ReportVersion,
    ReportValue,
)


@contextmanager
def _foreign_keys_checked_once():
    """Load without the loaded tables' foreign keys, then add them back, each
    checked by one join over the whole table (as pg_restore does). Checked row
    by row at commit, the ~14 million checks of this data set take PostgreSQL
    tens of minutes."""
    tables = [model._meta.db_table for model in LOADED]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    yield
    with connection.cursor() as cursor:
        for table, name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


@transaction.atomic
def generate() -> int:
    """The whole data set; returns the number of reports."""
    _remove_previous()
    with _foreign_keys_checked_once():
        return _generate()


def _output_indicator() -> Indicator:
    fields = dict(OUTPUT_INDICATOR)
    indicator, _ = Indicator.objects.get_or_create(
        code=fields.pop("code"), defaults=fields
    )
    return indicator


def _generate() -> int:
    rng = random.Random(7)
    now = timezone.now()
    output = _output_indicator()
    districts = Organisation.objects.bulk_create(
        Organisation(
            code=f"BX{i:03d}",
            name_ko=f"벤치구{i}",
            name_en=f"Bench-gu {i}",
            kind=Organisation.Kind.DISTRICT,
        )
        for i in range(DISTRICTS)
    )
    project_id = _next_id(Project)
    plan_id = _next_id(ProjectPlan)
    report_id = _next_id(MonthlyReport)
    version_id = _next_id(ReportVersion)
    projects, plans, groups, outputs, lines = [], [], [], [], []
    reports, versions, values = [], [], []
    for year in YEARS:
        start, end = date(year, 1, 1), date(year, 12, 1)
        for district in districts:
            for n in range(PROJECTS_PER_DISTRICT):
                planned = {code: rng.randint(3, 20) for code, _ko, _en in GROUPS}
                target = rng.randint(200, 3000)
                budget = rng.randint(40, 150) * 1_000_000
                projects.append(
                    (
                        project_id,
                        f"{year}-{district.code}-{n:02d}",
                        district.pk,
                        f"벤치 사업 {n}",
                        f"Bench project {n}",
                        "",
                        "",
                        start,
                        end,
                        10,
                        "active",
                        now,
                        now,
                    )
                )
                plans.append(
                    (
                        plan_id,
                        project_id,
                        start,
                        start,
                        end,
                        budget // 2,
                        budget - budget // 2,
                        now,
                    )
                )
                for code, name_ko, name_en in GROUPS:
                    groups.append((plan_id, code, name_ko, name_en, planned[code]))
                outputs.append((plan_id, output.pk, target))
                lines.append((plan_id, "personnel", "인건비", "Personnel", budget))
                employed = dict.fromkeys(planned, 0)
                for month in range(1, 13):
                    period = date(year, month, 1)
                    late = rng.random() < 0.05
                    arrived = datetime.combine(
                        add_months(period, 1).replace(day=12 if late else 5),
                        datetime.min.time(),
                        tzinfo=SEOUL,
                    ) + timedelta(hours=14)
                    reports.append(
                        (
                            report_id,
                            project_id,
                            period,
                            district.pk,
                            "accepted",
                            version_id,
                            version_id,
                            arrived,
                            not late,
                            True,
                            arrived + timedelta(days=1),
                            arrived,
                            arrived,
                        )
                    )
                    versions.append(
                        (
                            version_id,
                            report_id,
                            1,
                            "accepted",
                            "",
                            "{}",
                            "{}",
                            False,
                            arrived,
                            arrived,
                            arrived,
                            arrived,
                            "",
                        )
                    )
                    for code in planned:
                        hires = rng.randint(0, 2) if month <= 9 else 0
                        employed[code] += hires
                        values.append(
                            (
                                version_id,
                                "new_hires",
                                code,
                                hires,
                                project_id,
                                district.pk,
                                period,
                                True,
                            )
                        )
                        values.append(
                            (
                                version_id,
                                "employed",
                                code,
                                employed[code],
                                project_id,
                                district.pk,
                                period,
                                True,
                            )
                        )
                    values.append(
                        (
                            version_id,
                            output.code,
                            TOTAL_KEY,
                            rng.randint(10, 300),
                            project_id,
                            district.pk,
                            period,
                            True,
                        )
                    )
                    values.append(
                        (
                            version_id,
                            "spending",
                            "personnel",
                            budget // 12,
                            project_id,
                            district.pk,
                            period,
                            True,
                        )
                    )
                    report_id += 1
                    version_id += 1
                plan_id += 1
                project_id += 1
        # Write each year as it is made, to keep memory flat.
        _copy(
            Project,
            [
                "id",
                "code",
                "district_id",
                "title",
                "title_en",
                "summary",
                "delivery_partners",
                "period_start",
                "period_end",
                "report_due_day",
                "status",
                "created_at",
                "updated_at",
            ],
            projects,
        )
        _copy(
            ProjectPlan,
            [
                "id",
                "project_id",
                "effective_from",
                "period_start",
                "period_end",
                "city_share",
                "district_share",
                "approved_at",
            ],
            plans,
        )
        _copy(
            PlanTargetGroup,
            ["plan_id", "code", "name_ko", "name_en", "planned_jobs"],
            groups,
        )
        _copy(PlanOutput, ["plan_id", "indicator_id", "target"], outputs)
        _copy(
            PlanBudgetLine, ["plan_id", "code", "name_ko", "name_en", "amount"], lines
        )
        _copy(
            MonthlyReport,
            [
                "id",
                "project_id",
                "period",
                "district_id",
                "status",
                "current_version_id",
                "accepted_version_id",
                "first_submitted_at",
                "arrived_on_time",
                "is_locked",
                "locked_at",
                "created_at",
                "updated_at",
            ],
            reports,
        )
        _copy(
            ReportVersion,
            [
                "id",
                "report_id",
                "number",
                "status",
                "narrative",
                "comments",
                "warnings",
                "has_roster",
                "created_at",
                "updated_at",
                "submitted_at",
                "decided_at",
                "decision_comment",
            ],
            versions,
        )
        _copy(
            ReportValue,
            [
                "version_id",
                "measure",
                "key",
                "value",
                "project_id",
                "district_id",
                "period",
                "in_force",
            ],
            values,
        )
        projects, plans, groups, outputs, lines, reports, versions, values = (
            [],
            [],
            [],
            [],
            [],
            [],
            [],
            [],
        )
    for model in LOADED:
        _reset_sequence(model)
    # COPY went round the services, so build the roll-up's summary as an import does.
    figure_years_refresh(
        project_ids=Project.objects.filter(district__in=districts).values_list(
            "pk", flat=True
        )
    )
    Organisation.objects.create(
        code=FINGERPRINT_CODE,
        name_ko=_fingerprint(),
        name_en=_fingerprint(),
        kind=Organisation.Kind.EXTERNAL,
        is_active=False,
    )
    return len(YEARS) * DISTRICTS * PROJECTS_PER_DISTRICT * 12


def _median_ms(call) -> float:
    call()  # warm-up
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def run():
    if connection.vendor != "postgresql":
        raise SystemExit("bench_rollup needs PostgreSQL (make bench sets DATABASE_URL)")
    from reporting.evaluation import api, selectors

    fingerprint = (
        Organisation.objects.filter(code=FINGERPRINT_CODE)
        .values_list("name_ko", flat=True)
        .first()
    )
    if fingerprint != _fingerprint():
        started = time.perf_counter()
        generate()
        with connection.cursor() as cursor:
            for table in (
                "projects_project",
                "projects_projectplan",
                "projects_plantargetgroup",
                "projects_planoutput",
                "reporting_monthlyreport",
                "reporting_reportversion",
                "reporting_reportvalue",
                "reporting_figureyear",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")
        yield "generate_s", round(time.perf_counter() - started, 1)
    else:
        yield "generate_s", "reused"
    reports = MonthlyReport.objects.filter(district__code__startswith="BX").count()
    yield "reports", reports
    yield "figures", ReportValue.objects.filter(district__code__startswith="BX").count()

    year = YEARS[-1]
    check = selectors.rollup(
        selectors.RollupQuery(year=year, month=MONTH, with_retention=False)
    )  # every project listed
    yield "dashboard_projects", len(check.projects)
    yield "dashboard_jobs_created", check.totals.jobs_created
    yield (
        "dashboard_output_total",
        check.totals.indicators[OUTPUT_INDICATOR["code"]].value,
    )
    # As the dashboard asks: a city of thousands of projects is read by district.
    yield (
        "dashboard_ms",
        _median_ms(
            lambda: selectors.rollup(
                selectors.RollupQuery(year=year, month=MONTH, projects=None)
            )
        ),
    )

    factory = RequestFactory(HTTP_HOST="127.0.0.1")

    def api_call():
        response = api.outcomes(
            factory.get("/api/v1/outcomes/", {"year": year, "month": MONTH})
        )
        assert response.status_code == 200
        return response

    yield "api_bytes", len(api_call().content)
    yield "api_ms", _median_ms(api_call)

    def csv_call():
        response = api.outcomes(
            factory.get(
                "/api/v1/outcomes/", {"year": year, "month": MONTH, "format": "csv"}
            )
        )
        assert response.status_code == 200
        return response

    yield "api_csv_ms", _median_ms(csv_call)

    def district_api_call():
        return api.outcomes(
            factory.get(
                "/api/v1/outcomes/", {"year": year, "month": MONTH, "district": "BX007"}
            )
        )

    yield "api_district_ms", _median_ms(district_api_call)

    yield from time_indicator_migration()


def _fingerprint_of_figures(districts: list[int]) -> list[tuple]:
    """Every figure and yearly summary of the benchmark, summed by (measure,
    key): counts, values and a position-weighted sum that moves if one figure
    changed place."""
    rows = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT measure, key, COUNT(*), SUM(value), SUM(id::numeric * (value + 1)) "
            "FROM reporting_reportvalue WHERE district_id = ANY(%s) "
            "GROUP BY measure, key ORDER BY measure, key",
            [districts],
        )
        rows += cursor.fetchall()
        cursor.execute(
            "SELECT measure, key, year, COUNT(*), SUM(month_1 + month_5 + month_9), "
            "SUM(id::numeric * (month_12 + 1)) "
            "FROM reporting_figureyear WHERE district_id = ANY(%s) "
            "GROUP BY measure, key, year ORDER BY measure, key, year",
            [districts],
        )
        rows += cursor.fetchall()
    return rows


def time_indicator_migration():
    """Migration reporting.0010 on the benchmark's ~3 million figures: the
    output figures are set back to their shape of before the catalogue
    (("output", the plan's code), untimed), then ``remap_output_figures`` (what
    the migration runs) is timed, and the result checked equal to the data
    before."""
    from reporting.models import ReportVersion

    districts = list(
        Organisation.objects.filter(code__startswith="BX").values_list("pk", flat=True)
    )
    code = OUTPUT_INDICATOR["code"]
    before = _fingerprint_of_figures(districts)
    with transaction.atomic(), connection.cursor() as cursor:
        for table in ("reporting_reportvalue", "reporting_figureyear"):
            cursor.execute(
                f"UPDATE {table} SET measure = %s, key = %s "
                "WHERE district_id = ANY(%s) AND measure = %s AND key = %s",
                [OLD_OUTPUT, OLD_OUTPUT_CODE, districts, code, TOTAL_KEY],
            )
    # A database about to migrate has had its figures in the old shape for
    # long, and its statistics say so; without this the planner believes no
    # output figure exists and joins the whole table to the mapping row by row.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reporting_reportvalue")
        cursor.execute("ANALYZE reporting_figureyear")
    # The mapping the migration reads from the plans (every bench project's
    # output was "cases" and is now the bench indicator).
    mapping = {
        (project_id, OLD_OUTPUT_CODE): code
        for project_id in Project.objects.filter(district__in=districts).values_list(
            "pk", flat=True
        )
    }
    started = time.perf_counter()
    with transaction.atomic():
        changed = remap_output_figures(
            mapping, connection=connection, version_model=ReportVersion
        )
    elapsed = time.perf_counter() - started
    if _fingerprint_of_figures(districts) != before:
        raise SystemExit("indicator migration: the figures differ from before")
    yield "indicator_migration_s", round(elapsed, 1)
    yield (
        "indicator_migration_figures",
        ReportValue.objects.filter(district__in=districts).count(),
    )
    yield "indicator_migration_changed", changed["figures"]
