"""Spreadsheet import speed: this project's bulk path against django-import-export.

Builds a 100,000-row long-format workbook (125 projects × 100 months × 8
figures), imports it through ``reporting.spreadsheets.bulk`` (calamine, every
row checked, one transaction, COPY), then a slice of the same file through a
plain django-import-export ``ModelResource`` with default settings (row by row)
and with ``use_bulk=True``. Rows per second is the figure compared. Also the
time calamine alone needs to read the file, and a single project's monthly
upload (parse, check, preview). Creates its own data and removes it.

    make bench BENCH=import
    BENCH_IMPORT_ROWS=20000 make bench BENCH=import   # smaller, for a quick look

The import is timed BENCH_IMPORT_RUNS (3) times into the same state and the
median is reported, with the spread between the fastest and slowest run.
"""

import io
import os
import statistics
import time
from datetime import date

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
IE_ROWS = int(os.environ.get("BENCH_IMPORT_IE_ROWS", "10000"))
RUNS = int(os.environ.get("BENCH_IMPORT_RUNS", "3"))
PREFIX = "BENCH-IMP"
FIGURES = [
    ("new_hires", "women"),
    ("new_hires", "seniors"),
    ("employed", "women"),
    ("employed", "seniors"),
    ("households", "total"),
    ("visits", "total"),
    ("spending", "personnel"),
    ("spending", "operations"),
]
MONTHS_PER_PROJECT = 100
FIRST_MONTH = date(2010, 1, 1)


def _plan(period_start: date, period_end: date) -> dict:
    return {
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "city_share": 10**11,
        "district_share": 10**11,
        "target_groups": [
            {
                "code": "women",
                "name_ko": "경력단절여성",
                "name_en": "Career-interrupted women",
                "planned_jobs": 100,
            },
            {
                "code": "seniors",
                "name_ko": "어르신",
                "name_en": "Seniors",
                "planned_jobs": 100,
            },
        ],
        "outputs": [
            {
                "code": "households",
                "name_ko": "방문 가구",
                "name_en": "Households visited",
                "unit_ko": "가구",
                "unit_en": "households",
                "target": 100_000,
            },
            {
                "code": "visits",
                "name_ko": "코칭 방문",
                "name_en": "Coaching visits",
                "unit_ko": "회",
                "unit_en": "visits",
                "target": 100_000,
            },
        ],
        "budget_lines": [
            {
                "code": "personnel",
                "name_ko": "인건비",
                "name_en": "Personnel",
                "amount": 10**11,
            },
            {
                "code": "operations",
                "name_ko": "운영비",
                "name_en": "Operations",
                "amount": 10**11,
            },
        ],
    }


def _delete(queryset) -> None:
    """One DELETE statement: the ORM's collector would first load every row
    (and its audit hooks), ten minutes for the benchmark's figures. The
    database's own foreign keys still refuse a row something points to."""
    queryset._raw_delete(queryset.db)


def _cleanup():
    from django.contrib.auth import get_user_model

    from projects.models import Project
    from reporting.models import (
        MonthlyReport,
        ReportTransition,
        ReportValue,
        ReportVersion,
    )

    projects = Project.objects.filter(code__startswith=PREFIX)
    _delete(ReportValue.objects.filter(project__in=projects))
    MonthlyReport.objects.filter(project__in=projects).update(
        current_version=None, accepted_version=None
    )
    _delete(ReportTransition.objects.filter(report__project__in=projects))
    _delete(ReportVersion.objects.filter(report__project__in=projects))
    MonthlyReport.objects.filter(project__in=projects).delete()
    for project in projects:
        project.plans.all().delete()
    projects.delete()
    get_user_model().objects.filter(username__startswith="bench-import-").delete()


def _clear_reports():
    from projects.models import Project
    from reporting.models import (
        FigureYear,
        MonthlyReport,
        ReportTransition,
        ReportValue,
        ReportVersion,
    )

    projects = Project.objects.filter(code__startswith=PREFIX)
    _delete(FigureYear.objects.filter(project__in=projects))
    _delete(ReportValue.objects.filter(project__in=projects))
    MonthlyReport.objects.filter(project__in=projects).update(
        current_version=None, accepted_version=None
    )
    _delete(ReportTransition.objects.filter(report__project__in=projects))
    _delete(ReportVersion.objects.filter(report__project__in=projects))
    MonthlyReport.objects.filter(project__in=projects).delete()


def _vacuum():
    """Vacuum the tables an import writes, as autovacuum keeps them in a live
    database: earlier runs (this one's, the roll-up benchmark's) leave
    hundreds of thousands of dead rows and bloated indexes that no production
    database carries. Not a timed step."""
    from django.db import connection

    from reporting.models import (
        FigureYear,
        MonthlyReport,
        ReportTransition,
        ReportValue,
        ReportVersion,
    )

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (
            MonthlyReport,
            ReportVersion,
            ReportValue,
            ReportTransition,
            FigureYear,
        ):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


OUTPUTS = {
    "households": ("방문 가구", "Households visited", "가구", "households"),
    "visits": ("코칭 방문", "Coaching visits", "회", "visits"),
}


def _catalogue_outputs() -> None:
    """The plan's outputs are catalogue indicators."""
    from indicators.models import Indicator

    for code, (name_ko, name_en, unit_ko, unit_en) in OUTPUTS.items():
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name_ko": name_ko,
                "name_en": name_en,
                "unit_ko": unit_ko,
                "unit_en": unit_en,
            },
        )


def _setup():
    from django.contrib.auth import get_user_model

    from accounts.demo import seed_organisations
    from accounts.models import RoleGroup
    from accounts.roles import Role
    from projects.months import add_months
    from projects.services import project_create

    orgs = seed_organisations()
    district = orgs["BP"]
    _catalogue_outputs()
    users = get_user_model().objects
    city = users.create(
        username="bench-import-city",
        organisation=orgs["ICN"],
        is_superuser=True,
        is_staff=True,
    )
    officer = users.create(username="bench-import-officer", organisation=district)
    officer.groups.add(RoleGroup.objects.get(code=Role.DISTRICT_OFFICER).group)
    projects = []
    count = -(-ROWS // (MONTHS_PER_PROJECT * len(FIGURES)))
    last = add_months(FIRST_MONTH, MONTHS_PER_PROJECT - 1)
    for index in range(count):
        projects.append(
            project_create(
                district=district,
                title=f"벤치 {index}",
                plan=_plan(FIRST_MONTH, last),
                actor=None,
                code=f"{PREFIX}-{index:04d}",
            )
        )
    upload_project = project_create(
        district=district,
        title="벤치 월별 업로드",
        plan=_plan(date(2019, 1, 1), date(2019, 12, 1)),
        actor=None,
        code=f"{PREFIX}-UPLOAD",
    )
    return city, officer, projects, upload_project


def _rows(projects):
    from projects.months import add_months, month_label

    rows = []
    for project in projects:
        for month_index in range(MONTHS_PER_PROJECT):
            month = month_label(add_months(FIRST_MONTH, month_index))
            for number, (measure, key) in enumerate(FIGURES):
                value = (
                    1_000_000 + month_index
                    if measure == "spending"
                    else (month_index + number) % 7
                )
                rows.append((project.code, month, measure, key, value))
                if len(rows) == ROWS:
                    return rows
    return rows


def _workbook(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("figures")
    sheet.append(["project code", "period", "indicator", "disaggregation", "value"])
    for row in rows:
        sheet.append(list(row))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _plain_resource(*, bulk: bool, versions: dict):
    """A plain ModelResource for the figures, as one would write it from the
    django-import-export docs; ``versions`` (project id, month) → (version id,
    district id) is prepared outside the timing, to be fair to it."""
    from import_export import fields, resources, widgets

    from projects.models import Project
    from reporting.models import ReportValue

    class PlainReportValueResource(resources.ModelResource):
        project = fields.Field(
            attribute="project",
            column_name="project code",
            widget=widgets.ForeignKeyWidget(Project, "code"),
        )
        period = fields.Field(
            attribute="period", column_name="period", widget=widgets.DateWidget("%Y-%m")
        )
        measure = fields.Field(attribute="measure", column_name="indicator")
        key = fields.Field(attribute="key", column_name="disaggregation")
        value = fields.Field(
            attribute="value", column_name="value", widget=widgets.IntegerWidget()
        )

        class Meta:
            model = ReportValue
            fields = ("project", "period", "measure", "key", "value")
            import_id_fields = ("project", "period", "measure", "key")
            use_bulk = bulk

        def before_save_instance(self, instance, row, **kwargs):
            instance.version_id, instance.district_id = versions[
                (instance.project_id, instance.period)
            ]
            instance.in_force = True

    return PlainReportValueResource()


def _versions_for(rows, actor):
    """Reports and versions for the months of the rows (what the plain resource
    needs and does not make), outside any timing."""
    from django.utils import timezone

    from projects.models import Project
    from projects.months import parse_month
    from reporting.models import MonthlyReport, ReportVersion

    projects = {p.code: p for p in Project.objects.filter(code__startswith=PREFIX)}
    months = sorted({(r[0], r[1]) for r in rows})
    now = timezone.now()
    reports = MonthlyReport.objects.bulk_create(
        MonthlyReport(
            project=projects[code],
            period=parse_month(month),
            district_id=projects[code].district_id,
        )
        for code, month in months
    )
    versions = ReportVersion.objects.bulk_create(
        ReportVersion(
            report=report, number=1, created_by=actor, created_at=now, updated_at=now
        )
        for report in reports
    )
    return {
        (r.project_id, r.period): (v.pk, r.district_id)
        for r, v in zip(reports, versions, strict=True)
    }


def _import_export_rate(
    data: bytes, rows_count: int, actor, rows, *, bulk: bool
) -> float:
    from django.db import transaction
    from import_export.formats.base_formats import XLSX

    _clear_reports()
    versions = _versions_for(rows, actor)
    resource = _plain_resource(bulk=bulk, versions=versions)
    started = time.perf_counter()
    dataset = XLSX().create_dataset(data)
    result = resource.import_data(dataset, dry_run=False, raise_errors=True)
    elapsed = time.perf_counter() - started
    assert not result.has_errors() and not result.has_validation_errors()
    with transaction.atomic():
        _clear_reports()
    return rows_count / elapsed


def _monthly_upload_median_ms(project, officer) -> float:
    from openpyxl import load_workbook

    from reporting.spreadsheets.services import upload_preview
    from reporting.spreadsheets.template import build_template

    period = date(2019, 3, 1)
    workbook = load_workbook(io.BytesIO(build_template(project=project, period=period)))
    sheet = workbook["실적"]
    meta = workbook["_sangsaeng"]
    for row in meta.iter_rows(min_row=6, values_only=True):
        if row[0] == "figure":
            sheet[row[3]] = 120 if row[1] in OUTPUTS else 3
        elif row[0] == "spending" and sheet[row[3]].value:
            sheet[row[4]] = 5_000_000
    for offset in range(3):
        workbook["명단"].cell(row=3 + offset, column=1, value=f"P-{offset:03d}")
        workbook["명단"].cell(row=3 + offset, column=2, value="women")
        workbook["명단"].cell(row=3 + offset, column=3, value=date(2019, 3, 4))
    output = io.BytesIO()
    workbook.save(output)
    data = output.getvalue()
    timings = []
    for _ in range(21):
        started = time.perf_counter()
        preview = upload_preview(
            data=data,
            filename="march.xlsx",
            actor=officer,
            project=project,
            period=period,
        )
        timings.append((time.perf_counter() - started) * 1000)
        assert preview.changes, "the preview should show the new figures"
    return statistics.median(timings)


def run():
    from django.db import connection

    from reporting.spreadsheets.bounds import ReadBounds
    from reporting.spreadsheets.bulk import bulk_import_file
    from reporting.spreadsheets.reader import read_sheets
    from reporting.spreadsheets.safety import Limits, inspect_file

    _cleanup()
    try:
        city, officer, projects, upload_project = _setup()
        rows = _rows(projects)
        data = _workbook(rows)
        yield "import_rows", len(rows)
        yield "import_database", connection.vendor

        parse_times = []
        for _run in range(RUNS):
            started = time.perf_counter()
            read_sheets(
                data,
                inspect_file(data, "bench.xlsx", limits=Limits.bulk()),
                bounds=ReadBounds.bulk(),
            )
            parse_times.append(time.perf_counter() - started)
        yield "parse_only_s", round(statistics.median(parse_times), 3)

        # The median of a few whole imports, each into the same state (the
        # months not there yet, the tables vacuumed): one run on a shared
        # 2-core machine varies by a fifth either way.
        import_times = []
        for _run in range(RUNS):
            _clear_reports()
            _vacuum()
            started = time.perf_counter()
            outcome = bulk_import_file(data, "bench.xlsx", actor=city, dry_run=False)
            import_times.append(time.perf_counter() - started)
            assert outcome.applied and outcome.plan.summary["new"] == len(rows), (
                outcome.plan.summary
            )
        elapsed = statistics.median(import_times)
        bulk_rate = len(rows) / elapsed
        yield "bulk_import_s", round(elapsed, 3)
        yield "bulk_import_spread_s", round(max(import_times) - min(import_times), 3)
        yield "bulk_rows_per_s", round(bulk_rate)

        # Row-linked errors survive at full speed: one bad value in the last row.
        bad_data = _workbook(rows[:-1] + [rows[-1][:4] + ("삼십",)])
        _clear_reports()
        started = time.perf_counter()
        outcome = bulk_import_file(bad_data, "bench.xlsx", actor=city, dry_run=False)
        assert not outcome.applied and [e.cell for e in outcome.plan.errors] == [
            f"E{len(rows) + 1}"
        ]
        yield "bulk_with_last_row_error_s", round(time.perf_counter() - started, 3)
        _clear_reports()

        slice_rows = rows[:IE_ROWS]
        slice_data = _workbook(slice_rows)
        default_rate = _import_export_rate(
            slice_data, len(slice_rows), city, slice_rows, bulk=False
        )
        yield "import_export_default_rows_per_s", round(default_rate)
        ie_bulk_rate = _import_export_rate(
            slice_data, len(slice_rows), city, slice_rows, bulk=True
        )
        yield "import_export_bulk_rows_per_s", round(ie_bulk_rate)
        yield "ratio_vs_import_export_default", round(bulk_rate / default_rate, 1)
        yield "ratio_vs_import_export_bulk", round(bulk_rate / ie_bulk_rate, 1)

        yield (
            "monthly_upload_median_ms",
            round(_monthly_upload_median_ms(upload_project, officer), 1),
        )
    finally:
        _cleanup()
