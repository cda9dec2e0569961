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

Everything published — API, dataset downloads, the public pages — goes
through ``public_figure``; the stored and admin figures stay exact.
"""

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
    count and is itself below the threshold (it would reveal that count)."""
    if project_level and contains_withheld and is_small(value):
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
