"""Calls for proposals (공모): public Wagtail pages with the rules a proposal meets."""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from accounts.models import Organisation
from cms.models import BilingualPage, english_active


class CallState(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class SelectionObjective(models.TextChoices):
    """What the optimal selection maximises (codes of ``competitions.optimal``)."""

    SCORE = "score", _("the total score")
    COUNT = "count", _("the number of projects, then the total score")


class CallPageForm(WagtailAdminPageForm):
    """Refuses a rubric whose weights do not add up to 100, naming the rubric.
    Its indicators are the catalogue's active, non-core entries (and any the
    call already has, retired since), each once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        from indicators.forms import limit_indicator_rows
        from indicators.models import Indicator

        chosen = (
            CallIndicator.objects.filter(page_id=self.instance.pk).values(
                "indicator_id"
            )
            if self.instance.pk
            else CallIndicator.objects.none().values("indicator_id")
        )
        limit_indicator_rows(
            self.formsets.get("indicators"),
            Indicator.objects.filter(
                Q(is_core=False, is_active=True) | Q(pk__in=chosen, is_core=False)
            ),
            invalid_choice=_(
                "Choose an indicator of the catalogue that can be chosen; jobs "
                "created, employment and spending are in every call already."
            ),
        )

    def is_valid(self):
        from indicators.forms import refuse_repeated_indicators

        refuse_repeated_indicators(self.formsets.get("indicators"))
        return super().is_valid()

    def clean(self):
        cleaned_data = super().clean()
        rubric = self.formsets.get("rubric_criteria")
        if rubric is not None and rubric.is_valid():
            weights = [
                form.cleaned_data.get("weight") or 0
                for form in rubric.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
            if sum(weights) != 100:
                message = _(
                    "Rubric: the weights add up to %(total)s; they must add up to 100."
                ) % {"total": sum(weights)}
                rubric._non_form_errors.append(message)
                self.add_error(None, message)
        return cleaned_data


class CallIndexPage(BilingualPage):
    """The list of calls, grouped as open, upcoming and closed."""

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["competitions.CallPage"]
    max_count = 1

    content_panels = Page.content_panels + BilingualPage.bilingual_panels

    class Meta:
        verbose_name = _("calls index page")

    def get_context(self, request, *args, **kwargs):
        from competitions.selectors import calls_by_state

        context = super().get_context(request, *args, **kwargs)
        grouped = calls_by_state(index_page=self)
        context["calls_by_state"] = grouped
        context["sections"] = [
            (state, CallState(state).label, grouped[state])
            for state in (CallState.OPEN, CallState.UPCOMING, CallState.CLOSED)
        ]
        return context


# The pledges' default texts: data on each call (the city may edit them), not
# messages of the interface, so both languages are written here.
def default_confidentiality_pledge_ko() -> str:
    return (
        "본인은 이 공모의 심사위원으로서 심사 중에 알게 된 제안서와 첨부 자료의 "
        "내용, 심사 점수와 의견, 다른 심사위원의 평가를 포함한 모든 정보를 심사 "
        "목적 외에 쓰지 않고, 심사 기간은 물론 심사가 끝난 뒤에도 누구에게도 "
        "누설하지 않겠습니다. 자료를 복사하거나 전달하지 않으며, 내려받은 자료는 "
        "심사가 끝나면 지체 없이 삭제하겠습니다."
    )


def default_confidentiality_pledge_en() -> str:
    return (
        "As a reviewer of this call, I will use everything I learn in the review "
        "(the proposals and their attachments, scores and comments, the other "
        "reviewers' assessments) only for the review, and disclose none of it to "
        "anyone, during the review or after it. I will not copy or pass on any "
        "material, and I will delete what I downloaded as soon as the review ends."
    )


def default_conflict_pledge_ko() -> str:
    return (
        "본인은 제안한 구·군, 수행 기관 또는 그 관계자와 고용, 자문, 용역, 친족 "
        "관계 등 공정한 심사를 해칠 수 있는 이해관계가 있으면 즉시 신고하고 해당 "
        "제안서의 심사에서 빠지겠습니다. 제안서마다 채점 전에 이해충돌 여부를 "
        "신고하며, 이해관계를 숨기고 심사한 사실이 밝혀지면 그 심사는 무효가 되고 "
        "심사위원 풀에서 제외될 수 있음을 이해합니다."
    )


def default_conflict_pledge_en() -> str:
    return (
        "If I have any interest that could impair a fair review (employment, an "
        "advisory seat, a contract, a family tie) with a proposing district, a "
        "delivery partner or anyone acting for them, I will declare it at once and "
        "step back from reviewing that proposal. I will declare for each proposal, "
        "before scoring it, whether I have a conflict of interest, and I understand "
        "that a review made while hiding an interest is void and may remove me "
        "from the reviewer pool."
    )


class CallPage(BilingualPage):
    """One call for proposals: its money rules, rubric, target groups and dates.

    Money is KRW in integers. The cap is on the city's share of one project.
    """

    body = RichTextField(_("body"), blank=True)
    body_en = RichTextField(_("body (English)"), blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("The programme year; receipt numbers start with it.")
    )
    total_budget = models.PositiveBigIntegerField(_("total budget (city share, KRW)"))
    continuation_budget = models.PositiveBigIntegerField(
        _("reserved for continuation projects (city share, KRW)"),
        default=0,
        help_text=_(
            "Part of the total budget that only continuation proposals "
            "draw on; the other proposals share the rest. 0 for no reserve: "
            "continuations then compete with the others for the whole budget."
        ),
    )
    cap_per_project = models.PositiveBigIntegerField(
        _("cap per project (city share, KRW)")
    )
    city_share_percent = models.PositiveSmallIntegerField(
        _("city share (%)"), default=50, validators=[MaxValueValidator(100)]
    )
    district_share_percent = models.PositiveSmallIntegerField(
        _("district share (%)"), default=50, validators=[MaxValueValidator(100)]
    )
    max_proposals_per_district = models.PositiveSmallIntegerField(
        _("maximum proposals per district"),
        default=2,
        validators=[MinValueValidator(1)],
    )
    eligible_districts = ParentalManyToManyField(
        Organisation,
        verbose_name=_("eligible districts"),
        related_name="eligible_calls",
        limit_choices_to={"kind__in": Organisation.LOCAL_KINDS},
        blank=True,
    )
    opens_at = models.DateTimeField(_("opens at"))
    deadline = models.DateTimeField(
        _("deadline"),
        help_text=_("Asia/Seoul time. The server decides, not the browser."),
    )
    review_starts_on = models.DateField(_("review starts on"), null=True, blank=True)
    review_ends_on = models.DateField(_("review ends on"), null=True, blank=True)
    announcement_on = models.DateField(_("announcement on"), null=True, blank=True)

    # Settings the review, selection and reporting steps read.
    requires_approver_signoff = models.BooleanField(
        _("requires approver sign-off"),
        default=False,
        help_text=_(
            "The officer submits to the district approver, who approves or returns it."
        ),
    )
    reviewers_per_proposal = models.PositiveSmallIntegerField(
        _("reviewers per proposal"), default=3, validators=[MinValueValidator(1)]
    )
    trim_extremes = models.BooleanField(
        _("drop highest and lowest total"),
        default=True,
        help_text=_(
            "When there are enough reviewers, the mean leaves out the extremes."
        ),
    )
    disagreement_threshold = models.PositiveSmallIntegerField(
        _("disagreement threshold (points)"), default=30
    )
    reviewers_see_others_after_submit = models.BooleanField(
        _("reviewers see the others' scores after submitting"),
        default=False,
        help_text=_(
            "Scoring is blind. When ticked, a reviewer who has submitted sees the other "
            "submitted reviews of that proposal."
        ),
    )
    max_selected_per_district = models.PositiveSmallIntegerField(
        _("maximum selected per district"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no limit."),
    )
    min_selected_per_district = models.PositiveSmallIntegerField(
        _("minimum selected per district"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "The optimal selection gives each district at least this many projects "
            "where it has enough fully reviewed proposals. Leave empty for none."
        ),
    )
    partial_funding_allowed = models.BooleanField(
        _("partial funding allowed"),
        default=False,
        help_text=_(
            "The city may select a proposal at less than the city share it asks "
            "for, with a reason."
        ),
    )
    partial_funding_min_percent = models.PositiveSmallIntegerField(
        _("minimum funded share (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_(
            "A reduced amount is at least this share of the request (1 to 99). "
            "Leave empty for no minimum."
        ),
    )
    selection_objective = models.CharField(
        _("the optimal selection maximises"),
        max_length=8,
        choices=SelectionObjective.choices,
        default=SelectionObjective.SCORE,
    )
    report_due_day = models.PositiveSmallIntegerField(
        _("monthly report due day"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    objection_window_days = models.PositiveSmallIntegerField(
        _("objection window (days after publication)"),
        default=7,
        validators=[MaxValueValidator(90)],
        help_text=_(
            "Districts may object to a decision for this many days after the "
            "results are published."
        ),
    )
    presentation_review = models.BooleanField(
        _("presentation review"),
        default=False,
        help_text=_(
            "The shortlisted proposals are presented to the panel, who score them "
            "again on the rubric; the two scores are combined in the ranking."
        ),
    )
    presentation_shortlist_size = models.PositiveSmallIntegerField(
        _("proposals invited to present"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "The best this many of the document review present. Leave empty to "
            "invite every proposal in the review."
        ),
    )
    presentation_weight_percent = models.PositiveSmallIntegerField(
        _("weight of the presentation (%)"),
        default=30,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Share of the presentation score in the combined score; the document "
            "review has the rest."
        ),
    )
    # When the districts are reminded of a monthly report not yet received
    # (reporting.services.reminders): before the due day, on it, and after it
    # again every so many days until the report reaches the city.
    reminder_days_before = models.PositiveSmallIntegerField(
        _("first reminder (days before the due day)"),
        default=3,
        validators=[MaxValueValidator(27)],
        help_text=_("0 for no reminder before the due day."),
    )
    reminder_repeat_days = models.PositiveSmallIntegerField(
        _("repeat an overdue reminder every (days)"),
        default=7,
        validators=[MaxValueValidator(90)],
        help_text=_(
            "After the due day the reminder is sent again at this interval until "
            "the report arrives. 0 sends it once."
        ),
    )
    reminder_max_overdue = models.PositiveSmallIntegerField(
        _("at most this many overdue reminders"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty to remind until the report arrives."),
    )
    # The pledges a reviewer signs before opening any proposal of the call
    # (보안 서약, 이해충돌 서약); the text signed is copied into the signature.
    pledge_confidentiality = models.TextField(
        _("confidentiality pledge (Korean)"),
        blank=True,
        default=default_confidentiality_pledge_ko,
    )
    pledge_confidentiality_en = models.TextField(
        _("confidentiality pledge (English)"),
        blank=True,
        default=default_confidentiality_pledge_en,
    )
    pledge_conflict = models.TextField(
        _("conflict-of-interest pledge (Korean)"),
        blank=True,
        default=default_conflict_pledge_ko,
    )
    pledge_conflict_en = models.TextField(
        _("conflict-of-interest pledge (English)"),
        blank=True,
        default=default_conflict_pledge_en,
    )

    parent_page_types = ["competitions.CallIndexPage"]
    subpage_types = ["competitions.CallResultsPage"]
    base_form_class = CallPageForm

    content_panels = (
        Page.content_panels
        + BilingualPage.bilingual_panels
        + [
            MultiFieldPanel(
                [FieldPanel("body"), FieldPanel("body_en")], heading=_("Body")
            ),
            InlinePanel(
                "documents", heading=_("Guidelines and forms"), label=_("document")
            ),
            InlinePanel(
                "faqs",
                heading=_("Frequently asked questions"),
                label=_("question"),
            ),
        ]
    )
    search_fields = [
        *BilingualPage.search_fields,
        index.SearchField("body"),
        index.SearchField("body_en"),
    ]
    rules_panels = [
        FieldPanel("year"),
        FieldRowPanel([FieldPanel("total_budget"), FieldPanel("cap_per_project")]),
        FieldPanel("continuation_budget"),
        FieldRowPanel(
            [FieldPanel("city_share_percent"), FieldPanel("district_share_percent")],
            heading=_("Cost sharing"),
        ),
        FieldPanel("max_proposals_per_district"),
        FieldPanel("eligible_districts", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel(
            [FieldPanel("opens_at"), FieldPanel("deadline")], heading=_("Dates")
        ),
        FieldRowPanel(
            [
                FieldPanel("review_starts_on"),
                FieldPanel("review_ends_on"),
                FieldPanel("announcement_on"),
            ]
        ),
        InlinePanel(
            "target_groups", heading=_("Target groups"), label=_("target group")
        ),
        InlinePanel(
            "indicators",
            heading=_("Output indicators"),
            label=_("output indicator"),
            help_text=_(
                "Proposals measure their outputs with these indicators of the "
                "catalogue; jobs created, employment and spending are in every call."
            ),
        ),
        InlinePanel(
            "rubric_criteria",
            heading=_("Rubric"),
            label=_("criterion"),
            help_text=_("Weights must add up to 100."),
        ),
    ]
    process_panels = [
        FieldPanel("requires_approver_signoff"),
        FieldPanel("reviewers_per_proposal"),
        FieldPanel("trim_extremes"),
        FieldPanel("disagreement_threshold"),
        FieldPanel("reviewers_see_others_after_submit"),
        FieldPanel("max_selected_per_district"),
        FieldPanel("min_selected_per_district"),
        FieldPanel("selection_objective"),
        FieldRowPanel(
            [
                FieldPanel("partial_funding_allowed"),
                FieldPanel("partial_funding_min_percent"),
            ],
            heading=_("Partial funding"),
        ),
        FieldPanel("report_due_day"),
        FieldPanel("objection_window_days"),
        MultiFieldPanel(
            [
                FieldPanel("presentation_review"),
                FieldPanel("presentation_shortlist_size"),
                FieldPanel("presentation_weight_percent"),
            ],
            heading=_("Presentation review"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("reminder_days_before"),
                FieldPanel("reminder_repeat_days"),
                FieldPanel("reminder_max_overdue"),
            ],
            heading=_("Report reminders"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("pledge_confidentiality"),
                FieldPanel("pledge_confidentiality_en"),
                FieldPanel("pledge_conflict"),
                FieldPanel("pledge_conflict_en"),
            ],
            heading=_("Reviewer pledges"),
            help_text=_(
                "Each reviewer signs these before opening any proposal of the call."
            ),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(rules_panels, heading=_("Rules and dates")),
            ObjectList(process_panels, heading=_("Review and reporting")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
        ]
    )

    class Meta:
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_at and self.deadline and self.deadline <= self.opens_at:
            errors["deadline"] = _("Deadline: it must be after the opening (opens at).")
        if (
            self.cap_per_project is not None
            and self.total_budget is not None
            and self.cap_per_project > self.total_budget
        ):
            errors["cap_per_project"] = _(
                "Cap per project: it cannot be above the total budget."
            )
        if (
            self.continuation_budget is not None
            and self.total_budget is not None
            and self.continuation_budget > self.total_budget
        ):
            errors["continuation_budget"] = ValidationError(
                _(
                    "Reserve for continuation projects: KRW %(reserve)s is above the "
                    "total budget of KRW %(total)s. Lower the reserve or raise the "
                    "total budget."
                )
                % {
                    "reserve": f"{self.continuation_budget:,}",
                    "total": f"{self.total_budget:,}",
                },
                code="continuation_budget_over_total",
            )
        if (
            self.city_share_percent is not None
            and self.district_share_percent is not None
            and self.city_share_percent + self.district_share_percent != 100
        ):
            errors["district_share_percent"] = _(
                "Cost sharing: the city and district shares must add up to 100%."
            )
        if (
            self.min_selected_per_district is not None
            and self.max_selected_per_district is not None
            and self.min_selected_per_district > self.max_selected_per_district
        ):
            errors["min_selected_per_district"] = _(
                "Minimum selected per district: it cannot be above the maximum."
            )
        if self.partial_funding_min_percent is not None and (
            not self.partial_funding_allowed
        ):
            errors["partial_funding_min_percent"] = ValidationError(
                _(
                    "Minimum funded share: tick “partial funding allowed” first, or "
                    "leave the minimum empty."
                ),
                code="minimum_without_partial_funding",
            )
        if self.partial_funding_min_percent is not None and not (
            1 <= self.partial_funding_min_percent <= 99
        ):
            errors["partial_funding_min_percent"] = ValidationError(
                _("Minimum funded share: enter a whole percentage from 1 to 99."),
                code="minimum_share_out_of_range",
            )
        if (
            self.review_starts_on
            and self.review_ends_on
            and self.review_ends_on < self.review_starts_on
        ):
            errors["review_ends_on"] = _("Review window: the end is before the start.")
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        from django.urls import reverse

        from accounts import access
        from competitions.selectors import time_left
        from competitions.selectors.calls import call_timeline

        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        state = self.state(now)
        context.update(
            {
                "state": state,
                "state_label": CallState(state).label,
                "time_left": time_left(call=self, now=now),
                "eligible_districts": self.eligible_districts.order_by("code"),
                "target_groups": self.target_groups.all(),
                "output_indicators": [
                    row.indicator for row in self.indicators.select_related("indicator")
                ],
                "rubric": self.rubric_criteria.all(),
                "documents": self.documents.select_related("document"),
                "faqs": self.faqs.all(),
                "timeline": call_timeline(call=self, now=now),
                "start_url": None,
                "officer_note": "",
                "results_page": self.results_page(),
            }
        )
        user = request.user
        if access.can(user, "start_proposal", self):
            context["start_url"] = f"{reverse('proposals:add')}?call={self.pk}"
        elif access.is_district_officer(user) and state == CallState.OPEN:
            context["officer_note"] = _("Your district is not eligible for this call.")
        return context

    # --- reading the call --------------------------------------------------

    def results_page(self):
        """The live public results page under this call, if there is one."""
        from .review import CallResultsPage

        return CallResultsPage.objects.child_of(self).live().first()

    @property
    def is_results_published(self) -> bool:
        from .review import ResultsPublication

        return ResultsPublication.objects.filter(call_id=self.pk).exists()

    def state(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return CallState.UPCOMING
        if now < self.deadline:
            return CallState.OPEN
        return CallState.CLOSED

    @property
    def current_state(self) -> str:
        return self.state()

    @property
    def current_state_label(self) -> str:
        return CallState(self.state()).label

    def is_open(self, now: datetime | None = None) -> bool:
        return self.state(now) == CallState.OPEN

    def is_eligible(self, district) -> bool:
        return (
            district is not None
            and self.eligible_districts.filter(pk=district.pk).exists()
        )

    @property
    def rubric_total(self) -> int:
        return sum(criterion.weight for criterion in self.rubric_criteria.all())

    @property
    def has_continuation_reserve(self) -> bool:
        return bool(self.continuation_budget)

    @property
    def general_budget(self) -> int:
        """What the proposals other than continuations share: the total less
        the continuation reserve."""
        return self.total_budget - (self.continuation_budget or 0)

    @property
    def ratio_label(self) -> str:
        return f"{self.city_share_percent}:{self.district_share_percent}"

    def localized_body(self):
        return self.localized("body")

    def pledge_text(self, kind: str) -> str:
        """The call's "confidentiality" or "conflict" pledge in the reader's
        language (Korean when the English is empty); the default text where the
        call leaves the pledge empty."""
        text = self.localized(f"pledge_{kind}")
        if text.strip():
            return text
        defaults = {
            ("confidentiality", False): default_confidentiality_pledge_ko,
            ("confidentiality", True): default_confidentiality_pledge_en,
            ("conflict", False): default_conflict_pledge_ko,
            ("conflict", True): default_conflict_pledge_en,
        }
        return defaults[(kind, english_active())]()


class CallDocument(Orderable):
    """A guideline or form attached to a call, as a Wagtail document."""

    page = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    label_ko = models.CharField(_("label (Korean)"), max_length=200, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("label_ko"), FieldPanel("label_en")]

    class Meta(Orderable.Meta):
        # Named for the audit trail's "kind of record", in the reader's language.
        verbose_name = _("call document")
        verbose_name_plural = _("call documents")

    @property
    def label(self) -> str:
        if english_active() and self.label_en:
            return self.label_en
        return self.label_ko or self.document.title


class CallFaq(Orderable):
    """A question citizens and districts ask about a call, with the city's
    answer, shown on the call's public page (자주 묻는 질문)."""

    page = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(_("question (Korean)"), max_length=300)
    question_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    answer = models.TextField(_("answer (Korean)"))
    answer_en = models.TextField(_("answer (English)"), blank=True)

    panels = [
        FieldPanel("question"),
        FieldPanel("question_en"),
        FieldPanel("answer"),
        FieldPanel("answer_en"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("frequently asked question")
        verbose_name_plural = _("frequently asked questions")

    def localized(self, field_name: str) -> str:
        english = getattr(self, f"{field_name}_en", "")
        if english_active() and english:
            return english
        return getattr(self, field_name)

    @property
    def localized_question(self) -> str:
        return self.localized("question")

    @property
    def localized_answer(self) -> str:
        return self.localized("answer")


class CallTargetGroup(Orderable):
    """A target group (취업취약계층) of one call; the list belongs to the call."""

    page = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="target_groups")
    code = models.SlugField(_("code"), max_length=32)
    name_ko = models.CharField(_("Korean name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    # Open data publishes a small count of such a group at project level as
    # "<3" (reporting.evaluation.smallcell): a handful of defectors in one
    # district's project may be people a neighbour can name.
    vulnerable = models.BooleanField(
        _("vulnerable (small counts withheld in open data)"),
        default=False,
        help_text=_(
            "Counts below the open-data threshold are published as a range, "
            "e.g. North Korean defectors or people with disabilities."
        ),
    )

    panels = [
        FieldRowPanel(
            [FieldPanel("code"), FieldPanel("name_ko"), FieldPanel("name_en")]
        ),
        FieldPanel("vulnerable"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "code"], name="unique_target_group_per_call"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if english_active() and self.name_en else self.name_ko


class CallIndicator(Orderable):
    """An indicator of the catalogue the call's proposals may measure their
    outputs with (e.g. households visited). The core indicators (jobs created,
    employed at month end, spending) belong to every call and are not listed."""

    page = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    panels = [FieldPanel("indicator")]

    def clean(self):
        # The call editor offers the active, non-core entries (CallPageForm);
        # a row kept from before may name one retired since (not a new choice).
        super().clean()
        indicator = self.indicator if self.indicator_id else None
        if indicator is None:
            return
        if indicator.is_core:
            raise ValidationError(
                {
                    "indicator": _(
                        "%(indicator)s is in every call already: choose the "
                        "call's other output indicators here."
                    )
                    % {"indicator": indicator.name}
                }
            )
        stored = (
            CallIndicator.objects.filter(pk=self.pk)
            .values_list("indicator_id", flat=True)
            .first()
            if self.pk
            else None
        )
        if not indicator.is_active and stored != indicator.pk:
            raise ValidationError(
                {
                    "indicator": _(
                        "%(indicator)s is retired from the catalogue: new calls "
                        "cannot choose it. Choose an active indicator."
                    )
                    % {"indicator": indicator.name}
                }
            )

    class Meta(Orderable.Meta):
        verbose_name = _("output indicator")
        verbose_name_plural = _("output indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "indicator"], name="unique_indicator_per_call"
            )
        ]

    def __str__(self):
        return str(self.indicator)


class RubricCriterion(Orderable):
    """One criterion of the call's rubric; the weights of a call add up to 100."""

    page = ParentalKey(
        CallPage, on_delete=models.CASCADE, related_name="rubric_criteria"
    )
    name_ko = models.CharField(_("Korean name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    weight = models.PositiveSmallIntegerField(
        _("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    panels = [
        FieldRowPanel(
            [FieldPanel("name_ko"), FieldPanel("name_en"), FieldPanel("weight")]
        )
    ]

    class Meta(Orderable.Meta):
        # Ties on sort_order (criteria added in code, or a form that sent no
        # order) fall back to the order they were made: the rubric order decides
        # ties in the ranking, so it must never be left to the database.
        ordering = ["sort_order", "pk"]
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if english_active() and self.name_en else self.name_ko
