"""The catalogue's core entries and the default validation rules.

Their codes are the ones reports have always stored (``new_hires``,
``employed``, ``spending``), so existing figures needed no rewrite. The
migration ``0002_core_indicators_and_default_rules`` and ``ensure_core`` write
them from here; after that the city edits names and definitions in the
catalogue like any other entry.
"""

from .models import TOTAL_KEY  # noqa: F401  (re-exported for callers)

NEW_HIRES = "new_hires"
EMPLOYED = "employed"
SPENDING = "spending"
RETAINED_6M = "retained_6m"

CORE = [NEW_HIRES, EMPLOYED, SPENDING]

DEFINITIONS: dict[str, dict] = {
    NEW_HIRES: {
        "name_ko": "신규 채용",
        "name_en": "Jobs created (new hires)",
        "unit_ko": "명",
        "unit_en": "people",
        "aggregation": "sum",
        "disaggregation": "target_group",
        "target_required": True,
        "is_core": True,
        "definition_ko": "그 달에 사업으로 새로 채용된 사람 수(대상 계층별). 채용일 기준.",
        "definition_en": "People newly hired by the project in the month, by target group, counted on their hire date.",
    },
    EMPLOYED: {
        "name_ko": "월말 재직",
        "name_en": "Employed at month end",
        "unit_ko": "명",
        "unit_en": "people",
        "aggregation": "last",
        "disaggregation": "target_group",
        "target_required": False,
        "is_core": True,
        "definition_ko": "그 달 말일에 사업으로 재직 중인 사람 수(대상 계층별).",
        "definition_en": "People employed by the project on the last day of the month, by target group.",
    },
    SPENDING: {
        "name_ko": "집행액",
        "name_en": "Spending",
        "unit_ko": "원",
        "unit_en": "KRW",
        "aggregation": "sum",
        "disaggregation": "budget_category",
        "target_required": True,
        "is_core": True,
        "definition_ko": "그 달에 집행한 금액(비목별, 원 단위).",
        "definition_en": "Money spent in the month, by budget category, in whole won.",
    },
    RETAINED_6M: {
        "name_ko": "6개월 고용 유지",
        "name_en": "Still employed after six months",
        "unit_ko": "명",
        "unit_en": "people",
        "aggregation": "last",
        "disaggregation": "target_group",
        "target_required": False,
        "is_core": False,
        "source": "roster",
        "definition_ko": "채용 후 6개월이 지난 참여자 중 6개월 뒤에도 재직 중인 사람 수(참여자 명단에서 계산).",
        "definition_en": "Of the participants hired at least six months ago, those still employed six months after their hire (computed from the roster).",
    },
}

DEFAULT_RULES: list[dict] = [
    {
        "code": "employed-within-hires",
        "left": EMPLOYED,
        "left_window": "month",
        "comparison": "lte",
        "right": NEW_HIRES,
        "right_window": "to_date",
        "severity": "error",
        "message_ko": "월말 재직자 수({member}, {left}명)가 누적 채용 인원({right}명)보다 많습니다.",
        "message_en": "Employed at month end ({member}, {left}) exceeds all hires to date ({right}).",
    },
]


def ensure_core(indicator_model=None, rule_model=None) -> None:
    """Write the core entries and default rules if missing (never overwrite
    what the city edited). Takes the historical models in a migration."""
    if indicator_model is None:
        from .models import Indicator as indicator_model
    if rule_model is None:
        from .models import ValidationRule as rule_model
    for code, fields in DEFINITIONS.items():
        indicator_model.objects.get_or_create(code=code, defaults=fields)
    for spec in DEFAULT_RULES:
        fields = dict(spec)
        code = fields.pop("code")
        if rule_model.objects.filter(code=code).exists():
            continue
        fields["left"] = indicator_model.objects.get(code=fields["left"])
        fields["right"] = indicator_model.objects.get(code=fields["right"])
        rule_model.objects.create(code=code, **fields)
