"""Output indicators of the catalogue the tests' calls and plans use."""

from indicators.models import Disaggregation, Indicator

TEST_INDICATORS = {
    "households": ("방문 가구", "Households visited", "가구", "households"),
    "visits": ("코칭 방문", "Coaching visits", "회", "visits"),
}


def catalogue_indicator(code: str) -> Indicator:
    name_ko, name_en, unit_ko, unit_en = TEST_INDICATORS[code]
    indicator, _ = Indicator.objects.get_or_create(
        code=code,
        defaults={
            "name_ko": name_ko,
            "name_en": name_en,
            "unit_ko": unit_ko,
            "unit_en": unit_en,
            "aggregation": "sum",
            "disaggregation": Disaggregation.NONE,
        },
    )
    return indicator


def catalogue_indicators() -> dict[str, Indicator]:
    return {code: catalogue_indicator(code) for code in TEST_INDICATORS}
