"""Things that change calls, proposals, reviews and selections. Views, forms,
tasks and the demo call these; none of them re-implements a rule.

``proposals`` (drafting and submitting), ``review`` (panel, assignments,
conflicts, scoring), ``draw`` (the reviewer pool and the recorded random draw
of a panel), ``pledges`` (the reviewers' pledges), ``selection``
(decisions and publishing), ``objections`` (이의 신청: the districts'
objections, the city's answers, decisions changed) and ``presentations``
(발표 심사: the timetable and the presentation scores); the public
names are re-exported here, so ``from competitions import services`` and
``services.proposal_submit(...)`` keep working. Reads (the ranking, the
suggestion, who may review what) are in ``competitions.selectors``.
"""

from .carry import (
    continuation_refusal,
    profile_apply,
    proposal_carry_forward,
    proposal_copy,
    proposal_new,
)
from .draw import (
    draw_decline,
    draw_members,
    draw_order,
    draw_recompute,
    draw_verifies,
    panel_draw,
    pool_member_save,
)
from .objections import (
    objection_answer,
    objection_answer_send,
    objection_decision_change,
    objection_refusal,
    objection_submit,
    objection_withdraw,
)
from .pledges import pledge_sign, require_pledge
from .presentations import (
    presentation_refusal,
    presentation_score_save,
    presentation_session_save,
    presentation_slot_delete,
    presentation_slot_save,
    presentation_timetable_send,
    presentation_timetable_send_emails,
    timetable_errors,
)
from .proposals import (
    RATIO_TOLERANCE_KRW,
    attachments_zip_build,
    attachments_zip_start,
    proposal_amend,
    proposal_approve,
    proposal_record_historical_submission,
    proposal_return,
    proposal_save_draft,
    proposal_submission_errors,
    proposal_submit,
    proposal_withdraw,
)
from .review import (
    AutoAssignResult,
    assignment_create,
    assignment_remove,
    assignments_auto,
    conflict_declare,
    conflict_notice_send,
    panel_add,
    panel_remove,
    review_save_draft,
    review_submit,
    review_tie_rule,
    tie_declare,
    tie_notice_send,
)
from .selection import (
    publication_errors,
    results_notify,
    results_page_update,
    results_publish,
    selection_apply_optimal,
    selection_apply_suggestion,
    selection_decide,
)

__all__ = [
    "RATIO_TOLERANCE_KRW",
    "AutoAssignResult",
    "assignment_create",
    "assignment_remove",
    "assignments_auto",
    "attachments_zip_build",
    "attachments_zip_start",
    "conflict_declare",
    "continuation_refusal",
    "profile_apply",
    "proposal_carry_forward",
    "proposal_copy",
    "proposal_new",
    "conflict_notice_send",
    "draw_decline",
    "draw_members",
    "draw_order",
    "draw_recompute",
    "draw_verifies",
    "panel_draw",
    "pledge_sign",
    "pool_member_save",
    "require_pledge",
    "review_tie_rule",
    "tie_notice_send",
    "panel_add",
    "panel_remove",
    "proposal_amend",
    "proposal_approve",
    "proposal_record_historical_submission",
    "proposal_return",
    "proposal_save_draft",
    "proposal_submission_errors",
    "proposal_submit",
    "proposal_withdraw",
    "publication_errors",
    "results_notify",
    "results_page_update",
    "results_publish",
    "review_save_draft",
    "review_submit",
    "selection_apply_optimal",
    "selection_apply_suggestion",
    "selection_decide",
    "tie_declare",
    "objection_answer",
    "objection_answer_send",
    "objection_decision_change",
    "objection_refusal",
    "objection_submit",
    "objection_withdraw",
    "presentation_refusal",
    "presentation_score_save",
    "presentation_session_save",
    "presentation_slot_delete",
    "presentation_slot_save",
    "presentation_timetable_send",
    "presentation_timetable_send_emails",
    "timetable_errors",
]
