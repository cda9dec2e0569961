"""Proposals (사업 제안서) sent by districts to a call, with their history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Orderable

from accounts.models import Organisation
from common.models import TimeStampedModel, private_storage
from competitions.attachments import validate_attachment
from competitions.panels import KeptInlinePanel


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approver")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    UNDER_REVIEW = "under_review", _("Under review")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")


class Proposal(TimeStampedModel, ClusterableModel):
    """A district's proposal to a call. Its status changes only through
    ``competitions.workflow`` (called by the services), which records each change."""

    call = models.ForeignKey(
        "competitions.CallPage",
        verbose_name=_("call"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    district = models.ForeignKey(
        Organisation,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=32,
        choices=ProposalStatus.choices,
        default=ProposalStatus.DRAFT,
        editable=False,
    )
    receipt_number = models.CharField(
        _("receipt number"),
        max_length=32,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )
    submitted_at = models.DateTimeField(
        _("submitted at"), null=True, blank=True, editable=False
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    title = models.CharField(_("title"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    local_need = models.TextField(_("local need"), blank=True)
    delivery_partners = models.TextField(
        _("delivery partners"),
        blank=True,
        help_text=_("Organisations that deliver the project."),
    )
    period_start = models.DateField(
        _("period start (month)"),
        null=True,
        blank=True,
        help_text=_("First month of the project."),
    )
    period_end = models.DateField(
        _("period end (month)"),
        null=True,
        blank=True,
        help_text=_("Last month of the project."),
    )
    city_share = models.PositiveBigIntegerField(
        _("city share (KRW)"), null=True, blank=True
    )
    district_share = models.PositiveBigIntegerField(
        _("district share (KRW)"), null=True, blank=True
    )

    # The district's contact for this proposal, prefilled from its profile
    # (accounts.DistrictProfile). The phone never enters an export or a report.
    contact_department = models.CharField(_("department"), max_length=100, blank=True)
    contact_person = models.CharField(_("person in charge"), max_length=100, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=32, blank=True)
    contact_address = models.CharField(_("address"), max_length=200, blank=True)

    # 계속 사업: the funded project this proposal continues (graded for
    # continuation), set only by ``proposal_carry_forward``.
    continues_project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("continues the project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="continuation_proposals",
    )
    # Where a copy or continuation was started from, and what could not be
    # carried over (``[{"code", "name", "value"}]``, plain values), listed on
    # the draft until the officer has dealt with it.
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    copy_gaps = models.JSONField(
        _("not carried over"), default=list, blank=True, editable=False
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldPanel("summary"),
                FieldPanel("local_need"),
                FieldPanel("delivery_partners"),
                FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")]),
            ],
            heading=_("The project"),
        ),
        KeptInlinePanel(
            "target_groups",
            heading=_("Target groups and planned jobs"),
            label=_("target group"),
        ),
        KeptInlinePanel("outputs", heading=_("Output indicators"), label=_("output")),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("city_share"), FieldPanel("district_share")])],
            heading=_("Budget"),
        ),
        KeptInlinePanel(
            "budget_lines", heading=_("Budget line items"), label=_("line item")
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("contact_department"), FieldPanel("contact_person")]
                ),
                FieldRowPanel(
                    [FieldPanel("contact_phone"), FieldPanel("contact_address")]
                ),
            ],
            heading=_("Contact in the district"),
            help_text=_(
                "From your district profile. The phone is shown to the city, never "
                "in reports or exports."
            ),
        ),
        KeptInlinePanel(
            "attachments",
            heading=_("Attachments"),
            label=_("attachment"),
            help_text=_("PDF, HWP, HWPX, DOCX or XLSX."),
        ),
    ]

    class Meta:
        ordering = ["call", "district__code", "receipt_number", "pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [models.Index(fields=["call", "district", "status"])]

    def __str__(self):
        return self.title or str(_("(untitled proposal)"))

    @property
    def total_budget(self) -> int:
        return (self.city_share or 0) + (self.district_share or 0)

    @property
    def planned_jobs(self) -> int:
        return sum(row.planned_jobs or 0 for row in self.target_groups.all())

    @property
    def status_label(self) -> str:
        return ProposalStatus(self.status).label

    @property
    def is_continuation(self) -> bool:
        return self.continues_project_id is not None


class ProposalTargetGroup(Orderable):
    proposal = ParentalKey(
        Proposal, on_delete=models.CASCADE, related_name="target_groups"
    )
    target_group = models.ForeignKey(
        "competitions.CallTargetGroup",
        verbose_name=_("target group"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    planned_jobs = models.PositiveIntegerField(_("planned jobs"), default=0)

    panels = [FieldRowPanel([FieldPanel("target_group"), FieldPanel("planned_jobs")])]

    class Meta(Orderable.Meta):
        verbose_name = _("target group and planned jobs")


class ProposalOutput(Orderable):
    """A planned service output: one of the call's indicators and its target,
    e.g. households visited: 900 (가구)."""

    proposal = ParentalKey(Proposal, on_delete=models.CASCADE, related_name="outputs")
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    target = models.PositiveIntegerField(_("target"))

    panels = [FieldRowPanel([FieldPanel("indicator"), FieldPanel("target")])]

    class Meta(Orderable.Meta):
        verbose_name = _("output indicator")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "indicator"],
                name="one_target_per_proposal_indicator",
            )
        ]

    @property
    def name(self) -> str:
        return self.indicator.name

    @property
    def unit(self) -> str:
        return self.indicator.unit


class ProposalBudgetLine(Orderable):
    proposal = ParentalKey(
        Proposal, on_delete=models.CASCADE, related_name="budget_lines"
    )
    category = models.CharField(_("category"), max_length=100)
    amount = models.PositiveBigIntegerField(_("amount (KRW)"))

    panels = [FieldRowPanel([FieldPanel("category"), FieldPanel("amount")])]

    class Meta(Orderable.Meta):
        verbose_name = _("budget line item")


def attachment_path(instance, filename: str) -> str:
    # Paths carry ids only; names chosen by users stay in the database.
    return f"proposals/{instance.proposal.call_id}/{instance.proposal_id or 'new'}/{filename}"


class ProposalAttachment(Orderable):
    """A document of a proposal, on private storage: served only by the download
    view, which asks the access module first."""

    proposal = ParentalKey(
        Proposal, on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(
        _("file"),
        storage=private_storage,
        upload_to=attachment_path,
        max_length=300,
        validators=[validate_attachment],
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    panels = [FieldRowPanel([FieldPanel("title"), FieldPanel("file")])]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title or self.filename

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""


class ProposalTransition(models.Model):
    """One change of a proposal's status: who, when, from, to, and why."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(
        _("from"), max_length=32, choices=ProposalStatus.choices
    )
    to_status = models.CharField(_("to"), max_length=32, choices=ProposalStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class ProposalAmendment(models.Model):
    """A change made to a proposal after it was sent (allowed until the
    deadline): who, when, and each field or row that changed, before → after
    (``changes``: ``[{"field", "item", "label_ko", "label_en", "before",
    "after"}]``, plain values). Shown in the proposal's history to its district
    and to the city, as its status changes are."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="amendments"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    changes = models.JSONField(_("changes"), default=list)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self):
        return f"{self.proposal_id} @ {self.at:%Y-%m-%d %H:%M}"


class ReceiptCounter(models.Model):
    """The last receipt sequence given in a year to a district. Rows are locked
    (select_for_update) while a number is taken, so two submissions never share one."""

    year = models.PositiveSmallIntegerField()
    district = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "district"], name="unique_receipt_counter"
            )
        ]

    def __str__(self):
        return f"{self.year}-{self.district_id}: {self.last_number}"
