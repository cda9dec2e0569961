"""Monthly performance reports (월별 실적 보고): versions, figures, history.

One ``MonthlyReport`` per project and month; each filing is a ``ReportVersion``
whose figures are ``ReportValue`` rows in long format (measure, key, value).
A version's figures are the whole month: the accepted version's rows — and only
those — are marked ``in_force`` and count in every total (replace semantics).
Statuses change only through ``reporting.workflow``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report status", "Draft")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting district approver")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class MonthlyReport(models.Model):
    """A project's report for one month. ``status`` is the current version's;
    ``accepted_version`` is the one whose figures are in force."""

    # Lookups by project and by district use the composite indexes below,
    # which lead with them: no index of their own.
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="reports",
        db_index=False,
    )
    period = models.DateField(_("month"))
    # Denormalised from the project so district listings need no join.
    district = models.ForeignKey(
        Organisation,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
    )
    current_version = models.ForeignKey(
        "reporting.ReportVersion",
        verbose_name=_("current version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_version = models.ForeignKey(
        "reporting.ReportVersion",
        verbose_name=_("accepted version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # When the report first reached the city; timeliness is judged on this alone.
    first_submitted_at = models.DateTimeField(
        _("first received at"), null=True, blank=True
    )
    # That judgment, kept so the roll-up counts on-time reports without a join
    # and a time-zone conversion per report: ``reporting.selectors.arrived_on_time``
    # at arrival, judged again when the project's due day changes
    # (``reporting.services.arrivals_rejudge``). None until the report arrives.
    arrived_on_time = models.BooleanField(
        _("arrived on time"), null=True, editable=False
    )
    is_locked = models.BooleanField(_("locked"), default=False)
    locked_at = models.DateTimeField(_("month locked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-period", "project__code"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period"], name="one_report_per_project_month"
            )
        ]
        indexes = [
            models.Index(fields=["period", "district", "status"]),
            models.Index(fields=["district", "period"]),
        ]

    def __str__(self):
        return f"{self.project.code} {self.period:%Y-%m}"

    @property
    def status_label(self) -> str:
        return ReportStatus(self.status).label

    def days_late(self) -> int | None:
        """Days past the due day (Asia/Seoul) at the first arrival at the city,
        or today while the month has not arrived; None when not late."""
        from projects.months import seoul_today

        from .selectors import due_on

        due = due_on(self.project, self.period)
        arrived = (
            seoul_today(self.first_submitted_at)
            if self.first_submitted_at is not None
            else seoul_today(timezone.now())
        )
        late = (arrived - due).days
        return late if late > 0 else None

    days_late.short_description = _("days late")  # type: ignore[attr-defined]


class ReportVersion(models.Model):
    """One filing of a month: its figures, texts, comments and decisions."""

    # The unique (report, number) serves lookups by report.
    report = models.ForeignKey(
        MonthlyReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="versions",
        db_index=False,
    )
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
    )
    narrative = models.TextField(_("narrative"), blank=True)
    # {field or warning key: comment}; a warning is answered by a comment on its key.
    comments = models.JSONField(_("comments"), default=dict, blank=True)
    warnings = models.JSONField(_("warnings at submission"), default=dict, blank=True)
    has_roster = models.BooleanField(_("with participant roster"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approver_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approver_signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="unique_report_version_number"
            )
        ]

    def __str__(self):
        return f"{self.report} v{self.number}"

    @property
    def status_label(self) -> str:
        return ReportStatus(self.status).label


class ReportValue(models.Model):
    """One figure of a version, in long format: (measure, key) → value.

    ``measure`` is the catalogue indicator's code, ``key`` the member of its
    split (a target-group code, a budget-line code) or ``total``.
    ``project``, ``district`` and ``period`` are copied from the report and
    ``in_force`` marks the rows of each month's accepted version, so a roll-up
    over hundreds of thousands of reports is one indexed aggregate.
    """

    # The unique (version, measure, key) serves lookups by version: no index of
    # its own. On PostgreSQL the version is checked once per statement, not per
    # row (migration 0007, "a set-wise foreign key"): a historical import writes
    # 100,000 figures for 12,500 versions, and a row-by-row foreign key spent
    # a tenth of the import at commit checking the same versions again.
    version = models.ForeignKey(
        ReportVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="values",
        db_index=False,
        db_constraint=False,
    )
    # The indicator's code (``indicators.Indicator.code``); ``key`` the member
    # of its split (a target group, a budget category) or ``total``.
    measure = models.CharField(_("indicator"), max_length=32)
    key = models.CharField(_("key"), max_length=32)
    value = models.BigIntegerField(_("value"))
    # Copies of the report's own project and district (checked there): no
    # database constraint of their own, so a 100,000-figure import is not
    # 200,000 more foreign-key checks at commit. The index below, which leads
    # with the project, serves every lookup by project.
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    district = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    period = models.DateField(_("month"))
    in_force = models.BooleanField(_("in force"), default=False)

    class Meta:
        verbose_name = _("report figure")
        verbose_name_plural = _("report figures")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "measure", "key"], name="unique_report_value"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="report_value_not_negative"
            ),
        ]
        # A project's figures are read here (its figures in force, and all of
        # them when it is deleted); a district's and the city's from FigureYear
        # and MonthlyReport. Every index more is paid on each of the hundreds
        # of thousands of figures a historical import writes.
        indexes = [
            models.Index(
                fields=["project", "measure", "key", "period"],
                name="reportvalue_project",
            ),
        ]

    def __str__(self):
        return f"{self.measure}.{self.key}={self.value}"


class FigureYear(models.Model):
    """The figures in force of one project, measure and key over a calendar
    year, one column per month: the roll-up's summary of ``ReportValue``.

    Rebuilt from the figures in force the moment a month is accepted (and
    after a bulk import) by ``reporting.services.reports.figure_years_refresh``,
    so a year to date is a sum of a few columns over about one row per
    project and figure, however many months and years lie underneath.
    """

    MONTHS = [f"month_{number}" for number in range(1, 13)]

    # The unique (project, year, measure, key) serves lookups by project.
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    district = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    measure = models.CharField(_("indicator"), max_length=32)
    key = models.CharField(_("key"), max_length=32)
    # The first month of the year with this figure in force: before it the
    # figure is absent, not zero.
    first_month = models.PositiveSmallIntegerField(_("first month"))
    month_1 = models.BigIntegerField(default=0)
    month_2 = models.BigIntegerField(default=0)
    month_3 = models.BigIntegerField(default=0)
    month_4 = models.BigIntegerField(default=0)
    month_5 = models.BigIntegerField(default=0)
    month_6 = models.BigIntegerField(default=0)
    month_7 = models.BigIntegerField(default=0)
    month_8 = models.BigIntegerField(default=0)
    month_9 = models.BigIntegerField(default=0)
    month_10 = models.BigIntegerField(default=0)
    month_11 = models.BigIntegerField(default=0)
    month_12 = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("accepted figures of a year")
        verbose_name_plural = _("accepted figures of years")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "measure", "key"], name="one_figure_year"
            ),
        ]
        indexes = [
            models.Index(fields=["year", "district"], name="figureyear_year_district"),
            # Year over year and the monthly new jobs read one measure of a year.
            models.Index(fields=["year", "measure"], name="figureyear_year_measure"),
        ]

    def __str__(self):
        return f"{self.year} {self.measure}.{self.key}"

    @classmethod
    def to_date(cls, month: int):
        """January to the month: the sum of its columns, as an expression."""
        total = models.F(cls.MONTHS[0])
        for name in cls.MONTHS[1:month]:
            total += models.F(name)
        return total


class RosterEntry(models.Model):
    """A participant of a version's roster, by pseudonymous code only."""

    version = models.ForeignKey(
        ReportVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="roster",
    )
    participant_code = models.CharField(_("participant code"), max_length=32)
    target_group_code = models.CharField(_("target group"), max_length=32)
    hire_date = models.DateField(_("hire date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        ordering = ["version", "hire_date", "participant_code"]
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "participant_code", "hire_date"],
                name="unique_roster_entry",
            )
        ]

    def __str__(self):
        return f"{self.participant_code} ({self.target_group_code})"


class ReportTransition(models.Model):
    """One move of the workflow: who, when, which version, from, to, and why."""

    report = models.ForeignKey(
        MonthlyReport, on_delete=models.CASCADE, related_name="transitions"
    )
    version = models.ForeignKey(
        ReportVersion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="transitions",
    )
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("report status change")
        verbose_name_plural = _("report status changes")

    def __str__(self):
        return f"{self.from_status or '-'} → {self.to_status}"


class ReportReopening(models.Model):
    """A city manager reopened an accepted (locked) month, with a reason."""

    report = models.ForeignKey(
        MonthlyReport, on_delete=models.CASCADE, related_name="reopenings"
    )
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopened by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reopened_at = models.DateTimeField(_("reopened at"))
    reason = models.TextField(_("reason"))
    previous_version = models.ForeignKey(
        ReportVersion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("accepted version then"),
    )
    corrected_version = models.ForeignKey(
        ReportVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("correction accepted"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["report", "reopened_at"]
        verbose_name = _("reopening")
        verbose_name_plural = _("reopenings")

    def __str__(self):
        return f"{self.report} reopened {self.reopened_at:%Y-%m-%d}"


class ReportCorrection(models.Model):
    """One figure changed by a correction after a reopening: old and new value
    (None where the figure was absent), who filed it, who accepted it, when."""

    reopening = models.ForeignKey(
        ReportReopening, on_delete=models.CASCADE, related_name="corrections"
    )
    measure = models.CharField(_("indicator"), max_length=32)
    key = models.CharField(_("key"), max_length=32)
    old_value = models.BigIntegerField(_("old value"), null=True, blank=True)
    new_value = models.BigIntegerField(_("new value"), null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["reopening", "measure", "key"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self):
        return f"{self.measure}.{self.key}: {self.old_value} → {self.new_value}"


class ReminderKind(models.TextChoices):
    BEFORE_DUE = "before_due", _("Due in a few days")
    DUE_TODAY = "due_today", _("Due today")
    OVERDUE = "overdue", _("Overdue")


class Reminder(models.Model):
    """A reminder sent for a project's month: by e-mail to the district's
    officers, and shown in their admin dashboard. Sent once per step: a kind
    and, for an overdue month, the repeat's number (1 on the first day late,
    2 after the call's interval, ...), so a repeat is a new row, never a
    second sending of the same one."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="reminders"
    )
    district = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    period = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=16, choices=ReminderKind.choices)
    sequence = models.PositiveSmallIntegerField(
        _("reminder number"),
        default=1,
        help_text=_(
            "1 for the first reminder of its kind; an overdue month's repeats "
            "count on from there."
        ),
    )
    sent_at = models.DateTimeField(_("sent at"))
    recipients = models.TextField(_("e-mailed to"), blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period", "kind", "sequence"],
                name="one_reminder_per_step",
            )
        ]
        indexes = [models.Index(fields=["district", "sent_at"])]

    def __str__(self):
        return f"{self.project.code} {self.period:%Y-%m} {self.kind} {self.sequence}"


class ManualReminder(models.Model):
    """A reminder of an overdue month sent by a city manager from the overdue
    list ("send reminder now"), beside the daily ones: at most one per project,
    month and day (Asia/Seoul), so a second click the same day sends nothing."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="manual_reminders"
    )
    district = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    period = models.DateField(_("month"))
    sent_on = models.DateField(_("sent on (Asia/Seoul)"))
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipients = models.TextField(_("e-mailed to"), blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("reminder sent by hand")
        verbose_name_plural = _("reminders sent by hand")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period", "sent_on"],
                name="one_manual_reminder_per_day",
            )
        ]

    def __str__(self):
        return f"{self.project.code} {self.period:%Y-%m} {self.sent_on}"


class RosterDestruction(models.Model):
    """One entry of the destruction ledger (개인정보 파기 대장): a project's
    participant rosters deleted when their retention period ended (or by a
    person). Append-only: the admin shows it read-only, nothing changes it."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    project_code = models.CharField(_("project code"), max_length=32)
    months = models.JSONField(
        _("months"), default=list
    )  # ["2019-01", …] whose rosters were destroyed
    rows = models.PositiveIntegerField(_("roster rows destroyed"))
    retention_ended_on = models.DateField(
        _("retention ended on"), null=True, blank=True
    )
    destroyed_at = models.DateTimeField(_("destroyed at"))
    # Null: the system's scheduled destruction.
    destroyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destroyed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    method = models.CharField(_("method"), max_length=200)

    class Meta:
        ordering = ["-destroyed_at", "-pk"]
        verbose_name = _("roster destruction")
        verbose_name_plural = _("roster destruction ledger")

    def __str__(self):
        return f"{self.project_code} {self.destroyed_at:%Y-%m-%d}"
