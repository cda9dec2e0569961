"""Changing the indicator catalogue and the city's validation rules.

The admin screens (``indicators.wagtail_hooks``) call these and nothing else,
so the rules below hold for every door:

* only city managers change the catalogue or the rules;
* a used indicator (a figure, a plan, a proposal, a call or a rule names it)
  keeps its code and its meaning: the code, how its months add up and how it
  is split cannot change, because past figures were reported under them; it
  is never deleted, only retired (``is_active=False``: kept, no longer chosen);
* a core indicator (jobs created, employed at month end, spending) is in every
  call and report: never deleted or retired, its aggregation and split fixed;
* a rule compares two different indicators of the same kind (money with money,
  counts with counts), with its message written in Korean and in English.

Every change is in the audit trail: ``common.audit`` tracks both models, and
the request's middleware names who made it.
errors are ``ValidationError`` field → message in the reader's language.
"""

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from accounts import access

from .models import Indicator, ValidationRule

# Fields the catalogue screen may set (is_core is the builtins' alone).
INDICATOR_FIELDS = (
    "code",
    "name_ko",
    "name_en",
    "unit_ko",
    "unit_en",
    "aggregation",
    "disaggregation",
    "target_required",
    "source",
    "definition_ko",
    "definition_en",
    "is_active",
)
# What a used indicator's figures were reported under.
MEANING_FIELDS = ("aggregation", "disaggregation")

RULE_FIELDS = (
    "code",
    "left",
    "left_window",
    "comparison",
    "right",
    "right_window",
    "severity",
    "message_ko",
    "message_en",
    "is_active",
)

# Tables that store figures under the indicator's code (not a foreign key).
FIGURE_TABLES = ("reporting.ReportValue", "reporting.FigureYear")


def _require_city_manager(actor) -> None:
    if not access.can(actor, "manage_catalogue"):
        raise PermissionDenied(_("Only the city's managers change the catalogue."))


# --- where an indicator is used ----------------------------------------------


def _referring_relations() -> list[models.ForeignKey]:
    """Every foreign key to an indicator (calls, proposals, plans, rules, and
    whatever later apps add), found from the model, not listed by hand."""
    return [
        relation.field
        for relation in Indicator._meta.get_fields(include_hidden=True)
        if relation.is_relation and relation.auto_created and not relation.concrete
    ]


def indicator_uses(indicator: Indicator) -> list[str]:
    """What uses this indicator, as short phrases for a message (empty when
    nothing does)."""
    uses = []
    for field in _referring_relations():
        if field.model._default_manager.filter(**{field.name: indicator}).exists():
            uses.append(str(field.model._meta.verbose_name_plural))
    for label in FIGURE_TABLES:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if model._default_manager.filter(measure=indicator.code).exists():
            uses.append(str(model._meta.verbose_name_plural))
    return list(dict.fromkeys(uses))


def indicator_is_used(indicator: Indicator) -> bool:
    return indicator.is_core or bool(indicator_uses(indicator))


def indicator_delete_refusal(indicator: Indicator) -> str | None:
    """Why this indicator cannot be deleted, or None (an unused entry can)."""
    if indicator.is_core:
        return _(
            "%(name)s is a core indicator, in every call and report: it cannot be "
            "deleted or retired."
        ) % {"name": indicator.name}
    uses = indicator_uses(indicator)
    if uses:
        return _(
            "%(name)s is used (%(uses)s), so it cannot be deleted: its figures must "
            "keep their meaning. To stop new calls choosing it, retire it: untick "
            '"can be chosen" and save.'
        ) % {"name": indicator.name, "uses": ", ".join(uses)}
    return None


# --- the catalogue -------------------------------------------------------------


def _indicator_clean(*, indicator: Indicator, stored: Indicator | None) -> None:
    """The catalogue's rules for ``indicator`` (new values) against ``stored``
    (what the database holds, None for a new entry)."""
    try:
        indicator.full_clean(exclude=["is_core"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None
    if stored is None:
        return
    errors: dict[str, list[str]] = {}
    used = indicator_is_used(stored)
    if stored.is_core:
        for field in MEANING_FIELDS:
            if getattr(indicator, field) != getattr(stored, field):
                errors.setdefault(field, []).append(
                    _(
                        "A core indicator's aggregation and split cannot change: "
                        "every report is built on them."
                    )
                )
        if not indicator.is_active:
            errors.setdefault("is_active", []).append(
                _("A core indicator is in every call and report: it cannot be retired.")
            )
    elif used:
        for field in MEANING_FIELDS:
            if getattr(indicator, field) != getattr(stored, field):
                errors.setdefault(field, []).append(
                    _(
                        "This indicator is used, and past figures were reported under "
                        "the old meaning: its aggregation and split cannot change. "
                        "Add a new indicator for the new meaning and retire this one."
                    )
                )
    if used and indicator.code != stored.code:
        errors.setdefault("code", []).append(
            _(
                "This indicator is used: spreadsheets, exports and the open data carry "
                "its code, so it cannot change (it stays %(code)s). Change its names "
                "instead."
            )
            % {"code": stored.code}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def indicator_create(*, actor, indicator: Indicator) -> Indicator:
    """Add an entry to the catalogue (never a core one: those are the builtins')."""
    _require_city_manager(actor)
    indicator.pk = None
    indicator.is_core = False
    _indicator_clean(indicator=indicator, stored=None)
    indicator.save()
    return indicator


@transaction.atomic
def indicator_update(*, actor, indicator: Indicator) -> Indicator:
    """Save the catalogue fields of ``indicator`` (its new values), checked
    against what the database holds."""
    _require_city_manager(actor)
    stored = Indicator.objects.select_for_update().get(pk=indicator.pk)
    indicator.is_core = stored.is_core
    _indicator_clean(indicator=indicator, stored=stored)
    for field in INDICATOR_FIELDS:
        setattr(stored, field, getattr(indicator, field))
    stored.save()
    return stored


@transaction.atomic
def indicator_retire(*, actor, indicator: Indicator) -> Indicator:
    """Keep the entry and its figures; new calls can no longer choose it."""
    _require_city_manager(actor)
    stored = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if stored.is_core:
        raise ValidationError(
            {
                "is_active": _(
                    "A core indicator is in every call and report: it cannot be "
                    "retired."
                )
            }
        )
    if stored.is_active:
        stored.is_active = False
        stored.save(update_fields=["is_active", "updated_at"])
    return stored


@transaction.atomic
def indicator_delete(*, actor, indicator: Indicator) -> None:
    """Delete an entry nothing uses (a mistake just made); anything else is
    retired instead (``indicator_delete_refusal`` says so)."""
    _require_city_manager(actor)
    stored = Indicator.objects.select_for_update().get(pk=indicator.pk)
    reason = indicator_delete_refusal(stored)
    if reason:
        raise ValidationError(reason)
    stored.delete()


# --- validation rules ------------------------------------------------------------


def _rule_clean(rule: ValidationRule) -> None:
    errors: dict[str, list[str]] = {}
    try:
        rule.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    for field, message in (
        ("message_ko", _("Write the message in Korean: officers read it in Korean.")),
        ("message_en", _("Write the message in English too: it is shown in English.")),
    ):
        if field not in errors and not (getattr(rule, field) or "").strip():
            errors[field] = [message]
    left = rule.left if rule.left_id else None
    right = rule.right if rule.right_id else None
    if left is not None and right is not None:
        if left.pk == right.pk:
            errors.setdefault("right", []).append(
                _("Left and right must be different indicators.")
            )
        elif left.is_money != right.is_money:
            errors.setdefault("right", []).append(
                _(
                    "%(left)s is counted in %(left_unit)s and %(right)s in "
                    "%(right_unit)s: compare like with like (money with money, "
                    "counts with counts)."
                )
                % {
                    "left": left.name,
                    "left_unit": left.unit,
                    "right": right.name,
                    "right_unit": right.unit,
                }
            )
    for field in ("message_ko", "message_en"):
        text = getattr(rule, field) or ""
        try:
            text.format(left="", right="", member="")
        except (KeyError, IndexError, ValueError):
            errors.setdefault(field, []).append(
                _(
                    "The message may use only {left}, {right} and {member} in curly "
                    "brackets; write any other brackets out."
                )
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def validation_rule_create(*, actor, rule: ValidationRule) -> ValidationRule:
    _require_city_manager(actor)
    rule.pk = None
    _rule_clean(rule)
    rule.save()
    return rule


@transaction.atomic
def validation_rule_update(*, actor, rule: ValidationRule) -> ValidationRule:
    _require_city_manager(actor)
    stored = ValidationRule.objects.select_for_update().get(pk=rule.pk)
    _rule_clean(rule)
    for field in RULE_FIELDS:
        setattr(stored, field, getattr(rule, field))
    stored.save()
    return stored
