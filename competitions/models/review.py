"""Review (심사) and selection: the reviewer panel of a call, ties and conflict
declarations, assignments, blind scores, selection decisions and the published
results.

Scores have one decimal place (0.0 to the criterion's weight): Korean evaluation
sheets often allow half points, and a tenth costs nothing more. A reviewer's
weighted total is the sum of their criterion scores, because each criterion is
scored out of its own weight and the weights add up to 100.
"""

import contextvars
from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable, Page, PagePermissionTester

from accounts.models import Organisation
from cms.models import BilingualPage, english_active


class ReviewerPanelMember(models.Model):
    """A reviewer appointed to the panel of one call."""

    call = models.ForeignKey(
        "competitions.CallPage",
        verbose_name=_("call"),
        on_delete=models.CASCADE,
        related_name="panel_members",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="panel_memberships",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"))

    class Meta:
        ordering = ["call", "reviewer__username"]
        verbose_name = _("reviewer panel member")
        verbose_name_plural = _("reviewer panel")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "reviewer"], name="unique_panel_member"
            )
        ]

    def __str__(self):
        return f"{self.call_id}: {self.reviewer}"


class ReviewerTie(models.Model):
    """An organisation a reviewer declared a tie with (e.g. an advisory seat at a
    district). A reviewer's own organisation is always a tie, without a row."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="declared_ties",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    declared_at = models.DateTimeField(_("declared at"))

    class Meta:
        ordering = ["reviewer__username", "organisation__code"]
        verbose_name = _("reviewer tie")
        verbose_name_plural = _("reviewer ties")
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "organisation"], name="unique_reviewer_tie"
            )
        ]

    def __str__(self):
        return f"{self.reviewer} – {self.organisation}"


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned: declaration due")
    NO_CONFLICT = "declared_no_conflict", _("No conflict: scoring")
    CONFLICT = "conflict_declared", _("Conflict declared: removed")
    SUBMITTED = "submitted", _("Review submitted")
    ENDED_BY_TIE = "ended_by_tie", _("Ended: a tie with the district was recorded")


# Assignments that count: a declared conflict, or a tie with the district
# recorded before the review was submitted, removes the assignment (the row
# stays, as the record of why the reviewer is gone).
ACTIVE_ASSIGNMENT_STATUSES = (
    AssignmentStatus.ASSIGNED,
    AssignmentStatus.NO_CONFLICT,
    AssignmentStatus.SUBMITTED,
)


class ReviewAssignment(models.Model):
    """A reviewer asked to score one proposal."""

    proposal = models.ForeignKey(
        "competitions.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="review_assignments",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="review_assignments",
    )
    status = models.CharField(
        _("status"),
        max_length=32,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ASSIGNED,
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

    class Meta:
        ordering = ["proposal__call", "proposal__receipt_number", "reviewer__username"]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "reviewer"], name="unique_review_assignment"
            )
        ]

    def __str__(self):
        return f"{self.proposal} – {self.reviewer}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_ASSIGNMENT_STATUSES


class ConflictDeclaration(models.Model):
    """What a reviewer declared about one proposal before scoring it. Kept even
    when a declared conflict removes the assignment."""

    proposal = models.ForeignKey(
        "competitions.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="conflict_declarations",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="conflict_declarations",
    )
    has_conflict = models.BooleanField(_("has a conflict of interest"))
    note = models.TextField(_("note"), blank=True)
    declared_at = models.DateTimeField(_("declared at"))

    class Meta:
        ordering = ["-declared_at", "-pk"]
        verbose_name = _("conflict-of-interest declaration")
        verbose_name_plural = _("conflict-of-interest declarations")

    def __str__(self):
        return f"{self.reviewer} – {self.proposal}: {self.has_conflict}"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class TieRuling(models.TextChoices):
    KEEP = "keep", _("Keep the review")
    DISCARD = "discard", _("Discard the review")


class Review(models.Model):
    """One reviewer's scores of one proposal. Submitting locks it.

    A tie between the reviewer and the proposing district recorded after the
    review was submitted flags it (``tie_flagged_at``): from then on it does
    not count until the city rules on it, keep or discard, with a reason."""

    assignment = models.OneToOneField(
        ReviewAssignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="review",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ReviewStatus.choices,
        default=ReviewStatus.DRAFT,
    )
    overall_comment = models.TextField(_("overall comment"), blank=True)
    updated_at = models.DateTimeField(_("saved at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    tie_flagged_at = models.DateTimeField(
        _("tie with the district recorded at"), null=True, blank=True
    )
    tie_flag_note = models.CharField(_("tie recorded"), max_length=300, blank=True)
    tie_ruling = models.CharField(
        _("city's ruling on the tie"),
        max_length=16,
        choices=TieRuling.choices,
        blank=True,
    )
    tie_ruling_reason = models.TextField(_("reason for the ruling"), blank=True)
    tie_ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ruled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    tie_ruled_at = models.DateTimeField(_("ruled at"), null=True, blank=True)

    class Meta:
        ordering = ["assignment"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self):
        return str(self.assignment)

    @property
    def is_submitted(self) -> bool:
        return self.status == ReviewStatus.SUBMITTED

    @property
    def is_discarded(self) -> bool:
        return self.tie_ruling == TieRuling.DISCARD

    @property
    def awaits_tie_ruling(self) -> bool:
        return self.tie_flagged_at is not None and not self.tie_ruling

    @property
    def total(self) -> Decimal:
        return sum((row.score or Decimal(0) for row in self.scores.all()), Decimal(0))


class CriterionScore(models.Model):
    """The score of one rubric criterion, 0 to its weight, one decimal place."""

    review = models.ForeignKey(
        Review,
        verbose_name=_("review"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    criterion = models.ForeignKey(
        "competitions.RubricCriterion",
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    score = models.DecimalField(
        _("score"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["review", "criterion__sort_order", "criterion__pk"]
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="unique_score_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class Decision(models.TextChoices):
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")


class SelectionDecision(models.Model):
    """The city's decision on one proposal, with its reason. Final once the
    call's results are published."""

    proposal = models.OneToOneField(
        "competitions.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="selection_decision",
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"))
    # The objection that changed a published decision (None otherwise).
    objection = models.ForeignKey(
        "competitions.Objection",
        verbose_name=_("changed after the objection"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Partial funding (where the call allows it): the city share granted when
    # it is less than the request; empty means the request in full.
    funded_amount = models.PositiveBigIntegerField(
        _("funded city share (KRW)"), null=True, blank=True
    )
    reduction_reason = models.TextField(_("reason for the reduced amount"), blank=True)

    class Meta:
        ordering = ["proposal"]
        verbose_name = _("selection decision")
        verbose_name_plural = _("selection decisions")

    def __str__(self):
        return f"{self.proposal}: {self.decision}"

    @property
    def is_reduced(self) -> bool:
        return self.decision == Decision.SELECTED and self.funded_amount is not None

    @property
    def counted_amount(self) -> int:
        """The city share this decision counts against the budget: the funded
        amount of a reduced selection, else the request; 0 when not selected."""
        if self.decision != Decision.SELECTED:
            return 0
        if self.funded_amount is not None:
            return self.funded_amount
        return self.proposal.city_share or 0


class ResultsPublication(models.Model):
    """The moment a call's results were published. Kept apart from the call
    page so that publishing an older page revision can never undo it."""

    call = models.OneToOneField(
        "competitions.CallPage",
        verbose_name=_("call"),
        on_delete=models.CASCADE,
        related_name="results_publication",
    )
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("results publication")
        verbose_name_plural = _("results publications")

    def __str__(self):
        return f"{self.call_id}: {self.published_at:%Y-%m-%d}"


# Set only while the publication service writes a results page (see
# ``results_page_writing``); every other save of a results page is refused.
_writing_results_page = contextvars.ContextVar("writing_results_page", default=False)


@contextmanager
def results_page_writing():
    """Let the publication service (and only it) save a results page."""
    token = _writing_results_page.set(True)
    try:
        yield
    finally:
        _writing_results_page.reset(token)


def results_page_refusal() -> str:
    return _(
        "Results pages are written only by publishing the call's results under "
        "Review and selection; they cannot be created, edited, published, copied, "
        "moved, unpublished or deleted in the page editor."
    )


class ResultsPagePermissionTester(PagePermissionTester):
    """Nobody, superusers included, changes a results page through Wagtail:
    the buttons are hidden and Wagtail's own actions refuse."""

    def can_edit(self):
        return False

    def can_delete(self, ignore_bulk=False):
        return False

    def can_unpublish(self):
        return False

    def can_publish(self):
        return False

    def can_submit_for_moderation(self):
        return False

    def can_lock(self):
        return False

    def can_move(self):
        return False

    def can_copy(self):
        return False

    def can_move_to(self, destination):
        return False

    def can_copy_to(self, destination, recursive=False):
        return False

    def can_set_view_restrictions(self):
        return False


class CallResultsPage(BilingualPage):
    """The public results of a call: the selected projects with district, title
    and city share. Written by ``results_publish`` only (with re-authentication,
    audited): the page editor can neither create nor change one, and a save
    outside that service, a scheduled or workflow publication among them, is
    refused. Never shows a score or a reviewer."""

    announced_on = models.DateField(_("announced on"), null=True, blank=True)

    parent_page_types = ["competitions.CallPage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    is_creatable = False

    def permissions_for_user(self, user):
        return ResultsPagePermissionTester(user, self)

    def save(self, *args, **kwargs):
        if not _writing_results_page.get():
            raise PermissionDenied(results_page_refusal())
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not _writing_results_page.get():
            raise PermissionDenied(results_page_refusal())
        return super().delete(*args, **kwargs)

    content_panels = (
        Page.content_panels
        + BilingualPage.bilingual_panels
        + [
            FieldPanel("announced_on"),
            InlinePanel(
                "entries", heading=_("Selected projects"), label=_("selected project")
            ),
        ]
    )

    class Meta:
        verbose_name = _("call results page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        entries = list(self.entries.select_related("district"))
        context["call"] = self.get_parent().specific
        context["entries"] = entries
        context["total_city_share"] = sum(entry.city_share for entry in entries)
        from competitions.selectors.objections import objection_counts

        context["objections"] = objection_counts(call=context["call"])
        return context


class CallResultEntry(Orderable):
    """One selected project on the public results page."""

    page = ParentalKey(
        CallResultsPage, on_delete=models.CASCADE, related_name="entries"
    )
    district = models.ForeignKey(
        Organisation,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    city_share = models.PositiveBigIntegerField(_("city share (KRW)"))
    changed_after_objection = models.BooleanField(
        _("decision changed after an objection"), default=False
    )
    # Funded at less than the request (partial funding): the amount above is
    # the funded one, and the page says it was reduced.
    reduced = models.BooleanField(_("reduced amount"), default=False)

    panels = [FieldPanel("district"), FieldPanel("title"), FieldPanel("city_share")]

    class Meta(Orderable.Meta):
        verbose_name = _("selected project")
        verbose_name_plural = _("selected projects")


# --- the reviewer pool, its draws and the reviewers' pledges --------------------


class ExpertiseField(models.Model):
    """A field of expertise (전문 분야) on the city's list: pool members are
    tagged with them, the pool is filtered by them and a draw may require them."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_ko = models.CharField(_("Korean name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)

    class Meta:
        ordering = ["name_ko"]
        verbose_name = _("field of expertise")
        verbose_name_plural = _("fields of expertise")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if english_active() and self.name_en else self.name_ko


class ReviewerPoolMember(models.Model):
    """A reviewer in the city's pool (평가위원 풀), from which call panels are
    drawn. Their ties are their ``ReviewerTie`` rows and their own organisation."""

    reviewer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="pool_membership",
    )
    expertise = models.ManyToManyField(
        ExpertiseField,
        verbose_name=_("fields of expertise"),
        related_name="pool_members",
        blank=True,
    )
    available = models.BooleanField(
        _("available for draws"),
        default=True,
        help_text=_(
            "Untick while the reviewer cannot serve (leave, end of term): they stay "
            "in the pool but are not drawn."
        ),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        ordering = ["reviewer__username"]
        verbose_name = _("reviewer pool member")
        verbose_name_plural = _("reviewer pool")

    def __str__(self):
        return str(self.reviewer)

    def expertise_names(self) -> str:
        return ", ".join(field.name for field in self.expertise.all()) or "-"

    def tie_names(self) -> str:
        """The organisations the reviewer is tied to: their own and declared ones."""
        names = [self.reviewer.organisation.name]
        names += [
            tie.organisation.name
            for tie in self.reviewer.declared_ties.select_related("organisation")
        ]
        return ", ".join(names)


class ReviewerDraw(models.Model):
    """A recorded random draw of reviewers for a call's panel (평가위원 추첨).

    Everything needed to check it is kept: the seed (from ``secrets``), the
    pool members that could be drawn (``eligible``, by user id, ascending), the
    ones that could not and why (``excluded``), the resulting ``order`` and the
    first ``requested`` of it, ``drawn``. The order is a pure function of the
    seed and the eligible list (``competitions.services.draw.draw_order``), so
    anyone can recompute it; the rest of the order are reserves, taken one by
    one when a drawn member declines."""

    call = models.ForeignKey(
        "competitions.CallPage",
        verbose_name=_("call"),
        on_delete=models.CASCADE,
        related_name="reviewer_draws",
    )
    requested = models.PositiveSmallIntegerField(_("members asked for"))
    required_expertise = models.JSONField(
        _("required fields of expertise"), default=list, blank=True
    )
    competing_districts = models.JSONField(
        _("districts whose ties exclude"), default=list, blank=True
    )
    seed = models.CharField(_("seed"), max_length=128)
    eligible = models.JSONField(_("eligible pool members"), default=list)
    excluded = models.JSONField(_("excluded pool members"), default=list, blank=True)
    order = models.JSONField(_("draw order"), default=list)
    drawn = models.JSONField(_("drawn"), default=list)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    drawn_at = models.DateTimeField(_("drawn at"))

    class Meta:
        ordering = ["call", "drawn_at", "pk"]
        verbose_name = _("reviewer draw")
        verbose_name_plural = _("reviewer draws")

    def __str__(self):
        return f"{self.call_id}: {self.drawn_at:%Y-%m-%d %H:%M}"


class ReviewerDrawDecline(models.Model):
    """A drawn member who declined, and who replaced them: the next reserve in
    the draw's recorded order (never a new draw). Reserves passed over because
    they can no longer serve are listed in ``skipped`` with the reason."""

    draw = models.ForeignKey(
        ReviewerDraw,
        verbose_name=_("draw"),
        on_delete=models.CASCADE,
        related_name="declines",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer who declined"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    replacement = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replaced by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    skipped = models.JSONField(_("reserves passed over"), default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["draw", "recorded_at", "pk"]
        verbose_name = _("declined draw")
        verbose_name_plural = _("declined draws")

    def __str__(self):
        return f"{self.draw_id}: {self.reviewer} → {self.replacement or '-'}"


class ReviewerPledge(models.Model):
    """A reviewer's signed confidentiality and conflict-of-interest pledges
    (보안 서약, 이해충돌 서약) for one call: the texts as they were shown, when,
    and from which address. Until it exists, none of the call's proposals is
    open to the reviewer (competitions.rules)."""

    call = models.ForeignKey(
        "competitions.CallPage",
        verbose_name=_("call"),
        on_delete=models.CASCADE,
        related_name="reviewer_pledges",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="pledges",
    )
    confidentiality_text = models.TextField(_("confidentiality pledge as signed"))
    conflict_text = models.TextField(_("conflict-of-interest pledge as signed"))
    language = models.CharField(_("language"), max_length=8)
    signed_at = models.DateTimeField(_("signed at"))
    ip_address = models.GenericIPAddressField(
        _("signed from (IP address)"), null=True, blank=True
    )

    class Meta:
        ordering = ["call", "reviewer__username"]
        verbose_name = _("reviewer pledge")
        verbose_name_plural = _("reviewer pledges")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "reviewer"], name="unique_pledge_per_call"
            )
        ]

    def __str__(self):
        return f"{self.call_id}: {self.reviewer}"
