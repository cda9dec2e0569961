"""Every check of a monthly report, on plain data.

The web form and the spreadsheet import both call ``check_report`` with the
figures as ``{measure: {key: value}}``, roster rows as dicts and the texts, and
get back errors (which block) and warnings (which need a comment), each message
one bilingual string: "한국어 / English". ``ReportContext`` carries what the
checks compare against (the plan in force, the totals of earlier months); build
it with ``reporting.selectors.report_context``.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext as _

from common.personal_data import (
    PARTICIPANT_CODE_EXAMPLE,
    describe_findings,
    mask_text,
    participant_code_ok,
    scan_personal_data,
)
from projects.months import add_months, month_end, month_label

from .models import Measure

SPIKE_FACTOR = 3

MEASURE_NAMES = {
    Measure.NEW_HIRES: ("신규 채용", "New hires"),
    Measure.EMPLOYED: ("월말 재직", "Employed at month end"),
    Measure.OUTPUT: ("산출", "Output"),
    Measure.SPENDING: ("집행액", "Spending"),
}

# The largest figure a month may plausibly report, per measure: beyond it a
# figure is a typing slip (or an attack), and it must be refused here, with
# its cell, never reach the database (whose 64-bit integer overflows at 9.2e18).
# Settings: SANGSAENG_MAX_PEOPLE_COUNT, SANGSAENG_MAX_OUTPUT_COUNT, SANGSAENG_MAX_AMOUNT_KRW.
DEFAULT_MAX_PEOPLE = 10_000_000
DEFAULT_MAX_OUTPUT = 1_000_000_000
DEFAULT_MAX_AMOUNT_KRW = 1_000_000_000_000


def figure_ceilings() -> dict[str, int]:
    """measure → the largest value a month's figure may have."""
    people = getattr(settings, "SANGSAENG_MAX_PEOPLE_COUNT", DEFAULT_MAX_PEOPLE)
    return {
        Measure.NEW_HIRES: people,
        Measure.EMPLOYED: people,
        Measure.OUTPUT: getattr(
            settings, "SANGSAENG_MAX_OUTPUT_COUNT", DEFAULT_MAX_OUTPUT
        ),
        Measure.SPENDING: getattr(
            settings, "SANGSAENG_MAX_AMOUNT_KRW", DEFAULT_MAX_AMOUNT_KRW
        ),
    }


def _in_both_languages(message) -> str:
    """ "한국어 / English" from one gettext message (English msgid, Korean in
    the catalogue), the form every message of this module has."""
    with translation.override("ko"):
        ko = message()
    with translation.override("en"):
        en = message()
    return f"{ko} / {en}"


def _too_large_message(
    measure: str, name: tuple[str, str], number: int, ceiling: int
) -> str:
    def message():
        measure_name = MEASURE_NAMES[measure][
            0 if translation.get_language() == "ko" else 1
        ]
        item = name[0 if translation.get_language() == "ko" else 1]
        if measure == Measure.SPENDING:
            return _(
                "%(measure)s (%(item)s): %(value)s KRW is more than any month's spending can be "
                "(at most %(ceiling)s KRW); check the amount (no extra zeros, whole won)."
            ) % {
                "measure": measure_name,
                "item": item,
                "value": f"{number:,}",
                "ceiling": f"{ceiling:,}",
            }
        return _(
            "%(measure)s (%(item)s): %(value)s is more than any month's figure can be (at most "
            "%(ceiling)s); check the number."
        ) % {
            "measure": measure_name,
            "item": item,
            "value": f"{number:,}",
            "ceiling": f"{ceiling:,}",
        }

    return _in_both_languages(message)


@dataclass
class ReportContext:
    """What a month's figures are checked against."""

    period: date
    period_start: date
    period_end: date
    today: date  # in Asia/Seoul
    # code → (name_ko, name_en, planned jobs / target / amount), from the plan in force
    target_groups: dict[str, tuple[str, str, int]]
    outputs: dict[str, tuple[str, str, int]]
    budget_lines: dict[str, tuple[str, str, int]]
    # accepted figures of the project's earlier months: measure → key → total
    totals_before: dict[str, dict[str, int]] = field(default_factory=dict)
    months_before: int = 0  # how many earlier months have an accepted report

    def keys_of(self, measure: str) -> dict[str, tuple[str, str, int]]:
        if measure in (Measure.NEW_HIRES, Measure.EMPLOYED):
            return self.target_groups
        if measure == Measure.OUTPUT:
            return self.outputs
        return self.budget_lines

    def before(self, measure: str, key: str) -> int:
        return self.totals_before.get(measure, {}).get(key, 0)


@dataclass
class CheckResult:
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, str] = field(
        default_factory=dict
    )  # key → message; answer with a comment
    values: dict[str, dict[str, int]] = field(
        default_factory=dict
    )  # cleaned (whole numbers)
    roster: list[dict] = field(default_factory=list)  # cleaned rows
    retention: tuple[int, int] | None = (
        None  # (still employed after 6 months, hired ≥ 6 months ago)
    )

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

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


def _name(names: tuple[str, str, int] | None, key: str) -> tuple[str, str]:
    if names is None:
        return key, key
    return names[0], names[1] or names[0]


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
    return {Measure.NEW_HIRES: new_hires, Measure.EMPLOYED: employed}


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
        result.error(key, personal_data_message(label, findings))


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
            f"보고 월은 그 달 1일로 지정합니다. / The month is given by its first day ({context.period}).",
        )
    if not (context.period_start <= context.period <= context.period_end):
        result.error(
            "period",
            f"보고 월({month})이 사업 기간({month_label(context.period_start)}~{month_label(context.period_end)}) 밖입니다. "
            f"/ The month ({month}) is outside the project period "
            f"({month_label(context.period_start)} to {month_label(context.period_end)}).",
        )
    if context.period > context.today.replace(day=1):
        result.error(
            "period",
            f"보고 월({month})이 아직 오지 않았습니다. / The month ({month}) is in the future.",
        )


def _clean_values(result: CheckResult, context: ReportContext, values: dict) -> None:
    # A bulk import checks 100,000 figures this way: a valid whole number goes
    # straight through; names and messages are made only for a figure in error.
    ceilings = figure_ceilings()
    for measure in Measure:
        known = context.keys_of(measure)
        ceiling = ceilings[measure]
        cleaned: dict[str, int] = {}
        for key, raw in (values.get(measure) or {}).items():
            if key not in known:
                measure_ko, measure_en = MEASURE_NAMES[measure]
                result.error(
                    f"{measure}.{key}",
                    f"{measure_ko}: 적용 중인 계획에 없는 항목 '{key}'입니다. "
                    f"/ {measure_en}: '{key}' is not in the plan in force for this month.",
                )
                continue
            number = raw if type(raw) is int else _whole_number(raw)
            if number is None:
                continue  # left out: absent from this version
            if type(number) is int and 0 <= number <= ceiling:
                cleaned[key] = number
                continue
            measure_ko, measure_en = MEASURE_NAMES[measure]
            name_ko, name_en = _name(known[key], key)
            if type(number) is int and number > ceiling:
                result.error(
                    f"{measure}.{key}",
                    _too_large_message(measure, (name_ko, name_en), number, ceiling),
                )
                continue
            if number in ("fraction", "invalid"):
                result.error(
                    f"{measure}.{key}",
                    f"{measure_ko}({name_ko}): 정수를 입력하세요(입력값 {raw}). "
                    f"/ {measure_en} ({name_en}): enter a whole number (got {raw}).",
                )
            else:
                result.error(
                    f"{measure}.{key}",
                    f"{measure_ko}({name_ko}): 0 이상이어야 합니다(입력값 {number}). "
                    f"/ {measure_en} ({name_en}): must be 0 or more (got {number}).",
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
            result.error(key, participant_code_message(index, code))
            continue
        group = str(raw.get("target_group_code") or "").strip()
        if group not in context.target_groups:
            result.error(
                key,
                f"명단 {index}행: 계획에 없는 대상 계층 '{group}'입니다. "
                f"/ Roster row {index}: '{group}' is not a target group of the plan.",
            )
            continue
        try:
            hire_date = _as_date(raw.get("hire_date"))
            end_date = _as_date(raw.get("end_date"))
        except ValueError:
            result.error(
                key,
                f"명단 {index}행: 날짜는 YYYY-MM-DD로 적습니다. / Roster row {index}: dates are YYYY-MM-DD.",
            )
            continue
        if hire_date is None:
            result.error(
                key,
                f"명단 {index}행: 채용일이 없습니다. / Roster row {index}: the hire date is missing.",
            )
            continue
        if hire_date > last_day:
            result.error(
                key,
                f"명단 {index}행: 채용일({hire_date})이 보고 월 이후입니다. "
                f"/ Roster row {index}: the hire date ({hire_date}) is after the month.",
            )
            continue
        if end_date is not None and end_date < hire_date:
            result.error(
                key,
                f"명단 {index}행: 종료일({end_date})이 채용일({hire_date})보다 앞섭니다. "
                f"/ Roster row {index}: the end date ({end_date}) is before the hire date ({hire_date}).",
            )
            continue
        if (code, hire_date) in seen:
            result.error(
                key,
                f"명단 {index}행: 같은 참여자·채용일이 두 번 있습니다. "
                f"/ Roster row {index}: the same participant and hire date appear twice.",
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
    for measure in (Measure.NEW_HIRES, Measure.EMPLOYED):
        measure_ko, measure_en = MEASURE_NAMES[measure]
        if not (entered.get(measure) or {}):
            # Counts left out: the roster supplies them.
            result.values[measure] = {
                code: derived[measure].get(code, 0) for code in context.target_groups
            }
            continue
        for code in context.target_groups:
            have = result.values[measure].get(code, 0)
            want = derived[measure].get(code, 0)
            if have != want:
                name_ko, name_en = _name(context.target_groups[code], code)
                result.error(
                    f"{measure}.{code}",
                    f"{measure_ko}({name_ko}): 입력 {have}명이 참여자 명단 기준 {want}명과 다릅니다. "
                    f"/ {measure_en} ({name_en}): {have} entered, but the roster gives {want}.",
                )
    result.retention = six_month_retention(result.roster, month_end(context.period))


def _check_employment(result: CheckResult, context: ReportContext) -> None:
    new_hires = result.values.get(Measure.NEW_HIRES, {})
    for code, employed in result.values.get(Measure.EMPLOYED, {}).items():
        hires_to_date = context.before(Measure.NEW_HIRES, code) + new_hires.get(code, 0)
        if employed > hires_to_date:
            name_ko, name_en = _name(context.target_groups.get(code), code)
            result.error(
                f"{Measure.EMPLOYED}.{code}",
                f"월말 재직자 수({name_ko}, {employed}명)가 누적 채용 인원({hires_to_date}명)보다 많습니다. "
                f"/ Employed at month end ({name_en}, {employed}) exceeds all hires to date ({hires_to_date}).",
            )


def _check_spending(
    result: CheckResult, context: ReportContext, comments: dict
) -> None:
    for code, spent in result.values.get(Measure.SPENDING, {}).items():
        amount = context.budget_lines[code][2]
        remaining = max(amount - context.before(Measure.SPENDING, code), 0)
        key = f"{Measure.SPENDING}.{code}"
        if spent > remaining and not (comments.get(key) or "").strip():
            name_ko, name_en = _name(context.budget_lines[code], code)
            result.error(
                key,
                f"{name_ko}: 이번 달 집행액({spent:,}원)이 남은 예산({remaining:,}원)을 넘습니다. 사유를 적어 주세요. "
                f"/ {name_en}: spending this month ({spent:,} KRW) exceeds the remaining budget "
                f"({remaining:,} KRW); add a comment.",
            )


def _check_unusual(result: CheckResult, context: ReportContext) -> None:
    values = result.values
    if not any(
        v
        for measure in (Measure.NEW_HIRES, Measure.OUTPUT, Measure.SPENDING)
        for v in values.get(measure, {}).values()
    ):
        result.warnings["no_activity"] = (
            "이번 달 신규 채용, 산출, 집행이 모두 없습니다. 설명을 적어 주세요. "
            "/ Nobody was hired and nothing was delivered or spent this month; please explain."
        )
    if context.months_before < 1:
        return
    series = [
        (
            "spike.new_hires",
            ("신규 채용", "New hires"),
            sum(values.get(Measure.NEW_HIRES, {}).values()),
            sum(context.totals_before.get(Measure.NEW_HIRES, {}).values()),
        )
    ]
    for code, value in values.get(Measure.OUTPUT, {}).items():
        series.append(
            (
                f"spike.output.{code}",
                _name(context.outputs[code], code),
                value,
                context.before(Measure.OUTPUT, code),
            )
        )
    for key, (name_ko, name_en), value, total_before in series:
        average = total_before / context.months_before
        if average > 0 and value > SPIKE_FACTOR * average:
            result.warnings[key] = (
                f"{name_ko}: 이번 달({value:,})이 월평균({average:,.1f})의 {SPIKE_FACTOR}배를 넘습니다. 설명을 적어 주세요. "
                f"/ {name_en}: this month ({value:,}) is more than {SPIKE_FACTOR} times the monthly "
                f"average ({average:,.1f}); please explain."
            )


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
    _check_employment(result, context)
    _check_spending(result, context, comments)
    _check_unusual(result, context)
    return result
