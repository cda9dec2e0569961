"""The open findings of site visits on the admin home: for the city, how many
are open, overdue and waiting for its decision, with the answered ones to
decide; for a district, its findings to answer, the most urgent first. Built
from ``common.home``'s sections so it looks like every other panel."""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from common.home import LIST_LIMIT, Item, RoleHome, Section, days_words
from projects.months import seoul_today

from . import selectors


class FindingsHome(RoleHome):
    name = "findings_home"
    order = 15

    def sections(self, now: datetime) -> list[Section]:
        today = seoul_today(now or timezone.now())
        city = access.is_city_manager(self.user)
        counts = selectors.finding_counts(self.user, today)
        queue = "answered" if city else "open"
        findings = selectors.findings_queue(self.user, queue, today)
        items = [
            Item(
                title=f"{finding.visit.project.code} #{finding.number} · "
                f"{finding.get_severity_display()}",
                url=reverse("inspections_finding", args=[finding.pk]),
                kind=f"finding-{finding.status}",
                detail=finding.text[:120],
                when=days_words((finding.due_on - today).days)
                if finding.status == "open"
                else finding.get_status_display(),
                urgent=finding.status == "open" and finding.due_on < today,
                note=finding.city_comment if finding.status == "open" else "",
            )
            for finding in findings[: LIST_LIMIT + 1]
        ]
        lines = [
            _(
                "Open findings: %(open)s, of which overdue: %(overdue)s; answered "
                "and waiting for the city: %(answered)s."
            )
            % counts
        ]
        section = Section(
            key="findings",
            heading=_("Findings of site visits"),
            items=items,
            empty=_("No finding waits for your decision.")
            if city
            else _("No finding to answer."),
            more_url=reverse("inspections_findings") + f"?queue={queue}",
            more_label=_("All findings"),
            lines=lines if counts["open"] or counts["answered"] else [],
        )
        section.total = counts["answered"] if city else counts["open"]
        return [section]
