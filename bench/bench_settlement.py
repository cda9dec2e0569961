"""The year-end settlement (정산) of a whole city: the 4,520 projects of the
benchmark city's last year (bench_rollup's 226 districts × 20 projects, with
twelve months of accepted spending each).

Prints ``settlement_compute_s`` — loading the inputs of every project
(``settlement_inputs_for``) and computing each settlement
(``compute_settlement``), the median of a few runs; target under 5 s — and
``settlement_workbook_s``, the city settlement summary built by its Celery
task function (``funding.tasks.build_settlement_summary``) for a job, with the
job's progress saved as it goes, as a worker would run it.

The money the benchmark city has none of is made once with bulk_create and
reused: a signed agreement per project (its plan's shares) and its two
tranches paid.
"""

import statistics
import time
from datetime import date, datetime

from django.db import connection, transaction

from accounts.models import Organisation, RoleGroup, User
from accounts.roles import Role
from bench import bench_rollup
from common.models import BackgroundJob
from funding.models import Agreement, AgreementStatus, Tranche, TrancheStatus
from projects.models import Project, ProjectPlan
from projects.months import SEOUL

YEAR = bench_rollup.YEARS[-1]
RUNS = 3
MANAGER = "bench-settlement-city"
SIGNED = datetime(YEAR - 1, 12, 20, 15, 0, tzinfo=SEOUL)


def _projects() -> list[int]:
    return list(
        Project.objects.filter(
            district__code__startswith="BX", period_start__year=YEAR
        ).values_list("pk", flat=True)
    )


def _city() -> Organisation:
    city = Organisation.objects.filter(kind__in=Organisation.CITY_LEVEL_KINDS).first()
    if city is None:
        city = Organisation.objects.create(
            code="BXCITY",
            name_ko="벤치시",
            name_en="Bench City",
            kind=Organisation.Kind.METROPOLITAN_CITY,
        )
    return city


@transaction.atomic
def _ensure_money(ids: list[int]) -> int:
    """Agreements and paid tranches for the projects that have none; returns
    how many projects were given money."""
    have = set(
        Agreement.objects.filter(project_id__in=ids).values_list(
            "project_id", flat=True
        )
    )
    missing = [pk for pk in ids if pk not in have]
    if not missing:
        return 0
    city = _city()
    plans = ProjectPlan.objects.filter(project_id__in=missing).select_related("project")
    agreements, tranches = [], []
    for plan in plans:
        project = plan.project
        total = plan.city_share + plan.district_share
        agreements.append(
            Agreement(
                project=project,
                version=1,
                plan=plan,
                status=AgreementStatus.SIGNED,
                city=city,
                district_id=project.district_id,
                period_start=project.period_start,
                period_end=project.period_end,
                total_amount=total,
                city_share_percent=50,
                city_share=plan.city_share,
                district_share=plan.district_share,
                conditions_ko="벤치 협약 조건",
                signed_on=SIGNED.date(),
                signed_at=SIGNED,
                created_at=SIGNED,
            )
        )
        first = plan.city_share // 2
        second = plan.city_share - first
        for number, amount, paid, on in (
            (1, first, first, date(YEAR, 1, 15)),
            # Paid in full: the spending (budget // 12 a month, so a few won
            # short of the budget) leaves a small unspent balance to return.
            (2, second, second, date(YEAR, 7, 15)),
        ):
            tranches.append(
                Tranche(
                    project=project,
                    number=number,
                    planned_on=on,
                    amount=amount,
                    status=TrancheStatus.PAID,
                    requested_amount=amount,
                    requested_at=SIGNED,
                    decided_at=SIGNED,
                    paid_on=on,
                    paid_amount=paid,
                )
            )
    Agreement.objects.bulk_create(agreements, batch_size=2000)
    Tranche.objects.bulk_create(tranches, batch_size=2000)
    return len(agreements)


def _manager() -> User:
    user = User.objects.filter(username=MANAGER).first()
    if user is None:
        user = User.objects.create(
            username=MANAGER, email=f"{MANAGER}@example.org", organisation=_city()
        )
        user.groups.add(RoleGroup.objects.get(code=Role.CITY_MANAGER).group)
    return user


def _compute(ids: list[int]) -> int:
    from funding.settlement_inputs import settlement_inputs_for
    from funding.settlement_rules import compute_settlement

    inputs = settlement_inputs_for(ids)
    return sum(compute_settlement(one).returned for one in inputs.values())


def run():
    if connection.vendor != "postgresql":
        raise SystemExit("bench_settlement needs PostgreSQL (make bench sets it)")
    from funding.settlement_summary import KIND
    from funding.tasks import build_settlement_summary

    fingerprint = (
        Organisation.objects.filter(code=bench_rollup.FINGERPRINT_CODE)
        .values_list("name_ko", flat=True)
        .first()
    )
    if fingerprint != bench_rollup._fingerprint():
        bench_rollup.generate()
    ids = _projects()
    yield "settlement_projects", len(ids)
    started = time.perf_counter()
    made = _ensure_money(ids)
    if made:
        yield "settlement_money_generated_s", round(time.perf_counter() - started, 1)

    _compute(ids)  # warm-up
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        returned = _compute(ids)
        times.append(time.perf_counter() - started)
    yield "settlement_returned_won", returned
    yield "settlement_compute_s", round(statistics.median(times), 2)

    job = BackgroundJob.objects.create(
        kind=KIND, owner=_manager(), parameters={"year": YEAR}
    )
    started = time.perf_counter()
    build_settlement_summary(str(job.pk))
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    if job.status != BackgroundJob.Status.SUCCEEDED:
        raise SystemExit(f"the settlement summary job failed: {job.message}")
    yield "settlement_workbook_rows", job.result.get("projects")
    yield "settlement_workbook_progress_steps", job.progress_total
    yield "settlement_workbook_s", round(elapsed, 2)
    job.result_file.delete(save=False)
    job.delete()
