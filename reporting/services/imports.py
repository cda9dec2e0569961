"""Recording months that were decided before they reached the system.

Years of past figures come in through the historical import (see
``reporting.spreadsheets.bulk``), checked row by row before anything is
written. What such a month becomes is decided here, where every other write of
reports is:

* a month with no report yet gets a report whose single version is accepted
  (the historical record), its figures in force and the month locked, with an
  ``import`` transition — thousands of months at once, set-wise (on PostgreSQL
  a handful of statements however many months, the figures by COPY);
* a month a city manager reopened gets its open correction filled with the
  imported figures and accepted as ``report_accept`` would: figures in force,
  the reopening closed with one correction record per changed figure and the
  month locked, through ``report_close_accepted``.

No e-mail is sent: nobody should receive mail about decisions taken years ago.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import Project
from projects.months import month_label

from .. import workflow
from ..models import (
    FigureYear,
    MonthlyReport,
    ReportStatus,
    ReportTransition,
    ReportValue,
    ReportVersion,
)
from ..selectors import arrived_on_time, version_differences
from .reports import figure_years_refresh, report_close_accepted

IMPORT_ACTION = "import"


@dataclass(frozen=True, slots=True)
class ImportedMonth:
    """One project's month as it stands after an import: ``figures`` are the
    whole month (measure → key → value), already checked by the caller."""

    project_id: int
    district_id: int
    period: date
    figures: Mapping[str, Mapping[str, int]]
    # The month's report when it has one: then it must be a month a city
    # manager reopened, and the import is its correction.
    report_id: int | None = None


@transaction.atomic
def report_import_accepted(
    *, months: Sequence[ImportedMonth], actor, note: str, now: datetime | None = None
) -> tuple[int, int]:
    """Record these months as accepted by ``actor`` (see the module's
    docstring); returns (months created, months corrected). The caller checks
    the figures and the actor's right to import them."""
    now = now or timezone.now()
    new_months = [month for month in months if month.report_id is None]
    corrections = [month for month in months if month.report_id is not None]
    if new_months:
        # Received now: judged on time or late by the usual rule.
        projects = Project.objects.in_bulk({month.project_id for month in new_months})
        on_time = [
            arrived_on_time(projects[m.project_id], m.period, now) for m in new_months
        ]
        # And the roll-up's summary, once for all the new months (a correction
        # brings it up to date itself, through report_close_accepted).
        if connection.vendor == "postgresql":
            _create_accepted_postgresql(
                new_months, on_time, actor=actor, note=note, now=now
            )
            _add_to_figure_years_postgresql(new_months)
        else:
            _create_accepted_orm(new_months, on_time, actor=actor, note=note, now=now)
            figure_years_refresh(
                project_ids={m.project_id for m in new_months},
                years={m.period.year for m in new_months},
            )
    for month in corrections:
        _accept_correction(month, actor=actor, note=note, now=now)
    return len(new_months), len(corrections)


def _create_accepted_postgresql(
    months: list[ImportedMonth], on_time: list[bool], *, actor, note: str, now: datetime
) -> None:
    """Ids come from the tables' sequences first, so a report names its
    version before the version row exists (Django's foreign keys are checked
    at commit). Reports, versions and transitions are one INSERT … SELECT
    each over arrays; the figures go by COPY, in the order of the unique index
    (version, measure, key)."""
    reports_table, versions_table = (
        MonthlyReport._meta.db_table,
        ReportVersion._meta.db_table,
    )
    accepted = ReportStatus.ACCEPTED.value
    with connection.cursor() as cursor:
        # The sequences are named once: as a constant regclass, not looked up on every row.
        cursor.execute(
            "SELECT pg_get_serial_sequence(%s, 'id'), pg_get_serial_sequence(%s, 'id')",
            [reports_table, versions_table],
        )
        reports_sequence, versions_sequence = cursor.fetchone()
        cursor.execute(
            "SELECT nextval(%s::regclass), nextval(%s::regclass) FROM generate_series(1, %s)",
            [reports_sequence, versions_sequence, len(months)],
        )
        report_ids, version_ids = zip(*cursor.fetchall(), strict=True)
        reports_array, versions_array = _array(report_ids), _array(version_ids)
        cursor.execute(
            f"INSERT INTO {reports_table} (id, project_id, period, district_id, status, current_version_id, "
            "accepted_version_id, first_submitted_at, arrived_on_time, is_locked, locked_at, created_at, "
            "updated_at) "
            "SELECT report_id, project_id, period, district_id, %s, version_id, version_id, %s, on_time, true, "
            "%s, %s, %s "
            "FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::date[], %s::bigint[], %s::boolean[]) "
            "AS month (report_id, version_id, project_id, period, district_id, on_time)",
            [
                accepted,
                now,
                now,
                now,
                now,
                reports_array,
                versions_array,
                _array(m.project_id for m in months),
                _array(m.period for m in months),
                _array(m.district_id for m in months),
                _array("t" if flag else "f" for flag in on_time),
            ],
        )
        cursor.execute(
            f"INSERT INTO {versions_table} (id, report_id, number, status, narrative, comments, warnings, "
            "has_roster, created_by_id, created_at, updated_at, submitted_by_id, submitted_at, decided_by_id, "
            "decided_at, decision_comment) "
            "SELECT version_id, report_id, 1, %s, '', '{}', '{}', false, %s, %s, %s, %s, %s, %s, %s, %s "
            "FROM unnest(%s::bigint[], %s::bigint[]) AS month (report_id, version_id)",
            [
                accepted,
                actor.pk,
                now,
                now,
                actor.pk,
                now,
                actor.pk,
                now,
                note,
                reports_array,
                versions_array,
            ],
        )
        cursor.execute(
            f"INSERT INTO {ReportTransition._meta.db_table} (report_id, version_id, action, from_status, "
            "to_status, actor_id, at, note) "
            "SELECT report_id, version_id, %s, '', %s, %s, %s, %s "
            "FROM unnest(%s::bigint[], %s::bigint[]) AS month (report_id, version_id)",
            [
                IMPORT_ACTION,
                accepted,
                actor.pk,
                now,
                note,
                reports_array,
                versions_array,
            ],
        )
        # Measures and plan codes ([a-z0-9_-]) and numbers need no escaping in
        # COPY's text format.
        with cursor.cursor.copy(
            f"COPY {ReportValue._meta.db_table} (version_id, measure, key, value, project_id, district_id, "
            "period, in_force) FROM STDIN"
        ) as copy:
            lines = []
            for version_id, month in zip(version_ids, months, strict=True):
                tail = f"\t{month.project_id}\t{month.district_id}\t{month.period.isoformat()}\tt\n"
                for measure in sorted(month.figures):
                    head = f"{version_id}\t{measure}\t"
                    figures = month.figures[measure]
                    lines.extend(
                        f"{head}{key}\t{figures[key]}{tail}" for key in sorted(figures)
                    )
                if len(lines) > 20_000:
                    copy.write("".join(lines))
                    lines.clear()
            copy.write("".join(lines))


def _add_to_figure_years_postgresql(months: list[ImportedMonth]) -> None:
    """Add new months to the roll-up's summary from the figures in hand, as
    ``figure_years_refresh`` would find them, without reading back the
    figures just written: a new month had nothing in force, so each of its
    figures adds to its (project, year, measure, key) row — one statement,
    rows made or added to, the first month the earlier of the two."""
    rows: dict[
        tuple, list
    ] = {}  # (project, year, measure, key) → [district, first month, 12 months]
    for month in months:
        number = month.period.month
        for measure, figures in month.figures.items():
            for key, value in figures.items():
                row = rows.setdefault(
                    (month.project_id, month.period.year, measure, key),
                    [month.district_id, number, [0] * 12],
                )
                row[1] = min(row[1], number)
                row[2][number - 1] += value
    if not rows:
        return
    table = FigureYear._meta.db_table
    months_columns = FigureYear.MONTHS
    keys, values = list(rows), list(rows.values())
    monthly = list(zip(*(row[2] for row in values), strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (project_id, year, measure, key, district_id, first_month, "
            f"{', '.join(months_columns)}) "
            f"SELECT * FROM unnest(%s::bigint[], %s::smallint[], %s::text[], %s::text[], %s::bigint[], "
            f"%s::smallint[], {', '.join(['%s::bigint[]'] * 12)}) "
            "ON CONFLICT (project_id, year, measure, key) DO UPDATE SET "
            f"first_month = LEAST({table}.first_month, EXCLUDED.first_month), "
            + ", ".join(
                f"{name} = {table}.{name} + EXCLUDED.{name}" for name in months_columns
            ),
            [
                _array(k[0] for k in keys),
                _array(k[1] for k in keys),
                [k[2] for k in keys],
                [k[3] for k in keys],
                _array(v[0] for v in values),
                _array(v[1] for v in values),
                *map(_array, monthly),
            ],
        )


def _array(values) -> str:
    """Numbers or dates as one PostgreSQL array literal: thousands of them
    travel as a single parameter, without per-element adaptation."""
    return "{" + ",".join(map(str, values)) + "}"


def _create_accepted_orm(
    months: list[ImportedMonth], on_time: list[bool], *, actor, note: str, now: datetime
) -> None:
    """The same with the ORM's bulk operations (SQLite, the demo)."""
    accepted = ReportStatus.ACCEPTED
    reports = MonthlyReport.objects.bulk_create(
        [
            MonthlyReport(
                project_id=m.project_id,
                period=m.period,
                district_id=m.district_id,
                status=accepted,
                first_submitted_at=now,
                arrived_on_time=flag,
                is_locked=True,
                locked_at=now,
            )
            for m, flag in zip(months, on_time, strict=True)
        ],
        batch_size=2_000,
    )
    if any(
        report.pk is None for report in reports
    ):  # a backend that does not return ids
        ids = {
            (project_id, period): pk
            for pk, project_id, period in MonthlyReport.objects.filter(
                project_id__in={m.project_id for m in months},
                period__in={m.period for m in months},
            ).values_list("pk", "project_id", "period")
        }
        for report, month in zip(reports, months, strict=True):
            report.pk = ids[(month.project_id, month.period)]
    versions = ReportVersion.objects.bulk_create(
        [
            ReportVersion(
                report=report,
                number=1,
                status=accepted,
                created_by=actor,
                created_at=now,
                updated_at=now,
                submitted_by=actor,
                submitted_at=now,
                decided_by=actor,
                decided_at=now,
                decision_comment=note,
            )
            for report in reports
        ],
        batch_size=2_000,
    )
    if any(version.pk is None for version in versions):
        by_report = dict(
            ReportVersion.objects.filter(report__in=reports).values_list(
                "report_id", "pk"
            )
        )
        for version, report in zip(versions, reports, strict=True):
            version.pk = by_report[report.pk]
    ReportValue.objects.bulk_create(
        (
            ReportValue(
                version_id=version.pk,
                measure=measure,
                key=key,
                value=value,
                project_id=m.project_id,
                district_id=m.district_id,
                period=m.period,
                in_force=True,
            )
            for version, m in zip(versions, months, strict=True)
            for measure, figures in m.figures.items()
            for key, value in figures.items()
        ),
        batch_size=2_000,
    )
    for report, version in zip(reports, versions, strict=True):
        report.current_version = report.accepted_version = version
    MonthlyReport.objects.bulk_update(
        reports, ["current_version", "accepted_version"], batch_size=2_000
    )
    ReportTransition.objects.bulk_create(
        [
            ReportTransition(
                report=report,
                version=version,
                action=IMPORT_ACTION,
                from_status="",
                to_status=accepted,
                actor=actor,
                at=now,
                note=note,
            )
            for report, version in zip(reports, versions, strict=True)
        ],
        batch_size=2_000,
    )


def _accept_correction(
    month: ImportedMonth, *, actor, note: str, now: datetime
) -> None:
    """Fill a reopened month's open correction with the imported figures and
    accept it, as ``report_accept`` does."""
    report = MonthlyReport.objects.select_for_update().get(pk=month.report_id)
    if (
        report.is_locked
        or report.status != ReportStatus.DRAFT
        or report.accepted_version_id is None
    ):
        raise ValidationError(
            _("The report for %(month)s changed meanwhile; check again.")
            % {"month": month_label(month.period)},
            code="changed_meanwhile",
        )
    version = report.current_version
    version.values.all().delete()
    ReportValue.objects.filter(
        project_id=month.project_id, period=month.period, in_force=True
    ).update(in_force=False)
    ReportValue.objects.bulk_create(
        ReportValue(
            version=version,
            measure=measure,
            key=key,
            value=value,
            project_id=month.project_id,
            district_id=month.district_id,
            period=month.period,
            in_force=True,
        )
        for measure, figures in month.figures.items()
        for key, value in figures.items()
    )
    version.submitted_by = version.decided_by = actor
    version.submitted_at = version.decided_at = version.updated_at = now
    version.decision_comment = note
    version.save(
        update_fields=[
            "submitted_by",
            "submitted_at",
            "decided_by",
            "decided_at",
            "updated_at",
            "decision_comment",
        ]
    )
    reopening = report.reopenings.filter(closed_at__isnull=True).first()
    corrections = (
        version_differences(reopening.previous_version, version)
        if reopening is not None
        else []
    )
    report_close_accepted(
        report=report,
        version=version,
        corrections=corrections,
        corrected_by=actor,
        actor=actor,
        now=now,
    )
    workflow.record(
        report=report,
        version=version,
        action=IMPORT_ACTION,
        from_status=ReportStatus.DRAFT,
        to_status=ReportStatus.ACCEPTED,
        actor=actor,
        at=now,
        note=note,
    )
