from .calls import (
    CallDocument,
    CallIndexPage,
    CallOutputIndicator,
    CallPage,
    CallTargetGroup,
    RubricCriterion,
)
from .proposals import (
    Proposal,
    ProposalAttachment,
    ProposalBudgetLine,
    ProposalOutput,
    ProposalStatus,
    ProposalTargetGroup,
    ProposalTransition,
    ReceiptCounter,
)

__all__ = [
    "CallDocument",
    "CallIndexPage",
    "CallOutputIndicator",
    "CallPage",
    "CallTargetGroup",
    "Proposal",
    "ProposalAttachment",
    "ProposalBudgetLine",
    "ProposalOutput",
    "ProposalStatus",
    "ProposalTargetGroup",
    "ProposalTransition",
    "ReceiptCounter",
    "RubricCriterion",
]
