"""Small-cell protection (소수 셀 보호) of the counts open data publishes.

The rule, as the dataset pages state it:

* A count of 1 to threshold−1 people of a **vulnerable** target group (a
  ``CallTargetGroup`` marked ``vulnerable``: 북한이탈주민, 장애인 in the demo) is
  published as ``"<3"`` (the threshold from ``settings.OPEN_DATA_SMALL_CELL_THRESHOLD``,
  default 3) for a **project**, and for a **district** too: a district with
  one such project would otherwise repeat the project's figure.
* On the same row (a project's or district's month), the total of new hires
  that contains a withheld count is withheld too when it is itself below the
  threshold (it would otherwise equal the withheld count).
* Zero stays 0 (nobody to identify). City-wide counts are exact: they are the
  exact sums over all districts.

Over time (complementary suppression, 2차 비공개): the legacy API publishes
new hires *cumulated* from January, and the monthly dataset each month. Were
every cumulative shown, two consecutive ones would give a withheld month away
(3 by January, 5 by February: February was 2). So, for a project, a vulnerable
group and a year (``WithheldMonths``):

* the cumulative to month k is published only when the withheld months since
  the last published cumulative (January's start counts as one, at 0) cannot be
  told apart: at least two of them, and their sum — which the two published
  cumulatives and the published months between give — leaves each of them
  more than one possible value (each is 1 .. threshold−1). Otherwise it reads
  ``"<3"`` like the months it would reveal. The decision for month k looks
  only at months up to k, so what was published for an earlier month never
  changes when later months arrive (old answers and new ones never combine);
* a cumulative total of new hires (all groups) is published only where every
  vulnerable group's cumulative is (the total less the exact groups would be
  that group's cumulative); a month's total is withheld whenever one of its
  groups is (whatever its size);
* a district's cumulative of a group (and its total) is published only where
  every one of its projects' is (the district less its other projects would
  be the withheld project's).

Hence no figure any public output shows — API cumulative or monthly, dataset
downloads, the district and project pages — differs from another by exactly a
withheld month. Known limit: the city-wide counts stay exact (the issue's
rule), so when a single project in the whole city hires a vulnerable group, the
city's month-to-month difference is that project's month.

Everything published — API, dataset downloads, the public pages — goes
through ``public_figure``; the stored and admin figures stay exact.
"""

from dataclasses import dataclass, field

from django.conf import settings

DEFAULT_THRESHOLD = 3


def threshold() -> int:
    return int(getattr(settings, "OPEN_DATA_SMALL_CELL_THRESHOLD", DEFAULT_THRESHOLD))


def withheld_label() -> str:
    return f"<{threshold()}"


def is_small(value) -> bool:
    """A count of one person or more below the threshold."""
    return isinstance(value, int) and 0 < value < threshold()


def public_figure(value: int, *, project_level: bool, vulnerable: bool) -> int | str:
    """The figure as published: ``"<3"`` for a small count of a vulnerable
    group below city level (``project_level`` is True for a project or a
    district), the exact count otherwise."""
    if project_level and vulnerable and is_small(value):
        return withheld_label()
    return value


def public_total(value: int, *, project_level: bool, contains_withheld: bool):
    """A row's total of all target groups: withheld when it holds a withheld
    count, whatever its size (the total less the exact groups would be that
    count)."""
    if project_level and contains_withheld and value:
        return withheld_label()
    return value


def vulnerable_codes() -> frozenset[str]:
    """Codes of the target groups any call marks vulnerable (one query)."""
    from competitions.models import CallTargetGroup

    return frozenset(
        CallTargetGroup.objects.filter(vulnerable=True)
        .values_list("code", flat=True)
        .distinct()
    )


def _ambiguous(withheld: list[int]) -> bool:
    """Whether withheld months whose sum is known can still each be more than
    one value (each is 1 .. threshold−1)."""
    count = len(withheld)
    if count < 2:
        return False
    total = sum(withheld)
    top = threshold() - 1
    lowest = max(1, total - top * (count - 1))
    highest = min(top, total - (count - 1))
    return highest > lowest


def published_cumulative_months(monthly: list[int]) -> set[int]:
    """The months (1..12) whose January-to-date cumulative of one vulnerable
    group's new hires may be published, by the rule in the module docstring.
    ``monthly[i]`` is month i+1's count."""
    published = set()
    since_last: list[int] = []
    for number, value in enumerate(monthly, start=1):
        if is_small(value):
            since_last.append(value)
        if not since_last or _ambiguous(since_last):
            published.add(number)
            since_last = []
    return published


@dataclass
class WithheldMonths:
    """Which cumulatives of a year are withheld, per project and vulnerable
    group (by code), and the districts' projects."""

    published: dict[tuple[str, str], set[int]] = field(default_factory=dict)
    projects_of: dict[str, set[str]] = field(default_factory=dict)

    def group(self, project: str, group: str, month: int) -> bool:
        """The project's cumulative of ``group`` to ``month`` is withheld."""
        months = self.published.get((project, group))
        return months is not None and month not in months

    def total(self, project: str, month: int) -> bool:
        return any(
            month not in months
            for (code, _group), months in self.published.items()
            if code == project
        )

    def district_group(self, district: str, group: str, month: int) -> bool:
        return any(
            self.group(project, group, month)
            for project in self.projects_of.get(district, ())
        )

    def district_total(self, district: str, month: int) -> bool:
        return any(
            self.total(project, month) for project in self.projects_of.get(district, ())
        )


def withheld_months(year: int) -> WithheldMonths:
    """The year's cumulatives to withhold, from the accepted figures (one
    query over the vulnerable groups' new-hire rows)."""
    from indicators.builtins import NEW_HIRES
    from reporting.models import FigureYear

    result = WithheldMonths()
    rows = FigureYear.objects.filter(
        year=year, measure=NEW_HIRES, key__in=vulnerable_codes()
    ).values_list("project__code", "district__code", "key", *FigureYear.MONTHS)
    for project, district, group, *months in rows:
        result.published[(project, group)] = published_cumulative_months(months)
        result.projects_of.setdefault(district, set()).add(project)
    return result
