"""A figure always belongs to a version that exists. On PostgreSQL the database
holds to it per statement (migration reporting 0007) instead of row by row:
these tests show it refuses what a foreign key refuses, whichever way the
figures come (one by one, in bulk, by COPY), and lets Django's own deletions
through."""

from datetime import date

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Max

from reporting.models import MonthlyReport, ReportValue, ReportVersion

from .helpers import accept_month, figures, file_month

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the set-wise check is PostgreSQL's (SQLite: the demo)",
)

JAN, FEB = date(2019, 1, 1), date(2019, 2, 1)


def _figure(version_id, project, key="women", value=1):
    return ReportValue(
        version_id=version_id,
        measure="new_hires",
        key=key,
        value=value,
        project_id=project.pk,
        district_id=project.district_id,
        period=JAN,
    )


def _missing_version_id() -> int:
    return (ReportVersion.objects.aggregate(last=Max("pk"))["last"] or 0) + 1_000


def test_a_figure_of_a_version_that_does_not_exist_is_refused(bupyeong_project):
    with (
        pytest.raises(
            IntegrityError, match="a report figure names a version that does not exist"
        ),
        transaction.atomic(),
    ):
        _figure(_missing_version_id(), bupyeong_project).save()


def test_one_orphan_among_many_figures_refuses_the_whole_statement(
    bupyeong_project, bupyeong_officer, city_manager
):
    report = accept_month(bupyeong_project, bupyeong_officer, city_manager, JAN)
    before = ReportValue.objects.count()
    good = [
        _figure(report.accepted_version_id, bupyeong_project, key=f"extra-{n}")
        for n in range(50)
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportValue.objects.bulk_create(
            [*good, _figure(_missing_version_id(), bupyeong_project)]
        )
    assert ReportValue.objects.count() == before


def test_copy_is_checked_as_well(bupyeong_project):
    row = (
        f"{_missing_version_id()}\tnew_hires\twomen\t1\t{bupyeong_project.pk}\t{bupyeong_project.district_id}"
        f"\t2019-01-01\tt\n"
    )
    # The raw psycopg cursor that COPY needs raises psycopg's own error.
    copy_in = (
        "COPY reporting_reportvalue (version_id, measure, key, value, project_id, district_id, period, in_force) "
        "FROM STDIN"
    )
    with (
        pytest.raises(psycopg.errors.ForeignKeyViolation),
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.cursor.copy(copy_in) as copy,
    ):
        copy.write(row)
    assert not ReportValue.objects.exists()


def test_moving_a_figure_to_a_missing_version_is_refused(
    bupyeong_project, bupyeong_officer, city_manager
):
    report = accept_month(bupyeong_project, bupyeong_officer, city_manager, JAN)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportValue.objects.filter(version_id=report.accepted_version_id).update(
            version_id=_missing_version_id()
        )
    assert (
        ReportValue.objects.filter(version_id=report.accepted_version_id).count() == 8
    )


def test_a_version_that_still_has_figures_cannot_be_deleted_behind_djangos_back(
    bupyeong_project, bupyeong_officer, city_manager
):
    report = accept_month(bupyeong_project, bupyeong_officer, city_manager, JAN)
    with (
        pytest.raises(
            IntegrityError, match="a version that still has figures cannot be deleted"
        ),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "DELETE FROM reporting_reportversion WHERE id = %s",
            [report.accepted_version_id],
        )
    assert (
        ReportValue.objects.filter(version_id=report.accepted_version_id).count() == 8
    )


def test_djangos_cascade_deletes_figures_and_versions_together(
    bupyeong_project, bupyeong_officer, city_manager
):
    accept_month(
        bupyeong_project, bupyeong_officer, city_manager, JAN, values=figures(women=2)
    )
    kept = file_month(bupyeong_project, bupyeong_officer, FEB)
    MonthlyReport.objects.get(period=JAN).delete()
    assert not ReportVersion.objects.filter(report__period=JAN).exists()
    assert set(ReportValue.objects.values_list("version_id", flat=True)) == {
        kept.current_version_id
    }
