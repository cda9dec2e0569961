"""Retention of participant rosters (개인정보 보유 기간) and their destruction.

A roster is pseudonymous, but it is still personal data: it is kept while the
project runs and for ``SANGSAENG_ROSTER_RETENTION_DAYS`` after its last month
(settlement, evaluation, audit), then destroyed and the destruction recorded in
the ledger (``RosterDestruction``, 파기 대장). The monthly figures derived from
a roster are counts and stay.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from projects.models import Project
from projects.months import month_end

from ..models import RosterDestruction, RosterEntry

METHOD = "rows deleted from the database (backups age out on their own schedule)"


def roster_retention_ends(*, project: Project) -> date:
    """The last day a project's rosters are kept: its last month's end plus the period."""
    return month_end(project.period_end) + timedelta(
        days=settings.SANGSAENG_ROSTER_RETENTION_DAYS
    )


@transaction.atomic
def project_roster_destroy(
    *, project: Project, actor=None, now=None
) -> RosterDestruction | None:
    """Delete every roster row of a project's report versions and record it.
    ``actor`` None means the system's scheduled destruction. None when there was
    nothing to destroy."""
    now = now or timezone.now()
    entries = RosterEntry.objects.select_for_update().filter(
        version__report__project=project
    )
    months = sorted(
        {
            f"{period:%Y-%m}"
            for period in entries.values_list("version__report__period", flat=True)
        }
    )
    rows = entries.count()
    if not rows:
        return None
    RosterEntry.objects.filter(version__report__project=project).delete()
    return RosterDestruction.objects.create(
        project=project,
        project_code=project.code,
        months=months,
        rows=rows,
        retention_ended_on=roster_retention_ends(project=project),
        destroyed_at=now,
        destroyed_by=actor,
        method=METHOD,
    )


def rosters_destroy_expired(*, today: date, now=None) -> list[RosterDestruction]:
    """The scheduled destruction: every project whose retention ended before
    ``today`` (Asia/Seoul) and still has roster rows. One transaction per project."""
    cutoff = today - timedelta(days=settings.SANGSAENG_ROSTER_RETENTION_DAYS)
    projects = Project.objects.filter(
        period_end__lt=cutoff.replace(day=1),
        pk__in=RosterEntry.objects.values("version__report__project"),
    )
    done = []
    for project in projects:
        if roster_retention_ends(project=project) < today:
            record = project_roster_destroy(project=project, actor=None, now=now)
            if record is not None:
                done.append(record)
    return done
