"""Admin views: proposals (districts and the city's listing), review (the
reviewer's assignments, the city's panel) and selection (ranking, decisions,
publishing, score sheet)."""

from .proposals import (
    AttachmentsZipView,
    JobView,
    ProposalCreateView,
    ProposalEditView,
    ProposalFormMixin,
    ProposalIndexView,
    ProposalInspectView,
    apply_service_errors,
    attachment_download,
    proposal_actions,
    proposal_transition,
    proposal_withdraw_confirm,
)
from .review import (
    AssignmentView,
    MyAssignmentsView,
    PanelView,
    ReviewCallsView,
    declare_conflict,
)
from .selection import RankingView, score_sheet

__all__ = [
    "AssignmentView",
    "AttachmentsZipView",
    "JobView",
    "MyAssignmentsView",
    "PanelView",
    "ProposalCreateView",
    "ProposalEditView",
    "ProposalFormMixin",
    "ProposalIndexView",
    "ProposalInspectView",
    "RankingView",
    "ReviewCallsView",
    "apply_service_errors",
    "attachment_download",
    "declare_conflict",
    "proposal_actions",
    "proposal_transition",
    "proposal_withdraw_confirm",
    "score_sheet",
]
