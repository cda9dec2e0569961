"""The overdue list as a work queue: filters (district, call, status, month),
days late, sorting and the rows of its export. Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from projects.months import month_label

from .models import ManualReminder, ReportStatus
from .selectors import MonthRow

NOT_STARTED = "not_started"

# Sort keys a person may choose (a leading "-" reverses): each reads one row.
SORT_KEYS = {
    "month": lambda row: (row.row.period, row.row.project.code),
    "project": lambda row: (row.row.project.code, row.row.period),
    "district": lambda row: (row.row.project.district.code, row.row.period),
    "due": lambda row: (row.row.due, row.row.project.code),
    "days_late": lambda row: (row.days_late, row.row.project.code),
}
DEFAULT_SORT = "month"


@dataclass
class QueueRow:
    row: MonthRow
    days_late: int
    reminded_today: bool = False

    @property
    def status(self) -> str:
        return self.row.report.status if self.row.report else NOT_STARTED

    @property
    def status_label(self) -> str:
        return self.row.report.status_label if self.row.report else _("not started")


@dataclass(frozen=True)
class QueueFilters:
    district: str = ""
    call: str = ""
    status: str = ""
    month: str = ""
    sort: str = DEFAULT_SORT

    @classmethod
    def from_query(cls, query) -> QueueFilters:
        sort = (query.get("sort") or DEFAULT_SORT).strip()
        if sort.lstrip("-") not in SORT_KEYS:
            sort = DEFAULT_SORT
        return cls(
            district=(query.get("district") or "").strip(),
            call=(query.get("call") or "").strip(),
            status=(query.get("status") or "").strip(),
            month=(query.get("month") or "").strip(),
            sort=sort,
        )

    def keeps(self, item: QueueRow) -> bool:
        project = item.row.project
        return (
            (not self.district or project.district.code == self.district)
            and (not self.call or str(project.call_id) == self.call)
            and (not self.status or item.status == self.status)
            and (not self.month or item.row.month == self.month)
        )


def days_late(row: MonthRow, *, today: date) -> int:
    """Whole days past the due day (Asia/Seoul); 0 on the due day or before."""
    return max((today - row.due).days, 0)


def overdue_queue(
    rows: list[MonthRow], *, filters: QueueFilters, today: date
) -> list[QueueRow]:
    """The overdue months kept by ``filters``, sorted as asked, each with its
    days late and whether a reminder was sent by hand today."""
    reminded = set(
        ManualReminder.objects.filter(sent_on=today).values_list("project_id", "period")
    )
    items = [
        QueueRow(
            row=row,
            days_late=days_late(row, today=today),
            reminded_today=(row.project.pk, row.period) in reminded,
        )
        for row in rows
    ]
    items = [item for item in items if filters.keeps(item)]
    key = SORT_KEYS[filters.sort.lstrip("-")]
    return sorted(items, key=key, reverse=filters.sort.startswith("-"))


def filter_choices(rows: list[MonthRow]) -> dict[str, list[tuple[str, str]]]:
    """The values each filter offers: those present in the unfiltered rows."""
    districts = {row.project.district.code: row.project.district.name for row in rows}
    calls = {
        str(row.project.call_id): str(row.project.call)
        for row in rows
        if row.project.call_id
    }
    statuses = {NOT_STARTED: _("not started")}
    for row in rows:
        if row.report is not None:
            statuses[row.report.status] = str(ReportStatus(row.report.status).label)
    months = sorted({row.month for row in rows})
    return {
        "district": sorted(districts.items()),
        "call": sorted(calls.items(), key=lambda pair: pair[1]),
        "status": list(statuses.items()),
        "month": [(month, month) for month in months],
    }


def export_rows(items: list[QueueRow]) -> tuple[list[str], list[list]]:
    headers = [
        _("Month"),
        _("Project code"),
        _("Project"),
        _("District"),
        _("Due"),
        _("Days late"),
        _("Status"),
    ]
    rows = [
        [
            month_label(item.row.period),
            item.row.project.code,
            item.row.project.display_title,
            item.row.project.district.name,
            item.row.due.isoformat(),
            item.days_late,
            item.status_label,
        ]
        for item in items
    ]
    return headers, rows
