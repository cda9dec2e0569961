"""Things that read calls, proposals and their review; nothing here writes.

``calls`` (the public list, open calls, time left), ``review`` (ties,
conflicts, which reviews count, the city's to-do lists) and ``ranking`` (the
ranked list and the selection suggestion). The public names are re-exported
here: ``from competitions.selectors import call_ranking``.
"""

from .calls import calls_by_state, calls_in_review, open_calls_for, time_left
from .history import HistoryEntry, proposal_history
from .optimal import OptimalComparison, selection_optimal
from .ranking import (
    RankedProposal,
    SuggestionRow,
    call_ranking,
    selected_city_share_total,
    selection_suggest,
)
from .review import (
    assignments_ended_by_tie,
    conflict_with,
    conflicts_to_reassign,
    proposals_in_review,
    review_counts,
    reviews_awaiting_tie_ruling,
    tied_organisation_ids,
)

__all__ = [
    "HistoryEntry",
    "RankedProposal",
    "SuggestionRow",
    "assignments_ended_by_tie",
    "call_ranking",
    "calls_by_state",
    "calls_in_review",
    "conflict_with",
    "conflicts_to_reassign",
    "open_calls_for",
    "proposal_history",
    "proposals_in_review",
    "review_counts",
    "reviews_awaiting_tie_ruling",
    "selected_city_share_total",
    "selection_optimal",
    "selection_suggest",
    "OptimalComparison",
    "tied_organisation_ids",
    "time_left",
]
