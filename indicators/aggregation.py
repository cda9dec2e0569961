"""How an indicator's monthly figures add up: one small class per rule.

A rule answers two questions: what a project's figure is over several months
(``over_months``: the figures of the months that have one, oldest first), and
what several projects' figures for the same span are together (``across``).
A new rule is one class here and one ``register`` call: the catalogue's choice
list, the roll-ups and the checks read the registry, not a list of their own.
"""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Figure = int | Decimal


class Aggregation:
    code: str = ""
    label: Promise | str = ""
    # A rule whose result may have a fraction (an average) is shown to one
    # decimal place; every other result is a whole number of the unit.
    whole: bool = True
    # True when the rule over the months of several projects' summed monthly
    # figures equals the sum of each project's result (a sum, the last
    # month): the roll-up may then let the database add the projects up
    # first. Any other rule is applied project by project (``across``).
    additive: bool = False

    def over_months(self, values: Sequence[Figure]) -> Figure | None:
        raise NotImplementedError

    def across(self, values: Sequence[Figure]) -> Figure | None:
        """Several projects' figures for the same span: their sum, by default
        (people employed at month end in two projects are both employed)."""
        return sum(values) if values else None


class Sum(Aggregation):
    code = "sum"
    label = _("Sum over the months")
    additive = True

    def over_months(self, values):
        return sum(values) if values else None


class Last(Aggregation):
    code = "last"
    label = _("Latest month's value")
    additive = True

    def over_months(self, values):
        return values[-1] if values else None


class Maximum(Aggregation):
    code = "max"
    label = _("Highest month's value")

    def over_months(self, values):
        return max(values) if values else None


class Average(Aggregation):
    code = "average"
    label = _("Average of the months")
    whole = False

    def over_months(self, values):
        return _mean(values)

    def across(self, values):
        return _mean(values)


def _mean(values: Sequence[Figure]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


_RULES: dict[str, Aggregation] = {}


def register(rule: type[Aggregation]) -> type[Aggregation]:
    _RULES[rule.code] = rule()
    return rule


for _rule in (Sum, Last, Maximum, Average):
    register(_rule)


def rule(code: str) -> Aggregation:
    """The rule of a code; KeyError for one the registry does not know."""
    return _RULES[code]


def choices() -> list[tuple[str, Promise | str]]:
    """The catalogue field's choices (a callable, so a new rule needs no migration)."""
    return [(code, rule.label) for code, rule in _RULES.items()]
