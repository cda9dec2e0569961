"""The score sheet of a call for the audit file (xlsx): one row per proposal ×
reviewer × criterion, the reviewers' totals, and the ranking.

Each sheet is a class yielding rows; ``write_xlsx`` renders them. Text a
spreadsheet would read as a formula (=, +, -, @) is prefixed with an apostrophe.
"""

import io
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from common.spreadsheets import safe_cell

from . import scoring
from .models import CallPage, CriterionScore, Decision, Review, ReviewStatus
from .selectors import call_ranking


def _reviewer_name(user) -> str:
    full_name = user.get_full_name()
    return f"{user.username} ({full_name})" if full_name else user.username


def _submitted_reviews(call: CallPage):
    return (
        Review.objects.filter(
            assignment__proposal__call=call, status=ReviewStatus.SUBMITTED
        )
        .select_related(
            "assignment__proposal__district", "assignment__reviewer__organisation"
        )
        .order_by(
            "assignment__proposal__receipt_number", "assignment__reviewer__username"
        )
    )


class ScoresSheet:
    def __init__(self, call: CallPage):
        self.call = call

    @property
    def title(self) -> str:
        return _("Scores")

    def headers(self) -> list[str]:
        return [
            _("Receipt number"),
            _("District"),
            _("Proposal"),
            _("Reviewer"),
            _("Reviewer's organisation"),
            _("Criterion"),
            _("Weight"),
            _("Score"),
            pgettext("sangsaeng", "Comment"),
        ]

    def rows(self) -> Iterator[list]:
        scores = (
            CriterionScore.objects.filter(
                review__assignment__proposal__call=self.call,
                review__status=ReviewStatus.SUBMITTED,
            )
            .select_related(
                "criterion",
                "review__assignment__proposal__district",
                "review__assignment__reviewer__organisation",
            )
            .order_by(
                "review__assignment__proposal__receipt_number",
                "review__assignment__reviewer__username",
                "criterion__sort_order",
                "criterion__pk",
            )
        )
        for row in scores:
            assignment = row.review.assignment
            proposal = assignment.proposal
            yield [
                proposal.receipt_number,
                proposal.district.name_ko,
                proposal.title,
                _reviewer_name(assignment.reviewer),
                assignment.reviewer.organisation.name_ko,
                row.criterion.name_ko,
                row.criterion.weight,
                row.score,
                row.comment,
            ]


class TotalsSheet(ScoresSheet):
    @property
    def title(self) -> str:
        return _("Reviewer totals")

    def headers(self) -> list[str]:
        return [
            _("Receipt number"),
            _("District"),
            _("Proposal"),
            _("Reviewer"),
            _("Weighted total"),
            _("Overall comment"),
            _("Submitted at"),
        ]

    def rows(self) -> Iterator[list]:
        for review in _submitted_reviews(self.call).prefetch_related("scores"):
            assignment = review.assignment
            proposal = assignment.proposal
            yield [
                proposal.receipt_number,
                proposal.district.name_ko,
                proposal.title,
                _reviewer_name(assignment.reviewer),
                review.total,
                review.overall_comment,
                timezone.localtime(review.submitted_at).strftime("%Y-%m-%d %H:%M"),
            ]


def _funded_text(line) -> int | str:
    """The city share a selection counts against the budget (reduced or the
    request); empty for a proposal not selected."""
    if line.decision is None or line.decision.decision != Decision.SELECTED:
        return ""
    return line.counted_amount


class RankingSheet(ScoresSheet):
    @property
    def title(self) -> str:
        return _("Ranking")

    def headers(self) -> list[str]:
        criteria = [criterion.name_ko for criterion in self.call.rubric_criteria.all()]
        return [
            _("Rank"),
            _("Receipt number"),
            _("District"),
            _("Proposal"),
            _("City share (KRW)"),
            _("Score"),
            *criteria,
            _("Reviews done"),
            _("Reviews assigned"),
            _("Extremes dropped"),
            _("Strong disagreement"),
            _("Decision"),
            _("Funded city share (KRW)"),
        ]

    def rows(self) -> Iterator[list]:
        for line in call_ranking(call=self.call):
            proposal = line.proposal
            yield [
                line.rank,
                proposal.receipt_number,
                proposal.district.name_ko,
                proposal.title,
                proposal.city_share,
                scoring.rounded(line.score),
                *[scoring.rounded(mean) for mean in line.criterion_means],
                line.reviews_done,
                line.reviews_assigned,
                _("yes") if line.trimmed else "",
                _("yes") if line.disagreement else "",
                line.decision.get_decision_display() if line.decision else "",
                _funded_text(line),
            ]


def write_xlsx(sheets) -> bytes:
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=str(sheet.title)[:31])
        worksheet.append([safe_cell(str(header)) for header in sheet.headers()])
        for row in sheet.rows():
            worksheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def score_sheet_xlsx(*, call: CallPage) -> bytes:
    return write_xlsx([ScoresSheet(call), TotalsSheet(call), RankingSheet(call)])
