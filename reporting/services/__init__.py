"""Everything that changes reports: filing, the workflow, reopening, reminders,
and months recorded as accepted by the historical import."""

from .imports import ImportedMonth, report_import_accepted
from .manual_reminders import reminder_send_now
from .reminders import reminders_send
from .reports import (
    arrivals_rejudge,
    report_accept,
    report_approver_return,
    report_reopen,
    report_return,
    report_save_draft,
    report_sign_off,
    report_submit,
)
from .retention import (
    project_roster_destroy,
    roster_retention_ends,
    rosters_destroy_expired,
)

__all__ = [
    "ImportedMonth",
    "arrivals_rejudge",
    "reminder_send_now",
    "reminders_send",
    "report_accept",
    "report_approver_return",
    "report_import_accepted",
    "report_reopen",
    "report_return",
    "report_save_draft",
    "report_sign_off",
    "report_submit",
    "project_roster_destroy",
    "roster_retention_ends",
    "rosters_destroy_expired",
]
