"""Every check of a monthly report, on plain data.

The web form and the spreadsheet import both call ``check_report`` with the
figures as ``{indicator code: {member key: value}}`` (a member is a target
group, a budget category, a fixed member such as "female", or "total" for an
indicator that is not split), roster rows as dicts and the texts, and get back
errors (which block) and warnings (which need a comment). ``ReportContext``
carries what the checks compare against: the plan's indicators (the core ones
and the plan's outputs, read from the catalogue) with their members and
targets, the accepted totals of earlier months and the city's active
validation rules; build it with ``reporting.selectors.report_context``.

Nothing here knows a fixed list of measures: names, units and how a figure adds
up come from the catalogue (``indicators.Indicator``), so a new indicator needs
no edit here. Every message is in the reader's language only (the active
one), a ``common.messages.CodedMessage`` whose ``code`` names the check; a
validation rule's message is the city's own, in the reader's language.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext as _

from cms.models import english_active
from common.messages import CodedMessage
from common.personal_data import (
    PARTICIPANT_CODE_EXAMPLE,
    describe_findings,
    mask_text,
    participant_code_ok,
    scan_personal_data,
)
from indicators import builtins
from indicators.models import (
    FIXED_MEMBERS,
    TOTAL_KEY,
    Comparison,
    Disaggregation,
    Indicator,
    Severity,
    ValidationRule,
    Window,
)
from projects.months import add_months, month_end, month_label

SPIKE_FACTOR = 3

# The largest figure a month may plausibly report, by the indicator's unit:
# beyond it a figure is a typing slip (or an attack), and it must be refused
# here, with its cell, never reach the database (whose 64-bit integer
# overflows at 9.2e18). Money (KRW), people, and every other count.
# Settings: SANGSAENG_MAX_AMOUNT_KRW, SANGSAENG_MAX_PEOPLE_COUNT, SANGSAENG_MAX_OUTPUT_COUNT.
DEFAULT_MAX_PEOPLE = 10_000_000
DEFAULT_MAX_OUTPUT = 1_000_000_000
DEFAULT_MAX_AMOUNT_KRW = 1_000_000_000_000
PEOPLE_UNIT = "people"


def figure_ceiling(indicator: Indicator) -> int:
    """The largest value a month's figure of this indicator may have, by its unit."""
    if indicator.is_money:
        return getattr(settings, "SANGSAENG_MAX_AMOUNT_KRW", DEFAULT_MAX_AMOUNT_KRW)
    if indicator.unit_en == PEOPLE_UNIT:
        return getattr(settings, "SANGSAENG_MAX_PEOPLE_COUNT", DEFAULT_MAX_PEOPLE)
    return getattr(settings, "SANGSAENG_MAX_OUTPUT_COUNT", DEFAULT_MAX_OUTPUT)


def _shown(labels: tuple[str, str]) -> str:
    """The Korean or English of a (Korean, English) label, by the reader."""
    return labels[1] if english_active() else labels[0]


@dataclass(frozen=True)
class Member:
    """One figure of an indicator's split: its key, names and, where the plan
    gives one, its target (planned jobs of a target group, a budget line's
    amount)."""

    key: str
    name_ko: str
    name_en: str
    target: int | None = None

    @property
    def name(self) -> str:
        return self.name_en if english_active() and self.name_en else self.name_ko


@dataclass
class PlanIndicator:
    """A catalogue indicator as one plan reports it: its members (in order)
    and the plan's target for it (None where the plan gives none)."""

    indicator: Indicator
    members: dict[str, Member]
    target: int | None = None

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def name(self) -> str:
        return self.indicator.name

    @property
    def unit(self) -> str:
        return self.indicator.unit

    @property
    def is_split(self) -> bool:
        return self.indicator.disaggregation != Disaggregation.NONE

    def label(self, key: str) -> tuple[str, str]:
        """(Korean, English) of a figure: "방문 가구", "신규 채용(경력단절여성)"."""
        ind = self.indicator
        name_en = ind.name_en or ind.name_ko
        member = self.members.get(key)
        if not self.is_split:
            return ind.name_ko, name_en
        member_ko = member.name_ko if member else key
        member_en = (member.name_en or member.name_ko) if member else key
        return f"{ind.name_ko}({member_ko})", f"{name_en} ({member_en})"


def _fixed_members(indicator: Indicator) -> list[Member]:
    return [Member(k, ko, en) for k, ko, en in indicator.fixed_members or []]


def plan_indicators(
    *,
    core: list[Indicator],
    outputs: list[tuple[Indicator, int | None]],
    target_groups: list[Member],
    budget_lines: list[Member],
) -> dict[str, PlanIndicator]:
    """The indicators a plan reports, in the order forms and templates show
    them: the core ones that are not money, the plan's outputs, then money.

    Members come from the indicator's split: the plan's target groups or
    budget lines, or the catalogue's fixed members. A target group carries its
    planned jobs and a budget line its amount as the member's target for the
    core indicators (their targets are the plan's jobs and budget); an output's
    target is the plan's, on the indicator as a whole. Indicators computed from
    the roster are not reported and are left out."""
    found: dict[str, PlanIndicator] = {}

    def add(indicator: Indicator, target: int | None) -> None:
        if indicator.code in found or indicator.source != "reported":
            return
        split = indicator.disaggregation
        if split == Disaggregation.TARGET_GROUP:
            members = (
                target_groups
                if indicator.is_core
                else [Member(m.key, m.name_ko, m.name_en) for m in target_groups]
            )
        elif split == Disaggregation.BUDGET_CATEGORY:
            members = (
                budget_lines
                if indicator.is_money
                else [Member(m.key, m.name_ko, m.name_en) for m in budget_lines]
            )
        else:
            members = _fixed_members(indicator)
        if target is None and any(m.target is not None for m in members):
            target = sum(m.target or 0 for m in members)
        found[indicator.code] = PlanIndicator(
            indicator, {m.key: m for m in members}, target
        )

    for indicator in core:
        if not indicator.is_money:
            add(indicator, None)
    for indicator, target in outputs:
        add(indicator, target)
    for indicator in core:
        add(indicator, None)
    return found


@dataclass
class ReportContext:
    """What a month's figures are checked against."""

    period: date
    period_start: date
    period_end: date
    today: date  # in Asia/Seoul
    # code → PlanIndicator: the plan in force's indicators, in display order
    indicators: dict[str, PlanIndicator]
    # the plan's target groups (the roster names them)
    target_groups: dict[str, Member] = field(default_factory=dict)
    # accepted figures of the project's earlier months: indicator → key → total
    totals_before: dict[str, dict[str, int]] = field(default_factory=dict)
    months_before: int = 0  # how many earlier months have an accepted report
    # the city's active validation rules (``indicators.ValidationRule``)
    rules: list[ValidationRule] = field(default_factory=list)
    # how far (percent of the agreed amount) a budget category's spending to
    # date may go over it by moving money between categories (비목 변경) without
    # a change request: the call's conditions of grant; None: no limit
    category_move_percent: int | None = None

    def before(self, measure: str, key: str) -> int:
        return self.totals_before.get(measure, {}).get(key, 0)


@dataclass
class CheckResult:
    errors: dict[str, list[str]] = field(default_factory=dict)
    # key → message; answer with a comment
    warnings: dict[str, str] = field(default_factory=dict)
    # cleaned (whole numbers)
    values: dict[str, dict[str, int]] = field(default_factory=dict)
    roster: list[dict] = field(default_factory=list)  # cleaned rows
    # (still employed after 6 months, hired ≥ 6 months ago)
    retention: tuple[int, int] | None = None
    # error or warning key → the indicators it was computed from, so a caller
    # can leave out a knock-on message of a figure it already refused
    inputs: dict[str, set[str]] = field(default_factory=dict)

    def error(self, key: str, message: str, code: str | None = None) -> None:
        """Record an error; ``code`` names it (kept on a ``CodedMessage``)."""
        if code is not None:
            message = CodedMessage(message, code)
        self.errors.setdefault(key, []).append(message)

    def warn(self, key: str, message: str, code: str) -> None:
        self.warnings[key] = CodedMessage(message, code)

    def codes(self) -> dict[str, list[str]]:
        """key → the codes of its errors and warnings (what tests match on)."""
        found: dict[str, list[str]] = {}
        for key, messages in self.errors.items():
            found.setdefault(key, []).extend(getattr(m, "code", "") for m in messages)
        for key, message in self.warnings.items():
            found.setdefault(key, []).append(getattr(message, "code", ""))
        return found

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def unanswered_warnings(self, comments: dict[str, str]) -> dict[str, str]:
        return {
            k: m
            for k, m in self.warnings.items()
            if not (comments.get(k) or "").strip()
        }


def _whole_number(raw) -> int | None | str:
    """An int, None for blank, or the string 'fraction' / 'invalid'."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        return "invalid"
    if isinstance(raw, int):
        return raw
    try:
        number = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        return "invalid"
    if not number.is_finite():
        return "invalid"
    if number != number.to_integral_value():
        return "fraction"
    return int(number)


def _name(member: Member | None, key: str) -> tuple[str, str]:
    if member is None:
        return key, key
    return member.name_ko, member.name_en or member.name_ko


def _as_date(raw) -> date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, date):
        return raw
    return date.fromisoformat(str(raw).strip())


def derive_counts(roster: list[dict], period: date) -> dict[str, dict[str, int]]:
    """New hires in the month and employment at its end, per target group,
    from roster rows (cleaned: dates as dates)."""
    last_day = month_end(period)
    new_hires: dict[str, int] = {}
    employed: dict[str, int] = {}
    for row in roster:
        group = row["target_group_code"]
        if period <= row["hire_date"] <= last_day:
            new_hires[group] = new_hires.get(group, 0) + 1
        if row["hire_date"] <= last_day and (
            row["end_date"] is None or row["end_date"] >= last_day
        ):
            employed[group] = employed.get(group, 0) + 1
    return {builtins.NEW_HIRES: new_hires, builtins.EMPLOYED: employed}


def _six_months_after(day: date) -> date:
    month = add_months(day.replace(day=1), 6)
    return month.replace(day=min(day.day, month_end(month).day))


def six_month_retention(roster: list[dict], as_of: date) -> tuple[int, int]:
    """(retained, eligible): of the people hired at least six months before
    ``as_of``, how many were still employed six months after their hire."""
    eligible = retained = 0
    for row in roster:
        six_months_on = _six_months_after(row["hire_date"])
        if six_months_on > as_of:
            continue
        eligible += 1
        if row["end_date"] is None or row["end_date"] >= six_months_on:
            retained += 1
    return retained, eligible


def _check_text(result: CheckResult, key: str, label: str, text: str) -> None:
    findings = scan_personal_data(text)
    if findings:
        result.error(key, personal_data_message(label, findings), "personal_data")


def personal_data_message(where: str, findings) -> str:
    """One refusal, in the reader's language, naming where and what (masked)."""
    return gettext(
        "%(where)s: this looks like personal data (%(found)s). Reports carry counts only: "
        "remove it and write the number of people, or their pseudonymous participant codes."
    ) % {"where": where, "found": describe_findings(findings)}


def _text_label(name: str) -> str:
    return gettext("Narrative") if name == "narrative" else name


def _check_period(result: CheckResult, context: ReportContext) -> None:
    month = month_label(context.period)
    if context.period.day != 1:
        result.error(
            "period",
            _("The month is given by its first day (%(day)s).")
            % {"day": context.period},
            "period_not_first_day",
        )
    if not (context.period_start <= context.period <= context.period_end):
        result.error(
            "period",
            _(
                "The month (%(month)s) is outside the project period "
                "(%(start)s to %(end)s)."
            )
            % {
                "month": month,
                "start": month_label(context.period_start),
                "end": month_label(context.period_end),
            },
            "period_outside_project",
        )
    if context.period > context.today.replace(day=1):
        result.error(
            "period",
            _("The month (%(month)s) is in the future.") % {"month": month},
            "period_in_future",
        )


def _too_large_message(labels: tuple[str, str], money: bool, number, ceiling) -> str:
    params = {
        "label": _shown(labels),
        "value": f"{number:,}",
        "ceiling": f"{ceiling:,}",
    }
    if money:
        return (
            _(
                "%(label)s: %(value)s KRW is more than any month's spending can be "
                "(at most %(ceiling)s KRW); check the amount (no extra zeros, whole won)."
            )
            % params
        )
    return (
        _(
            "%(label)s: %(value)s is more than any month's figure can be (at most "
            "%(ceiling)s); check the number."
        )
        % params
    )


def _clean_values(result: CheckResult, context: ReportContext, values: dict) -> None:
    # A bulk import checks 100,000 figures this way: a valid whole number goes
    # straight through; names and messages are made only for a figure in error.
    for measure, figures in values.items():
        if not figures:
            continue
        planned = context.indicators.get(measure)
        if planned is None:
            for key in figures:
                result.error(
                    f"{measure}.{key}",
                    _(
                        "'%(code)s' is not an indicator of the plan in force for this month."
                    )
                    % {"code": measure},
                    "unknown_indicator",
                )
            continue
        known = planned.members
        ceiling = figure_ceiling(planned.indicator)
        cleaned: dict[str, int] = {}
        for key, raw in figures.items():
            if key not in known:
                result.error(
                    f"{measure}.{key}",
                    _(
                        "%(indicator)s: '%(item)s' is not in the plan in force for this month."
                    )
                    % {"indicator": planned.indicator.name, "item": key},
                    "unknown_item",
                )
                continue
            number = raw if type(raw) is int else _whole_number(raw)
            if number is None:
                continue  # left out: absent from this version
            if type(number) is int and 0 <= number <= ceiling:
                cleaned[key] = number
                continue
            labels = planned.label(key)
            if type(number) is int and number > ceiling:
                result.error(
                    f"{measure}.{key}",
                    _too_large_message(
                        labels, planned.indicator.is_money, number, ceiling
                    ),
                    "figure_too_large",
                )
                continue
            if number in ("fraction", "invalid"):
                result.error(
                    f"{measure}.{key}",
                    _("%(label)s: enter a whole number (got %(value)s).")
                    % {"label": _shown(labels), "value": raw},
                    "not_whole_number",
                )
            else:
                result.error(
                    f"{measure}.{key}",
                    _("%(label)s: must be 0 or more (got %(value)s).")
                    % {"label": _shown(labels), "value": number},
                    "negative_number",
                )
        result.values[measure] = cleaned


def _clean_roster(
    result: CheckResult, context: ReportContext, roster: list[dict]
) -> None:
    last_day = month_end(context.period)
    seen = set()
    for index, raw in enumerate(roster, start=1):
        key = f"roster.{index}"
        code = str(raw.get("participant_code") or "").strip()
        if not participant_code_ok(code):
            result.error(
                key, participant_code_message(index, code), "roster_participant_code"
            )
            continue
        group = str(raw.get("target_group_code") or "").strip()
        if group not in context.target_groups:
            result.error(
                key,
                _("Roster row %(row)s: '%(group)s' is not a target group of the plan.")
                % {"row": index, "group": group},
                "roster_unknown_group",
            )
            continue
        try:
            hire_date = _as_date(raw.get("hire_date"))
            end_date = _as_date(raw.get("end_date"))
        except ValueError:
            result.error(
                key,
                _("Roster row %(row)s: dates are YYYY-MM-DD.") % {"row": index},
                "roster_bad_date",
            )
            continue
        if hire_date is None:
            result.error(
                key,
                _("Roster row %(row)s: the hire date is missing.") % {"row": index},
                "roster_no_hire_date",
            )
            continue
        if hire_date > last_day:
            result.error(
                key,
                _("Roster row %(row)s: the hire date (%(day)s) is after the month.")
                % {"row": index, "day": hire_date},
                "roster_hired_after_month",
            )
            continue
        if end_date is not None and end_date < hire_date:
            result.error(
                key,
                _(
                    "Roster row %(row)s: the end date (%(end)s) is before the hire date "
                    "(%(hire)s)."
                )
                % {"row": index, "end": end_date, "hire": hire_date},
                "roster_end_before_hire",
            )
            continue
        if (code, hire_date) in seen:
            result.error(
                key,
                _(
                    "Roster row %(row)s: the same participant and hire date appear twice."
                )
                % {"row": index},
                "roster_duplicate",
            )
            continue
        seen.add((code, hire_date))
        result.roster.append(
            {
                "participant_code": code,
                "target_group_code": group,
                "hire_date": hire_date,
                "end_date": end_date,
            }
        )


def participant_code_message(row: int, code: str) -> str:
    """A refused roster code: the row, the code masked, the one accepted pattern."""
    if code:
        return gettext(
            "Roster row %(row)s: the participant code %(code)s is not a pseudonymous code. Use the "
            "pattern %(pattern)s (letters of your district's code, a hyphen, a serial number, e.g. "
            "%(example)s or BP-19-001), never a name, a resident registration number or a phone number."
        ) % {
            "row": row,
            "code": mask_text(code),
            "pattern": "AA-0000",
            "example": PARTICIPANT_CODE_EXAMPLE,
        }
    return gettext(
        "Roster row %(row)s: the participant code is missing. Give every participant a pseudonymous "
        "code such as %(example)s."
    ) % {"row": row, "example": PARTICIPANT_CODE_EXAMPLE}


def _check_roster_agrees(
    result: CheckResult, context: ReportContext, entered: dict
) -> None:
    derived = derive_counts(result.roster, context.period)
    for measure in (builtins.NEW_HIRES, builtins.EMPLOYED):
        planned = context.indicators.get(measure)
        if planned is None:
            continue
        if not (entered.get(measure) or {}):
            # Counts left out: the roster supplies them.
            result.values[measure] = {
                code: derived[measure].get(code, 0) for code in context.target_groups
            }
            continue
        for code in context.target_groups:
            have = result.values.get(measure, {}).get(code, 0)
            want = derived[measure].get(code, 0)
            if have != want:
                key = f"{measure}.{code}"
                result.error(
                    key,
                    _("%(label)s: %(have)s entered, but the roster gives %(want)s.")
                    % {
                        "label": _shown(planned.label(code)),
                        "have": have,
                        "want": want,
                    },
                    "roster_disagrees",
                )
                result.inputs.setdefault(key, set()).add("roster")
    result.retention = six_month_retention(result.roster, month_end(context.period))


# --- the city's validation rules --------------------------------------------

_HOLDS = {
    Comparison.AT_LEAST: lambda left, right: left >= right,
    Comparison.AT_MOST: lambda left, right: left <= right,
    Comparison.EQUAL: lambda left, right: left == right,
    Comparison.MORE: lambda left, right: left > right,
    Comparison.LESS: lambda left, right: left < right,
}


class _Placeholders(dict):
    """Fills {left} {right} {member}; any other brace the city typed stays."""

    def __missing__(self, name):
        return "{" + name + "}"


def rule_message(rule: ValidationRule, *, left: int, right: int, member: str) -> str:
    """The rule's own message in the reader's language, numbers with separators."""
    text = rule.message
    try:
        return text.format_map(
            _Placeholders(left=f"{left:,}", right=f"{right:,}", member=member)
        )
    except (ValueError, IndexError):  # a stray brace: show the text as written
        return text


def _figure(
    result: CheckResult,
    context: ReportContext,
    measure: str,
    keys: list[str],
    window: str,
) -> int | None:
    """This month's figure of these members (their sum), or to date (accepted
    earlier months and this month). None: this month has no such figure, so
    a "this month" comparison has nothing to compare."""
    month = result.values.get(measure, {})
    entered = [month[key] for key in keys if key in month]
    if window == Window.TO_DATE:
        return sum(context.before(measure, key) for key in keys) + sum(entered)
    return sum(entered) if entered else None


def rule_pairs(
    rule: ValidationRule, indicators: dict[str, PlanIndicator]
) -> list[tuple[str, list[str], list[str], Member]]:
    """What a rule compares in a plan: (key, left members, right members,
    member shown), member by member when both indicators are split the same
    way, else once on their totals (key "total"); [] when the plan lacks
    either indicator."""
    left = indicators.get(rule.left.code)
    right = indicators.get(rule.right.code)
    if left is None or right is None:
        return []
    if left.is_split and (
        left.indicator.disaggregation == right.indicator.disaggregation
    ):
        return [
            (key, [key], [key], member)
            for key, member in left.members.items()
            if key in right.members
        ]
    total = Member(TOTAL_KEY, *FIXED_MEMBERS[Disaggregation.NONE][0][1:])
    return [(TOTAL_KEY, list(left.members), list(right.members), total)]


def rule_warning_key(rule: ValidationRule, key: str) -> str:
    """The key of a warning rule's warning, and of the comment answering it."""
    return f"rule.{rule.code}.{key}"


def _check_rules(result: CheckResult, context: ReportContext) -> None:
    """Each active rule whose two indicators the plan has. An error stands on
    the left figure; a warning needs a comment on ``rule.<code>.<member>``."""
    for rule in context.rules:
        holds = _HOLDS[rule.comparison]
        left, right = rule.left.code, rule.right.code
        for key, left_keys, right_keys, member in rule_pairs(rule, context.indicators):
            left_value = _figure(result, context, left, left_keys, rule.left_window)
            right_value = _figure(result, context, right, right_keys, rule.right_window)
            if left_value is None or right_value is None:
                continue
            if holds(left_value, right_value):
                continue
            message = rule_message(
                rule, left=left_value, right=right_value, member=member.name
            )
            if rule.severity == Severity.ERROR:
                where = f"{left}.{key}"
                result.error(where, message, f"rule.{rule.code}")
            else:
                where = rule_warning_key(rule, key)
                result.warn(where, message, f"rule.{rule.code}")
            result.inputs.setdefault(where, set()).update({left, right})


# --- fixed checks ------------------------------------------------------------


def moved_beyond_threshold(
    *, amount: int, spent_to_date: int, percent: int | None
) -> bool:
    """Spending to date over a category's agreed amount by more than the
    call's percent of that amount: money moved between categories (비목 변경)
    beyond what the district may do alone. At the threshold exactly: within."""
    if percent is None:
        return False
    return (spent_to_date - amount) * 100 > amount * percent


def _category_move_message(planned, code: str, amount: int, to_date: int, percent):
    return _(
        "%(item)s: spending to date (%(spent)s KRW) is %(over)s KRW over the "
        "agreed budget of %(budget)s KRW, more than the %(percent)s%% the call "
        "allows moving between budget categories. File a change request for "
        "the budget (Projects → Change requests) and report this spending once "
        "the city approves it."
    ) % {
        "item": _shown(_name(planned.members[code], code)),
        "spent": f"{to_date:,}",
        "over": f"{to_date - amount:,}",
        "budget": f"{amount:,}",
        "percent": percent,
    }


def _check_spending(
    result: CheckResult, context: ReportContext, comments: dict
) -> None:
    """Money beyond what is left of a budget line needs a reason; beyond the
    call's category-move threshold it needs an approved change request."""
    for planned in context.indicators.values():
        if not planned.indicator.is_money:
            continue
        for code, spent in result.values.get(planned.code, {}).items():
            amount = planned.members[code].target
            if amount is None:
                continue
            before = context.before(planned.code, code)
            remaining = max(amount - before, 0)
            key = f"{planned.code}.{code}"
            if spent and moved_beyond_threshold(
                amount=amount,
                spent_to_date=before + spent,
                percent=context.category_move_percent,
            ):
                result.error(
                    key,
                    _category_move_message(
                        planned,
                        code,
                        amount,
                        before + spent,
                        context.category_move_percent,
                    ),
                    "category_move_beyond_threshold",
                )
                continue
            if spent > remaining and not (comments.get(key) or "").strip():
                result.error(
                    key,
                    _(
                        "%(item)s: spending this month (%(spent)s KRW) exceeds the "
                        "remaining budget (%(remaining)s KRW); add a comment."
                    )
                    % {
                        "item": _shown(_name(planned.members[code], code)),
                        "spent": f"{spent:,}",
                        "remaining": f"{remaining:,}",
                    },
                    "spending_over_budget",
                )


def spike_checked(indicator: Indicator) -> bool:
    """Counts that add up over the months are compared with their monthly
    average (money is held to the budget instead)."""
    return indicator.aggregation == "sum" and not indicator.is_money


def _check_unusual(result: CheckResult, context: ReportContext) -> None:
    values = result.values
    flows = [p for p in context.indicators.values() if p.indicator.aggregation == "sum"]
    if not any(v for p in flows for v in values.get(p.code, {}).values()):
        result.warn(
            "no_activity",
            _(
                "Nobody was hired and nothing was delivered or spent this month; "
                "please explain."
            ),
            "no_activity",
        )
        result.inputs["no_activity"] = {p.code for p in flows}
    if context.months_before < 1:
        return
    for planned in context.indicators.values():
        if not spike_checked(planned.indicator) or not values.get(planned.code):
            continue
        value = sum(values[planned.code].values())
        total_before = sum(context.totals_before.get(planned.code, {}).values())
        average = total_before / context.months_before
        if average > 0 and value > SPIKE_FACTOR * average:
            key = spike_key(planned.code)
            result.warn(
                key,
                _(
                    "%(indicator)s: this month (%(value)s) is more than %(factor)s times "
                    "the monthly average (%(average)s); please explain."
                )
                % {
                    "indicator": planned.indicator.name,
                    "value": f"{value:,}",
                    "factor": SPIKE_FACTOR,
                    "average": f"{average:,.1f}",
                },
                "spike",
            )
            result.inputs[key] = {planned.code}


def spike_key(code: str) -> str:
    """The warning (and comment) key of an indicator's month far above average."""
    return f"spike.{code}.{TOTAL_KEY}"


def check_report(
    *,
    context: ReportContext,
    values: dict,
    roster: list[dict] | None = None,
    texts: dict[str, str] | None = None,
    comments: dict[str, str] | None = None,
    for_submission: bool = True,
) -> CheckResult:
    """All checks of one month's report.

    A draft (``for_submission=False``) is only checked for what may never be
    stored: numbers that are not whole or below zero, unknown items, roster
    rows that are not pseudonymous, personal data. A submission gets every check,
    and its warnings must be answered by a comment on the warning's key.
    """
    result = CheckResult()
    texts = texts or {}
    comments = comments or {}
    for name, text in texts.items():
        _check_text(result, name, _text_label(name), text)
    for key, text in comments.items():
        _check_text(result, f"comments.{key}", pgettext("sangsaeng", "Comment"), text)
    _clean_values(result, context, values)
    if roster:
        _clean_roster(result, context, roster)
        if not result.errors:
            _check_roster_agrees(result, context, values)
    if not for_submission:
        return result
    _check_period(result, context)
    _check_rules(result, context)
    _check_spending(result, context, comments)
    _check_unusual(result, context)
    return result
