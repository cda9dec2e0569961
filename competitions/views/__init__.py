"""Admin views: proposals (districts and the city's listing), review (the
reviewer's assignments, the city's panel) and selection (ranking, decisions,
publishing, score sheet)."""

from .draw import DrawView
from .objections import (
    ObjectionCreateView,
    ObjectionDetailView,
    ObjectionIndexView,
    objection_attachment_download,
)
from .pledges import PledgeView, pledge_refusal
from .pool import ExpertiseFieldViewSet, ReviewerPoolViewSet
from .presentations import (
    MyPresentationsView,
    PresentationScoreView,
    PresentationTimetableView,
)
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
    project_carry,
    proposal_actions,
    proposal_start_from,
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
from .selection import OptimalSelectionView, RankingView, score_sheet

__all__ = [
    "AssignmentView",
    "AttachmentsZipView",
    "DrawView",
    "ExpertiseFieldViewSet",
    "JobView",
    "MyAssignmentsView",
    "PledgeView",
    "PanelView",
    "ProposalCreateView",
    "ProposalEditView",
    "ProposalFormMixin",
    "ProposalIndexView",
    "ProposalInspectView",
    "OptimalSelectionView",
    "RankingView",
    "ReviewCallsView",
    "ReviewerPoolViewSet",
    "apply_service_errors",
    "attachment_download",
    "declare_conflict",
    "pledge_refusal",
    "project_carry",
    "proposal_actions",
    "proposal_start_from",
    "proposal_transition",
    "proposal_withdraw_confirm",
    "score_sheet",
    "MyPresentationsView",
    "ObjectionCreateView",
    "ObjectionDetailView",
    "ObjectionIndexView",
    "PresentationScoreView",
    "PresentationTimetableView",
    "objection_attachment_download",
]
