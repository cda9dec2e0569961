"""Reads of site visits and findings, never changing anything.

``open_findings``, ``close_blocker`` and ``final_report_findings`` are the
contracts the close and the final report (결과 보고서) read; the queues and
counts feed the admin screens and both homes. A person's lists are narrowed
by ``accounts.access`` first.
"""

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import access
from projects.months import seoul_today

from .models import Finding, FindingStatus, SiteVisit
from .workflow import UNCLOSED

QUEUES = ("open", "overdue", "answered", "closed", "all")


def open_findings(project) -> QuerySet[Finding]:
    """The project's findings not closed yet (open, returned or answered)."""
    return (
        Finding.objects.filter(visit__project=project, status__in=UNCLOSED)
        .select_related("visit")
        .order_by("due_on", "visit__planned_on", "number")
    )


def close_blocker(project) -> str | None:
    """Why the project cannot be closed because of its site visits, or None."""
    findings = list(open_findings(project))
    if not findings:
        return None
    listed = "; ".join(
        f"{finding.visit.visited_on or finding.visit.planned_on:%Y-%m-%d} "
        f"#{finding.number} ({finding.get_status_display()})"
        for finding in findings
    )
    return ngettext(
        "%(count)s finding of the site visits is still open: %(list)s. Close it first.",
        "%(count)s findings of the site visits are still open: %(list)s. Close them first.",
        len(findings),
    ) % {"count": len(findings), "list": listed}


def final_report_findings(project) -> list[dict]:
    """Every finding of the project's visits, for the final report: what was
    found, how serious, what had to be done by when, and whether it is closed.
    No person's name is in it."""
    findings = (
        Finding.objects.filter(visit__project=project)
        .select_related("visit")
        .order_by("visit__visited_on", "visit__pk", "number")
    )
    return [
        {
            "visit_date": finding.visit.visited_on or finding.visit.planned_on,
            "severity": finding.get_severity_display(),
            "text": finding.text,
            "corrective_action": finding.corrective_action,
            "due_on": finding.due_on,
            "status": finding.get_status_display(),
            "closed_on": finding.closed_on,
        }
        for finding in findings
    ]


def visible_findings(user) -> QuerySet[Finding]:
    return access.visible_to(user, Finding).select_related(
        "visit__project__district", "visit__project__call"
    )


def overdue_q(today: date) -> Q:
    """Open (never answered, or returned) and past its due day."""
    return Q(status=FindingStatus.OPEN, due_on__lt=today)


def findings_queue(user, queue: str, today: date | None = None) -> QuerySet[Finding]:
    """One of the work lists: ``open`` (not closed), ``overdue``, ``answered``
    (waiting for the city), ``closed``, or ``all``."""
    today = today or seoul_today(timezone.now())
    findings = visible_findings(user)
    if queue == "open":
        findings = findings.filter(status__in=UNCLOSED)
    elif queue == "overdue":
        findings = findings.filter(overdue_q(today))
    elif queue == "answered":
        findings = findings.filter(status=FindingStatus.ANSWERED)
    elif queue == "closed":
        findings = findings.filter(status=FindingStatus.CLOSED)
    return findings.order_by("due_on", "visit__project__code", "number")


def finding_counts(user, today: date | None = None) -> dict[str, int]:
    """How many of the person's findings are open, overdue and answered."""
    today = today or seoul_today(timezone.now())
    return visible_findings(user).aggregate(
        open=Count("pk", filter=Q(status__in=UNCLOSED)),
        overdue=Count("pk", filter=overdue_q(today)),
        answered=Count("pk", filter=Q(status=FindingStatus.ANSWERED)),
    )


def project_findings_summary(project, today: date | None = None) -> dict:
    """The counts a project's pages show (overview, evaluation)."""
    today = today or seoul_today(timezone.now())
    counts = Finding.objects.filter(visit__project=project).aggregate(
        open=Count("pk", filter=Q(status__in=UNCLOSED)),
        overdue=Count("pk", filter=overdue_q(today)),
        closed=Count("pk", filter=Q(status=FindingStatus.CLOSED)),
    )
    counts["visits"] = SiteVisit.objects.filter(project=project).count()
    return counts


def findings_words(counts: dict) -> str:
    """ "2 open findings (1 overdue)" in the reader's language."""
    words = ngettext(
        "%(count)s open finding", "%(count)s open findings", counts["open"]
    ) % {"count": counts["open"]}
    if counts.get("overdue"):
        words += " " + _("(%(count)s overdue)") % {"count": counts["overdue"]}
    return words


def calendar_dates(user) -> list[dict]:
    """The person's site-visit days (planned or done) and the due days of
    their findings not closed, for the deadline calendar (``calendars``): one
    all-day entry each, with a stable key, the words and the admin path."""
    visits = (
        access.visible_to(user, SiteVisit)
        .exclude(status="cancelled")
        .select_related("project")
        .order_by("planned_on", "pk")
    )
    rows = [
        {
            "key": f"site-visit-{visit.pk}",
            "summary": _("Site visit: %(project)s") % {"project": visit.project.code},
            "day": visit.planned_on,
            "description": visit.purpose,
            "path": reverse("inspections_visit", args=[visit.pk]),
        }
        for visit in visits
    ]
    findings = visible_findings(user).filter(status__in=UNCLOSED).order_by("due_on")
    rows += [
        {
            "key": f"finding-due-{finding.pk}",
            "summary": _("Finding due: %(project)s #%(number)s")
            % {"project": finding.visit.project.code, "number": finding.number},
            "day": finding.due_on,
            "description": finding.corrective_action,
            "path": reverse("inspections_finding", args=[finding.pk]),
        }
        for finding in findings
    ]
    return rows
