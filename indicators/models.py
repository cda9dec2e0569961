"""The indicator catalogue (지표 목록): what a figure *is*.

One ``Indicator`` per measurable thing — jobs created, people employed at
month end, spending, six-month retention, households visited … — with its
stable code, names, unit (a Korean counter word and an English unit), how its
months add up (``indicators.aggregation``), how it may be split
(``Disaggregation``) and the definition officers read. A call chooses its
indicators from here, a proposal's outputs pick from the call's, and every
figure of a report is stored under its indicator's code
(``reporting.ReportValue.measure``), so a total only ever adds figures of one
indicator, and one indicator means the same across calls and years.

``ValidationRule`` is a check the city can write: ``left ⟨op⟩ right`` over two
indicators of the same report, an error or a warning needing a comment.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.models import english_active

from . import aggregation as rules

# Stable codes: lower-case letters, digits, hyphen and underscore, as the
# spreadsheets' hidden keys and the open data's columns carry them.
CODE_PATTERN = r"^[a-z][a-z0-9_-]{0,31}$"
code_validator = RegexValidator(
    CODE_PATTERN,
    _(
        "Use lower-case letters, digits, hyphens or underscores, starting with a "
        "letter (at most 32), e.g. households_visited."
    ),
)

# The key of the one figure of an indicator that is not split.
TOTAL_KEY = "total"


class Disaggregation(models.TextChoices):
    """How an indicator's monthly figure is split. The members of the first two
    come from the project's plan (the call's target groups, the budget's
    categories); the others are fixed lists (``FIXED_MEMBERS``)."""

    NONE = "none", _("Not split")
    TARGET_GROUP = "target_group", _("By target group")
    BUDGET_CATEGORY = "budget_category", _("By budget category")
    SEX = "sex", _("By sex")
    AGE_BAND = "age_band", _("By age band")


FIXED_MEMBERS: dict[str, list[tuple[str, str, str]]] = {
    # disaggregation → [(key, Korean name, English name)]
    Disaggregation.NONE: [(TOTAL_KEY, "합계", "Total")],
    Disaggregation.SEX: [("female", "여성", "Women"), ("male", "남성", "Men")],
    Disaggregation.AGE_BAND: [
        ("age-15-29", "15~29세", "Aged 15–29"),
        ("age-30-49", "30~49세", "Aged 30–49"),
        ("age-50-64", "50~64세", "Aged 50–64"),
        ("age-65-plus", "65세 이상", "Aged 65 and over"),
    ],
}


class Source(models.TextChoices):
    REPORTED = "reported", _("Reported each month")
    ROSTER = "roster", _("Computed from the participant roster")


class Indicator(models.Model):
    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[code_validator],
        help_text=_(
            "Stable: spreadsheets, exports and the open data carry it. "
            "It cannot change once a figure uses it."
        ),
    )
    name_ko = models.CharField(_("Korean name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    unit_ko = models.CharField(
        _("unit (Korean counter word)"),
        max_length=20,
        help_text=_("e.g. 명, 건, 회, 가구, 원"),
    )
    unit_en = models.CharField(
        _("unit (English)"), max_length=30, help_text=_("e.g. people, cases, KRW")
    )
    aggregation = models.CharField(
        _("how the months add up"),
        max_length=16,
        choices=rules.choices,
        default="sum",
    )
    disaggregation = models.CharField(
        _("split"),
        max_length=16,
        choices=Disaggregation.choices,
        default=Disaggregation.NONE,
    )
    target_required = models.BooleanField(
        _("a target is required"),
        default=True,
        help_text=_("A proposal choosing this indicator must give a target."),
    )
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.REPORTED
    )
    definition_ko = models.TextField(_("definition (Korean)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    # Every call and report has these (jobs created, employed at month end,
    # spending); a call chooses the others.
    is_core = models.BooleanField(_("in every call"), default=False, editable=False)
    is_active = models.BooleanField(
        _("can be chosen"),
        default=True,
        help_text=_(
            "A retired indicator keeps its figures but new calls cannot choose it."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-is_core", "name_ko"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return f"{self.name} ({self.unit})"

    @property
    def name(self) -> str:
        return self.name_en if english_active() and self.name_en else self.name_ko

    @property
    def unit(self) -> str:
        return self.unit_en if english_active() and self.unit_en else self.unit_ko

    @property
    def definition(self) -> str:
        if english_active() and self.definition_en:
            return self.definition_en
        return self.definition_ko

    @property
    def rule(self) -> rules.Aggregation:
        return rules.rule(self.aggregation)

    @property
    def is_money(self) -> bool:
        return self.unit_en == "KRW"

    @property
    def fixed_members(self) -> list[tuple[str, str, str]] | None:
        """The keys of a split that does not come from the plan, or None."""
        return FIXED_MEMBERS.get(self.disaggregation)


class Comparison(models.TextChoices):
    AT_LEAST = "gte", "≥"
    AT_MOST = "lte", "≤"
    EQUAL = "eq", "="
    MORE = "gt", ">"
    LESS = "lt", "<"


class Window(models.TextChoices):
    MONTH = "month", _("this month")
    TO_DATE = "to_date", _("to date (accepted earlier months and this month)")


class Severity(models.TextChoices):
    ERROR = "error", _("Error: the report cannot be submitted")
    WARNING = "warning", _("Warning: the officer must explain")


class ValidationRule(models.Model):
    """``left ⟨comparison⟩ right`` over two indicators of the same report.

    When both indicators are split the same way the rule compares member by
    member (employed women ≤ women hired to date); otherwise it compares their
    monthly totals. A rule applies to a report whose plan has both indicators.
    """

    code = models.CharField(
        _("code"), max_length=32, unique=True, validators=[code_validator]
    )
    left = models.ForeignKey(
        Indicator, verbose_name=_("left"), on_delete=models.PROTECT, related_name="+"
    )
    left_window = models.CharField(
        _("left: which figure"),
        max_length=8,
        choices=Window.choices,
        default=Window.MONTH,
    )
    comparison = models.CharField(
        _("comparison"), max_length=3, choices=Comparison.choices
    )
    right = models.ForeignKey(
        Indicator, verbose_name=_("right"), on_delete=models.PROTECT, related_name="+"
    )
    right_window = models.CharField(
        _("right: which figure"),
        max_length=8,
        choices=Window.choices,
        default=Window.MONTH,
    )
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.ERROR
    )
    message_ko = models.TextField(
        _("message (Korean)"),
        help_text=_(
            "Shown with the figures: {left}, {right} (the values), {member} (the "
            "target group or category, if split)."
        ),
    )
    message_en = models.TextField(_("message (English)"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")

    def __str__(self):
        return f"{self.left.code} {self.get_comparison_display()} {self.right.code}"

    @property
    def message(self) -> str:
        return (
            self.message_en if english_active() and self.message_en else self.message_ko
        )
