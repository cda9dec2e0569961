"""Evaluation schemes and grades, stored report files, and the public outcomes page.

Figures are never stored here: every number is read live from the accepted
report figures by ``reporting.evaluation.selectors``. What is stored is what a
person decided (weights, tiers, qualitative scores), the result of an
evaluation run (scores and grades, so a published grade does not move when a
late correction arrives), and built report files keyed by a fingerprint of
their inputs.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page

from accounts.models import Organisation
from cms.models import BilingualPage, english_active
from common.models import private_storage

SCORE_MIN, SCORE_MAX = Decimal(0), Decimal(100)


def published_refusal() -> ValidationError:
    """What anyone changing published grades is told: the one way to change them."""
    return ValidationError(
        _(
            "The grades of this evaluation are published and can no longer be changed. To correct them, "
            "reopen the evaluation on its page (this asks for your password and a reason)."
        ),
        code="published",
    )


def score_range_refusal() -> ValidationError:
    return ValidationError(
        _("A qualitative score is a number from 0 to 100 (up to two decimal places)."),
        code="score_range",
    )


def validate_qualitative_score(value) -> None:
    if value is None or not value.is_finite() or not SCORE_MIN <= value <= SCORE_MAX:
        raise score_range_refusal()


def _scheme_published_in_database(scheme_id) -> bool:
    """Whether the stored scheme is published (not this instance's unsaved state)."""
    return (
        scheme_id is not None
        and EvaluationScheme.objects.filter(
            pk=scheme_id, published_at__isnull=False
        ).exists()
    )


MEASURE_FIELDS = {
    "jobs": "weight_jobs",
    "outputs": "weight_outputs",
    "execution": "weight_execution",
    "timeliness": "weight_timeliness",
    "qualitative": "weight_qualitative",
}


class EvaluationScheme(ClusterableModel):
    """How one call's projects are evaluated at year end: the measures' weights
    (adding up to 100), the grade tiers, and the next call the grades feed."""

    call = models.OneToOneField(
        "competitions.CallPage",
        verbose_name=_("call"),
        on_delete=models.CASCADE,
        related_name="evaluation_scheme",
    )
    year = models.PositiveSmallIntegerField(
        _("year evaluated"), help_text=_("The year the projects ran.")
    )
    as_of_month = models.PositiveSmallIntegerField(
        _("figures up to month"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    weight_jobs = models.PositiveSmallIntegerField(
        _("weight: job achievement"), default=40
    )
    weight_outputs = models.PositiveSmallIntegerField(
        _("weight: output achievement"), default=20
    )
    weight_execution = models.PositiveSmallIntegerField(
        _("weight: execution rate"), default=20
    )
    weight_timeliness = models.PositiveSmallIntegerField(
        _("weight: timely reporting"), default=10
    )
    weight_qualitative = models.PositiveSmallIntegerField(
        _("weight: qualitative score"), default=10
    )
    trim_qualitative = models.BooleanField(
        _("drop highest and lowest qualitative score"),
        default=True,
        help_text=_(
            "With five or more reviewers' scores, the mean leaves out the extremes."
        ),
    )
    qualitative_blind = models.BooleanField(
        _("reviewers do not see the district"),
        default=True,
        help_text=_(
            "The reviewers who give the qualitative score see each project without "
            "its district or code."
        ),
    )
    next_call = models.ForeignKey(
        "competitions.CallPage",
        verbose_name=_("call the grades feed"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Its proposals get bonus points by the grade of their district's project."
        ),
    )
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True)
    published_at = models.DateTimeField(_("grades published at"), null=True, blank=True)

    panels = [
        FieldPanel("call"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("as_of_month")]),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("weight_jobs"),
                        FieldPanel("weight_outputs"),
                        FieldPanel("weight_execution"),
                    ]
                ),
                FieldRowPanel(
                    [FieldPanel("weight_timeliness"), FieldPanel("weight_qualitative")]
                ),
                FieldPanel("trim_qualitative"),
                FieldPanel("qualitative_blind"),
            ],
            heading=_("Measures and weights (adding up to 100)"),
        ),
        InlinePanel("tiers", heading=_("Grade tiers, best first"), label=_("tier")),
        FieldPanel("next_call"),
    ]

    class Meta:
        ordering = ["-year"]
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")

    def __str__(self):
        return f"{self.year} · {self.call.title}"

    @property
    def weights(self) -> dict[str, int]:
        return {
            measure: getattr(self, field) for measure, field in MEASURE_FIELDS.items()
        }

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    # Publishing and reopening are the only changes to a published scheme, and
    # only through ``services.evaluation_publish`` / ``evaluation_reopen``.
    _PUBLICATION_FIELDS = frozenset({"published_at"})

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        publication_only = (
            update_fields is not None and set(update_fields) <= self._PUBLICATION_FIELDS
        )
        if not publication_only and _scheme_published_in_database(self.pk):
            raise published_refusal()
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if _scheme_published_in_database(self.pk):
            raise published_refusal()
        return super().delete(*args, **kwargs)

    def get_additional_data(self):
        """What the audit trail keeps beside the changed fields: the reason
        given for reopening published grades (see ``evaluation_reopen``)."""
        reason = getattr(self, "_reopen_reason", None)
        return {"kind": "grades_reopened", "reason": reason} if reason else None

    def clean(self):
        super().clean()
        if _scheme_published_in_database(self.pk):
            raise published_refusal()
        total = sum(value or 0 for value in self.weights.values())
        if total != 100:
            raise ValidationError(
                _("The weights add up to %(total)s; they must add up to 100.")
                % {"total": total}
            )


class GradeTier(Orderable):
    """A grade (대상, 최우수, …): the next ``count`` projects of the ranking, or
    all remaining ones scoring at least ``threshold``; with both, the next
    ``count`` that also reach the threshold."""

    scheme = ParentalKey(
        EvaluationScheme, on_delete=models.CASCADE, related_name="tiers"
    )
    name_ko = models.CharField(_("Korean name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=50, blank=True)
    count = models.PositiveSmallIntegerField(
        _("number of projects"), null=True, blank=True
    )
    threshold = models.DecimalField(
        _("minimum score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    bonus_points = models.DecimalField(
        _("bonus points in the next call"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(0),
    )
    continuation = models.BooleanField(_("eligible for continuation"), default=False)

    panels = [
        FieldRowPanel([FieldPanel("name_ko"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("count"), FieldPanel("threshold")]),
        FieldRowPanel([FieldPanel("bonus_points"), FieldPanel("continuation")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("grade tier")
        verbose_name_plural = _("grade tiers")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if english_active() and self.name_en else self.name_ko

    def save(self, *args, **kwargs):
        if _scheme_published_in_database(
            self.scheme_id
        ) or _scheme_published_in_database(self._stored_scheme_id()):
            raise published_refusal()
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if _scheme_published_in_database(self._stored_scheme_id()):
            raise published_refusal()
        return super().delete(*args, **kwargs)

    def _stored_scheme_id(self):
        if self.pk is None:
            return None
        return (
            type(self)
            .objects.filter(pk=self.pk)
            .values_list("scheme_id", flat=True)
            .first()
        )

    def clean(self):
        super().clean()
        if _scheme_published_in_database(self.scheme_id):
            raise published_refusal()
        if self.count is None and self.threshold is None:
            raise ValidationError(
                _("A tier needs a number of projects, a minimum score, or both.")
            )


class EvaluationReviewer(models.Model):
    """A reviewer the city assigned to give the qualitative score of a scheme's
    projects (연말 정성 평가). They score every project of the scheme's call
    except those of a district they are tied to (their own organisation or a
    declared ``competitions.ReviewerTie``), the same rule as proposal review."""

    scheme = models.ForeignKey(
        EvaluationScheme,
        verbose_name=_("evaluation scheme"),
        on_delete=models.CASCADE,
        related_name="reviewer_assignments",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="evaluation_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"))
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)

    class Meta:
        ordering = ["scheme", "reviewer__username"]
        verbose_name = _("evaluation reviewer")
        verbose_name_plural = _("evaluation reviewers")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "reviewer"], name="one_assignment_per_scheme"
            )
        ]

    def __str__(self):
        return f"{self.scheme_id}: {self.reviewer}"


class QualitativeScore(models.Model):
    """One reviewer's overall judgement of a project (0–100), optional.
    Entered by the reviewer (``qualitative_score_submit``), never on their
    behalf."""

    scheme = models.ForeignKey(
        EvaluationScheme, on_delete=models.CASCADE, related_name="qualitative_scores"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        validators=[validate_qualitative_score],
        help_text=_("From 0 to 100."),
    )
    comment = models.TextField(_("comment"), blank=True)
    entered_at = models.DateTimeField(_("entered at"), null=True, blank=True)

    class Meta:
        ordering = ["scheme", "project", "reviewer"]
        verbose_name = _("qualitative score")
        verbose_name_plural = _("qualitative scores")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "project", "reviewer"],
                name="one_qualitative_score_per_reviewer",
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="qualitative_score_from_0_to_100",
                violation_error_code="score_range",
                violation_error_message=_(
                    "A qualitative score is a number from 0 to 100 (up to two decimal places)."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.project.code}: {self.score}"

    def save(self, *args, **kwargs):
        if _scheme_published_in_database(
            self.scheme_id
        ) or _scheme_published_in_database(self._stored_scheme_id()):
            raise published_refusal()
        if self.score is not None and not SCORE_MIN <= Decimal(self.score) <= SCORE_MAX:
            raise score_range_refusal()
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if _scheme_published_in_database(self._stored_scheme_id()):
            raise published_refusal()
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        if _scheme_published_in_database(
            self.scheme_id
        ) or _scheme_published_in_database(self._stored_scheme_id()):
            raise published_refusal()

    def _stored_scheme_id(self):
        if self.pk is None:
            return None
        return (
            type(self)
            .objects.filter(pk=self.pk)
            .values_list("scheme_id", flat=True)
            .first()
        )


class ProjectEvaluation(models.Model):
    """The result of evaluating one project under a scheme (kept as computed)."""

    scheme = models.ForeignKey(
        EvaluationScheme, on_delete=models.CASCADE, related_name="evaluations"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    job_achievement = models.DecimalField(
        _("job achievement (%)"), max_digits=7, decimal_places=1, null=True
    )
    output_achievement = models.DecimalField(
        _("output achievement (%)"), max_digits=7, decimal_places=1, null=True
    )
    execution_rate = models.DecimalField(
        _("execution rate (%)"), max_digits=7, decimal_places=1, null=True
    )
    timeliness = models.DecimalField(
        _("reports on time (%)"), max_digits=7, decimal_places=1, null=True
    )
    qualitative = models.DecimalField(
        _("qualitative score"), max_digits=5, decimal_places=2, null=True
    )
    score = models.DecimalField(
        _("evaluation score"), max_digits=5, decimal_places=2, null=True
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True)
    grade = models.ForeignKey(
        GradeTier,
        verbose_name=_("grade"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["scheme", "rank"]
        verbose_name = _("project evaluation")
        verbose_name_plural = _("project evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "project"], name="one_evaluation_per_project"
            )
        ]

    def __str__(self):
        return f"{self.project.code}: {self.score}"


class ReportKind(models.TextChoices):
    WORKBOOK = "xlsx", _("Excel workbook")
    PDF = "pdf", _("PDF report")


class ReportFile(models.Model):
    """A built evaluation report. ``fingerprint`` hashes everything the file is
    made from (kind, period, scope, the figures' state, the builder's version),
    so an unchanged request is answered with this file instead of a new build."""

    kind = models.CharField(_("kind"), max_length=8, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    district = models.ForeignKey(
        Organisation,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=8, default="ko")
    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to="evaluation/%Y/%m/"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("evaluation report file")
        verbose_name_plural = _("evaluation report files")

    def __str__(self):
        return f"{self.kind} {self.year}-{self.month:02d}"


class OutcomesPage(BilingualPage):
    """The public outcomes of a programme year, built live from the accepted
    figures: headline, a card per project, and the same numbers as the API."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(
        _("up to month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Leave empty for the latest month with accepted reports."),
    )
    call = models.ForeignKey(
        "competitions.CallPage",
        verbose_name=_("call"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Only this call's projects; empty for every project of the year."),
    )

    parent_page_types = ["cms.HomePage", "competitions.CallIndexPage"]
    subpage_types: list[str] = []
    content_panels = (
        Page.content_panels
        + BilingualPage.bilingual_panels
        + [
            FieldRowPanel([FieldPanel("year"), FieldPanel("month")]),
            FieldPanel("call"),
        ]
    )

    class Meta:
        verbose_name = _("outcomes page")
        verbose_name_plural = _("outcomes pages")

    def get_context(self, request, *args, **kwargs):
        from closeout.selectors import accepted_summaries

        from . import charts, selectors

        context = super().get_context(request, *args, **kwargs)
        month = self.month or selectors.latest_accepted_month(year=self.year)
        rollup = None
        if month is not None:
            rollup = selectors.rollup(
                selectors.RollupQuery(
                    year=self.year,
                    month=month,
                    call=self.call,
                    public=True,
                    year_over_year=selectors.chosen_indicator(
                        request.GET.get("indicator")
                    ),
                )
            )
        context.update(
            rollup=rollup,
            cards=[
                (district, project, charts.project_sparkline(rollup, project))
                for district in rollup.districts
                for project in district.projects
            ]
            if rollup
            else [],
            cumulative_chart=charts.cumulative_jobs(rollup) if rollup else "",
            years_chart=charts.year_over_year(rollup) if rollup else "",
            indicator_choices=selectors.comparable_indicators(),
            completed_projects=accepted_summaries(year=self.year, call=self.call),
            **self.public_links(rollup),
        )
        return context

    def public_links(self, rollup) -> dict:
        """Where the page leads: the other years' outcomes pages, the district
        and project pages (projects whose call's results are published), and
        the year's one-page PDF."""
        from django.urls import reverse

        from .public.selectors import live_outcomes_pages, public_projects

        codes = [project.code for project in rollup.projects] if rollup else []
        return {
            "year_pages": [
                (page.year, page.url, page.pk == self.pk)
                for page in live_outcomes_pages()
            ],
            "public_project_codes": set(
                public_projects().filter(code__in=codes).values_list("code", flat=True)
            ),
            "pdf_url": reverse("public_outcomes_pdf", args=[self.year])
            if rollup
            else "",
        }


class PublicDataStamp(models.Model):
    """One row whose version moves whenever anything the public pages and the
    open-data API show could change (an accepted month, a project, a published
    grade or call): a conditional GET reads it (one row by primary key) before
    any heavy query, so a repeated request answers 304 in a few milliseconds.
    Moved by ``reporting.evaluation.caching`` (signals), never by hand."""

    version = models.PositiveBigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("public data stamp")
        verbose_name_plural = _("public data stamps")

    def __str__(self):
        return f"{self.version} @ {self.changed_at:%Y-%m-%d %H:%M:%S}"
