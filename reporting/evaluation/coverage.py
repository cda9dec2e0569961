"""What a roll-up covers: of the reports owed for a month, how many the city
has accepted, and which districts still lack some (a selector: nothing here
writes). The dashboard says it above its figures, so a reader knows whether
"180 jobs" is the whole city or the districts that have reported."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Organisation
from projects.models import Project, ProjectStatus
from reporting.models import MonthlyReport


@dataclass(frozen=True)
class DistrictCoverage:
    district: Organisation
    expected: int
    accepted: int

    @property
    def complete(self) -> bool:
        return self.accepted >= self.expected


@dataclass(frozen=True)
class Coverage:
    period: date
    expected: int
    accepted: int
    districts: tuple[DistrictCoverage, ...]

    @property
    def complete(self) -> bool:
        return self.accepted >= self.expected

    @property
    def missing(self) -> list[DistrictCoverage]:
        """Districts with a report of the month not (yet) accepted."""
        return [d for d in self.districts if not d.complete]

    @property
    def sentence(self) -> str:
        """ "9 of 9 reports accepted for September 2019" in the reader's
        language."""
        month = date_format(self.period, "YEAR_MONTH_FORMAT")
        if not self.expected:
            return _("No project owed a report for %(month)s.") % {"month": month}
        return ngettext(
            "%(accepted)s of %(expected)s report accepted for %(month)s",
            "%(accepted)s of %(expected)s reports accepted for %(month)s",
            self.expected,
        ) % {"accepted": self.accepted, "expected": self.expected, "month": month}

    @property
    def missing_sentence(self) -> str:
        """Which districts the month's figures still lack, with n of N each."""
        if not self.missing:
            return ""
        return _("Not yet accepted from: %(districts)s.") % {
            "districts": ", ".join(
                _("%(district)s (%(accepted)s of %(expected)s)")
                % {
                    "district": d.district.name,
                    "accepted": d.accepted,
                    "expected": d.expected,
                }
                for d in self.missing
            )
        }


def month_coverage(
    *,
    year: int,
    month: int,
    district: Organisation | None = None,
    project: Project | None = None,
) -> Coverage:
    """The reports owed for the month (projects running then, not cancelled)
    in the scope, and how many of them the city has accepted, by district.
    Three queries whatever the size of the city."""
    period = date(year, month, 1)
    projects = Project.objects.filter(
        period_start__lte=period, period_end__gte=period
    ).exclude(status=ProjectStatus.CANCELLED)
    if project is not None:
        projects = projects.filter(pk=project.pk)
    elif district is not None:
        projects = projects.filter(district=district)
    owed = dict(
        projects.values("district_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("district_id", "n")
    )
    accepted = dict(
        MonthlyReport.objects.filter(
            period=period,
            accepted_version__isnull=False,
            project__in=projects.values("pk"),
        )
        .values("district_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("district_id", "n")
    )
    districts = tuple(
        DistrictCoverage(org, owed[org.pk], accepted.get(org.pk, 0))
        for org in Organisation.objects.filter(pk__in=owed).order_by("code")
    )
    return Coverage(
        period,
        sum(d.expected for d in districts),
        sum(d.accepted for d in districts),
        districts,
    )
