"""Who sees and changes monthly reports (registered with accounts.access).

District users see their own district's reports; city managers see every report
that has left the district's drafts; reviewers and everyone else see none.
"""

from django.db.models import Q

from accounts.access import (
    can_view,
    change_rule,
    city_all_district_own,
    city_only,
    is_city_manager,
    is_superuser,
    permission,
    scope_rule,
    user_district,
    visible_to,
)

from .models import MonthlyReport, ReportStatus
from .workflow import allowed_actions


@scope_rule("reporting.monthlyreport")
def _monthly_reports(user, queryset):
    if is_city_manager(user):
        # A district's draft is its own until sent; a month once sent stays in sight.
        return queryset.filter(
            ~Q(status=ReportStatus.DRAFT) | Q(first_submitted_at__isnull=False)
        )
    district = user_district(user)
    if district is not None:
        return queryset.filter(district=district)
    return queryset.none()


@scope_rule("reporting.reportversion")
def _report_versions(user, queryset):
    queryset = queryset.filter(report__in=visible_to(user, MonthlyReport).values("pk"))
    if is_city_manager(user) and not is_superuser(user):
        queryset = queryset.exclude(status=ReportStatus.DRAFT)
    return queryset


# The destruction ledger (파기 대장) is the city's record.
scope_rule("reporting.rosterdestruction")(city_only)


@scope_rule("reporting.reminder")
def _reminders(user, queryset):
    return city_all_district_own(user, queryset)


@scope_rule("reporting.manualreminder")
def _manual_reminders(user, queryset):
    return city_all_district_own(user, queryset)


@permission("send_report_reminder")
def _send_report_reminder(user, project) -> bool:
    # The city follows up overdue months; a district does not remind itself.
    return is_city_manager(user) and can_view(user, project)


@change_rule("reporting.monthlyreport")
def _change_monthly_report(user, report):
    return bool(allowed_actions(user, report))
