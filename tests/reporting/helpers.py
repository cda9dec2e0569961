"""Filing months in tests, through the services."""

from datetime import datetime

from projects.months import SEOUL
from reporting.models import MonthlyReport
from reporting.services import report_accept, report_save_draft, report_submit


def kst(*args) -> datetime:
    return datetime(*args, tzinfo=SEOUL)


def figures(
    *,
    women=3,
    seniors=0,
    employed_women=None,
    employed_seniors=None,
    households=100,
    visits=280,
    personnel=7_000_000,
    operations=3_000_000,
    drop=(),
):
    """A month's figures as the form or the import would give them."""
    values = {
        "new_hires": {"women": women, "seniors": seniors},
        "employed": {
            "women": women if employed_women is None else employed_women,
            "seniors": seniors if employed_seniors is None else employed_seniors,
        },
        "households": {"total": households},
        "visits": {"total": visits},
        "spending": {"personnel": personnel, "operations": operations},
    }
    for measure, key in drop:
        del values[measure][key]
    return values


def file_month(
    project,
    officer,
    period,
    *,
    values=None,
    now=None,
    comments=None,
    roster=None,
    narrative="",
):
    """Save and submit a month; returns the report."""
    now = now or kst(
        period.year + (period.month == 12), period.month % 12 + 1, 5, 14, 0
    )
    report_save_draft(
        project=project,
        period=period,
        actor=officer,
        values=values or figures(),
        comments=comments,
        roster=roster,
        narrative=narrative,
        now=now,
    )
    report = MonthlyReport.objects.get(project=project, period=period)
    report_submit(report=report, actor=officer, now=now)
    report.refresh_from_db()
    return report


def accept_month(project, officer, city, period, **kwargs):
    report = file_month(project, officer, period, **kwargs)
    report_accept(report=report, actor=city, now=report.first_submitted_at)
    report.refresh_from_db()
    return report


def check_context(
    *,
    target_groups=None,
    outputs=None,
    budget_lines=None,
    rules=None,
    **fields,
):
    """A ``ReportContext`` for the checks on plain data, its indicators read
    from the catalogue (the database): target groups and budget lines as
    {code: (name_ko, name_en, planned jobs / amount)}, outputs as
    {indicator code: target} (test indicators are made on demand)."""
    from indicators.models import Indicator
    from reporting.checks import Member, ReportContext, plan_indicators
    from reporting.selectors import active_rules, core_indicators
    from tests.indicators import TEST_INDICATORS, catalogue_indicator

    def members(rows):
        return [Member(code, *names) for code, names in (rows or {}).items()]

    def indicator(code):
        if code in TEST_INDICATORS:
            return catalogue_indicator(code)
        return Indicator.objects.get(code=code)

    groups = members(target_groups)
    return ReportContext(
        indicators=plan_indicators(
            core=core_indicators(),
            outputs=[(indicator(c), t) for c, t in (outputs or {}).items()],
            target_groups=groups,
            budget_lines=members(budget_lines),
        ),
        target_groups={m.key: m for m in groups},
        rules=active_rules() if rules is None else rules,
        **fields,
    )
