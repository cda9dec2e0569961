"""The grant agreement (협약) of a funded project and the disbursement of the
city's share (교부) in tranches.

An agreement is never edited once signed: a change of plan approved after
signing makes a new version (``version`` + 1, linked to the change request),
which replaces the one in force when it is signed. The money rules are in
``funding.services`` and the moves in ``funding.workflow``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation
from cms.models import english_active
from common.models import private_storage
from competitions.attachments import validate_attachment

from .settlement_rules import INTEREST_BY_RATIO, INTEREST_KEPT, INTEREST_TO_CITY


class InterestRule(models.TextChoices):
    """Whose the interest on the subsidy account is (see
    ``funding.settlement_rules``)."""

    TO_CITY = INTEREST_TO_CITY, _("All returned to the city")
    BY_RATIO = INTEREST_BY_RATIO, _("Returned in the city's part of the money")
    KEPT = INTEREST_KEPT, _("Kept by the district")


class GrantConditions(models.Model):
    """The conditions of grant (교부 조건) a call's agreements carry, in both
    languages. A call without its own text uses ``funding.services``'s
    default."""

    call = models.OneToOneField(
        "competitions.CallPage",
        verbose_name=_("call"),
        on_delete=models.CASCADE,
        related_name="grant_conditions",
    )
    text_ko = models.TextField(_("conditions (Korean)"))
    text_en = models.TextField(_("conditions (English)"), blank=True)
    interest_rule = models.CharField(
        _("interest on the subsidy account"),
        max_length=16,
        choices=InterestRule.choices,
        default=InterestRule.TO_CITY,
    )
    settlement_due_days = models.PositiveSmallIntegerField(
        _("settlement due (days after the last month)"), default=30
    )
    category_move_percent = models.PositiveSmallIntegerField(
        _("category move allowed without a change request (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "How far a budget category's spending to date may go over its agreed "
            "amount, in percent of that amount, by moving money from other "
            "categories. Beyond it the monthly report is refused until a change "
            "request is approved. Empty: no limit."
        ),
    )

    class Meta:
        verbose_name = _("conditions of grant")
        verbose_name_plural = _("conditions of grant")

    def __str__(self):
        return str(self.call)

    def clean(self):
        """The interest rule is part of what a settlement returns: once a
        settlement of the call is filed, the rule it was filed under stays,
        whichever screen the conditions are edited on (adding them counts:
        a call without its own conditions settles under the default)."""
        super().clean()
        if not self.call_id:
            return
        before = (
            GrantConditions.objects.filter(pk=self.pk)
            .values_list("interest_rule", flat=True)
            .first()
            if self.pk
            else InterestRule.TO_CITY
        )
        filed = Settlement.objects.filter(
            project__call_id=self.call_id, status__in=SETTLEMENT_FILED
        ).exists()
        if self.interest_rule != before and filed:
            raise ValidationError(
                {
                    "interest_rule": _(
                        "Settlements of this call are submitted or accepted under "
                        "“%(rule)s”: keep “%(rule)s”. The rule can change only while "
                        "no settlement of the call is submitted or accepted."
                    )
                    % {"rule": InterestRule(before).label}
                }
            )


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("agreement status", "Draft")
    SIGNED = "signed", _("Signed")
    SUPERSEDED = "superseded", _("Replaced by a later version")


class Agreement(models.Model):
    """What the city and the district agree to fund for a project: the period,
    the amounts by source (시비, 구비), the budget by category (비목), the
    conditions, and who signed it when."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    plan = models.ForeignKey(
        "projects.ProjectPlan",
        verbose_name=_("agreed plan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    change_request = models.ForeignKey(
        "projects.ChangeRequest",
        verbose_name=_("change request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AgreementStatus.choices,
        default=AgreementStatus.DRAFT,
    )
    city = models.ForeignKey(
        Organisation,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    district = models.ForeignKey(
        Organisation,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    period_start = models.DateField(_("first month"))
    period_end = models.DateField(_("last month"))
    total_amount = models.PositiveBigIntegerField(_("total (KRW)"))
    city_share_percent = models.PositiveSmallIntegerField(
        _("city share (%)"), null=True, blank=True
    )
    city_share = models.PositiveBigIntegerField(_("city share (KRW)"))
    district_share = models.PositiveBigIntegerField(_("district share (KRW)"))
    conditions_ko = models.TextField(_("conditions of grant (Korean)"))
    conditions_en = models.TextField(_("conditions of grant (English)"), blank=True)
    city_signatory_name = models.CharField(
        _("city signatory"), max_length=100, blank=True
    )
    city_signatory_title = models.CharField(
        _("city signatory's title"), max_length=100, blank=True
    )
    district_signatory_name = models.CharField(
        _("district signatory"), max_length=100, blank=True
    )
    district_signatory_title = models.CharField(
        _("district signatory's title"), max_length=100, blank=True
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signature recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signature recorded at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("drafted at"))

    class Meta:
        ordering = ["project", "-version"]
        verbose_name = _("grant agreement")
        verbose_name_plural = _("grant agreements")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "version"], name="one_agreement_per_version"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    total_amount=models.F("city_share") + models.F("district_share")
                ),
                name="agreement_shares_add_up",
            ),
        ]

    def __str__(self):
        return f"{self.project.code} v{self.version}"

    @property
    def is_signed(self) -> bool:
        return self.status == AgreementStatus.SIGNED

    @property
    def conditions(self) -> str:
        if english_active() and self.conditions_en:
            return self.conditions_en
        return self.conditions_ko


class AgreementBudgetLine(models.Model):
    """One budget category (비목) of the agreement, copied from the plan."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="budget_lines"
    )
    code = models.SlugField(_("code"), max_length=32)
    name_ko = models.CharField(_("Korean name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    amount = models.PositiveBigIntegerField(_("amount (KRW)"))

    class Meta:
        ordering = ["agreement", "pk"]
        verbose_name = _("budget category of an agreement")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "code"], name="unique_agreement_budget_line"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if english_active() and self.name_en else self.name_ko


class TrancheStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", pgettext_lazy("tranche status", "Approved")
    REFUSED = "refused", _("Refused")
    PAID = "paid", _("Paid")


class Tranche(models.Model):
    """One instalment of the city's share (분할 교부): planned date and amount,
    optionally not before a month's report is accepted; then the district's
    request (교부 신청), the city's decision (교부 결정) and the payment."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="tranches",
    )
    number = models.PositiveSmallIntegerField(_("tranche"))
    planned_on = models.DateField(_("planned date"))
    amount = models.PositiveBigIntegerField(_("amount (KRW)"))
    condition_month = models.DateField(
        _("after the report of this month is accepted"), null=True, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=TrancheStatus.choices,
        default=TrancheStatus.SCHEDULED,
    )
    requested_amount = models.PositiveBigIntegerField(
        _("requested amount (KRW)"), null=True, blank=True
    )
    request_note = models.TextField(_("request note"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_amount = models.PositiveBigIntegerField(
        _("amount paid (KRW)"), null=True, blank=True
    )

    class Meta:
        ordering = ["project", "number"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"], name="one_tranche_per_number"
            )
        ]

    def __str__(self):
        return f"{self.project.code} #{self.number}"


class TrancheTransition(models.Model):
    """One move of a tranche (request, approve, refuse, pay): who, when, why."""

    tranche = models.ForeignKey(
        Tranche, on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(_("action"), max_length=16)
    from_status = models.CharField(_("from"), max_length=16)
    to_status = models.CharField(_("to"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    amount = models.PositiveBigIntegerField(_("amount (KRW)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["tranche", "at", "pk"]
        verbose_name = _("tranche history")
        verbose_name_plural = _("tranche history")

    def __str__(self):
        return f"{self.tranche} {self.action}"


# --- the settlement (정산) -------------------------------------------------------


class SettlementStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("settlement status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("settlement status", "Submitted")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", pgettext_lazy("settlement status", "Accepted")
    SETTLED = "settled", _("Settled (return paid)")


# Statuses in which a settlement's figures were computed under the call's rule.
SETTLEMENT_FILED = (
    SettlementStatus.SUBMITTED,
    SettlementStatus.ACCEPTED,
    SettlementStatus.SETTLED,
)
# Statuses in which the project's money is locked (정산 검사 done).
SETTLEMENT_LOCKED = (SettlementStatus.ACCEPTED, SettlementStatus.SETTLED)

# The rule's figures stored on a settlement when it is submitted and when it
# is accepted (frozen then); recomputable from the records at any time.
SETTLEMENT_FIGURES = (
    "spent",
    "city_spent",
    "district_spent",
    "city_received",
    "district_contributed",
    "city_unspent",
    "interest_returned",
    "returned",
)


class Settlement(models.Model):
    """The settlement report (정산 보고) of a project at its end: spending by
    category and source as filed, interest earned on the subsidy account, the
    district's note; the rule's figures (``funding.settlement_rules``) stored
    when it is submitted and when it is accepted."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="settlement",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SettlementStatus.choices,
        default=SettlementStatus.DRAFT,
    )
    interest = models.PositiveBigIntegerField(_("interest earned (KRW)"), default=0)
    note = models.TextField(_("district's note"), blank=True)
    city_comment = models.TextField(_("city's comment"), blank=True)
    spent = models.PositiveBigIntegerField(_("spent (KRW)"), null=True, blank=True)
    city_spent = models.PositiveBigIntegerField(
        _("city share of spending (KRW)"), null=True, blank=True
    )
    district_spent = models.PositiveBigIntegerField(
        _("district share of spending (KRW)"), null=True, blank=True
    )
    city_received = models.PositiveBigIntegerField(
        _("city money received (KRW)"), null=True, blank=True
    )
    district_contributed = models.PositiveBigIntegerField(
        _("district contribution (KRW)"), null=True, blank=True
    )
    city_unspent = models.PositiveBigIntegerField(
        _("unspent city money (KRW)"), null=True, blank=True
    )
    interest_returned = models.PositiveBigIntegerField(
        _("interest returned (KRW)"), null=True, blank=True
    )
    returned = models.PositiveBigIntegerField(
        _("to return (KRW)"), null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["project"]
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")

    def __str__(self):
        return f"{self.project.code} {self.get_status_display()}"

    @property
    def is_locked(self) -> bool:
        return self.status in SETTLEMENT_LOCKED

    def figures(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in SETTLEMENT_FIGURES}


class SettlementLine(models.Model):
    """Spending on one budget category (비목) in one agreement period, as
    filed: prefilled from the accepted reports (``reported``); the district
    may correct it (``spent``) with a reason."""

    settlement = models.ForeignKey(
        Settlement, on_delete=models.CASCADE, related_name="lines"
    )
    period_first_month = models.DateField(_("period from"))
    code = models.SlugField(_("code"), max_length=32)
    name_ko = models.CharField(_("Korean name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    reported = models.PositiveBigIntegerField(_("in the accepted reports (KRW)"))
    spent = models.PositiveBigIntegerField(_("spent as filed (KRW)"))
    reason = models.TextField(_("reason for the correction"), blank=True)

    class Meta:
        ordering = ["settlement", "period_first_month", "pk"]
        verbose_name = _("settlement line")
        verbose_name_plural = _("settlement lines")
        constraints = [
            models.UniqueConstraint(
                fields=["settlement", "period_first_month", "code"],
                name="one_settlement_line_per_period_category",
            )
        ]

    def __str__(self):
        return f"{self.settlement.project.code} {self.code} {self.period_first_month}"

    @property
    def name(self) -> str:
        return self.name_en if english_active() and self.name_en else self.name_ko

    @property
    def difference(self) -> int:
        return self.spent - self.reported


def settlement_evidence_path(instance, filename: str) -> str:
    # Paths carry ids only; names chosen by users stay in the database.
    return f"settlements/{instance.settlement.project_id}/{filename}"


class SettlementEvidence(models.Model):
    """A supporting document of a settlement (증빙), on private storage, with
    the proposal attachments' checks; served only by an access-checked view."""

    settlement = models.ForeignKey(
        Settlement, on_delete=models.CASCADE, related_name="evidence"
    )
    title = models.CharField(
        pgettext_lazy("settlement evidence", "title"), max_length=200, blank=True
    )
    file = models.FileField(
        pgettext_lazy("settlement evidence", "file"),
        storage=private_storage,
        upload_to=settlement_evidence_path,
        max_length=300,
        validators=[validate_attachment],
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("settlement evidence", "uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(
        pgettext_lazy("settlement evidence", "uploaded at")
    )

    class Meta:
        ordering = ["settlement", "uploaded_at", "pk"]
        verbose_name = _("settlement evidence")
        verbose_name_plural = _("settlement evidence")

    def __str__(self):
        return self.title or self.filename

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""


class SettlementReturn(models.Model):
    """The return (반납) of a settlement, paid: amount, day and the payment's
    reference; a reason when the amount differs from the computed one."""

    settlement = models.OneToOneField(
        Settlement, on_delete=models.CASCADE, related_name="return_paid"
    )
    amount = models.PositiveBigIntegerField(_("amount returned (KRW)"))
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("payment reference"), max_length=100)
    reason = models.TextField(_("reason for a different amount"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("return of a settlement")
        verbose_name_plural = _("returns of settlements")

    def __str__(self):
        return f"{self.settlement.project.code} {self.amount}"


class SettlementTransition(models.Model):
    """One move of a settlement: who, when, the comment, and the amount to
    return as computed at that moment."""

    settlement = models.ForeignKey(
        Settlement, on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(_("action"), max_length=16)
    from_status = models.CharField(_("from"), max_length=16)
    to_status = models.CharField(_("to"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    returned = models.PositiveBigIntegerField(
        _("to return (KRW)"), null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["settlement", "at", "pk"]
        verbose_name = _("settlement history")
        verbose_name_plural = _("settlement history")

    def __str__(self):
        return f"{self.settlement} {self.action}"

    def get_action_label(self) -> str:
        from .workflow import action_label

        return action_label(self.action)
